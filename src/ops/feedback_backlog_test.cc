// The feedback backlog: ARR behind each item from its distinct accounts, ordering by
// weight, then number of accounts, then newest; the status filter; the export table.
#include "ops/feedback_backlog.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class FeedbackBacklogTest : public OpsTestWorld {
 protected:
  // Each item a second after the previous one, so "newest" is well defined.
  int64_t Feedback(const std::string& title, json account_ids,
                   const std::string& status = "evaluating") {
    clock_.now->fetch_add(1000);
    return MustCreate("feedback",
                      {{"title", title}, {"account_ids", account_ids}, {"status", status}});
  }
};

TEST_F(FeedbackBacklogTest, SortsByArrBehindThenAccountsThenNewest) {
  const int64_t a = MustCreate("accounts", {{"name", "A"}, {"arr", 100000}});
  const int64_t b = MustCreate("accounts", {{"name", "B"}, {"arr", 50000}});
  const int64_t c = MustCreate("accounts", {{"name", "C"}});  // no arr: adds 0
  const int64_t d = MustCreate("accounts", {{"name", "D"}, {"arr", 30000}});
  const int64_t f1 = Feedback("SSO", {a, c});        // 100000 + 0, 2 accounts
  const int64_t f2 = Feedback("Export", {b, d, b});  // B once: 50000 + 30000 = 80000, 2 accounts
  const int64_t f3 = Feedback("Dark mode", {d});     // 30000
  const int64_t f4 = Feedback("API", {d, b});        // 80000, 2 accounts, newer than f2
  const int64_t f5 = Feedback("Audit", {a});         // 100000 but 1 account: after f1
  const int64_t f6 = Feedback("Offline", {c}, "shipped");  // 0

  auto backlog = BuildFeedbackBacklog(Context(), "");
  ASSERT_TRUE(backlog.ok()) << backlog.status().ToString();
  const json& items = (*backlog)["items"];
  ASSERT_EQ(items.size(), 6u);
  const std::vector<int64_t> expected = {f1, f5, f4, f2, f3, f6};
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(items[i]["id"], expected[i]) << "position " << i;
  EXPECT_DOUBLE_EQ(items[0]["arr_behind"].get<double>(), 100000);
  EXPECT_DOUBLE_EQ(items[0]["weight"].get<double>(), 100000);
  ASSERT_EQ(items[0]["accounts"].size(), 2u);
  EXPECT_EQ(items[0]["accounts"][1]["name"], "C");
  EXPECT_TRUE(items[0]["accounts"][1]["arr"].is_null());
  EXPECT_DOUBLE_EQ(items[3]["arr_behind"].get<double>(), 80000);
  EXPECT_EQ(items[3]["accounts"].size(), 2u);  // B named twice, listed once
  EXPECT_DOUBLE_EQ(items[5]["arr_behind"].get<double>(), 0);

  auto shipped = BuildFeedbackBacklog(Context(), "shipped");
  ASSERT_TRUE(shipped.ok());
  ASSERT_EQ((*shipped)["items"].size(), 1u);
  EXPECT_EQ((*shipped)["items"][0]["id"], f6);

  auto bad = BuildFeedbackBacklog(Context(), "someday");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "status");

  exporting::Table table = BacklogToTable(Context(), *backlog);
  ASSERT_EQ(table.rows.size(), 6u);
  const size_t n = table.columns.size();
  EXPECT_EQ(table.columns[n - 4], "account_names");
  EXPECT_EQ(std::get<std::string>(table.rows[0][n - 4]), "A; C");
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[2][n - 1]), 80000);
}

}  // namespace
}  // namespace tobops::ops
