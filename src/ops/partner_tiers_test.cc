// Tests of ops/partner_tiers.h: tier thresholds, next tier and progress, and the
// ranking over a hand-made ledger with entries inside and outside the 12 months.
#include "ops/partner_tiers.h"

#include <gtest/gtest.h>

#include "ops/partner_points.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

TEST(PartnerTiers, Thresholds) {
  struct Case {
    int64_t points;
    const char* tier;
    const char* next;  // nullptr: platinum
    int64_t to_go;
    double progress;
  };
  // progress = (points − floor) / (next floor − floor), in % with one decimal:
  // 499 → 499/500 = 99.8; 1250 → 750/1500 = 50.0; 2500 → 500/3000 = 16.7; 4999 → 2999/3000 = 99.97 → 100.0.
  const Case cases[] = {{0, "bronze", "silver", 500, 0.0},      {-20, "bronze", "silver", 500, 0.0},
                        {499, "bronze", "silver", 1, 99.8},     {500, "silver", "gold", 1500, 0.0},
                        {1250, "silver", "gold", 750, 50.0},    {2000, "gold", "platinum", 3000, 0.0},
                        {2500, "gold", "platinum", 2500, 16.7}, {4999, "gold", "platinum", 1, 100.0},
                        {5000, "platinum", nullptr, 0, 100.0},  {90000, "platinum", nullptr, 0, 100.0}};
  for (const Case& c : cases) {
    const TierStanding s = TierFor(c.points);
    EXPECT_EQ(s.tier, c.tier) << c.points;
    if (c.next == nullptr) {
      EXPECT_FALSE(s.next.has_value()) << c.points;
    } else {
      ASSERT_TRUE(s.next.has_value()) << c.points;
      EXPECT_EQ(*s.next, c.next) << c.points;
    }
    EXPECT_EQ(s.points_to_next, c.to_go) << c.points;
    EXPECT_DOUBLE_EQ(s.progress, c.progress) << c.points;
  }
}

class PartnerRankingTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    InstallPartnerPointsHooks(*catalog_);
  }
  static constexpr int64_t kDay = 24LL * 3600 * 1000;
  // Creates an entry dated `days_ago` before the test's now (the catalog clock).
  void Entry(int64_t partner, const char* kind, int64_t points, int64_t days_ago) {
    const int64_t now = *clock_.now;
    *clock_.now = now - days_ago * kDay;
    MustCreate("point_entries", {{"partner_id", partner}, {"kind", kind}, {"points", points}});
    *clock_.now = now;
  }
};

TEST_F(PartnerRankingTest, RanksByTwelveMonthPoints) {
  const int64_t alpha = MustCreate("partners", {{"name", "Alpha"}, {"certification", "gold"}, {"region", "East"}});
  const int64_t beta = MustCreate("partners", {{"name", "Beta"}});
  const int64_t charlie = MustCreate("partners", {{"name", "Charlie"}});
  const int64_t delta = MustCreate("partners", {{"name", "Delta"}});
  (void)delta;  // no entries
  // Alpha: quote 400 at 400 days ago (outside the 365-day window), reward 600 at 10 days,
  // penalty −100 at 5 days, redemption −300 at 1 day (balance then 900, fine).
  //   earned_12m 600, penalties_12m 100, points 500 → silver, 1500 to gold, progress 0;
  //   balance 400 + 600 − 100 − 300 = 600.
  Entry(alpha, "quote", 400, 400);
  Entry(alpha, "reward", 600, 10);
  Entry(alpha, "penalty", -100, 5);
  Entry(alpha, "redemption", -300, 1);
  // Beta: presales 2500 at 30 days → gold, 2500 to platinum, progress 500/3000 = 16.7.
  Entry(beta, "presales", 2500, 30);
  // Charlie: quote 500 today → silver, ties with Alpha (500): both rank 2, by name.
  Entry(charlie, "quote", 500, 0);
  // Delta: nothing → bronze, 500 to silver, rank 4.

  OpsContext ctx = Context();
  ctx.now_ms = *clock_.now;
  auto ranking = BuildPartnerRanking(ctx);
  ASSERT_TRUE(ranking.ok()) << ranking.status().ToString();
  const json& items = (*ranking)["items"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]["name"], "Beta");
  EXPECT_EQ(items[0]["rank"], 1);
  EXPECT_EQ(items[0]["tier"], "gold");
  EXPECT_EQ(items[0]["next_tier"], "platinum");
  EXPECT_EQ(items[0]["points_to_next"], 2500);
  EXPECT_DOUBLE_EQ(items[0]["progress"].get<double>(), 16.7);

  EXPECT_EQ(items[1]["name"], "Alpha");
  EXPECT_EQ(items[1]["rank"], 2);
  EXPECT_EQ(items[1]["earned_12m"], 600);
  EXPECT_EQ(items[1]["penalties_12m"], 100);
  EXPECT_EQ(items[1]["points_12m"], 500);
  EXPECT_EQ(items[1]["balance"], 600);
  EXPECT_EQ(items[1]["tier"], "silver");
  EXPECT_EQ(items[1]["points_to_next"], 1500);
  EXPECT_EQ(items[1]["certification"], "gold");  // shown beside, not the tier
  EXPECT_EQ(items[1]["region"], "East");

  EXPECT_EQ(items[2]["name"], "Charlie");
  EXPECT_EQ(items[2]["rank"], 2);
  EXPECT_EQ(items[2]["tier"], "silver");

  EXPECT_EQ(items[3]["name"], "Delta");
  EXPECT_EQ(items[3]["rank"], 4);
  EXPECT_EQ(items[3]["tier"], "bronze");
  EXPECT_EQ(items[3]["points_to_next"], 500);
  EXPECT_EQ(items[3]["balance"], 0);

  ASSERT_EQ((*ranking)["tiers"].size(), 4u);
  EXPECT_EQ((*ranking)["tiers"][2]["min"], 2000);
  const auto table = RankingToTable(*ranking);
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(std::get<std::string>(table.rows[0][2]), "Beta");
  EXPECT_EQ(std::get<double>(table.rows[1][0]), 2.0);  // rank
}

}  // namespace
}  // namespace tobops::ops
