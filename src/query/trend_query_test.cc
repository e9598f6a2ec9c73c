// Hand-worked trend cases: every expected number below is derived by hand from the
// messages each test sends, in Asia/Shanghai unless a test says otherwise.
#include "query/trend_query.h"

#include <cmath>
#include <limits>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;

class TrendQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    // Four people in two accounts, over 2026-03-01 .. 2026-03-03 (+08:00).
    // Day 1: u1 signup 23:59:59.999 (still day 1), u2 signup; anon a9 visits.
    // Day 2: u1 signup 00:00:00 (day 2), u3 signup, a9 identifies as u4 and signs up.
    // Day 3: nothing.
    now_ = "2026-03-03T12:00:00+08:00";
    Ingest(R"({"batch":[
      {"type":"group","userId":"u1","groupId":"acc-A","traits":{"industry":"制造业"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"group","userId":"u2","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"group","userId":"u3","groupId":"acc-B","traits":{"industry":"金融"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"identify","userId":"u1","traits":{"role":"decision_maker"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"identify","userId":"u2","traits":{"role":"user"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"identify","userId":"u3","traits":{"role":"user"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"track","event":"signup","userId":"u1","timestamp":"2026-03-01T23:59:59.999+08:00","properties":{"channel":"sem","plan":"pro"}},
      {"type":"track","event":"signup","userId":"u2","timestamp":"2026-03-01T10:00:00+08:00","properties":{"channel":"website"}},
      {"type":"page","anonymousId":"a9","timestamp":"2026-03-01T11:00:00+08:00","properties":{"channel":"video"}},
      {"type":"track","event":"signup","userId":"u1","timestamp":"2026-03-02T00:00:00+08:00","properties":{"channel":"sem","plan":"basic"}},
      {"type":"track","event":"signup","userId":"u3","timestamp":"2026-03-02T15:00:00+08:00","properties":{"channel":"sem"}},
      {"type":"identify","anonymousId":"a9","userId":"u4","timestamp":"2026-03-02T16:00:00+08:00"},
      {"type":"track","event":"signup","userId":"u4","timestamp":"2026-03-02T16:01:00+08:00","properties":{"channel":"video"}}
    ]})");
  }

  static std::vector<double> Values(const json& series) {
    std::vector<double> out;
    for (const auto& p : series["points"]) out.push_back(p["value"].get<double>());
    return out;
  }

  const json range_ = {{"from", "2026-03-01"}, {"to", "2026-03-03"}};
};

TEST_P(TrendQueryTest, CountsPerDayInTheProjectTimeZone) {
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"}, {"range", range_}});
  ASSERT_EQ(a["series"].size(), 1u);
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3, 0}));
  EXPECT_EQ(a["series"][0]["total"], 5);
  EXPECT_EQ(a["series"][0]["points"][1]["t"], "2026-03-02T00:00:00+08:00");
  EXPECT_EQ(a["from"], "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(a["to"], "2026-03-04T00:00:00+08:00");
}

TEST_P(TrendQueryTest, SameDataInUtcShiftsTheBoundaries) {
  // In UTC: u2 02:00Z Mar 1, u1 15:59Z Mar 1, u1 16:00Z Mar 1, u3 07:00Z Mar 2, u4 08:01Z Mar 2.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", range_}, {"timezone", "UTC"}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{3, 2, 0}));
}

TEST_P(TrendQueryTest, UniquePersonsMergeAnonymousHistory) {
  // All events, persons: day 1 = u1, u2, a9 (=u4) → 3; day 2 = u1, u3, u4 → 3; range: 4.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "$all"}, {"measure", "persons"}}}},
                {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{3, 3, 0}));
  EXPECT_EQ(a["series"][0]["total"], 4);
}

TEST_P(TrendQueryTest, UniqueAccountsIgnoreEventsWithoutAccount) {
  // signup accounts: day 1 acc-A (u1, u2); day 2 acc-A (u1), acc-B (u3); u4 has none.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "accounts"}}}},
                {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(a["series"][0]["total"], 2);
}

TEST_P(TrendQueryTest, BreakdownByEventPropertyOrdersByTotal) {
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", range_}, {"breakdown", {{"source", "event"}, {"property", "channel"}}}});
  ASSERT_EQ(a["series"].size(), 3u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "sem");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(a["series"][1]["breakdown_value"], "video");  // ties broken by value
  EXPECT_EQ(a["series"][2]["breakdown_value"], "website");
}

TEST_P(TrendQueryTest, BreakdownByAccountTraitWithNullForNoAccount) {
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "persons"}}}},
                {"interval", "day"}, {"range", range_},
                {"breakdown", {{"source", "account"}, {"property", "industry"}}}});
  std::map<std::string, double> totals;
  for (const auto& s : a["series"]) {
    totals[s["breakdown_value"].is_null() ? "null" : s["breakdown_value"].get<std::string>()] =
        s["total"].get<double>();
  }
  EXPECT_EQ(totals, (std::map<std::string, double>{{"制造业", 2}, {"金融", 1}, {"null", 1}}));
}

TEST_P(TrendQueryTest, PersonTraitFilterAndEventFilter) {
  json by_role = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                      {"range", range_},
                      {"filters", {{{"source", "person"}, {"property", "role"}, {"op", "eq"}, {"value", "user"}}}}});
  EXPECT_EQ(Values(by_role["series"][0]), (std::vector<double>{1, 1, 0}));  // u2, u3
  json by_plan = Run({{"kind", "trend"}, {"series", {{{"event", "signup"},
                      {"filters", {{{"property", "plan"}, {"op", "in"}, {"value", {"pro", "gold"}}}}}}}},
                      {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(Values(by_plan["series"][0]), (std::vector<double>{1, 0, 0}));
  json not_set = Run({{"kind", "trend"}, {"series", {{{"event", "signup"},
                      {"filters", {{{"property", "plan"}, {"op", "is_not_set"}}}}}}},
                      {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(not_set["series"][0]["total"], 3);
  // Account trait: acc-A (制造业) signups: u1 and u2 on day 1, u1 on day 2.
  json by_industry = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"range", range_},
                          {"filters", {{{"source", "account"}, {"property", "industry"}, {"op", "eq"}, {"value", "制造业"}}}}});
  EXPECT_EQ(Values(by_industry["series"][0]), (std::vector<double>{2, 1, 0}));
}

TEST_P(TrendQueryTest, WeeksStartOnMondayAndEmptyResultsHaveZeroPoints) {
  // 2026-03-01 is a Sunday: its week starts Monday 2026-02-23.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}, {{"event", "never_happened"}}}},
                {"interval", "week"}, {"range", range_}});
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_EQ(a["series"][0]["points"][0]["t"], "2026-02-23T00:00:00+08:00");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3}));
  EXPECT_EQ(Values(a["series"][1]), (std::vector<double>{0, 0}));
  EXPECT_EQ(a["series"][1]["total"], 0);
}

TEST_P(TrendQueryTest, LastRangeEndsNow) {
  // now = 2026-03-03 12:00 +08:00; last 3d = Mar 1, 2, 3.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", {{"last", "3d"}}}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3, 0}));
}

TEST_P(TrendQueryTest, FormulaDividesSeriesAndGivesNullForDivisionByZero) {
  // A = signup events [2, 3, 0], total 5. B = signups with channel sem: day 1 u1, day 2
  // u1 and u3 → [1, 2, 0], total 3. B / A = [0.5, 2/3, null (0 / 0)], total 3 / 5.
  json sem = {{{"property", "channel"}, {"op", "eq"}, {"value", "sem"}}};
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}, {{"event", "signup"}, {"filters", sem}}}},
                {"range", range_},
                {"formulas", {{{"label", "转化率"}, {"expression", "B / A"}},
                              {{"expression", "(A + B) * 100 - -1"}},
                              {{"expression", "A / (B - B)"}}}}});
  ASSERT_EQ(a["series"].size(), 5u);
  const json& rate = a["series"][2];
  EXPECT_EQ(rate["label"], "转化率");
  EXPECT_EQ(rate["formula"], "B / A");
  EXPECT_FALSE(rate.contains("event"));
  EXPECT_FALSE(rate.contains("measure"));
  EXPECT_EQ(rate["points"][0]["value"], 0.5);
  EXPECT_DOUBLE_EQ(rate["points"][1]["value"].get<double>(), 2.0 / 3.0);
  EXPECT_TRUE(rate["points"][2]["value"].is_null());
  EXPECT_DOUBLE_EQ(rate["total"].get<double>(), 0.6);
  // (A + B) * 100 + 1: day 1 (2 + 1) * 100 + 1 = 301; day 2 501; day 3 1; total 801.
  EXPECT_EQ(Values(a["series"][3]), (std::vector<double>{301, 501, 1}));
  EXPECT_EQ(a["series"][3]["label"], "(A + B) * 100 - -1");
  EXPECT_EQ(a["series"][3]["total"], 801);
  // A / 0 is null everywhere, the total too.
  for (const auto& p : a["series"][4]["points"]) EXPECT_TRUE(p["value"].is_null());
  EXPECT_TRUE(a["series"][4]["total"].is_null());
}

TEST_P(TrendQueryTest, FormulasFollowTheBreakdownValues) {
  // Breakdown by account industry. A = signups: 制造业 (u1, u2) [2, 1, 0] = 3;
  // 金融 (u3) [0, 1, 0] = 1; null (u4) [0, 1, 0] = 1. B = sem signups: 制造业 [1, 1, 0] = 2;
  // 金融 [0, 1, 0] = 1; null 0. Rank: 制造业 5, 金融 2, null 1.
  json sem = {{{"property", "channel"}, {"op", "eq"}, {"value", "sem"}}};
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}, {{"event", "signup"}, {"filters", sem}}}},
                {"range", range_}, {"breakdown", {{"source", "account"}, {"property", "industry"}}},
                {"formulas", {{{"expression", "B/A"}}}}});
  ASSERT_EQ(a["series"].size(), 9u);
  const json& manufacturing = a["series"][6];
  EXPECT_EQ(manufacturing["breakdown_value"], "制造业");
  EXPECT_EQ(manufacturing["label"], "B/A · 制造业");
  EXPECT_EQ(manufacturing["points"][0]["value"], 0.5);
  EXPECT_EQ(manufacturing["points"][1]["value"], 1);
  EXPECT_TRUE(manufacturing["points"][2]["value"].is_null());
  EXPECT_DOUBLE_EQ(manufacturing["total"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(a["series"][7]["breakdown_value"], "金融");
  EXPECT_EQ(a["series"][7]["total"], 1);
  EXPECT_TRUE(a["series"][8]["breakdown_value"].is_null());
  EXPECT_TRUE(a["series"][8]["points"][0]["value"].is_null());
  EXPECT_EQ(a["series"][8]["points"][1]["value"], 0);
  EXPECT_EQ(a["series"][8]["total"], 0);
}

TEST_P(TrendQueryTest, PersonsPerEventValueCountEachPersonOncePerValueAndDay) {
  // Persons per channel: sem = u1 (day 1), u1 + u3 (day 2) → [1, 2, 0], total 2;
  // video = u4 on day 2 → [0, 1, 0]; website = u2 on day 1 → [1, 0, 0].
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "persons"}}}},
                {"range", range_}, {"breakdown", "channel"}});
  ASSERT_EQ(a["series"].size(), 3u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "sem");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(a["series"][0]["total"], 2);
  EXPECT_EQ(Values(a["series"][1]), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(Values(a["series"][2]), (std::vector<double>{1, 0, 0}));
}

TEST_P(TrendQueryTest, PersonsByPersonTrait) {
  // Signup persons by role: user = u2 (day 1), u3 (day 2) → [1, 1, 0], total 2;
  // decision_maker = u1 on both days → [1, 1, 0], total 1; null = u4 (no role) on day 2.
  // Ties (total 1) are ordered by value with null first.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "persons"}}}},
                {"range", range_}, {"breakdown", {{"source", "person"}, {"property", "role"}}}});
  ASSERT_EQ(a["series"].size(), 3u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "user");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 1, 0}));
  EXPECT_EQ(a["series"][0]["total"], 2);
  EXPECT_TRUE(a["series"][1]["breakdown_value"].is_null());
  EXPECT_EQ(Values(a["series"][1]), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(a["series"][2]["breakdown_value"], "decision_maker");
  EXPECT_EQ(Values(a["series"][2]), (std::vector<double>{1, 1, 0}));
  EXPECT_EQ(a["series"][2]["total"], 1);
}

TEST_P(TrendQueryTest, HourBucketsAndAHalfHourZone) {
  // Hours of 03-01 and 03-02 (+08:00): u2 at 10:00 → bucket 10; u1 at 23:59:59.999 →
  // bucket 23; u1 at 00:00 → bucket 24; u3 15:00 → 39; u4 16:01 → 40.
  json hours = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "hour"},
                    {"range", {{"from", "2026-03-01"}, {"to", "2026-03-02"}}}});
  std::vector<double> v = Values(hours["series"][0]);
  ASSERT_EQ(v.size(), 48u);
  EXPECT_EQ(v[10], 1);
  EXPECT_EQ(v[23], 1);
  EXPECT_EQ(v[24], 1);
  EXPECT_EQ(v[39], 1);
  EXPECT_EQ(v[40], 1);
  EXPECT_EQ(hours["series"][0]["total"], 5);
  // Asia/Kolkata (+05:30): u2 07:30 03-01, u1 21:29:59.999 and 21:30 03-01, u3 12:30 and
  // u4 13:31 03-02 → [3, 2, 0].
  json kolkata = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"range", range_},
                      {"timezone", "Asia/Kolkata"}});
  EXPECT_EQ(Values(kolkata["series"][0]), (std::vector<double>{3, 2, 0}));
  EXPECT_EQ(kolkata["series"][0]["points"][1]["t"], "2026-03-02T00:00:00+05:30");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(TrendQueryTest);

json RunOn(ingest::TestProject& project, const json& spec, const std::string& now) {
  auto answer = RunQueryJson(spec, MakeTestContext(project, now));
  EXPECT_TRUE(answer.ok()) << answer.status().ToString();
  return answer.ok() ? *answer : json();
}

// Point values as JSON, so that null points compare too.
json Points(const json& series) {
  json out = json::array();
  for (const auto& p : series["points"]) out.push_back(p["value"]);
  return out;
}

class TrendNumericTest : public QueryTest {
 protected:
  void SetUp() override {
    // purchase.amount, 2026-03-01 .. 2026-03-04 (+08:00):
    //   day 1: twenty purchases with amounts 1 .. 20 (shuffled), plus three without a
    //          numeric amount ("abc", true, absent) → values 1 .. 20;
    //   day 2: "7.5" (a numeric string counts) and 2.5;  day 3: 4;  day 4: nothing.
    // 续费.金额 on day 1: 100 and 300.
    json batch = json::array();
    for (int i = 0; i < 20; ++i) {
      batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "b" + std::to_string(i)},
                       {"timestamp", "2026-03-01T1" + std::to_string(i % 10) + ":00:00+08:00"},
                       {"properties", {{"amount", (i * 7) % 20 + 1}, {"currency", "CNY"}}}});
    }
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c1"}, {"timestamp", "2026-03-01T09:00:00+08:00"},
                     {"properties", {{"amount", "abc"}, {"currency", "USD"}}}});
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c2"}, {"timestamp", "2026-03-01T09:00:00+08:00"},
                     {"properties", {{"amount", true}, {"currency", "USD"}}}});
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c3"}, {"timestamp", "2026-03-01T09:00:00+08:00"},
                     {"properties", {{"currency", "USD"}}}});
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c1"}, {"timestamp", "2026-03-02T09:00:00+08:00"},
                     {"properties", {{"amount", "7.5"}, {"currency", "CNY"}}}});
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c2"}, {"timestamp", "2026-03-02T23:59:59.999+08:00"},
                     {"properties", {{"amount", 2.5}, {"currency", "CNY"}}}});
    batch.push_back({{"type", "track"}, {"event", "purchase"}, {"userId", "c3"}, {"timestamp", "2026-03-03T00:00:00+08:00"},
                     {"properties", {{"amount", 4}, {"currency", "CNY"}}}});
    batch.push_back({{"type", "track"}, {"event", "续费"}, {"userId", "c1"}, {"timestamp", "2026-03-01T09:00:00+08:00"},
                     {"properties", {{"金额", 100}}}});
    batch.push_back({{"type", "track"}, {"event", "续费"}, {"userId", "c2"}, {"timestamp", "2026-03-01T09:00:00+08:00"},
                     {"properties", {{"金额", 300}}}});
    Ingest(json{{"batch", batch}}.dump());
  }

  json Measure(const std::string& measure, const std::string& event = "purchase",
               const std::string& property = "amount") {
    json a = RunOn(project_, {{"kind", "trend"},
                              {"series", {{{"event", event}, {"measure", measure}, {"property", property}}}},
                              {"range", range_}},
                   "2026-03-04T12:00:00+08:00");
    EXPECT_EQ(a["series"][0]["measure"], measure);
    EXPECT_EQ(a["series"][0]["property"], property);
    return a["series"][0];
  }

  const json range_ = {{"from", "2026-03-01"}, {"to", "2026-03-04"}};
};

TEST_P(TrendNumericTest, SumAvgMinMaxIgnoreValuesThatAreNotNumbers) {
  // sum: day 1 = 1 + ... + 20 = 210; day 2 = 7.5 + 2.5 = 10; day 3 = 4; day 4 = 0 → 224.
  json sum = Measure("sum");
  EXPECT_EQ(Points(sum), json({210, 10, 4, 0}));
  EXPECT_EQ(sum["total"], 224);
  EXPECT_EQ(sum["label"], "purchase (sum of amount)");
  // avg: day 1 = 210 / 20 (the three purchases without a number are not values, not
  // zeros) = 10.5; day 2 = 5; day 3 = 4; day 4 = null. Total 224 / 23.
  json avg = Measure("avg");
  EXPECT_EQ(Points(avg), json({10.5, 5, 4, nullptr}));
  EXPECT_DOUBLE_EQ(avg["total"].get<double>(), 224.0 / 23.0);
  json min = Measure("min");
  EXPECT_EQ(Points(min), json({1, 2.5, 4, nullptr}));
  EXPECT_EQ(min["total"], 1);
  json max = Measure("max");
  EXPECT_EQ(Points(max), json({20, 7.5, 4, nullptr}));
  EXPECT_EQ(max["total"], 20);
  // Chinese event and property names: 100 + 300 on day 1.
  json renewals = Measure("sum", "续费", "金额");
  EXPECT_EQ(Points(renewals), json({400, 0, 0, 0}));
  EXPECT_EQ(Measure("avg", "续费", "金额")["total"], 200);
}

TEST_P(TrendNumericTest, PercentilesInterpolateBetweenClosestRanks) {
  // h = (n − 1)·p on the sorted values; x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
  // Day 1, 1 .. 20 (n = 20): p50 h = 9.5 → 10.5; p90 h = 17.1 → 18.1; p95 h = 18.05 →
  //   19.05; p99 h = 18.81 → 19.81.
  // Day 2, {2.5, 7.5} (n = 2): h = p → 2.5 + 5p: p50 5, p90 7, p95 7.25, p99 7.45.
  // Day 3, {4}: every percentile is 4. Day 4: no value → null.
  // Range, n = 23: sorted 1, 2, 2.5, 3, 4, 4, 5, 6, 7, 7.5, 8, 9, 10, ..., 20 (index k ≥
  //   10 holds k − 2): p50 h = 11 → 9; p90 h = 19.8 → 17.8; p95 h = 20.9 → 18.9;
  //   p99 h = 21.78 → 19.78.
  struct Case {
    const char* measure;
    double day1, day2, total;
  };
  const Case cases[] = {{"p50", 10.5, 5, 9}, {"p90", 18.1, 7, 17.8}, {"p95", 19.05, 7.25, 18.9},
                        {"p99", 19.81, 7.45, 19.78}};
  for (const Case& c : cases) {
    json s = Measure(c.measure);
    EXPECT_NEAR(s["points"][0]["value"].get<double>(), c.day1, 1e-9) << c.measure;
    EXPECT_NEAR(s["points"][1]["value"].get<double>(), c.day2, 1e-9) << c.measure;
    EXPECT_EQ(s["points"][2]["value"], 4) << c.measure;
    EXPECT_TRUE(s["points"][3]["value"].is_null()) << c.measure;
    EXPECT_NEAR(s["total"].get<double>(), c.total, 1e-9) << c.measure;
  }
}

TEST_P(TrendNumericTest, EmptySeriesAndBreakdownValuesWithoutNumbers) {
  // No event at all: sum is 0, the statistics are null.
  json none = Measure("sum", "never_happened");
  EXPECT_EQ(Points(none), json({0, 0, 0, 0}));
  json none_avg = Measure("p90", "never_happened");
  EXPECT_EQ(Points(none_avg), json({nullptr, nullptr, nullptr, nullptr}));
  EXPECT_TRUE(none_avg["total"].is_null());
  // By currency: only CNY purchases carry numbers; the USD ones (abc, true, absent) give
  // no value, so USD is not a breakdown value of the avg.
  json a = RunOn(project_, {{"kind", "trend"},
                            {"series", {{{"event", "purchase"}, {"measure", "avg"}, {"property", "amount"}}}},
                            {"range", range_}, {"breakdown", "currency"}},
                 "2026-03-04T12:00:00+08:00");
  ASSERT_EQ(a["series"].size(), 1u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "CNY");
  EXPECT_EQ(Points(a["series"][0]), json({10.5, 5, 4, nullptr}));
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(TrendNumericTest);

class TrendCompareTest : public QueryTest {
 protected:
  void SetUp() override {
    // login by person, +08:00 (2026 is not a leap year: February has 28 days):
    //   02-26 10:00 x1 | 02-27 10:00 x1 | 02-28 23:59:59.999 x2 | 03-01 00:00 x1 |
    //   03-01 09:00 x3 | 03-02 12:00 x1 | 03-04 08:00 x2
    now_ = "2026-03-04T12:00:00+08:00";
    Ingest(R"({"batch":[
      {"type":"track","event":"login","userId":"x1","timestamp":"2026-02-26T10:00:00+08:00"},
      {"type":"track","event":"login","userId":"x1","timestamp":"2026-02-27T10:00:00+08:00"},
      {"type":"track","event":"login","userId":"x2","timestamp":"2026-02-28T23:59:59.999+08:00"},
      {"type":"track","event":"login","userId":"x1","timestamp":"2026-03-01T00:00:00+08:00"},
      {"type":"track","event":"login","userId":"x3","timestamp":"2026-03-01T09:00:00+08:00"},
      {"type":"track","event":"login","userId":"x1","timestamp":"2026-03-02T12:00:00+08:00"},
      {"type":"track","event":"login","userId":"x2","timestamp":"2026-03-04T08:00:00+08:00"}
    ]})");
  }
};

TEST_P(TrendCompareTest, PreviousPeriodCrossesTheMonthBorder) {
  // Current: 03-02 .. 03-04. Previous: the three days before, 02-27 .. 03-01.
  // events: current [1, 0, 1] = 2; previous [1 (x1), 1 (x2 at 23:59:59.999), 2] = 4.
  // persons: current [1, 0, 1], total 2 (x1, x2); previous [1, 1, 2], total 3 (x1, x2, x3).
  json a = Run({{"kind", "trend"},
                {"series", {{{"event", "login"}}, {{"event", "login"}, {"measure", "persons"}}}},
                {"range", {{"from", "2026-03-02"}, {"to", "2026-03-04"}}},
                {"compare", "previous_period"},
                {"formulas", {{{"label", "per person"}, {"expression", "A / B"}}}}});
  ASSERT_EQ(a["series"].size(), 6u);
  EXPECT_EQ(a["compare"], "previous_period");
  EXPECT_EQ(a["previous_from"], "2026-02-27T00:00:00+08:00");
  EXPECT_EQ(a["previous_to"], "2026-03-02T00:00:00+08:00");
  // The current entries come first, unchanged.
  EXPECT_EQ(Points(a["series"][0]), json({1, 0, 1}));
  EXPECT_FALSE(a["series"][0].contains("compare"));
  EXPECT_FALSE(a["series"][0]["points"][0].contains("t_current"));
  EXPECT_EQ(a["series"][1]["total"], 2);
  // A / B current: [1, null (0 / 0), 1], total 2 / 2 = 1.
  EXPECT_EQ(Points(a["series"][2]), json({1, nullptr, 1}));
  // Then the previous period, same order: events, persons, the formula.
  const json& events = a["series"][3];
  EXPECT_EQ(events["compare"], "previous");
  EXPECT_EQ(events["event"], "login");
  EXPECT_EQ(events["label"], "login (previous period)");
  EXPECT_EQ(Points(events), json({1, 1, 2}));
  EXPECT_EQ(events["total"], 4);
  EXPECT_EQ(events["points"][0]["t"], "2026-02-27T00:00:00+08:00");
  EXPECT_EQ(events["points"][0]["t_current"], "2026-03-02T00:00:00+08:00");
  EXPECT_EQ(events["points"][2]["t"], "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(events["points"][2]["t_current"], "2026-03-04T00:00:00+08:00");
  const json& persons = a["series"][4];
  EXPECT_EQ(Points(persons), json({1, 1, 2}));
  EXPECT_EQ(persons["total"], 3);
  // A / B previous: [1, 1, 1], total 4 / 3.
  const json& ratio = a["series"][5];
  EXPECT_EQ(ratio["formula"], "A / B");
  EXPECT_EQ(ratio["compare"], "previous");
  EXPECT_EQ(ratio["label"], "per person (previous period)");
  EXPECT_EQ(Points(ratio), json({1, 1, 1}));
  EXPECT_DOUBLE_EQ(ratio["total"].get<double>(), 4.0 / 3.0);
}

TEST_P(TrendCompareTest, MonthsCompareWithTheWholePreviousMonth) {
  // Month interval over 03-01 .. 03-04: one bucket, March (4 logins: 03-01 ×2, 03-02,
  // 03-04). Previous: February, 28 days (02-26, 02-27, 02-28 → 3).
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "login"}}}}, {"interval", "month"},
                {"range", {{"from", "2026-03-01"}, {"to", "2026-03-04"}}}, {"compare", "previous_period"}});
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_EQ(Points(a["series"][0]), json({4}));
  EXPECT_EQ(Points(a["series"][1]), json({3}));
  EXPECT_EQ(a["series"][1]["points"][0]["t"], "2026-02-01T00:00:00+08:00");
  EXPECT_EQ(a["series"][1]["points"][0]["t_current"], "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(a["previous_to"], "2026-03-01T00:00:00+08:00");
}

TEST_P(TrendCompareTest, BreakdownValuesComeFromTheCurrentPeriod) {
  // Persons by their own person id as an event breakdown is not possible, so break down
  // by a person trait nobody has: every row is null. Current logins: x1, x2 → one row
  // (null) with [1, 0, 1]; its previous entry [1, 1, 2].
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "login"}}}},
                {"range", {{"from", "2026-03-02"}, {"to", "2026-03-04"}}}, {"compare", "previous_period"},
                {"breakdown", {{"source", "person"}, {"property", "role"}}}});
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_TRUE(a["series"][1]["breakdown_value"].is_null());
  EXPECT_EQ(a["series"][1]["label"], "login · null (previous period)");
  EXPECT_EQ(Points(a["series"][1]), json({1, 1, 2}));
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(TrendCompareTest);

TEST(TrendPersonsDedup, APersonAlternatingBetweenValuesCountsOncePerValue) {
  // p1 views channel a, b, a within one day; p2 views a. Persons: a = 2, b = 1.
  ingest::TestProject project;
  project.Batch(R"({"batch":[
    {"type":"track","event":"view","userId":"p1","timestamp":"2026-03-01T10:00:00+08:00","properties":{"channel":"a"}},
    {"type":"track","event":"view","userId":"p1","timestamp":"2026-03-01T10:01:00+08:00","properties":{"channel":"b"}},
    {"type":"track","event":"view","userId":"p1","timestamp":"2026-03-01T10:02:00+08:00","properties":{"channel":"a"}},
    {"type":"track","event":"view","userId":"p2","timestamp":"2026-03-01T10:02:00+08:00","properties":{"channel":"a"}}
  ]})");
  json a = RunOn(project, {{"kind", "trend"}, {"series", {{{"event", "view"}, {"measure", "persons"}}}},
                           {"range", {{"from", "2026-03-01"}, {"to", "2026-03-01"}}}, {"breakdown", "channel"}},
                 "2026-03-02T00:00:00+08:00");
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "a");
  EXPECT_EQ(Points(a["series"][0]), json({2}));
  EXPECT_EQ(a["series"][1]["breakdown_value"], "b");
  EXPECT_EQ(Points(a["series"][1]), json({1}));
}

TEST(TrendFormula, ParsesPrecedenceAndParentheses) {
  auto f = TrendFormula::Parse("A + B * C - (A - B) / 2", 3, "f");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // A = 1, B = 2, C = 3: 1 + 6 - (-1) / 2 = 7.5.
  const double operands[] = {1, 2, 3};
  EXPECT_EQ(f->Evaluate(operands), 7.5);
  auto g = TrendFormula::Parse(" -A*-.5 + 10 ", 1, "f");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const double one[] = {4};
  EXPECT_EQ(g->Evaluate(one), 12);  // -4 × -0.5 + 10
  const double null[] = {std::numeric_limits<double>::quiet_NaN()};
  EXPECT_TRUE(std::isnan(g->Evaluate(null)));  // a null operand gives null
}

TEST(TrendFormula, ErrorsNameTheExpression) {
  ingest::TestProject project;
  const QueryContext ctx = MakeTestContext(project, 1772590500000, cctz::utc_time_zone());
  json two = {{{"event", "a"}}, {{"event", "b"}}};
  struct Case {
    json formulas;
    std::string field;
    std::string message_part;
  };
  std::string deep(200, '(');
  deep += "A" + std::string(200, ')');
  const Case cases[] = {
      {{{{"expression", "C / A"}}}, "formulas[0].expression", "series C does not exist"},
      {{{{"expression", "B / "}}}, "formulas[0].expression", "missing"},
      {{{{"expression", "(A + B"}}}, "formulas[0].expression", "')' is missing"},
      {{{{"expression", "A B"}}}, "formulas[0].expression", "unexpected 'B'"},
      {{{{"expression", "a / b"}}}, "formulas[0].expression", "capitals"},
      {{{{"expression", "AB / A"}}}, "formulas[0].expression", "unknown name 'AB'"},
      {{{{"expression", ""}}}, "formulas[0].expression", "empty"},
      {{{{"expression", "A % B"}}}, "formulas[0].expression", "unexpected '%'"},
      {{{{"expression", "1..2"}}}, "formulas[0].expression", "unexpected '.'"},
      {{{{"expression", deep}}}, "formulas[0].expression", "64 levels"},
      {{{{"label", "x"}}}, "formulas[0].expression", "expression"},
      {{{{"expression", "B / A"}}, {{"expression", "B / / A"}}}, "formulas[1].expression", "position 5"},
      {json::array({"B / A"}), "formulas[0]", "object"},
      {"B / A", "formulas", "array"},
  };
  for (const auto& c : cases) {
    json spec = {{"kind", "trend"}, {"series", two}, {"formulas", c.formulas}};
    auto answer = RunQueryJson(spec, ctx);
    ASSERT_FALSE(answer.ok()) << spec.dump();
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument) << spec.dump();
    EXPECT_EQ(answer.status().field(), c.field) << spec.dump() << " → " << answer.status().ToString();
    EXPECT_NE(answer.status().message().find(c.message_part), std::string::npos)
        << spec.dump() << " → " << answer.status().ToString();
  }
}

TEST(TrendSpecErrors, NameTheField) {
  ExpectSpecErrors(nullptr, {
      {{{"kind", "funnel_typo"}}, "kind"},
      {{{"kind", "trend"}}, "series"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"interval", "decade"}}, "interval"},
      {{{"kind", "trend"}, {"series", {{{"measure", "median"}}}}}, "series[0].measure"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"range", {{"from", "2026-02-30"}, {"to", "2026-03-01"}}}}, "range.from"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"range", {{"last", "3y"}}}}, "range.last"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"filters", {{{"property", "p"}, {"op", "like"}}}}}, "filters[0].op"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"breakdown", {{"source", "planet"}, {"property", "p"}}}}, "breakdown.source"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"timezone", "Mars/Base"}}, "timezone"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"interval", "hour"}, {"range", {{"from", "2000-01-01"}, {"to", "2026-01-01"}}}}, "interval"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}, {"measure", "sum"}}}}}, "series[0].property"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}, {{"event", "x"}, {"measure", "p90"}, {"property", 3}}}}}, "series[1].property"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}, {"measure", 7}}}}}, "series[0].measure"},
      {{{"kind", "trend"}, {"series", {{{"event", "x"}}}}, {"compare", "last_year"}}, "compare"},
  });
}

}  // namespace
}  // namespace tobops::query
