// Lead scoring (ops/lead_scoring.h) over the campaign test world
// (CampaignWorldTest in ops/ops_test_world.h). Expected values worked out by hand in the comments.
#include "ops/lead_scoring.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using LeadScoringTest = CampaignWorldTest;
using json = nlohmann::json;

TEST_F(LeadScoringTest, FitAndBehaviourExplainedAndStored) {
  // Created 2026-03-01T09:00 (the world's clock).
  const int64_t L1 = MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1},
                                          {"first_response_at", "2026-03-01T11:30:00+08:00"}});
  const int64_t L2 = MustCreate("leads", {{"name", "L2"}, {"campaign_id", K}, {"contact_id", c2}});
  const int64_t L3 = MustCreate("leads", {{"name", "L3"}, {"account_id", C}});

  // L1: Ann (u1) of Acme, campaign K targets manufacturing / decision_maker.
  //  fit: industry manufacturing 25 + size 1000+ 15 + role decision_maker 20 = 60;
  //  behaviour (from 2026-03-12T00:00): u1 feature_used ×3 → 3 × 4 = 12 (the identify
  //  of 04-05 is not activity; the 03-01 and 03-08 events are older); other people
  //  of acc-1: u7 ×2 → 2 (u4's event of 02-20 is older). 60 + 14 = 74.
  //  first response 09:00 → 11:30 = 2.5 hours.
  auto e1 = ExplainLeadScore(Context(), L1);
  ASSERT_TRUE(e1.ok()) << e1.status().ToString();
  EXPECT_EQ((*e1)["score"], 74);
  EXPECT_EQ((*e1)["targets_from"], "campaign");
  EXPECT_EQ((*e1)["fit"]["points"], 60);
  EXPECT_EQ((*e1)["fit"]["industry"]["points"], 25);
  EXPECT_EQ((*e1)["fit"]["industry"]["matched"], true);
  EXPECT_EQ((*e1)["fit"]["size"]["points"], 15);
  EXPECT_EQ((*e1)["fit"]["size"]["employees"], 1000);
  EXPECT_EQ((*e1)["fit"]["role"]["points"], 20);
  EXPECT_EQ((*e1)["behaviour"]["points"], 14);
  EXPECT_EQ((*e1)["behaviour"]["person"]["events"], 3);
  EXPECT_EQ((*e1)["behaviour"]["person"]["points"], 12);
  EXPECT_EQ((*e1)["behaviour"]["account"]["events"], 2);
  EXPECT_EQ((*e1)["behaviour"]["account"]["points"], 2);
  EXPECT_DOUBLE_EQ((*e1)["first_response_hours"].get<double>(), 2.5);

  // L2: Bob (u2) of Beta (retail, 51-200, user), campaign K: industry 0, size 5, role 0;
  // u2's events are all before 03-12 → 5. Not answered.
  auto e2 = ExplainLeadScore(Context(), L2);
  ASSERT_TRUE(e2.ok());
  EXPECT_EQ((*e2)["score"], 5);
  EXPECT_EQ((*e2)["fit"]["size"]["points"], 5);
  EXPECT_EQ((*e2)["behaviour"]["points"], 0);
  EXPECT_TRUE((*e2)["first_response_hours"].is_null());

  // L3: account Gamma only, no campaign → the project's targets: industries
  // {manufacturing (K), retail (K2)}, roles {decision_maker}: industry 25, size
  // (employees 300) 10, no contact → role 0; no events of record-account-C → 35.
  auto e3 = ExplainLeadScore(Context(), L3);
  ASSERT_TRUE(e3.ok());
  EXPECT_EQ((*e3)["score"], 35);
  EXPECT_EQ((*e3)["targets_from"], "project");
  EXPECT_EQ((*e3)["fit"]["industry"]["targets"], json({"manufacturing", "retail"}));
  EXPECT_EQ((*e3)["fit"]["size"]["points"], 10);

  // Recompute all and store; the records read back with the scores.
  auto scored = RecomputeLeadScores(Context(), {});
  ASSERT_TRUE(scored.ok()) << scored.status().ToString();
  EXPECT_EQ((*scored)["scored"], 3);
  EXPECT_EQ((*Store("leads").Get("p1", L1))["score"], 74);
  EXPECT_EQ((*Store("leads").Get("p1", L2))["score"], 5);
  EXPECT_EQ((*Store("leads").Get("p1", L3))["score"], 35);

  // One lead: after Ann's contact changes role, only L1 is rescored: 74 − 20 = 54.
  ASSERT_TRUE(Store("contacts").Update("p1", c1, {{"role", "user"}}).ok());
  auto one = RecomputeLeadScores(Context(), {L1});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)["leads"], json::parse(R"([{"id":)" + std::to_string(L1) + R"(,"score":54}])"));
  EXPECT_EQ((*Store("leads").Get("p1", L1))["score"], 54);
  EXPECT_EQ(RecomputeLeadScores(Context(), {9999}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ExplainLeadScore(Context(), 9999).status().code(), StatusCode::kNotFound);
}

TEST_F(LeadScoringTest, BehaviourIsCapped) {
  // 8 more u1 events on 04-06: 11 person events → 44, capped at 28; 60 + 28 + 2 = 90.
  std::vector<std::string> messages;
  for (int i = 0; i < 8; ++i) {
    messages.push_back(Track("u1", "x", "2026-04-06T10:0" + std::to_string(i) + ":00+08:00", "{}", InGroup("acc-1")));
  }
  Ingest(messages);
  const int64_t L = MustCreate("leads", {{"name", "L"}, {"campaign_id", K}, {"contact_id", c1}});
  auto e = ExplainLeadScore(Context(), L);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)["behaviour"]["person"]["events"], 11);
  EXPECT_EQ((*e)["behaviour"]["person"]["points"], 28);
  EXPECT_EQ((*e)["score"], 90);
}

}  // namespace
}  // namespace tobops::ops
