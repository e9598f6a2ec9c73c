// The campaign post-mortem (ops/campaign_postmortem.h) and the measures map
// (ops/campaign_measures.h) over the campaign test world (CampaignWorldTest in ops/ops_test_world.h).
// Expected values worked out by hand in the comments.
#include "ops/campaign_postmortem.h"

#include <gtest/gtest.h>

#include "ops/campaign_measures.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using CampaignPostmortemTest = CampaignWorldTest;
using json = nlohmann::json;

TEST_F(CampaignPostmortemTest, ReachLeadsOutcomeAndRoi) {
  // Leads of K: L1 valid + answered, L2 valid, L3 invalid; one lead of K2 (not counted).
  MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1}, {"validity", "valid"},
                       {"first_response_at", "2026-03-01T11:30:00+08:00"}});
  MustCreate("leads", {{"name", "L2"}, {"campaign_id", K}, {"contact_id", c2}, {"validity", "valid"}});
  MustCreate("leads", {{"name", "L3"}, {"campaign_id", K}, {"validity", "invalid"}, {"invalid_reason", "student"}});
  MustCreate("leads", {{"name", "L4"}, {"campaign_id", K2}, {"validity", "valid"}});

  auto pm = BuildCampaignPostmortem(Context(), K);
  ASSERT_TRUE(pm.ok()) << pm.status().ToString();
  const json& p = *pm;
  EXPECT_EQ(p["campaign"]["name"], "Spring webinar");
  EXPECT_EQ(p["cost"]["budget"], 10000);
  EXPECT_EQ(p["cost"]["actual"], 8000);
  // People: attended m1 (Cid, no person: the member itself, evaluator from the contact)
  // + u1 (decision_maker, contact c1), u2 (user, contact c2), u3 (decision_maker,
  // identity trait); u4 before, u5 after the window, u6 a record change; m2 only
  // registered → 4 people, 2 decision makers.
  EXPECT_EQ(p["reached"]["people"], 4);
  EXPECT_EQ(p["decision_makers"], 2);
  EXPECT_EQ(p["by_role"], json::parse(R"([{"role":"decision_maker","people":2},{"role":"evaluator","people":1},
                                          {"role":"user","people":1}])"));
  // Accounts: C (m1) + acc-1, acc-2, acc-3 → 4. Levels: A key, B normal, C key, acc-3
  // key (group trait) → key 3, normal 1. Industries: manufacturing (A, C) 2, finance 1
  // (acc-3 trait), retail 1 (B).
  EXPECT_EQ(p["reached"]["accounts"], 4);
  EXPECT_EQ(p["by_level"], json::parse(R"([{"level":"key","accounts":3},{"level":"normal","accounts":1}])"));
  EXPECT_EQ(p["by_industry"], json::parse(R"([{"industry":"manufacturing","accounts":2},
      {"industry":"finance","accounts":1},{"industry":"retail","accounts":1}])"));
  // Leads 3: valid 2, invalid 1, followed up 1; 8000 / 2 = 4000 per valid lead; 1/3.
  EXPECT_EQ(p["leads"], json::parse(R"({"total":3,"valid":2,"invalid":1,"followed_up":1})"));
  EXPECT_DOUBLE_EQ(p["cost_per_valid_lead"].get<double>(), 4000.0);
  EXPECT_DOUBLE_EQ(p["follow_up_rate"].get<double>(), 1.0 / 3.0);
  // Reached account records A, B, C: O1 (50000 won) and O2 (20000) created after
  // 2026-03-01; O3 before; O4 of D (not reached) → 2 / 70000; deals 1 / 50000;
  // roi (50000 − 8000) / 8000 = 5.25.
  EXPECT_EQ(p["opportunities"]["count"], 2);
  EXPECT_DOUBLE_EQ(p["opportunities"]["amount"].get<double>(), 70000.0);
  EXPECT_EQ(p["deals"]["count"], 1);
  EXPECT_DOUBLE_EQ(p["deals"]["amount"].get<double>(), 50000.0);
  EXPECT_DOUBLE_EQ(p["roi"].get<double>(), 5.25);

  const exporting::Table table = PostmortemToTable(p);
  ASSERT_EQ(table.columns.size(), 3u);
  bool saw_roi = false;
  for (const auto& row : table.rows) {
    if (std::get<std::string>(row[0]) == "roi") {
      saw_roi = true;
      EXPECT_DOUBLE_EQ(std::get<double>(row[2]), 5.25);
    }
  }
  EXPECT_TRUE(saw_roi);
}

TEST_F(CampaignPostmortemTest, CampaignWithoutUtmOrCost) {
  // K2: no utm, no members, no cost, one valid lead without response.
  MustCreate("leads", {{"name", "L4"}, {"campaign_id", K2}, {"validity", "valid"}});
  auto pm = BuildCampaignPostmortem(Context(), K2);
  ASSERT_TRUE(pm.ok()) << pm.status().ToString();
  EXPECT_EQ((*pm)["reached"]["people"], 0);
  EXPECT_EQ((*pm)["reached"]["accounts"], 0);
  EXPECT_TRUE((*pm)["cost_per_valid_lead"].is_null());
  EXPECT_DOUBLE_EQ((*pm)["follow_up_rate"].get<double>(), 0.0);
  EXPECT_TRUE((*pm)["roi"].is_null());
  EXPECT_EQ((*pm)["opportunities"]["count"], 0);
  EXPECT_EQ(BuildCampaignPostmortem(Context(), 9999).status().code(), StatusCode::kNotFound);
}

TEST_F(CampaignPostmortemTest, MeasuresMap) {
  auto map = BuildMeasuresMap(Context());
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  const json& items = (*map)["items"];
  ASSERT_EQ(items.size(), 4u);  // K, K2, I1, I2
  // K: events u1, u2, u3 + attended m1 → reach 4; accounts acc-1, acc-2, acc-3 and C → 4;
  // first 03-01 10:00, last 03-10 10:00 → 9 days; 3 events.
  EXPECT_EQ(items[0]["kind"], "campaign");
  EXPECT_EQ(items[0]["id"], K);
  EXPECT_EQ(items[0]["type"], "webinar");
  EXPECT_EQ(items[0]["reach"], 4);
  EXPECT_EQ(items[0]["accounts"], 4);
  EXPECT_EQ(items[0]["influence_days"], 9);
  EXPECT_EQ(items[0]["events"], 3);
  // K2: nothing attributed.
  EXPECT_EQ(items[1]["id"], K2);
  EXPECT_EQ(items[1]["reach"], 0);
  EXPECT_EQ(items[1]["influence_days"], 0);
  EXPECT_TRUE(items[1]["first_at"].is_null());
  // I1 (cs-1): u2 03-05 10:00 (acc-2), u1 03-08 16:00 (acc-1) → reach 2, accounts 2,
  // 3 days 6 hours → 3 whole days.
  EXPECT_EQ(items[2]["kind"], "content");
  EXPECT_EQ(items[2]["id"], I1);
  EXPECT_EQ(items[2]["name"], "Case one");
  EXPECT_EQ(items[2]["type"], "case_study");
  EXPECT_EQ(items[2]["reach"], 2);
  EXPECT_EQ(items[2]["accounts"], 2);
  EXPECT_EQ(items[2]["influence_days"], 3);
  EXPECT_EQ(items[3]["id"], I2);
  EXPECT_EQ(items[3]["reach"], 0);
}

}  // namespace
}  // namespace tobops::ops
