// Hand-worked trend cases: every expected number below is derived by hand from the
// messages each test sends, in Asia/Shanghai unless a test says otherwise.
#include "query/trend_query.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "ingest/test_ingest.h"
#include "query/query_json.h"

namespace tobops::query {
namespace {

using nlohmann::json;

class TrendQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Four people in two accounts, over 2026-03-01 .. 2026-03-03 (+08:00).
    // Day 1: u1 signup 23:59:59.999 (still day 1), u2 signup; anon a9 visits.
    // Day 2: u1 signup 00:00:00 (day 2), u3 signup, a9 identifies as u4 and signs up.
    // Day 3: nothing.
    project_.Batch(R"({"batch":[
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

  json Run(json spec) {
    QueryContext ctx;
    ctx.store = &project_.store();
    ctx.identity = &project_.identity();
    ctx.zone = *LoadTimeZone("Asia/Shanghai");
    ctx.now_ms = *ParseIso8601Ms("2026-03-03T12:00:00+08:00");
    ctx.threads = 2;
    auto answer = RunQueryJson(spec, ctx);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? *answer : json();
  }

  static std::vector<double> Values(const json& series) {
    std::vector<double> out;
    for (const auto& p : series["points"]) out.push_back(p["value"].get<double>());
    return out;
  }

  ingest::TestProject project_;
  const json range_ = {{"from", "2026-03-01"}, {"to", "2026-03-03"}};
};

TEST_F(TrendQueryTest, CountsPerDayInTheProjectTimeZone) {
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"}, {"range", range_}});
  ASSERT_EQ(a["series"].size(), 1u);
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3, 0}));
  EXPECT_EQ(a["series"][0]["total"], 5);
  EXPECT_EQ(a["series"][0]["points"][1]["t"], "2026-03-02T00:00:00+08:00");
  EXPECT_EQ(a["from"], "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(a["to"], "2026-03-04T00:00:00+08:00");
}

TEST_F(TrendQueryTest, SameDataInUtcShiftsTheBoundaries) {
  // In UTC: u2 02:00Z Mar 1, u1 15:59Z Mar 1, u1 16:00Z Mar 1, u3 07:00Z Mar 2, u4 08:01Z Mar 2.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", range_}, {"timezone", "UTC"}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{3, 2, 0}));
}

TEST_F(TrendQueryTest, UniquePersonsMergeAnonymousHistory) {
  // All events, persons: day 1 = u1, u2, a9 (=u4) → 3; day 2 = u1, u3, u4 → 3; range: 4.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "$all"}, {"measure", "persons"}}}},
                {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{3, 3, 0}));
  EXPECT_EQ(a["series"][0]["total"], 4);
}

TEST_F(TrendQueryTest, UniqueAccountsIgnoreEventsWithoutAccount) {
  // signup accounts: day 1 acc-A (u1, u2); day 2 acc-A (u1), acc-B (u3); u4 has none.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "accounts"}}}},
                {"interval", "day"}, {"range", range_}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(a["series"][0]["total"], 2);
}

TEST_F(TrendQueryTest, BreakdownByEventPropertyOrdersByTotal) {
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", range_}, {"breakdown", {{"source", "event"}, {"property", "channel"}}}});
  ASSERT_EQ(a["series"].size(), 3u);
  EXPECT_EQ(a["series"][0]["breakdown_value"], "sem");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{1, 2, 0}));
  EXPECT_EQ(a["series"][1]["breakdown_value"], "video");  // ties broken by value
  EXPECT_EQ(a["series"][2]["breakdown_value"], "website");
}

TEST_F(TrendQueryTest, BreakdownByAccountTraitWithNullForNoAccount) {
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

TEST_F(TrendQueryTest, PersonTraitFilterAndEventFilter) {
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
}

TEST_F(TrendQueryTest, WeeksStartOnMondayAndEmptyResultsHaveZeroPoints) {
  // 2026-03-01 is a Sunday: its week starts Monday 2026-02-23.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}, {{"event", "never_happened"}}}},
                {"interval", "week"}, {"range", range_}});
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_EQ(a["series"][0]["points"][0]["t"], "2026-02-23T00:00:00+08:00");
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3}));
  EXPECT_EQ(Values(a["series"][1]), (std::vector<double>{0, 0}));
  EXPECT_EQ(a["series"][1]["total"], 0);
}

TEST_F(TrendQueryTest, LastRangeEndsNow) {
  // now = 2026-03-03 12:00 +08:00; last 3d = Mar 1, 2, 3.
  json a = Run({{"kind", "trend"}, {"series", {{{"event", "signup"}}}}, {"interval", "day"},
                {"range", {{"last", "3d"}}}});
  EXPECT_EQ(Values(a["series"][0]), (std::vector<double>{2, 3, 0}));
}

TEST(TrendSpecErrors, NameTheField) {
  ingest::TestProject project;
  QueryContext ctx;
  ctx.store = &project.store();
  ctx.identity = &project.identity();
  ctx.zone = cctz::utc_time_zone();
  ctx.now_ms = 1772590500000;
  struct Case {
    json spec;
    std::string field;
  };
  const Case cases[] = {
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
  };
  for (const auto& c : cases) {
    auto answer = RunQueryJson(c.spec, ctx);
    ASSERT_FALSE(answer.ok()) << c.spec.dump();
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument) << c.spec.dump();
    EXPECT_EQ(answer.status().field(), c.field) << c.spec.dump() << " → " << answer.status().ToString();
  }
}

}  // namespace
}  // namespace tobops::query
