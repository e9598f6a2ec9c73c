// Renewal calendar and at-risk renewals (ops/renewal_calendar.h) on a small
// hand-checked world.
// Zone Asia/Shanghai (+08:00), now = 2026-03-20T12:00+08:00 (today 2026-03-20).
//   A1 Acme (group acc-1, events in the last 30 days: listed by health with score S1)
//      renewal R1 2026-04-19 upcoming, arr 50000, owner Li
//   A2 Beta (group acc-2, no events at all: not listed by health → score 0)
//      renewal_date 2026-03-20 on the account, no renewal record → from_account
//   A3 Gamma: renewal R3 2026-06-18 in_progress (today + 90); account renewal_date
//      2026-06-18 too (a record exists for that date: no second item)
//   A4 Delta: renewal R4 2026-06-19 upcoming (today + 91)
//   A5 Echo:  renewal R5 2026-04-01 signed (never at risk)
//   A6 Fox:   renewal R6 2026-03-19 upcoming (yesterday: not due any more)
//   A7 Golf:  renewal R7 2027-03-01 (after the default calendar range)
// Default calendar range: 2026-03-01 .. 2027-02-28 (12 months from this month).
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ops/ops_test_world.h"
#include "ops/renewal_calendar.h"
#include "ops/renewal_health.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class RenewalTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-03-20T12:00:00+08:00";
    A1 = MustCreate("accounts", {{"name", "Acme"}, {"group_id", "acc-1"}});
    A2 = MustCreate("accounts", {{"name", "Beta"}, {"group_id", "acc-2"}, {"renewal_date", "2026-03-20"},
                                 {"arr", 12000}, {"owner", "Wu"}});
    A3 = MustCreate("accounts", {{"name", "Gamma"}, {"renewal_date", "2026-06-18"}});
    A4 = MustCreate("accounts", {{"name", "Delta"}});
    A5 = MustCreate("accounts", {{"name", "Echo"}});
    A6 = MustCreate("accounts", {{"name", "Fox"}});
    A7 = MustCreate("accounts", {{"name", "Golf"}});
    R1 = MustCreate("renewals", {{"account_id", A1}, {"renewal_date", "2026-04-19"}, {"arr", 50000}, {"owner", "Li"}});
    R3 = MustCreate("renewals", {{"account_id", A3}, {"renewal_date", "2026-06-18"}, {"status", "in_progress"}});
    R4 = MustCreate("renewals", {{"account_id", A4}, {"renewal_date", "2026-06-19"}});
    R5 = MustCreate("renewals", {{"account_id", A5}, {"renewal_date", "2026-04-01"}, {"status", "signed"}});
    R6 = MustCreate("renewals", {{"account_id", A6}, {"renewal_date", "2026-03-19"}});
    R7 = MustCreate("renewals", {{"account_id", A7}, {"renewal_date", "2027-03-01"}});
    Ingest({
        GroupCall("u1", "acc-1", R"({"name":"Acme"})", "2026-03-01T09:00:00+08:00"),
        Track("u1", "login", "2026-03-18T10:00:00+08:00", "{}", InGroup("acc-1")),
        Track("u1", "feature_used", "2026-03-19T10:00:00+08:00", R"({"feature":"reports"})", InGroup("acc-1")),
    });
  }

  // The account ids of the at-risk answer, in order.
  std::vector<int64_t> AtRiskAccounts(int64_t days, double below) {
    auto answer = AtRiskRenewals(Context(), days, below);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    std::vector<int64_t> out;
    if (answer.ok()) {
      for (const auto& r : (*answer)["renewals"]) out.push_back(r["account_id"].get<int64_t>());
    }
    return out;
  }

  double ScoreOfAcme() {
    auto health = HealthByAccount(Context());
    EXPECT_TRUE(health.ok());
    EXPECT_EQ(health->count("acc-1"), 1u);
    EXPECT_EQ(health->count("acc-2"), 0u);  // no events, no group call
    return health->at("acc-1")["score"].get<double>();
  }

  int64_t A1 = 0, A2 = 0, A3 = 0, A4 = 0, A5 = 0, A6 = 0, A7 = 0, R1 = 0, R3 = 0, R4 = 0, R5 = 0, R6 = 0, R7 = 0;
};

TEST_F(RenewalTest, CalendarByMonthWithAccountDates) {
  auto cal = RenewalCalendar(Context(), "", "");
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_EQ((*cal)["from"], "2026-03-01");
  EXPECT_EQ((*cal)["to"], "2027-02-28");
  const json& months = (*cal)["months"];
  ASSERT_EQ(months.size(), 12u);  // 2026-03 .. 2027-02, empty months included
  EXPECT_EQ(months[0]["month"], "2026-03");
  EXPECT_EQ(months[11]["month"], "2027-02");
  // March: R6 (03-19), then Beta's own date (03-20, no record).
  ASSERT_EQ(months[0]["renewals"].size(), 2u);
  EXPECT_EQ(months[0]["renewals"][0]["id"], R6);
  EXPECT_EQ(months[0]["renewals"][0]["from_account"], false);
  const json& beta = months[0]["renewals"][1];
  EXPECT_TRUE(beta["id"].is_null());
  EXPECT_EQ(beta["account_id"], A2);
  EXPECT_EQ(beta["account_name"], "Beta");
  EXPECT_EQ(beta["arr"], 12000);
  EXPECT_EQ(beta["owner"], "Wu");
  EXPECT_EQ(beta["status"], "upcoming");
  EXPECT_EQ(beta["from_account"], true);
  EXPECT_EQ(beta["health_score"], 0);  // not listed by health
  EXPECT_EQ(beta["risk"], "high");
  // April: R5 (04-01), R1 (04-19, Acme, with its health band).
  ASSERT_EQ(months[1]["renewals"].size(), 2u);
  EXPECT_EQ(months[1]["renewals"][0]["id"], R5);
  EXPECT_EQ(months[1]["renewals"][1]["id"], R1);
  EXPECT_EQ(months[1]["renewals"][1]["account_name"], "Acme");
  EXPECT_EQ(months[1]["renewals"][1]["health_score"], ScoreOfAcme());
  EXPECT_EQ(months[1]["renewals"][1]["risk"], RiskBand(ScoreOfAcme()));
  // June: R3 (Gamma's own date has a record: one item), R4.
  ASSERT_EQ(months[3]["renewals"].size(), 2u);
  EXPECT_EQ(months[3]["renewals"][0]["id"], R3);
  EXPECT_EQ(months[3]["renewals"][1]["id"], R4);
  EXPECT_EQ(months[2]["renewals"].size(), 0u);  // May

  auto april = RenewalCalendar(Context(), "2026-04-01", "2026-04-30");
  ASSERT_TRUE(april.ok());
  ASSERT_EQ((*april)["months"].size(), 1u);
  EXPECT_EQ((*april)["months"][0]["renewals"].size(), 2u);
  auto march_first = RenewalCalendar(Context(), "2027-03-01", "2027-03-01");  // R7 alone
  ASSERT_EQ((*march_first)["months"][0]["renewals"].size(), 1u);
  EXPECT_EQ((*march_first)["months"][0]["renewals"][0]["id"], R7);

  EXPECT_EQ(RenewalCalendar(Context(), "2026-13-01", "").status().field(), "from");
  EXPECT_EQ(RenewalCalendar(Context(), "2026-04-02", "2026-04-01").status().field(), "to");
  EXPECT_EQ(RenewalCalendar(Context(), "2026-01-01", "2037-01-01").status().field(), "to");

  const exporting::Table table = RenewalCalendarToTable(*cal);
  EXPECT_EQ(table.rows.size(), 6u);  // R6, Beta, R5, R1, R3, R4
}

TEST_F(RenewalTest, AtRiskWithinDaysBelowTheBar) {
  const double s1 = ScoreOfAcme();
  // Due today .. today+90 and upcoming / in_progress: Beta (03-20, today), R1 (Acme),
  // R3 (06-18 = today+90). R6 is yesterday, R5 signed, R4 today+91.
  // below = S1 exactly: Acme's score is not below it.
  EXPECT_EQ(AtRiskAccounts(90, s1), (std::vector<int64_t>{A2, A3}));
  EXPECT_EQ(AtRiskAccounts(90, s1 + 0.1), (std::vector<int64_t>{A2, A1, A3}));
  EXPECT_EQ(AtRiskAccounts(91, s1), (std::vector<int64_t>{A2, A3, A4}));
  EXPECT_EQ(AtRiskAccounts(89, s1), (std::vector<int64_t>{A2}));
  // below 0: nothing scores under 0.
  EXPECT_EQ(AtRiskAccounts(90, 0), (std::vector<int64_t>{}));

  auto answer = AtRiskRenewals(Context(), 90, s1 + 0.1);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ((*answer)["from"], "2026-03-20");
  EXPECT_EQ((*answer)["to"], "2026-06-18");
  const json& acme = (*answer)["renewals"][1];
  EXPECT_EQ(acme["days_left"], 30);  // 03-20 → 04-19
  EXPECT_EQ(acme["health"]["score"], s1);
  EXPECT_TRUE(acme["health"]["parts"].contains("activity"));  // the explanation
  const json& beta = (*answer)["renewals"][0];
  EXPECT_EQ(beta["days_left"], 0);
  EXPECT_EQ(beta["health"]["reason"], "no events for this account");

  const exporting::Table table = AtRiskRenewalsToTable(*answer);
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.columns[8], "activity_score");

  EXPECT_EQ(AtRiskRenewals(Context(), 0, 50).status().field(), "days");
  EXPECT_EQ(AtRiskRenewals(Context(), 90, 101).status().field(), "below");
}

TEST_F(RenewalTest, RiskBands) {
  EXPECT_EQ(RiskBand(49.9), "high");
  EXPECT_EQ(RiskBand(50), "medium");
  EXPECT_EQ(RiskBand(69.9), "medium");
  EXPECT_EQ(RiskBand(70), "low");
}

}  // namespace
}  // namespace tobops::ops
