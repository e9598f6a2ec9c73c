// The milestones on the account page (GET /api/accounts/ID/overview "milestones" and
// "milestone_progress"), over the sales-view world (SalesViewsTest in ops_test_world.h: account
// A "Acme", today 2026-03-20 in +08:00).
#include <gtest/gtest.h>

#include "ops/account_overview.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using AccountMilestonesTest = SalesViewsTest;

TEST_F(AccountMilestonesTest, NoMilestonesGiveAnEmptyListAndZeroProgress) {
  auto answer = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["milestones"], json::array());
  EXPECT_EQ((*answer)["milestone_progress"],
            json::parse(R"({"done":0,"total":0,"progress":0.0,"next":null})"));
}

// Four milestones of A, created out of order, and one of another account:
//   M3 position 3 "Review"   due 2026-03-19 pending     → overdue (before 03-20, not done)
//   M1 position 1 "Contract" due 2026-03-01 done 03-01  → not overdue (done)
//   M2 position 2 "Data"     due 2026-03-20 in_progress → not overdue (due today)
//   M4 no position "Extra"   due 2026-03-10 blocked     → overdue, last (no position)
// Position order: M1, M2, M3, M4. done 1 of 4 → 25%; next = M2 (first not done).
TEST_F(AccountMilestonesTest, InPositionOrderWithOverdueAndProgress) {
  const int64_t m3 = MustCreate("milestones", {{"account_id", A}, {"name", "Review"}, {"position", 3},
                                               {"due_date", "2026-03-19"}, {"owner", "Han"}});
  const int64_t m1 = MustCreate("milestones", {{"account_id", A}, {"name", "Contract"}, {"position", 1},
                                               {"due_date", "2026-03-01"}, {"done_on", "2026-03-01"},
                                               {"status", "done"}, {"owner", "Han"}});
  const int64_t m2 = MustCreate("milestones", {{"account_id", A}, {"name", "Data"}, {"position", 2},
                                               {"due_date", "2026-03-20"}, {"status", "in_progress"}});
  const int64_t m4 = MustCreate("milestones", {{"account_id", A}, {"name", "Extra"},
                                               {"due_date", "2026-03-10"}, {"status", "blocked"}});
  const int64_t other = MustCreate("accounts", {{"name", "Other"}, {"group_id", "acc-9"}});
  MustCreate("milestones", {{"account_id", other}, {"name", "Not Acme"}, {"position", 1}});

  auto answer = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json& list = (*answer)["milestones"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["id"], m1);
  EXPECT_EQ(list[1]["id"], m2);
  EXPECT_EQ(list[2]["id"], m3);
  EXPECT_EQ(list[3]["id"], m4);
  EXPECT_EQ(list[0]["status"], "done");
  EXPECT_EQ(list[0]["done_on"], "2026-03-01");
  EXPECT_EQ(list[0]["owner"], "Han");
  EXPECT_EQ(list[2]["due_date"], "2026-03-19");
  EXPECT_EQ(list[0]["overdue"], false);
  EXPECT_EQ(list[1]["overdue"], false);
  EXPECT_EQ(list[2]["overdue"], true);
  EXPECT_EQ(list[3]["overdue"], true);
  const json& progress = (*answer)["milestone_progress"];
  EXPECT_EQ(progress["done"], 1);
  EXPECT_EQ(progress["total"], 4);
  EXPECT_DOUBLE_EQ(progress["progress"].get<double>(), 25.0);
  ASSERT_TRUE(progress["next"].is_object());
  EXPECT_EQ(progress["next"]["id"], m2);
  EXPECT_EQ(progress["next"]["name"], "Data");
}

// "Today" is the project zone's day: at 2026-03-19T23:30+08:00 (15:30 UTC, still the
// 19th in UTC too) a milestone due 03-19 is not overdue; at 2026-03-20T00:30+08:00
// (03-19 16:30 UTC — the 19th in UTC, the 20th in Shanghai) it is.
TEST_F(AccountMilestonesTest, OverdueUsesTheProjectDay) {
  MustCreate("milestones", {{"account_id", A}, {"name", "Review"}, {"position", 1}, {"due_date", "2026-03-19"}});
  now_ = "2026-03-19T23:30:00+08:00";
  auto before = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ((*before)["milestones"][0]["overdue"], false);
  now_ = "2026-03-20T00:30:00+08:00";
  auto after = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ((*after)["milestones"][0]["overdue"], true);
  EXPECT_EQ((*after)["milestone_progress"]["next"]["name"], "Review");
}

// All done → next is null, progress 100.
TEST_F(AccountMilestonesTest, AllDoneHasNoNext) {
  MustCreate("milestones", {{"account_id", A}, {"name", "One"}, {"position", 1}, {"status", "done"}});
  MustCreate("milestones", {{"account_id", A}, {"name", "Two"}, {"position", 2}, {"status", "done"}});
  auto answer = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["milestone_progress"],
            json::parse(R"({"done":2,"total":2,"progress":100.0,"next":null})"));
}

}  // namespace
}  // namespace tobops::ops
