#include "ops/decision_chain.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using DecisionChainTest = SalesViewsTest;

// Hand-worked from the world (SalesViewsTest in ops_test_world.h), days 30 → window from
// 2026-02-19 00:00 +08:00 to now (2026-03-20 12:00):
//   user:           no stakeholder or attendee; Ann (u1) active 03-18, 03-19  → active_only, 1 person
//   evaluator:      stakeholder S1 (Bob); Bob's last event 01-10             → met
//   budget_holder:  only an attendee of the *planned* visit V2 (not held)    → missing
//   decision_maker: Cat attended held visit V (role from her contact); u3 active → engaged
//   signer:         Dan attends only the planned V2; u4 has only an identify call → missing
TEST_F(DecisionChainTest, OneMetOneActiveOnlyOneEngagedTwoMissing) {
  auto answer = DecisionChain(Context(), O, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json& roles = (*answer)["roles"];
  ASSERT_EQ(roles.size(), 5u);
  const char* expected[][2] = {{"user", "active_only"},
                               {"evaluator", "met"},
                               {"budget_holder", "missing"},
                               {"decision_maker", "engaged"},
                               {"signer", "missing"}};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(roles[i]["role"], expected[i][0]);
    EXPECT_EQ(roles[i]["status"], expected[i][1]) << expected[i][0];
  }
  EXPECT_EQ(roles[0]["active_people"], 1);
  EXPECT_EQ(roles[0]["met"], false);
  EXPECT_EQ(roles[1]["active_people"], 0);
  EXPECT_EQ(roles[1]["met"], true);
  EXPECT_EQ(roles[3]["active"], true);
  EXPECT_EQ(roles[3]["active_people"], 1);
  EXPECT_EQ(roles[4]["active_people"], 0);
  EXPECT_EQ((*answer)["missing"], json({"budget_holder", "signer"}));

  // The evaluator's stakeholder, as listed.
  ASSERT_EQ(roles[1]["stakeholders"].size(), 1u);
  const json& s = roles[1]["stakeholders"][0];
  EXPECT_EQ(s["id"], S1);
  EXPECT_EQ(s["contact_id"], c2);
  EXPECT_EQ(s["contact_name"], "Bob");
  EXPECT_EQ(s["stance"], "supporter");
  EXPECT_EQ(s["engagement"], "high");
  EXPECT_TRUE(roles[0]["stakeholders"].empty());

  // Steps from decision_notes, lists defaulting to empty.
  EXPECT_EQ((*answer)["steps"],
            json::parse(R"([{"step":"evaluation","drivers":["cost"],"frictions":["security review","timing"]},
                            {"step":"approval","drivers":[],"frictions":[]}])"));
  EXPECT_EQ((*answer)["opportunity"]["name"], "Acme rollout");
}

// A 1-day window (today 03-20 only): nobody was active today, so user drops to missing
// and decision_maker to met.
TEST_F(DecisionChainTest, WindowDecidesActivity) {
  auto answer = DecisionChain(Context(), O, 1);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["roles"][0]["status"], "missing");
  EXPECT_EQ((*answer)["roles"][3]["status"], "met");
  EXPECT_EQ((*answer)["missing"], json({"user", "budget_holder", "signer"}));
}

// Activity read from columnar segments instead of the memtable: the same statuses.
TEST_F(DecisionChainTest, SameMapFromSegments) {
  ASSERT_TRUE(project_.store().Flush().ok());
  auto answer = DecisionChain(Context(), O, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  std::vector<std::string> statuses;
  for (const auto& r : (*answer)["roles"]) statuses.push_back(r["status"]);
  EXPECT_EQ(statuses, (std::vector<std::string>{"active_only", "met", "missing", "engaged", "missing"}));
}

TEST_F(DecisionChainTest, Errors) {
  auto bad_days = DecisionChain(Context(), O, 0);
  ASSERT_FALSE(bad_days.ok());
  EXPECT_EQ(bad_days.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_days.status().field(), "days");
  EXPECT_EQ(DecisionChain(Context(), O, 3651).status().field(), "days");
  EXPECT_EQ(DecisionChain(Context(), 9999, 30).status().code(), StatusCode::kNotFound);
  // An opportunity of another project is unknown here.
  const int64_t other_account = MustCreate("accounts", {{"name", "Other"}}, "p2");
  const int64_t other = MustCreate("opportunities", {{"account_id", other_account}, {"name", "X"}, {"stage", "lead"}}, "p2");
  EXPECT_EQ(DecisionChain(Context(), other, 30).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
