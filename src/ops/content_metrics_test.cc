// Content metrics on the small world of ContentTest (ops/ops_test_world.h): PV, UV, target-account
// readers and readers by role, hand-counted per item; the day window in Asia/Shanghai.
#include "ops/content_metrics.h"

#include "ops/content_cases.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

TEST_F(ContentTest, WindowIsWholeLocalDaysWithDefaultsAndFieldErrors) {
  OpsContext ctx = Context();  // now = 2 Dec 2026 12:00 +08:00
  auto w = ParseContentWindow(ctx, "2026-11-01", "2026-11-30");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->from_ms, *ParseIso8601Ms("2026-11-01T00:00:00+08:00"));
  EXPECT_EQ(w->to_ms, *ParseIso8601Ms("2026-12-01T00:00:00+08:00"));
  // Default: today (2 Dec) and the 29 days before it → 3 Nov .. 2 Dec.
  auto d = ParseContentWindow(ctx, "", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->from, "2026-11-03");
  EXPECT_EQ(d->to, "2026-12-02");
  EXPECT_EQ(d->to_ms, *ParseIso8601Ms("2026-12-03T00:00:00+08:00"));
  EXPECT_EQ(ParseContentWindow(ctx, "2026-11", "").status().field(), "from");
  EXPECT_EQ(ParseContentWindow(ctx, "", "x").status().field(), "to");
  EXPECT_EQ(ParseContentWindow(ctx, "2026-11-05", "2026-11-04").status().field(), "from");
}

TEST_F(ContentTest, CountsReadsReadersTargetAccountsAndRolesInNovember) {
  BuildWorld();
  OpsContext ctx = Context();
  auto w = ParseContentWindow(ctx, "2026-11-01", "2026-11-30");
  ASSERT_TRUE(w.ok());
  auto answer = BuildContentMetrics(ctx, *w);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json& items = (*answer)["items"];
  ASSERT_EQ(items.size(), 3u);
  // A: e1, e2, e3, e4, e10 → pv 5 (e9 is a track event, e7 a share, e8/e12 outside);
  // readers u1, u2, u3 → uv 3; u1 and u2 in acc-k (key by record) → 2 target readers,
  // 1 target account; roles: u1 decision_maker, u2 evaluator (contact beats the "user"
  // trait), u3 unknown; shares = 5 recorded + 1 event (e7) = 6.
  const json* a = ItemById(items, a_);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ((*a)["pv"], 5);
  EXPECT_EQ((*a)["uv"], 3);
  EXPECT_EQ((*a)["target_account_readers"], 2);
  EXPECT_EQ((*a)["target_accounts"], 1);
  EXPECT_EQ((*a)["readers_by_role"], json({{"decision_maker", 1}, {"evaluator", 1}, {"unknown", 1}}));
  EXPECT_EQ((*a)["shares"], 6);
  EXPECT_EQ((*a)["recorded_shares"], 5);
  EXPECT_EQ((*a)["share_events"], 1);
  EXPECT_EQ((*a)["title"], "Case A");
  // B: e5 (u3 @acc-n), e6 (u4 @acc-t, key by trait; 23:59:59 on the last day) → pv 2,
  // uv 2, 1 target reader; roles unknown 1, signer 1; no shares.
  const json* b = ItemById(items, b_);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["pv"], 2);
  EXPECT_EQ((*b)["uv"], 2);
  EXPECT_EQ((*b)["target_account_readers"], 1);
  EXPECT_EQ((*b)["readers_by_role"], json({{"signer", 1}, {"unknown", 1}}));
  EXPECT_EQ((*b)["shares"], 0);
  // C: e11 (u1 @acc-k) → pv 1, uv 1, target 1.
  const json* c = ItemById(items, c_);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ((*c)["pv"], 1);
  EXPECT_EQ((*c)["target_account_readers"], 1);
  // Ordered by pv: A (5), B (2), C (1).
  EXPECT_EQ(items[0]["id"], a_);
  EXPECT_EQ(items[1]["id"], b_);
}

TEST_F(ContentTest, LocalDayBoundsDecideWhichReadsCount) {
  BuildWorld();
  OpsContext ctx = Context();
  // 1 Dec local includes e8 (30 Nov 23:00 UTC): A has e1..e4, e10 + e8 = 6 reads.
  auto w = ParseContentWindow(ctx, "2026-11-01", "2026-12-01");
  ASSERT_TRUE(w.ok());
  auto answer = BuildContentMetrics(ctx, *w);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ((*ItemById((*answer)["items"], a_))["pv"], 6);
  // 31 Oct local alone holds only e12 (e1 at 1 Nov 00:00 local is already the next day).
  auto oct = ParseContentWindow(ctx, "2026-10-31", "2026-10-31");
  ASSERT_TRUE(oct.ok());
  auto last = BuildContentMetrics(ctx, *oct);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*ItemById((*last)["items"], a_))["pv"], 1);
  EXPECT_EQ((*ItemById((*last)["items"], a_))["readers_by_role"], json({{"decision_maker", 1}}));
}

TEST_F(ContentTest, CaseLibraryGroupsCaseStudiesByIndustryWithAllTimeReads) {
  BuildWorld();
  OpsContext ctx = Context();
  auto all = BuildCaseLibrary(ctx, {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  // Case studies only (B is a whitepaper); industries by name: finance, manufacturing.
  const json& industries = (*all)["industries"];
  ASSERT_EQ(industries.size(), 2u);
  EXPECT_EQ(industries[0]["industry"], "finance");
  EXPECT_EQ(industries[1]["industry"], "manufacturing");
  // All history up to now: A has e1, e2, e3, e4, e10, e8, e12 = 7 reads by u1, u2, u3.
  ASSERT_EQ(industries[1]["items"].size(), 1u);
  EXPECT_EQ(industries[1]["items"][0]["pv"], 7);
  EXPECT_EQ(industries[1]["items"][0]["uv"], 3);
  EXPECT_EQ(industries[0]["items"][0]["pv"], 1);  // C: e11

  CaseLibraryOptions only;
  only.industry = "finance";
  auto finance = BuildCaseLibrary(ctx, only);
  ASSERT_TRUE(finance.ok());
  EXPECT_EQ((*finance)["industry"], "finance");
  ASSERT_EQ((*finance)["industries"].size(), 1u);
  EXPECT_EQ((*finance)["industries"][0]["items"][0]["title"], "Case C");
}

}  // namespace
}  // namespace tobops::ops
