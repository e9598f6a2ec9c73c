// Hand-worked retention cases: every expected number below is derived by hand from the
// messages SetUp sends, in Asia/Shanghai (+08:00) unless a test says otherwise, from the
// memtable and from flushed segments.
#include "query/retention_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using I = std::vector<int64_t>;
using D = std::vector<double>;

// Weeks (Monday start): W0 = Sep 7–13, W1 = Sep 14–20 (the range: two cohorts),
// W2 = Sep 21–27, W3 = Sep 28–Oct 4, W4 = Oct 5–11. Now = Thu Oct 1 12:00, so W0..W3 have
// started (W4 has not) and W0..W2 are complete.
//
// acc-A (制造业): u1 (decision_maker), u2 (user); acc-B (金融): u3, u5; u4 and u6 have no account.
//   u1 登录 Aug 25 (before the range, plan trial), 登录 Sep 8 (W0), 登录 Sep 15 (W1),
//      purchase 100 Sep 22 (W2)
//   u2 登录 Sun Sep 13 23:59:59 (W0, plan pro), 登录 Mon Sep 14 00:00:00 (W1, plan basic),
//      purchase "50.5" Sep 29 (W3)
//   u3 登录 Sep 16 (W1), 登录 + purchase 20 Sep 23 (W2), 登录 Oct 1 13:00 (after now: never seen)
//   u4 登录 + purchase 30 Sep 9 12:00 (W0, equal timestamps), purchase "abc" Sep 10 (W0),
//      登录 Oct 1 09:00 (W3)
//   u5 page view Sep 10 (W0), never 登录
//   u6 登录 Sep 22 (W2: first start after the range)
class RetentionQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    now_ = "2026-10-01T12:00:00+08:00";
    Ingest(R"({"batch":[
      {"type":"group","userId":"u1","groupId":"acc-A","traits":{"industry":"制造业"},"timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"group","userId":"u2","groupId":"acc-A","timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"group","userId":"u3","groupId":"acc-B","traits":{"industry":"金融"},"timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"group","userId":"u5","groupId":"acc-B","timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"identify","userId":"u1","traits":{"role":"decision_maker"},"timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"identify","userId":"u2","traits":{"role":"user"},"timestamp":"2026-08-01T09:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-08-25T12:00:00+08:00","properties":{"plan":"trial"}},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-09-08T10:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u4","timestamp":"2026-09-09T12:00:00+08:00"},
      {"type":"track","event":"purchase","userId":"u4","timestamp":"2026-09-09T12:00:00+08:00","properties":{"amount":30}},
      {"type":"track","event":"purchase","userId":"u4","timestamp":"2026-09-10T12:00:00+08:00","properties":{"amount":"abc"}},
      {"type":"page","userId":"u5","timestamp":"2026-09-10T12:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u2","timestamp":"2026-09-13T23:59:59+08:00","properties":{"plan":"pro"}},
      {"type":"track","event":"登录","userId":"u2","timestamp":"2026-09-14T00:00:00+08:00","properties":{"plan":"basic"}},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-09-15T12:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u3","timestamp":"2026-09-16T12:00:00+08:00"},
      {"type":"track","event":"purchase","userId":"u1","timestamp":"2026-09-22T12:00:00+08:00","properties":{"amount":100}},
      {"type":"track","event":"登录","userId":"u6","timestamp":"2026-09-22T12:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u3","timestamp":"2026-09-23T12:00:00+08:00"},
      {"type":"track","event":"purchase","userId":"u3","timestamp":"2026-09-23T12:00:00+08:00","properties":{"amount":20}},
      {"type":"track","event":"purchase","userId":"u2","timestamp":"2026-09-29T12:00:00+08:00","properties":{"amount":"50.5"}},
      {"type":"track","event":"登录","userId":"u4","timestamp":"2026-10-01T09:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u3","timestamp":"2026-10-01T13:00:00+08:00"}
    ]})");
  }

  // The base spec: weekly, 3 periods, start 登录, return any event, the W0–W1 range.
  json Spec(json overrides = json::object()) {
    json spec = {{"kind", "retention"},
                 {"start", {{"event", "登录"}}},
                 {"return", {{"event", "$any"}}},
                 {"period", "week"},
                 {"periods", 3},
                 {"range", {{"from", "2026-09-07"}, {"to", "2026-09-20"}}}};
    spec.merge_patch(overrides);
    return spec;
  }

  static I Values(const json& j) { return j["values"].get<I>(); }
};

TEST_P(RetentionQueryTest, FirstTimeCohortsLookBeforeTheRange) {
  json a = Run(Spec());
  EXPECT_EQ(a["kind"], "retention");
  EXPECT_EQ(a["mode"], "first_time");
  EXPECT_EQ(a["period"], "week");
  EXPECT_EQ(a["aggregate_by"], "person");
  EXPECT_EQ(a["from"], "2026-09-07T00:00:00+08:00");
  EXPECT_EQ(a["to"], "2026-09-21T00:00:00+08:00");
  ASSERT_EQ(a["cohorts"].size(), 2u);
  const json& w0 = a["cohorts"][0];
  const json& w1 = a["cohorts"][1];
  EXPECT_EQ(w0["start"], "2026-09-07T00:00:00+08:00");
  EXPECT_EQ(w1["start"], "2026-09-14T00:00:00+08:00");
  // u1's first 登录 is Aug 25, before the range: in no cohort. u6's is in W2, after it.
  // W0 = {u2 (Sun 23:59:59), u4}: W1 u2 (Mon 00:00 登录); W2 nobody; W3 u2 (purchase), u4 (登录).
  EXPECT_EQ(w0["size"], 2);
  EXPECT_EQ(Values(w0), (I{2, 1, 0, 2}));
  EXPECT_EQ(w0["rates"].get<D>(), (D{1.0, 0.5, 0.0, 1.0}));
  // W1 = {u3}: W2 yes (Sep 23); W3 only the Oct 1 13:00 login, which is after now.
  // W4 has not started: W1 lists W1..W3 only.
  EXPECT_EQ(w1["size"], 1);
  EXPECT_EQ(Values(w1), (I{1, 1, 0}));
  // Complete periods: W0..W2 ended before now; W3 is running.
  EXPECT_EQ(w0["complete_periods"], 3);
  EXPECT_EQ(w1["complete_periods"], 2);
  // Total: sizes 2 + 1; k3 only from W0, so its rate is 2 / 2.
  EXPECT_EQ(a["total"]["size"], 3);
  EXPECT_EQ(Values(a["total"]), (I{3, 2, 0, 2}));
  EXPECT_EQ(a["total"]["rates"].get<D>(), (D{1.0, 2.0 / 3.0, 0.0, 1.0}));
  EXPECT_FALSE(a.contains("breakdown"));
  EXPECT_FALSE(w0.contains("revenue"));
}

TEST_P(RetentionQueryTest, RecurringCohortsOnTheSameData) {
  json a = Run(Spec({{"mode", "recurring"}}));
  // Memberships: u1 W0, W1 (Aug 25 is before the cohorts and not scanned); u2 W0, W1;
  // u3 W1 (its W2 login is no cohort period); u4 W0; u6 none (W2).
  // W0 = {u1, u2, u4}: W1 u1 u2; W2 u1 (purchase); W3 u2 (purchase) u4 (登录).
  EXPECT_EQ(a["mode"], "recurring");
  EXPECT_EQ(Values(a["cohorts"][0]), (I{3, 2, 1, 2}));
  // W1 = {u1, u2, u3}: W2 u1 (purchase) u3; W3 u2 (purchase).
  EXPECT_EQ(Values(a["cohorts"][1]), (I{3, 2, 1}));
  EXPECT_EQ(a["total"]["size"], 6);
  EXPECT_EQ(Values(a["total"]), (I{6, 4, 2, 2}));
  EXPECT_EQ(a["total"]["rates"].get<D>(), (D{1.0, 4.0 / 6.0, 2.0 / 6.0, 2.0 / 3.0}));
}

TEST_P(RetentionQueryTest, WeeksFollowTheTimeZone) {
  // In UTC weeks start Monday 08:00 +08:00: u2's Mon 00:00 login (Sun 16:00Z) falls in
  // W0 with its Sun 23:59:59 login, so nobody of W0 returns in W1. The rest moves by 8 h
  // inside its week; now is Oct 1 04:00Z, still inside W3.
  json a = Run(Spec({{"timezone", "UTC"}}));
  EXPECT_EQ(Values(a["cohorts"][0]), (I{2, 0, 0, 2}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{1, 1, 0}));
  EXPECT_EQ(a["timezone"], "UTC");
}

TEST_P(RetentionQueryTest, AccountsAggregateTheirPeople) {
  // first_time: acc-A's first 登录 is u1's Aug 25: no cohort. acc-B's is u3's Sep 16 (W1);
  // acc-B returns in W2 (u3). u5's W0 page view comes before acc-B's cohort. u4, u6 have
  // no account.
  json a = Run(Spec({{"aggregate_by", "account"}}));
  EXPECT_EQ(a["aggregate_by"], "account");
  EXPECT_EQ(Values(a["cohorts"][0]), (I{0, 0, 0, 0}));
  EXPECT_EQ(a["cohorts"][0]["rates"].get<D>(), (D{0, 0, 0, 0}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{1, 1, 0}));
  // Total: k3 exists only in the empty W0 cohort: 0 / 0 → rate 0.
  EXPECT_EQ(Values(a["total"]), (I{1, 1, 0, 0}));
  EXPECT_EQ(a["total"]["rates"].get<D>(), (D{1, 1, 0, 0}));

  // recurring: acc-A starts in W0 (u1, u2) and W1 (u1, u2); acc-B in W1 (u3).
  // W0 {A}: W1 yes, W2 yes (u1 purchase), W3 yes (u2 purchase).
  // W1 {A, B}: W2 A (u1) and B (u3); W3 A (u2).
  json r = Run(Spec({{"aggregate_by", "account"}, {"mode", "recurring"}}));
  EXPECT_EQ(Values(r["cohorts"][0]), (I{1, 1, 1, 1}));
  EXPECT_EQ(Values(r["cohorts"][1]), (I{2, 2, 1}));
}

TEST_P(RetentionQueryTest, BreakdownByAccountTraitIncludesNull) {
  json a = Run(Spec(
      {{"mode", "recurring"}, {"breakdown", {{"source", "account"}, {"property", "industry"}}}}));
  ASSERT_EQ(a["breakdown"].size(), 3u);
  // 制造业: u1, u2 in W0 and W1 (4 memberships) — first.
  // W0 {u1, u2}: W1 both, W2 u1, W3 u2. W1 {u1, u2}: W2 u1, W3 u2.
  const json& manufacturing = a["breakdown"][0];
  EXPECT_EQ(manufacturing["value"], "制造业");
  EXPECT_EQ(Values(manufacturing["cohorts"][0]), (I{2, 2, 1, 1}));
  EXPECT_EQ(Values(manufacturing["cohorts"][1]), (I{2, 1, 1}));
  EXPECT_EQ(manufacturing["total"]["size"], 4);
  // 金融 (u3, W1) and null (u4, W0, no account) tie at 1: by value, null last.
  EXPECT_EQ(a["breakdown"][1]["value"], "金融");
  EXPECT_EQ(Values(a["breakdown"][1]["cohorts"][0]), (I{0, 0, 0, 0}));
  EXPECT_EQ(Values(a["breakdown"][1]["cohorts"][1]), (I{1, 1, 0}));
  EXPECT_TRUE(a["breakdown"][2]["value"].is_null());
  EXPECT_EQ(Values(a["breakdown"][2]["cohorts"][0]), (I{1, 0, 0, 1}));
  EXPECT_EQ(Values(a["breakdown"][2]["cohorts"][1]), (I{0, 0, 0}));
  EXPECT_EQ(a["breakdown_by"]["source"], "account");
  // The overall matrix is unchanged by the breakdown.
  EXPECT_EQ(Values(a["cohorts"][0]), (I{3, 2, 1, 2}));

  // limit 2: the two largest (制造业 4, then 金融 before null at 1); this path counts
  // memberships per value first because there are more values than the limit.
  json l = Run(Spec({{"mode", "recurring"},
                     {"limit", 2},
                     {"breakdown", {{"source", "account"}, {"property", "industry"}}}}));
  ASSERT_EQ(l["breakdown"].size(), 2u);
  EXPECT_EQ(l["breakdown"][0]["value"], "制造业");
  EXPECT_EQ(Values(l["breakdown"][0]["cohorts"][0]), (I{2, 2, 1, 1}));
  EXPECT_EQ(l["breakdown"][1]["value"], "金融");
  EXPECT_EQ(Values(l["breakdown"][1]["cohorts"][1]), (I{1, 1, 0}));
}

TEST_P(RetentionQueryTest, EventBreakdownTakesTheValueOfTheCohortsStartEvent) {
  // first_time: u2's first 登录 carries plan pro; u3's and u4's none (null).
  json a = Run(Spec({{"breakdown", "plan"}}));
  ASSERT_EQ(a["breakdown"].size(), 2u);
  EXPECT_TRUE(a["breakdown"][0]["value"].is_null());  // 2 memberships: u4 (W0), u3 (W1)
  EXPECT_EQ(Values(a["breakdown"][0]["cohorts"][0]), (I{1, 0, 0, 1}));
  EXPECT_EQ(Values(a["breakdown"][0]["cohorts"][1]), (I{1, 1, 0}));
  EXPECT_EQ(a["breakdown"][1]["value"], "pro");
  EXPECT_EQ(Values(a["breakdown"][1]["cohorts"][0]), (I{1, 1, 0, 1}));

  // recurring: u2 is "pro" in W0 and "basic" in W1 (the first 登录 of each period).
  // null: u1 W0, W1; u3 W1; u4 W0 (4). basic and pro tie at 1: by value.
  json r = Run(Spec({{"mode", "recurring"}, {"breakdown", "plan"}}));
  ASSERT_EQ(r["breakdown"].size(), 3u);
  EXPECT_TRUE(r["breakdown"][0]["value"].is_null());
  EXPECT_EQ(r["breakdown"][1]["value"], "basic");
  EXPECT_EQ(r["breakdown"][1]["cohorts"][0]["size"], 0);
  EXPECT_EQ(Values(r["breakdown"][1]["cohorts"][1]), (I{1, 0, 1}));  // u2: W2 no, W3 purchase
  EXPECT_EQ(r["breakdown"][2]["value"], "pro");
  EXPECT_EQ(Values(r["breakdown"][2]["cohorts"][0]), (I{1, 1, 0, 1}));
}

TEST_P(RetentionQueryTest, RevenueSumsTheReturnEventsPerPeriod) {
  // first_time, return purchase. W0 {u2, u4}: u4's purchases in W0 (30 and "abc", which
  // is no number) → k0 revenue 30; u2's "50.5" in W3. W1 {u3}: 20 in W2.
  json a = Run(Spec({{"return", {{"event", "purchase"}}}, {"revenue", {{"property", "amount"}}}}));
  EXPECT_EQ(Values(a["cohorts"][0]), (I{2, 0, 0, 1}));
  EXPECT_EQ(a["cohorts"][0]["revenue"].get<D>(), (D{30, 0, 0, 50.5}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{1, 1, 0}));
  EXPECT_EQ(a["cohorts"][1]["revenue"].get<D>(), (D{0, 20, 0}));
  EXPECT_EQ(a["total"]["revenue"].get<D>(), (D{30, 20, 0, 50.5}));
  EXPECT_EQ(a["revenue_property"], "amount");

  // recurring: W0 {u1, u2, u4}: u4 30 (k0), u1 100 (W2, k2), u2 50.5 (W3, k3).
  // W1 {u1, u2, u3}: u1 100 + u3 20 (W2, k1), u2 50.5 (W3, k2).
  json r = Run(
      Spec({{"mode", "recurring"}, {"return", {{"event", "purchase"}}}, {"revenue", "amount"}}));
  EXPECT_EQ(r["cohorts"][0]["revenue"].get<D>(), (D{30, 0, 100, 50.5}));
  EXPECT_EQ(r["cohorts"][1]["revenue"].get<D>(), (D{0, 120, 50.5}));
  EXPECT_EQ(Values(r["cohorts"][1]), (I{3, 2, 1}));
}

TEST_P(RetentionQueryTest, PeriodsLimitTheFollowUps) {
  // periods 1: W0 [2, W1: u2], W1 [1, W2: u3]. Both periods listed are complete.
  json a = Run(Spec({{"periods", 1}}));
  EXPECT_EQ(Values(a["cohorts"][0]), (I{2, 1}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{1, 1}));
  EXPECT_EQ(a["cohorts"][1]["complete_periods"], 2);
  EXPECT_EQ(Values(a["total"]), (I{3, 2}));
  EXPECT_EQ(a["periods"], 1);
}

TEST_P(RetentionQueryTest, DailyAndMonthlyPeriods) {
  // Days Sep 13 and 14, periods 2, first_time: Sep 13 {u2 at 23:59:59} returns Sep 14
  // (00:00 login); Sep 15 nothing. Sep 14: nobody's first 登录.
  json d = Run(Spec({{"period", "day"},
                     {"periods", 2},
                     {"range", {{"from", "2026-09-13"}, {"to", "2026-09-14"}}}}));
  ASSERT_EQ(d["cohorts"].size(), 2u);
  EXPECT_EQ(Values(d["cohorts"][0]), (I{1, 1, 0}));
  EXPECT_EQ(Values(d["cohorts"][1]), (I{0, 0, 0}));
  // Month September, periods 2: {u2, u4, u3, u6} (u1 began in August); October has
  // started: u4 (Oct 1 09:00) returns; November has not started: not listed.
  json m = Run(Spec({{"period", "month"},
                     {"periods", 2},
                     {"range", {{"from", "2026-09-10"}, {"to", "2026-09-10"}}}}));
  ASSERT_EQ(m["cohorts"].size(), 1u);
  EXPECT_EQ(m["cohorts"][0]["start"], "2026-09-01T00:00:00+08:00");
  EXPECT_EQ(Values(m["cohorts"][0]), (I{4, 1}));
  EXPECT_EQ(m["cohorts"][0]["complete_periods"], 1);
}

TEST_P(RetentionQueryTest, GlobalAndConditionFilters) {
  // Global person filter role = decision_maker keeps u1 only; recurring:
  // W0 {u1}: W1 yes, W2 yes (purchase), W3 no. W1 {u1}: W2 yes, W3 no.
  json a = Run(Spec({{"mode", "recurring"},
                     {"filters",
                      {{{"source", "person"},
                        {"property", "role"},
                        {"op", "eq"},
                        {"value", "decision_maker"}}}}}));
  EXPECT_EQ(Values(a["cohorts"][0]), (I{1, 1, 1, 0}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{1, 1, 0}));
  // A start filter plan = basic: the first such 登录 is u2's Sep 14 (W1) — first_time
  // considers only start events meeting the filters. W1 {u2}: W2 no, W3 yes (purchase).
  json b = Run(Spec(
      {{"start", {{"event", "登录"}, {"filters", {{{"property", "plan"}, {"value", "basic"}}}}}}}));
  EXPECT_EQ(Values(b["cohorts"][0]), (I{0, 0, 0, 0}));
  EXPECT_EQ(Values(b["cohorts"][1]), (I{1, 0, 1}));
  // A start filter plan is_not_set: u1's Aug 25 登录 (plan trial) is no start event, so
  // u1's first one is Sep 8 (W0); u2's logins all carry a plan. W0 {u1, u4}: W1 u1,
  // W2 u1 (purchase), W3 u4. W1 {u3}: W2 yes, W3 no.
  json c = Run(
      Spec({{"start",
             {{"event", "登录"}, {"filters", {{{"property", "plan"}, {"op", "is_not_set"}}}}}}}));
  EXPECT_EQ(Values(c["cohorts"][0]), (I{2, 1, 1, 1}));
  EXPECT_EQ(Values(c["cohorts"][1]), (I{1, 1, 0}));
}

TEST_P(RetentionQueryTest, EmptyResultsListEveryCohort) {
  json a = Run(Spec({{"start", {{"event", "不存在"}}}}));
  ASSERT_EQ(a["cohorts"].size(), 2u);
  EXPECT_EQ(Values(a["cohorts"][0]), (I{0, 0, 0, 0}));
  EXPECT_EQ(Values(a["cohorts"][1]), (I{0, 0, 0}));
  EXPECT_EQ(a["total"]["size"], 0);
  EXPECT_EQ(a["total"]["rates"].get<D>(), (D{0, 0, 0, 0}));
  // Breakdown of nothing: an empty list.
  json b = Run(Spec({{"start", {{"event", "不存在"}}}, {"breakdown", "plan"}}));
  EXPECT_EQ(b["breakdown"], json::array());
  // A range after now: the cohorts exist, none of their periods has started.
  json f = Run(Spec({{"range", {{"from", "2026-10-05"}, {"to", "2026-10-18"}}}}));
  ASSERT_EQ(f["cohorts"].size(), 2u);
  EXPECT_EQ(f["cohorts"][0]["size"], 0);
  EXPECT_EQ(Values(f["cohorts"][0]), I{});
  EXPECT_EQ(Values(f["total"]), I{});
}

TEST_P(RetentionQueryTest, ErrorsNameTheField) {
  EXPECT_EQ(Failure(Spec({{"periods", 0}})).field(), "periods");
  EXPECT_EQ(Failure(Spec({{"periods", 53}})).field(), "periods");
  EXPECT_EQ(Failure(Spec({{"periods", "8"}})).field(), "periods");
  EXPECT_EQ(Failure(Spec({{"period", "hour"}})).field(), "period");
  EXPECT_EQ(Failure(Spec({{"period", "year"}})).field(), "period");
  EXPECT_EQ(Failure(Spec({{"start", {{"event", nullptr}}}})).field(),
            "start.event");  // null removes it
  EXPECT_EQ(Failure(Spec({{"start", {{"event", ""}}}})).field(), "start.event");
  EXPECT_EQ(Failure(Spec({{"return", {{"event", 7}}}})).field(), "return.event");
  EXPECT_EQ(Failure(Spec({{"start",
                         {{"event", "登录"}, {"filters", {{{"property", "x"}, {"op", "like"}}}}}}}))
                .field(),
            "start.filters[0].op");
  json no_start = Spec();
  no_start.erase("start");
  EXPECT_EQ(Failure(no_start).field(), "start");
  EXPECT_EQ(Failure(Spec({{"mode", "sometimes"}})).field(), "mode");
  EXPECT_EQ(Failure(Spec({{"aggregate_by", "team"}})).field(), "aggregate_by");
  EXPECT_EQ(Failure(Spec({{"revenue", {{"source", "account"}, {"property", "arr"}}}})).field(),
            "revenue.source");
  EXPECT_EQ(Failure(Spec({{"limit", 0}})).field(), "limit");
  // 638 daily cohorts: more than 366.
  EXPECT_EQ(
      Failure(Spec({{"period", "day"}, {"range", {{"from", "2025-01-01"}, {"to", "2026-09-30"}}}}))
          .field(),
      "range");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(RetentionQueryTest);

// Random events against a brute-force reading of the definitions (docs/analytics/retention.md):
// 60 persons, weekly periods in Asia/Shanghai (no DST, so a week is 7 × 24 h), events
// from Jul 20 to Oct 20 while now is Oct 10.
class RetentionRandomTest : public QueryTest {};

TEST_P(RetentionRandomTest, MatchesBruteForce) {
  const cctz::time_zone zone = TestZone();
  const int64_t now_ms = *ParseIso8601Ms("2026-10-10T15:00:00+08:00");
  const std::vector<std::string> names = {"登录", "purchase", "view"};
  const std::vector<RandomEvent> rows = IngestRandomEvents(12345, names);
  const QueryContext ctx = MakeTestContext(project_, now_ms, zone);

  // Cohorts: the weeks of Sep 1..Sep 30 (Mon Aug 31 .. Mon Sep 28), 4 follow-ups.
  const int64_t week_ms = 7 * 86'400'000LL;
  const int64_t w0 = *ParseIso8601Ms("2026-08-31T00:00:00+08:00");
  const int cohorts = 5, periods = 4;
  auto period = [&](int64_t ts) {
    return int((TimeBuckets::Floor(ts, Interval::kWeek, zone) - w0) / week_ms);
  };
  for (const char* mode : {"first_time", "recurring"}) {
    for (int start_name : {0, 2}) {
      // Brute force: per person, its start periods (all history) and return periods.
      std::vector<std::vector<int64_t>> expected(cohorts, std::vector<int64_t>(periods + 1, 0));
      for (int p = 0; p < 60; ++p) {
        int64_t first = INT64_MAX;
        std::set<int> starts, returns;
        for (const RandomEvent& r : rows) {
          if (r.person != p || r.ts > now_ms) continue;
          returns.insert(period(r.ts));  // return: any event
          if (r.name == start_name) {
            first = std::min(first, r.ts);
            starts.insert(period(r.ts));
          }
        }
        std::set<int> member_of;
        if (std::string(mode) == "first_time") {
          if (first != INT64_MAX && first >= w0) member_of.insert(period(first));
        } else {
          member_of = starts;
        }
        for (int c : member_of) {
          if (c < 0 || c >= cohorts) continue;
          ++expected[c][0];
          for (int k = 1; k <= periods; ++k) expected[c][k] += returns.count(c + k);
        }
      }
      json spec = {
          {"kind", "retention"}, {"start", {{"event", names[start_name]}}},
          {"mode", mode},        {"period", "week"},
          {"periods", periods},  {"range", {{"from", "2026-09-01"}, {"to", "2026-09-30"}}}};
      // Without a breakdown the kernel folds rows into per-entity period bitsets; with
      // one (here a person trait nobody has) it walks collected timelines. The overall
      // matrix must be the brute-force one either way.
      for (bool with_breakdown : {false, true}) {
        if (with_breakdown) spec["breakdown"] = {{"source", "person"}, {"property", "无此属性"}};
        auto answer = RunQueryJson(spec, ctx);
        ASSERT_TRUE(answer.ok()) << answer.status().ToString();
        ASSERT_EQ((*answer)["cohorts"].size(), size_t(cohorts));
        for (int c = 0; c < cohorts; ++c) {
          // Listed: the periods that started by now (Oct 10 is in the week of Oct 5 = 5).
          std::vector<int64_t> want;
          for (int k = 0; k <= periods && w0 + (c + k) * week_ms <= now_ms; ++k)
            want.push_back(expected[c][k]);
          EXPECT_EQ((*answer)["cohorts"][c]["values"].get<I>(), want)
              << mode << " start " << names[start_name] << " cohort " << c
              << (with_breakdown ? " (with breakdown)" : "");
        }
      }
    }
  }
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(RetentionRandomTest);

}  // namespace
}  // namespace tobops::query
