// Hand-worked distribution cases: every count below is derived by hand from the messages
// SetUp sends (+08:00), from the memtable and from flushed segments; and the shared
// percentile definition on tiny inputs.
#include "query/distribution_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using I = std::vector<int64_t>;

TEST(InterpolatedPercentile, InterpolatesBetweenClosestRanks) {
  EXPECT_EQ(InterpolatedPercentile(I{}, 0.5), 0.0);
  EXPECT_EQ(InterpolatedPercentile(I{5}, 0.0), 5.0);
  EXPECT_EQ(InterpolatedPercentile(I{5}, 0.99), 5.0);
  // Two values: h = p, so p50 is the midpoint and p25 a quarter of the way.
  EXPECT_EQ(InterpolatedPercentile(I{1, 2}, 0.5), 1.5);
  EXPECT_EQ(InterpolatedPercentile(I{1, 2}, 0.25), 1.25);
  EXPECT_EQ(InterpolatedPercentile(I{1, 2}, 1.0), 2.0);
  // Odd count: the median is the middle value.
  EXPECT_EQ(InterpolatedPercentile(I{1, 7, 9}, 0.5), 7.0);
}

// Range Mar 1 – Mar 3, event 使用 (use) unless a test says otherwise:
//   d1 (acc-D): 1 × 使用            d2 (acc-D): 3 × 使用
//   d3 (acc-E): 2 × 使用, one with 模块 = 报表
//   d4 (acc-E): 12 × 使用           d5: only 浏览 (not the event)
//   d6: 使用 on Feb 28 23:59:59 and Mar 4 00:00:00 (both outside)
//   d7: 1 × 使用                    d8: 55 × 导出 (export)
class DistributionQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    std::vector<std::string> messages = {
        R"({"type":"group","userId":"d1","groupId":"acc-D","timestamp":"2026-02-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"d2","groupId":"acc-D","timestamp":"2026-02-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"d3","groupId":"acc-E","timestamp":"2026-02-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"d4","groupId":"acc-E","timestamp":"2026-02-01T09:00:00+08:00"})",
    };
    auto track = [&](const std::string& user, const std::string& event, const std::string& time,
                     const std::string& properties = "{}") {
      messages.push_back(R"({"type":"track","userId":")" + user + R"(","event":")" + event +
                         R"(","timestamp":"2026-)" + time + R"(+08:00","properties":)" +
                         properties + "}");
    };
    track("d1", "使用", "03-01T10:00:00");
    for (int i = 0; i < 3; ++i) track("d2", "使用", "03-02T1" + std::to_string(i) + ":00:00");
    track("d3", "使用", "03-01T10:00:00", R"({"模块":"报表"})");
    track("d3", "使用", "03-03T10:00:00");
    for (int i = 0; i < 12; ++i)
      track("d4", "使用",
            "03-0" + std::to_string(1 + i % 3) + "T1" + std::to_string(i % 10) + ":00:00");
    track("d5", "浏览", "03-01T10:00:00");
    track("d6", "使用", "02-28T23:59:59");
    track("d6", "使用", "03-04T00:00:00");
    track("d7", "使用", "03-03T23:59:59");
    for (int i = 0; i < 55; ++i) {
      track("d8", "导出", "03-02T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00");
    }
    Ingest(messages);
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "distribution"},
                 {"event", "使用"},
                 {"filters", json::array()},
                 {"range", {{"from", "2026-03-01"}, {"to", "2026-03-03"}}}};
    return Override(spec, overrides);
  }

  static I Counts(const json& a) {
    I out;
    for (const auto& b : a["histogram"]) out.push_back(b["count"].get<int64_t>());
    return out;
  }
};

TEST_P(DistributionQueryTest, CountsEachEntitysEventsInTheRange) {
  // Counts d1 1, d7 1, d3 2, d2 3, d4 12 → sorted [1, 1, 2, 3, 12]; d5, d6, d8 do not
  // count (no 使用 in range). Total 19, average 3.8. Median: h = 4 · 0.5 = 2 → 2.
  // p90: h = 3.6 → 3 + 0.6 · (12 − 3) = 8.4.
  json a = Run();
  EXPECT_EQ(a["entities"], 5);
  EXPECT_EQ(a["events"], 19);
  EXPECT_DOUBLE_EQ(a["average"].get<double>(), 3.8);
  EXPECT_DOUBLE_EQ(a["median"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(a["p90"].get<double>(), 8.4);
  EXPECT_EQ(a["min"], 1);
  EXPECT_EQ(a["max"], 12);
  // One bucket per count 1..9, then [10, 20) holding d4.
  EXPECT_EQ(Counts(a), (I{2, 1, 1, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(a["histogram"][0], json({{"from", 1}, {"to", 2}, {"count", 2}}));
  EXPECT_EQ(a["histogram"][9], json({{"from", 10}, {"to", 20}, {"count", 1}}));
}

TEST_P(DistributionQueryTest, LargeCountsFallIntoOneTwoFiveBuckets) {
  // d8: 55 exports → buckets 1..9, [10,20), [20,50), [50,100); only the last holds it.
  json a = Run({{"event", "导出"}});
  EXPECT_EQ(a["entities"], 1);
  ASSERT_EQ(a["histogram"].size(), 12u);
  EXPECT_EQ(a["histogram"][10], json({{"from", 20}, {"to", 50}, {"count", 0}}));
  EXPECT_EQ(a["histogram"][11], json({{"from", 50}, {"to", 100}, {"count", 1}}));
  EXPECT_DOUBLE_EQ(a["median"].get<double>(), 55.0);
}

TEST_P(DistributionQueryTest, FiltersNarrowTheCountedEvents) {
  // Only d3's first 使用 has 模块 = 报表.
  json a = Run({{"filters", {{{"property", "模块"}, {"op", "eq"}, {"value", "报表"}}}}});
  EXPECT_EQ(a["entities"], 1);
  EXPECT_EQ(Counts(a), (I{1}));
  EXPECT_DOUBLE_EQ(a["p90"].get<double>(), 1.0);
}

TEST_P(DistributionQueryTest, AccountsAddUpTheirPeopleAndAnEvenCountInterpolatesTheMedian) {
  // acc-D: d1 + d2 = 4; acc-E: d3 + d4 = 14 → [4, 14]: median 9, p90 4 + 0.9 · 10 = 13.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(a["entities"], 2);
  EXPECT_DOUBLE_EQ(a["median"].get<double>(), 9.0);
  EXPECT_DOUBLE_EQ(a["p90"].get<double>(), 13.0);
  EXPECT_EQ(Counts(a), (I{0, 0, 0, 1, 0, 0, 0, 0, 0, 1}));
}

TEST_P(DistributionQueryTest, NoEntityGivesAnEmptyHistogram) {
  json a = Run({{"event", "不存在"}});
  EXPECT_EQ(a["entities"], 0);
  EXPECT_EQ(a["average"], 0.0);
  EXPECT_EQ(a["median"], 0.0);
  EXPECT_TRUE(a["histogram"].empty());
}

TEST_P(DistributionQueryTest, SpecErrorsNameTheirField) {
  EXPECT_EQ(ErrorField({{"event", 7}}), "event");
  EXPECT_EQ(ErrorField({{"filters", {{{"property", "模块"}, {"op", "like"}, {"value", "x"}}}}}),
            "filters[0].op");
  EXPECT_EQ(ErrorField({{"aggregate_by", "team"}}), "aggregate_by");
  EXPECT_EQ(ErrorField({{"range", {{"from", "March"}, {"to", "2026-03-03"}}}}), "range.from");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(DistributionQueryTest);

}  // namespace
}  // namespace tobops::query
