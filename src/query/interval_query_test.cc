// Hand-worked interval cases: every duration below is derived by hand from the messages
// SetUp sends (+08:00), from the memtable and from flushed segments.
#include "query/interval_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using I = std::vector<int64_t>;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Range Mar 1 – Mar 31; from 注册 (signup) to 购买 (purchase) unless a test says otherwise:
//   i1 (acc-I): 注册 {渠道: 微信} Mar 1 10:00, 购买 Mar 2 10:00                 → 1 d
//   i2 (acc-I): 注册 Mar 1 10:00, 注册 Mar 1 11:00 (pair already open), 购买 Mar 1 12:00
//               → 2 h from the first 注册; 购买 Mar 1 13:00 (nothing open);
//               注册 Mar 5 10:00, 购买 Mar 5 10:30                                → 30 min
//   i3: 购买 Mar 1 09:00 then 注册 Mar 1 10:00 and nothing after                 → no pair
//   i4: 注册 and 购买 both Mar 2 10:00 (not strictly later: no pair), 购买 10:05 → 5 min
//   i5: 注册 Mar 31 23:00, 购买 Apr 1 01:00 (outside the range)                  → no pair
//   i7: 登录 Mar 10 09:00, 09:10, 09:40 (login → login)
class IntervalQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    std::vector<std::string> messages = {
        R"({"type":"group","userId":"i1","groupId":"acc-I","timestamp":"2026-02-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"i2","groupId":"acc-I","timestamp":"2026-02-01T09:00:00+08:00"})",
    };
    auto track = [&](const std::string& user, const std::string& event, const std::string& time,
                     const std::string& properties = "{}") {
      messages.push_back(R"({"type":"track","userId":")" + user + R"(","event":")" + event +
                         R"(","timestamp":"2026-)" + time + R"(+08:00","properties":)" +
                         properties + "}");
    };
    track("i1", "注册", "03-01T10:00:00", R"({"渠道":"微信"})");
    track("i1", "购买", "03-02T10:00:00");
    track("i2", "注册", "03-01T10:00:00");
    track("i2", "注册", "03-01T11:00:00");
    track("i2", "购买", "03-01T12:00:00");
    track("i2", "购买", "03-01T13:00:00");
    track("i2", "注册", "03-05T10:00:00");
    track("i2", "购买", "03-05T10:30:00");
    track("i3", "购买", "03-01T09:00:00");
    track("i3", "注册", "03-01T10:00:00");
    track("i4", "注册", "03-02T10:00:00");
    track("i4", "购买", "03-02T10:00:00");
    track("i4", "购买", "03-02T10:05:00");
    track("i5", "注册", "03-31T23:00:00");
    track("i5", "购买", "04-01T01:00:00");
    track("i7", "登录", "03-10T09:00:00");
    track("i7", "登录", "03-10T09:10:00");
    track("i7", "登录", "03-10T09:40:00");
    now_ = "2026-04-20T12:00:00+08:00";
    Ingest(messages);
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "interval"},
                 {"from_event", {{"event", "注册"}, {"filters", json::array()}}},
                 {"to_event", {{"event", "购买"}, {"filters", json::array()}}},
                 {"range", {{"from", "2026-03-01"}, {"to", "2026-03-31"}}}};
    return Override(spec, overrides);
  }

  static I Counts(const json& a) {
    I out;
    for (const auto& b : a["histogram"]) out.push_back(b["count"].get<int64_t>());
    return out;
  }
};

TEST_P(IntervalQueryTest, PairsEachCycleFromItsFirstFromEventToTheNextLaterToEvent) {
  // Pairs, sorted: 5 min (i4), 30 min (i2), 2 h (i2), 1 d (i1) = 300 000, 1 800 000,
  // 7 200 000, 86 400 000 ms. Average 95 700 000 / 4 = 23 925 000.
  // Percentiles, h = 3p: p25 h .75 → 300 000 + .75 · 1 500 000 = 1 425 000;
  // p50 h 1.5 → 1 800 000 + .5 · 5 400 000 = 4 500 000; p75 h 2.25 → 7 200 000 + .25 ·
  // 79 200 000 = 27 000 000; p90 h 2.7 → 62 640 000; p99 h 2.97 → 84 024 000.
  json a = Run();
  EXPECT_EQ(a["pairs"], 4);
  EXPECT_EQ(a["entities"], 3);
  EXPECT_DOUBLE_EQ(a["average_ms"].get<double>(), 23'925'000.0);
  EXPECT_EQ(a["min_ms"], 5 * kMinute);
  EXPECT_EQ(a["max_ms"], kDay);
  const json& p = a["percentiles"];
  EXPECT_DOUBLE_EQ(p["p25_ms"].get<double>(), 1'425'000.0);
  EXPECT_DOUBLE_EQ(p["p50_ms"].get<double>(), 4'500'000.0);
  EXPECT_DOUBLE_EQ(p["p75_ms"].get<double>(), 27'000'000.0);
  EXPECT_NEAR(p["p90_ms"].get<double>(), 62'640'000.0, 1e-6);
  EXPECT_NEAR(p["p99_ms"].get<double>(), 84'024'000.0, 1e-6);
  // Buckets from 0 to the one holding 1 d: [0,1m) [1m,5m) [5m,15m) [15m,30m) [30m,1h)
  // [1h,3h) [3h,6h) [6h,12h) [12h,1d) [1d,2d). Lower bounds are inclusive.
  EXPECT_EQ(Counts(a), (I{0, 0, 1, 0, 1, 1, 0, 0, 0, 1}));
  EXPECT_EQ(a["histogram"][2],
            json({{"from_ms", 5 * kMinute}, {"to_ms", 15 * kMinute}, {"count", 1}}));
  EXPECT_EQ(a["histogram"][9], json({{"from_ms", kDay}, {"to_ms", 2 * kDay}, {"count", 1}}));
}

TEST_P(IntervalQueryTest, TheSameEventOnBothSidesMeasuresTheGapsBetweenOccurrences) {
  // i7: 09:00 → 09:10 (10 min), 09:10 → 09:40 (30 min): each login closes one pair and
  // opens the next. Median of two: 20 min.
  json a = Run({{"from_event", "登录"}, {"to_event", "登录"}});
  EXPECT_EQ(a["pairs"], 2);
  EXPECT_EQ(a["entities"], 1);
  EXPECT_DOUBLE_EQ(a["percentiles"]["p50_ms"].get<double>(), 20.0 * kMinute);
  EXPECT_DOUBLE_EQ(a["average_ms"].get<double>(), 20.0 * kMinute);
}

TEST_P(IntervalQueryTest, FiltersQualifyTheFromEvent) {
  // Only i1's 注册 has 渠道 = 微信 → one pair of 1 day; tiny sets give every
  // percentile that value.
  json a = Run({{"from_event",
                 {{"event", "注册"}, {"filters", {{{"property", "渠道"}, {"value", "微信"}}}}}}});
  EXPECT_EQ(a["pairs"], 1);
  EXPECT_DOUBLE_EQ(a["percentiles"]["p25_ms"].get<double>(), double(kDay));
  EXPECT_DOUBLE_EQ(a["percentiles"]["p99_ms"].get<double>(), double(kDay));
}

TEST_P(IntervalQueryTest, AccountsPairOverTheirPeoplesEvents) {
  // acc-I: 注册 10:00 (i1 and i2 at once), 注册 11:00, 购买 12:00 → 2 h; 购买 13:00 and
  // Mar 2 10:00 (nothing open); 注册 Mar 5 10:00, 购买 10:30 → 30 min. i3, i4 have no account.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(a["pairs"], 2);
  EXPECT_EQ(a["entities"], 1);
  EXPECT_DOUBLE_EQ(a["average_ms"].get<double>(), 4'500'000.0);
}

TEST_P(IntervalQueryTest, NoPairsGiveZerosAndNoHistogram) {
  json a = Run({{"from_event", "不存在"}});
  EXPECT_EQ(a["pairs"], 0);
  EXPECT_EQ(a["average_ms"], 0.0);
  EXPECT_EQ(a["percentiles"]["p50_ms"], 0.0);
  EXPECT_TRUE(a["histogram"].empty());
}

TEST_P(IntervalQueryTest, SpecErrorsNameTheirField) {
  json no_to = {{"to_event", nullptr}};
  EXPECT_EQ(ErrorField(no_to), "to_event");
  EXPECT_EQ(ErrorField({{"from_event", {{"filters", json::array()}}}}), "from_event.event");
  EXPECT_EQ(ErrorField({{"from_event", 5}}), "from_event");
  EXPECT_EQ(ErrorField({{"to_event",
                         {{"event", "购买"}, {"filters", {{{"property", "x"}, {"op", "~"}}}}}}}),
            "to_event.filters[0].op");
  EXPECT_EQ(ErrorField({{"aggregate_by", "team"}}), "aggregate_by");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(IntervalQueryTest);

}  // namespace
}  // namespace tobops::query
