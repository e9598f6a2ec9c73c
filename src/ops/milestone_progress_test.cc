// Account milestones (ops/milestone_progress.h), hand-checked.
// Zone Asia/Shanghai (+08:00), now = 2026-03-20T12:00+08:00 (today 2026-03-20).
// Accounts A1 Acme, A2 Beta, A4 Delta (no milestones).
#include <gtest/gtest.h>

#include "ops/milestone_progress.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class MilestoneTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-03-20T12:00:00+08:00";
    A1 = MustCreate("accounts", {{"name", "Acme"}});
    A2 = MustCreate("accounts", {{"name", "Beta"}});
    A4 = MustCreate("accounts", {{"name", "Delta"}});
  }

  int64_t A1 = 0, A2 = 0, A4 = 0;
};

TEST_F(MilestoneTest, MilestonesInOrderWithProgress) {
  // Positions 2, 1, none, 3 created out of order; M1 done; M2 due yesterday (overdue);
  // M3 due today (not overdue); M4 without position last.
  const int64_t M2 = MustCreate("milestones", {{"account_id", A1}, {"name", "Training"}, {"position", 2},
                                               {"due_date", "2026-03-19"}, {"status", "in_progress"}});
  const int64_t M1 = MustCreate("milestones", {{"account_id", A1}, {"name", "Kick-off"}, {"position", 1},
                                               {"due_date", "2026-03-01"}, {"done_on", "2026-03-02"}, {"status", "done"}});
  const int64_t M4 = MustCreate("milestones", {{"account_id", A1}, {"name", "Review"}});
  const int64_t M3 = MustCreate("milestones", {{"account_id", A1}, {"name", "Go live"}, {"position", 3},
                                               {"due_date", "2026-03-20"}});
  auto answer = AccountMilestones(Context(), A1);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json& ms = (*answer)["milestones"];
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0]["id"], M1);
  EXPECT_EQ(ms[1]["id"], M2);
  EXPECT_EQ(ms[2]["id"], M3);
  EXPECT_EQ(ms[3]["id"], M4);
  EXPECT_EQ(ms[0]["overdue"], false);  // done
  EXPECT_EQ(ms[1]["overdue"], true);   // 03-19 < today
  EXPECT_EQ(ms[2]["overdue"], false);  // due today
  EXPECT_EQ((*answer)["total"], 4);
  EXPECT_EQ((*answer)["done"], 1);
  EXPECT_EQ((*answer)["progress"], 25.0);  // 1 / 4
  EXPECT_EQ((*answer)["next"]["id"], M2);
  EXPECT_EQ((*answer)["account_name"], "Acme");

  // 1 of 3 → 33.3 (one decimal).
  MustCreate("milestones", {{"account_id", A2}, {"name", "a"}, {"status", "done"}});
  MustCreate("milestones", {{"account_id", A2}, {"name", "b"}});
  MustCreate("milestones", {{"account_id", A2}, {"name", "c"}});
  EXPECT_EQ((*AccountMilestones(Context(), A2))["progress"], 33.3);

  auto empty = AccountMilestones(Context(), A4);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)["progress"], 0.0);
  EXPECT_TRUE((*empty)["next"].is_null());
  EXPECT_EQ(AccountMilestones(Context(), 99999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
