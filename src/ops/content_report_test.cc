// The monthly content report on the world of ContentTest (ops/ops_test_world.h): month bounds in
// Asia/Shanghai, totals with distinct readers, groups, top target accounts, the export
// table and the HTML page.
#include "ops/content_report.h"

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

TEST(ContentMonth, BoundsAreLocalMonthsAndDefaultIsTheLastFullMonth) {
  const cctz::time_zone shanghai = *LoadTimeZone("Asia/Shanghai");
  auto nov = ParseContentMonth("2026-11", shanghai, 0);
  ASSERT_TRUE(nov.ok()) << nov.status().ToString();
  EXPECT_EQ(nov->from_ms, *ParseIso8601Ms("2026-11-01T00:00:00+08:00"));
  EXPECT_EQ(nov->to_ms, *ParseIso8601Ms("2026-12-01T00:00:00+08:00"));
  EXPECT_EQ(nov->from, "2026-11-01");
  EXPECT_EQ(nov->to, "2026-11-30");
  auto dec = ParseContentMonth("2026-12", shanghai, 0);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->to, "2026-12-31");
  EXPECT_EQ(dec->to_ms, *ParseIso8601Ms("2027-01-01T00:00:00+08:00"));
  // 30 Nov 23:00 UTC is already 1 Dec 07:00 in Shanghai: November is the last full month.
  EXPECT_EQ(ParseContentMonth("", shanghai, *ParseIso8601Ms("2026-11-30T23:00:00Z"))->name, "2026-11");
  // 30 Nov 15:00 UTC is 23:00 local, still November: the last full month is October.
  EXPECT_EQ(ParseContentMonth("", shanghai, *ParseIso8601Ms("2026-11-30T15:00:00Z"))->name, "2026-10");
  // January → December of the year before.
  EXPECT_EQ(ParseContentMonth("", shanghai, *ParseIso8601Ms("2027-01-15T00:00:00Z"))->name, "2026-12");
  for (const char* bad : {"2026-13", "2026-1", "2026-11x", "202611", "2026-00", "abcd-ef"}) {
    EXPECT_EQ(ParseContentMonth(bad, shanghai, 0).status().field(), "month") << bad;
  }
}

TEST_F(ContentTest, NovemberReportTotalsGroupsAndTopTargetAccounts) {
  BuildWorld();
  OpsContext ctx = Context();
  auto month = ParseContentMonth("2026-11", zone_, NowMs());
  ASSERT_TRUE(month.ok());
  auto report = BuildContentReport(ctx, *month);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const json& r = *report;
  EXPECT_EQ(r["month"], "2026-11");
  EXPECT_EQ(r["from"], "2026-11-01");
  EXPECT_EQ(r["to"], "2026-11-30");
  // C is published 1 Dec: left out. A pv 5 + B pv 2 = 7; readers u1, u2, u3 (A) ∪ u3, u4
  // (B) = 4 distinct; target readers u1, u2 (acc-k) ∪ u4 (acc-t) = 3; 2 target accounts;
  // shares 6 + 0; exposure 100 + 0; media reposts 2.
  const json& t = r["totals"];
  EXPECT_EQ(t["items"], 2);
  EXPECT_EQ(t["items_read"], 2);
  EXPECT_EQ(t["pv"], 7);
  EXPECT_EQ(t["uv"], 4);
  EXPECT_EQ(t["target_account_readers"], 3);
  EXPECT_EQ(t["target_accounts"], 2);
  EXPECT_EQ(t["shares"], 6);
  EXPECT_EQ(t["share_events"], 1);
  EXPECT_EQ(t["exposure"], 100);
  EXPECT_EQ(t["media_reposts"], 2);
  ASSERT_EQ(r["items"].size(), 2u);
  EXPECT_EQ(r["items"][0]["title"], "Case A");

  ASSERT_EQ(r["by_kind"].size(), 2u);
  EXPECT_EQ(r["by_kind"][0],
            json({{"kind", "case_study"}, {"items", 1}, {"pv", 5}, {"uv", 3}, {"target_account_readers", 2},
                  {"shares", 6}}));
  EXPECT_EQ(r["by_kind"][1]["kind"], "whitepaper");
  EXPECT_EQ(r["by_kind"][1]["uv"], 2);
  ASSERT_EQ(r["by_channel"].size(), 2u);
  EXPECT_EQ(r["by_channel"][0]["channel"], "wechat");
  EXPECT_EQ(r["by_channel"][1]["channel"], "site");

  // acc-k: readers u1, u2; reads e1, e2, e3 = 3; read A. acc-t: u4, e6, B.
  const json& top = r["top_target_accounts"];
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0]["account"], "acc-k");
  EXPECT_EQ(top[0]["name"], "Key Co");
  EXPECT_TRUE(top[0]["account_id"].is_number());
  EXPECT_EQ(top[0]["readers"], 2);
  EXPECT_EQ(top[0]["reads"], 3);
  EXPECT_EQ(top[0]["items"], json({"Case A"}));
  EXPECT_EQ(top[1]["account"], "acc-t");
  EXPECT_EQ(top[1]["name"], "T Co");
  EXPECT_TRUE(top[1]["account_id"].is_null());
  EXPECT_EQ(top[1]["readers"], 1);
  EXPECT_EQ(top[1]["reads"], 1);

  const exporting::Table table = ContentReportToTable(r);
  ASSERT_EQ(table.rows.size(), 3u);  // A, B, total
  EXPECT_EQ(table.columns[5], "pv");
  EXPECT_EQ(std::get<std::string>(table.rows[0][0]), "Case A");
  EXPECT_EQ(std::get<double>(table.rows[0][5]), 5);
  EXPECT_EQ(std::get<std::string>(table.rows[0][12]), "decision_maker 1; evaluator 1; unknown 1");
  EXPECT_EQ(std::get<std::string>(table.rows[2][0]), "合计 total");
  EXPECT_EQ(std::get<double>(table.rows[2][6]), 4);

  const std::string html = ContentReportHtml(r);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find("内容运营月报 2026-11"), std::string::npos);
  EXPECT_NE(html.find("客户案例"), std::string::npos);  // case_study in Chinese
  EXPECT_NE(html.find("Key Co"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(ContentReportHtml, EscapesValues) {
  json report = {{"month", "2026-11"},
                 {"items", json::array({{{"title", "<script>x</script> & co"}, {"pv", 1}, {"uv", 1},
                                         {"target_account_readers", 0}, {"shares", 0}}})}};
  const std::string html = ContentReportHtml(report);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt; &amp; co"), std::string::npos);
}

}  // namespace
}  // namespace tobops::ops
