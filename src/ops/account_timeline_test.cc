#include "ops/account_timeline.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using AccountTimelineTest = SalesViewsTest;

std::vector<std::string> Events(const nlohmann::json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["event"].get<std::string>() + "@" + item["t"].get<std::string>().substr(5, 11));
  return out;
}

// acc-1's events newest first (acc-2's report_viewed never appears):
//   deal_won 03-19 12:00; report_viewed (m-rv) and export_clicked (m-ex) both 03-19
//   09:00 (ties: higher message id first); $identify u4 03-19 08:00; report_viewed
//   03-18 10:00; report_viewed 01-10; $identify u3, u2, u1; $group.
// Page 1 (limit 2) takes the 09:00 tie whole → 3 items, next before 09:00.
TEST_F(AccountTimelineTest, PagesNewestFirstKeepingTiesTogether) {
  auto first = AccountTimeline(Context(), A, 2, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Events(*first), (std::vector<std::string>{"deal_won@03-19T12:00", "report_viewed@03-19T09:00",
                                                       "export_clicked@03-19T09:00"}));
  EXPECT_EQ((*first)["next_before"], "2026-03-19T09:00:00.000+08:00");

  const json& deal = (*first)["items"][0];
  EXPECT_EQ(deal["person_id"], "u3");
  EXPECT_EQ(deal["contact_id"], c3);
  EXPECT_EQ(deal["contact_name"], "Cat");
  EXPECT_EQ(deal["role"], "decision_maker");
  EXPECT_EQ(deal["record"], json({{"type", "opportunities"}, {"id", O}}));
  EXPECT_EQ(deal["properties"]["record_id"], O);
  EXPECT_TRUE((*first)["items"][1]["record"].is_null());

  auto second = AccountTimeline(Context(), A, 2, *ParseIso8601Ms("2026-03-19T09:00:00.000+08:00"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Events(*second), (std::vector<std::string>{"$identify@03-19T08:00", "report_viewed@03-18T10:00"}));
  EXPECT_EQ((*second)["items"][0]["contact_name"], "Dan");
  EXPECT_EQ((*second)["next_before"], "2026-03-18T10:00:00.000+08:00");

  // The rest lies beyond the first windows (a month, then a year): all five, then the end.
  auto third = AccountTimeline(Context(), A, 10, *ParseIso8601Ms("2026-03-18T10:00:00.000+08:00"));
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(Events(*third), (std::vector<std::string>{"report_viewed@01-10T09:00", "$identify@01-01T10:02",
                                                       "$identify@01-01T10:01", "$identify@01-01T10:00",
                                                       "$group@01-01T09:00"}));
  EXPECT_TRUE((*third)["next_before"].is_null());
}

// The same first page once the events are in columnar segments instead of the memtable.
TEST_F(AccountTimelineTest, SamePageFromSegments) {
  ASSERT_TRUE(project_.store().Flush().ok());
  auto first = AccountTimeline(Context(), A, 2, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Events(*first), (std::vector<std::string>{"deal_won@03-19T12:00", "report_viewed@03-19T09:00",
                                                       "export_clicked@03-19T09:00"}));
  EXPECT_EQ((*first)["items"][0]["record"], json({{"type", "opportunities"}, {"id", O}}));
  EXPECT_EQ((*first)["next_before"], "2026-03-19T09:00:00.000+08:00");
}

TEST_F(AccountTimelineTest, Errors) {
  EXPECT_EQ(AccountTimeline(Context(), A, 0, std::nullopt).status().field(), "limit");
  EXPECT_EQ(AccountTimeline(Context(), A, 501, std::nullopt).status().field(), "limit");
  EXPECT_EQ(AccountTimeline(Context(), 9999, 10, std::nullopt).status().code(), StatusCode::kNotFound);
  auto quiet = AccountTimeline(Context(), MustCreate("accounts", {{"name", "Quiet"}}), 10, std::nullopt);
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE((*quiet)["items"].empty());
  EXPECT_TRUE((*quiet)["next_before"].is_null());
}

}  // namespace
}  // namespace tobops::ops
