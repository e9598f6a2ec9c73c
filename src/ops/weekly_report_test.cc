// ISO weeks, and the weekly report on a small event set spanning two weeks in
// Asia/Shanghai, with events on both sides of the week boundary Monday 00:00 local
// (Sunday 16:00 UTC, so a UTC week would put both on the same side).
#include "ops/weekly_report.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ops/iso_week.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

TEST(IsoWeek, ParsesFormatsAndFindsMondays) {
  auto w47 = ParseIsoWeek("2026-W47");
  ASSERT_TRUE(w47.ok());
  EXPECT_EQ(MondayOf(*w47), cctz::civil_day(2026, 11, 16));
  EXPECT_EQ(FormatIsoWeek(*w47), "2026-W47");
  EXPECT_EQ(FormatIsoWeek(PreviousWeek(*w47)), "2026-W46");
  // 2026 starts on a Thursday, so it has 53 weeks and 1 Jan 2027 (a Friday) is in its last.
  EXPECT_EQ(FormatIsoWeek(IsoWeekOf(cctz::civil_day(2027, 1, 1))), "2026-W53");
  // Monday 30 Dec 2024 belongs to 2025's week 1 (its Thursday is 2 Jan 2025).
  EXPECT_EQ(FormatIsoWeek(IsoWeekOf(cctz::civil_day(2024, 12, 30))), "2025-W01");
  EXPECT_EQ(FormatIsoWeek(PreviousWeek(*ParseIsoWeek("2027-W01"))), "2026-W53");
  // 2025 starts on a Wednesday and is not a leap year: 52 weeks.
  EXPECT_EQ(ParseIsoWeek("2025-W53").status().field(), "week");
  EXPECT_EQ(ParseIsoWeek("2026-47").status().field(), "week");
  EXPECT_EQ(ParseIsoWeek("2026-W47x").status().field(), "week");

  const cctz::time_zone shanghai = *LoadTimeZone("Asia/Shanghai");
  const WeekBounds b = BoundsOf(*w47, shanghai);
  EXPECT_EQ(b.from_ms, *ParseIso8601Ms("2026-11-16T00:00:00+08:00"));
  EXPECT_EQ(b.to_ms, *ParseIso8601Ms("2026-11-23T00:00:00+08:00"));
  // Sunday 17:00 UTC is already Monday 01:00 in Shanghai, so W48 is complete; two hours
  // earlier it is still Sunday there and the last full week is W47.
  EXPECT_EQ(FormatIsoWeek(LastFullWeek(*ParseIso8601Ms("2026-11-29T17:00:00Z"), shanghai)),
            "2026-W48");
  EXPECT_EQ(FormatIsoWeek(LastFullWeek(*ParseIso8601Ms("2026-11-29T15:00:00Z"), shanghai)),
            "2026-W47");
}

class WeeklyReportTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-11-25T12:00:00+08:00";
  }

  // A group call with traits name (= the group id), owner and industry.
  static std::string Group(const std::string& user, const std::string& group,
                           const std::string& owner, const std::string& industry,
                           const std::string& at) {
    return GroupCall(user, group,
                     R"({"name":")" + group + R"(","owner":")" + owner + R"(","industry":")" + industry + R"("})",
                     at);
  }
};

// The world: W46 = 9–15 Nov, W47 = 16–22 Nov 2026 (+08:00); now is Wed 25 Nov.
//   acc-dead (zhao*, energy)  u9 signer     seen 1 Sep only ($group: no activity)
//   acc-old  (li, retail)     u0 user       seen 1 Nov; trial 10 Nov; opportunity 1
//   acc-a    (li, retail)     u1 user       first event Sun 15 Nov 23:59:59 (W46); trial 16 Nov
//   acc-b    (wang, finance)  u2 decision_maker  first event Mon 16 Nov 00:00:00 (W47); opportunity
//   2 acc-c    (wang, retail)   u3 evaluator  first event 18 Nov; trial Mon 23 Nov 00:00 (W48)
// *acc-dead's account record says owner "zhao" while its trait says "nobody": the record wins.

TEST_F(WeeklyReportTest, CountsTwoWeeksAcrossTheLocalMondayBoundary) {
  MustCreate(
      "accounts",
      {{"name", "Dead Co"}, {"group_id", "acc-dead"}, {"owner", "zhao"}, {"industry", "energy"}});
  Ingest({
      Person("u9", "signer", "2026-09-01T10:00:00+08:00"),
      Group("u9", "acc-dead", "nobody", "energy", "2026-09-01T10:00:00+08:00"),
      Person("u0", "user", "2026-11-01T10:00:00+08:00"),
      Group("u0", "acc-old", "li", "retail", "2026-11-01T10:00:00+08:00"),
      // W46
      Track("u0", "trial_started", "2026-11-10T10:00:00+08:00"),
      Track("u0", "opportunity_created", "2026-11-11T10:00:00+08:00",
            R"({"record_id":1,"amount":1000})"),
      Track("u0", "opportunity_stage_changed", "2026-11-12T10:00:00+08:00",
            R"({"record_id":1,"amount":1000,"to_stage":"qualified"})"),
      Person("u1", "user", "2026-11-15T23:59:59+08:00"),
      Group("u1", "acc-a", "li", "retail", "2026-11-15T23:59:59+08:00"),
      // W47
      Person("u2", "decision_maker", "2026-11-16T00:00:00+08:00"),
      Group("u2", "acc-b", "wang", "finance", "2026-11-16T00:00:00+08:00"),
      Track("u1", "trial_started", "2026-11-16T09:00:00+08:00"),
      Track("u2", "trial_started", "2026-11-17T09:00:00+08:00"),
      Track("u2", "trial_started", "2026-11-19T09:00:00+08:00"),  // the same account: counted once
      Track("u2", "opportunity_created", "2026-11-17T10:00:00+08:00",
            R"({"record_id":2,"amount":5000})"),
      Track("u2", "opportunity_stage_changed", "2026-11-18T10:00:00+08:00",
            R"({"record_id":2,"amount":5000,"to_stage":"solution"})"),
      Track("u2", "opportunity_stage_changed", "2026-11-19T10:00:00+08:00",
            R"({"record_id":2,"amount":6000,"to_stage":"negotiation"})"),
      Track("u0", "opportunity_stage_changed", "2026-11-20T10:00:00+08:00",
            R"({"record_id":1,"amount":1200,"to_stage":"won"})"),
      Track("u0", "deal_won", "2026-11-20T10:00:00+08:00", R"({"record_id":1,"amount":1200})"),
      Person("u3", "evaluator", "2026-11-18T10:00:00+08:00"),
      Group("u3", "acc-c", "wang", "retail", "2026-11-18T10:00:00+08:00"),
      // W48: after the reported week
      Track("u3", "trial_started", "2026-11-23T00:00:00+08:00"),
  });

  WeeklyReportOptions options;  // default week: the last full one before Wed 25 Nov = W47
  // Below 1 means score 0: no activity in the 30 days up to the end of the week.
  options.at_risk_below = 1;
  auto report = BuildWeeklyReport(Context(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const json& r = *report;
  EXPECT_EQ(r["week"], "2026-W47");
  EXPECT_EQ(r["from"], "2026-11-16T00:00:00.000+08:00");
  EXPECT_EQ(r["to"], "2026-11-23T00:00:00.000+08:00");
  EXPECT_EQ(r["previous"]["week"], "2026-W46");
  EXPECT_EQ(r["previous"]["from"], "2026-11-09T00:00:00.000+08:00");

  // key → {this, last, change}, worked by hand from the world above:
  //  new accounts: W47 acc-b, acc-c = 2; W46 acc-a = 1 → +100%
  //  trials: W47 acc-a, acc-b = 2 (acc-c's is in W48); W46 acc-old = 1
  //  opportunities created: 1 and 1 → 0
  //  stage conversions: W47 solution, negotiation, won = 3; W46 qualified = 1 → +200%
  //  pipeline moved: W47 opp 2 at its latest amount 6000 + opp 1 1200 = 7200; W46 1000 → +620%
  //  deals won 1 / 0 and won amount 1200 / 0: change null (nothing last week)
  //  at risk (score 0): W47 acc-dead, acc-c (only a $group call); W46 acc-dead, acc-a
  //  (acc-b and acc-c did not exist yet at the end of W46)
  const std::vector<std::tuple<std::string, double, double, json>> expected = {
      {"new_accounts", 2, 1, 1.0},
      {"trials", 2, 1, 1.0},
      {"opportunities_created", 1, 1, 0.0},
      {"stage_conversions", 3, 1, 2.0},
      {"pipeline_moved_amount", 7200, 1000, 6.2},
      {"deals_won", 1, 0, nullptr},
      {"won_amount", 1200, 0, nullptr},
      {"at_risk_accounts", 2, 2, 0.0}};
  ASSERT_EQ(r["metrics"].size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const json& m = r["metrics"][i];
    const auto& [key, this_week, last_week, change] = expected[i];
    EXPECT_EQ(m["key"], key);
    EXPECT_DOUBLE_EQ(m["this_week"].get<double>(), this_week) << key;
    EXPECT_DOUBLE_EQ(m["last_week"].get<double>(), last_week) << key;
    EXPECT_EQ(m["change"], change) << key;
  }

  auto metric = [&](const char* list, const char* name, const json& value, const char* key) {
    for (const auto& entry : r[list]) {
      if (entry[name] == value) {
        const json& m = entry["metrics"][key];
        return std::pair{m["this_week"].get<double>(), m["last_week"].get<double>()};
      }
    }
    ADD_FAILURE() << list << " has no " << value.dump();
    return std::pair{-1.0, -1.0};
  };
  using P = std::pair<double, double>;
  // By owner (the account's): li = acc-old, acc-a; wang = acc-b, acc-c; zhao = acc-dead.
  EXPECT_EQ(metric("by_owner", "owner", "li", "new_accounts"), P(0, 1));
  EXPECT_EQ(metric("by_owner", "owner", "li", "trials"), P(1, 1));
  EXPECT_EQ(metric("by_owner", "owner", "li", "pipeline_moved_amount"), P(1200, 1000));
  EXPECT_EQ(metric("by_owner", "owner", "li", "at_risk_accounts"), P(0, 1));
  EXPECT_EQ(metric("by_owner", "owner", "wang", "new_accounts"), P(2, 0));
  EXPECT_EQ(metric("by_owner", "owner", "wang", "stage_conversions"), P(2, 0));
  EXPECT_EQ(metric("by_owner", "owner", "wang", "pipeline_moved_amount"), P(6000, 0));
  EXPECT_EQ(metric("by_owner", "owner", "wang", "at_risk_accounts"), P(1, 0));
  EXPECT_EQ(metric("by_owner", "owner", "zhao", "at_risk_accounts"), P(1, 1));
  EXPECT_EQ(r["by_owner"].size(), 3u);  // no "nobody": the record's owner wins
  // By role (the people who took part): u0/u1 user, u2 decision_maker, u3 evaluator, u9 signer.
  ASSERT_GE(r["by_role"].size(), 5u);
  EXPECT_EQ(r["by_role"][0]["role"], "user");  // decision-chain order
  EXPECT_EQ(metric("by_role", "role", "user", "new_accounts"), P(0, 1));
  EXPECT_EQ(metric("by_role", "role", "user", "trials"), P(1, 1));
  EXPECT_EQ(metric("by_role", "role", "user", "deals_won"), P(1, 0));
  EXPECT_EQ(metric("by_role", "role", "user", "at_risk_accounts"), P(0, 1));
  EXPECT_EQ(metric("by_role", "role", "decision_maker", "new_accounts"), P(1, 0));
  EXPECT_EQ(metric("by_role", "role", "decision_maker", "stage_conversions"), P(2, 0));
  EXPECT_EQ(metric("by_role", "role", "evaluator", "new_accounts"), P(1, 0));
  EXPECT_EQ(metric("by_role", "role", "evaluator", "at_risk_accounts"), P(1, 0));
  EXPECT_EQ(metric("by_role", "role", "signer", "at_risk_accounts"), P(1, 1));
  EXPECT_EQ(metric("by_role", "role", "budget_holder", "trials"), P(0, 0));
  // By industry: retail = acc-old, acc-a, acc-c; finance = acc-b; energy = acc-dead.
  EXPECT_EQ(metric("by_industry", "industry", "retail", "new_accounts"), P(1, 1));
  EXPECT_EQ(metric("by_industry", "industry", "retail", "at_risk_accounts"), P(1, 1));
  EXPECT_EQ(metric("by_industry", "industry", "finance", "opportunities_created"), P(1, 0));
  EXPECT_EQ(metric("by_industry", "industry", "energy", "at_risk_accounts"), P(1, 1));

  // Conversions per target stage, in stage order.
  const json& conversions = r["stage_conversions"];
  ASSERT_EQ(conversions.size(), 6u);
  EXPECT_EQ(conversions[1], json({{"to_stage", "qualified"}, {"this_week", 0}, {"last_week", 1}}));
  EXPECT_EQ(conversions[2], json({{"to_stage", "solution"}, {"this_week", 1}, {"last_week", 0}}));
  EXPECT_EQ(conversions[4], json({{"to_stage", "won"}, {"this_week", 1}, {"last_week", 0}}));

  ASSERT_EQ(r["at_risk"].size(), 2u);
  std::set<std::string> at_risk;
  for (const auto& a : r["at_risk"]) at_risk.insert(a["group_id"].get<std::string>());
  EXPECT_EQ(at_risk, (std::set<std::string>{"acc-dead", "acc-c"}));

  // The export: 8 totals, then metric × value rows, then the per-stage conversions.
  exporting::Table table = WeeklyReportToTable(r);
  EXPECT_EQ(table.columns, (std::vector<std::string>{"metric", "breakdown", "value", "this_week",
                                                     "last_week", "change"}));
  EXPECT_EQ(std::get<std::string>(table.rows[0][0]), "new_accounts");
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[4][3]), 7200);
  EXPECT_EQ(table.rows.size(),
            8 + 8 * (r["by_owner"].size() + r["by_role"].size() + r["by_industry"].size()) + 6);
}

TEST_F(WeeklyReportTest, AnExplicitWeekAndBadThreshold) {
  // u1's contact record says budget_holder, its trait says user: the record wins.
  MustCreate("contacts", {{"name", "U1"}, {"person_id", "u1"}, {"role", "budget_holder"}});
  Ingest({Person("u1", "user", "2026-11-15T23:59:59+08:00"),
          Group("u1", "acc-a", "li", "retail", "2026-11-15T23:59:59+08:00")});
  WeeklyReportOptions options;
  options.week = *ParseIsoWeek("2026-W46");
  auto report = BuildWeeklyReport(Context(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ((*report)["week"], "2026-W46");
  EXPECT_EQ((*report)["metrics"][0]["this_week"], 1);  // acc-a's first event, Sunday 23:59:59 local
  EXPECT_EQ((*report)["metrics"][0]["last_week"], 0);
  EXPECT_TRUE((*report)["metrics"][0]["change"].is_null());
  for (const auto& entry : (*report)["by_role"]) {
    const int expected = entry["role"] == "budget_holder" ? 1 : 0;
    EXPECT_EQ(entry["metrics"]["new_accounts"]["this_week"], expected) << entry["role"];
  }
  options.at_risk_below = 120;
  EXPECT_EQ(BuildWeeklyReport(Context(), options).status().field(), "at_risk_below");
}

// The goals and at_risk_renewals sections (issue 5). W47 = Mon 16 – Sun 22 Nov; the
// report is as of Sun 22 Nov 23:59:59.999 local, so "the next 90 days" are 22 Nov 2026 –
// 20 Feb 2027 (22 Nov + 90 days: 8 left in Nov + 31 + 31 + 20).
TEST_F(WeeklyReportTest, GoalsOfTheWeekAndRenewalsAtRisk) {
  const int64_t dead = MustCreate("accounts", {{"name", "Dead Co"}, {"group_id", "acc-dead"}, {"owner", "zhao"}});
  const int64_t live = MustCreate("accounts", {{"name", "Live Co"}, {"group_id", "acc-live"}});
  Ingest({Person("u9", "signer", "2026-09-01T10:00:00+08:00"),
          Group("u9", "acc-dead", "zhao", "energy", "2026-09-01T10:00:00+08:00"),
          Group("u1", "acc-live", "li", "retail", "2026-11-16T08:00:00+08:00"),
          Track("u1", "trial_started", "2026-11-16T09:00:00+08:00"),
          Track("u1", "trial_started", "2026-11-17T09:00:00+08:00"),
          Track("u1", "trial_started", "2026-11-23T00:00:00+08:00")});  // W48: not counted
  const char* trials = R"({"kind":"trend","series":[{"event":"trial_started"}]})";
  MustCreate("goals", {{"name", "trials"}, {"target", 4}, {"period", "week"}, {"query", trials}});
  MustCreate("goals", {{"name", "december"}, {"target", 4}, {"starts_on", "2026-12-01"}, {"query", trials}});
  MustCreate("goals", {{"name", "october"}, {"target", 4}, {"ends_on", "2026-10-31"}, {"query", trials}});
  // Within 90 days and open: listed when the account's health is below the line.
  MustCreate("renewals", {{"account_id", dead}, {"renewal_date", "2026-12-01"}, {"arr", 5000}, {"status", "upcoming"}});
  MustCreate("renewals", {{"account_id", dead}, {"renewal_date", "2027-02-20"}, {"arr", 6000}, {"status", "in_progress"}});
  // Out: after the 90 days, before today, already signed, a healthy account.
  MustCreate("renewals", {{"account_id", dead}, {"renewal_date", "2027-02-21"}, {"arr", 1}});
  MustCreate("renewals", {{"account_id", dead}, {"renewal_date", "2026-11-21"}, {"arr", 1}});
  MustCreate("renewals", {{"account_id", dead}, {"renewal_date", "2026-12-02"}, {"arr", 1}, {"status", "signed"}});
  MustCreate("renewals", {{"account_id", live}, {"renewal_date", "2026-12-03"}, {"arr", 1}});

  WeeklyReportOptions options;
  options.week = *ParseIsoWeek("2026-W47");
  options.at_risk_below = 1;  // score 0: no activity in the 30 days (acc-dead only)
  auto report = BuildWeeklyReport(Context(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const json& r = *report;

  // "trials" (week 16 – 22 Nov): 2 of 4, all 7 days elapsed → expected 4, 50 %, behind.
  // "december" has not started; "october" ended before the week.
  ASSERT_EQ(r["goals"].size(), 1u) << r["goals"].dump();
  EXPECT_EQ(r["goals"][0]["name"], "trials");
  EXPECT_EQ(r["goals"][0]["from"], "2026-11-16");
  EXPECT_DOUBLE_EQ(r["goals"][0]["value"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(r["goals"][0]["progress"].get<double>(), 50);
  EXPECT_EQ(r["goals"][0]["on_track"], false);

  ASSERT_EQ(r["at_risk_renewals"].size(), 2u) << r["at_risk_renewals"].dump();
  EXPECT_EQ(r["at_risk_renewals"][0]["renewal_date"], "2026-12-01");
  EXPECT_EQ(r["at_risk_renewals"][0]["account_name"], "Dead Co");
  EXPECT_EQ(r["at_risk_renewals"][0]["account_id"], dead);
  EXPECT_DOUBLE_EQ(r["at_risk_renewals"][0]["score"].get<double>(), 0);
  EXPECT_EQ(r["at_risk_renewals"][1]["renewal_date"], "2027-02-20");

  // Export: the goal row (2 of 4 = 0.5) and the renewal rows come last.
  const exporting::Table table = WeeklyReportToTable(r);
  const auto& goal_row = table.rows[table.rows.size() - 3];
  EXPECT_EQ(std::get<std::string>(goal_row[0]), "goal");
  EXPECT_DOUBLE_EQ(std::get<double>(goal_row[5]), 0.5);
  EXPECT_EQ(std::get<std::string>(table.rows.back()[0]), "at_risk_renewal");
  EXPECT_EQ(std::get<std::string>(table.rows.back()[5]), "2027-02-20");
}

}  // namespace
}  // namespace tobops::ops
