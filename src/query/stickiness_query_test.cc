// Hand-worked stickiness cases: every expected number below is derived by hand from the
// messages SetUp sends, in Asia/Shanghai (+08:00), from the memtable and from flushed
// segments.
#include "query/stickiness_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "query/query_test_support.h"
#include "query/time_buckets.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using I = std::vector<int64_t>;

// The range is the week Mon Sep 14 – Sun Sep 20; the event 使用 unless noted.
//   s1 (acc-S): Sep 14 10:00 and 11:00 (one day), Sep 15, Sep 20 → 3 days
//   s2 (acc-S): Sep 14 23:59:59, Sep 15 00:00:00 → 2 days
//   s3: Sep 16 → 1 day
//   s4: Sep 13 23:59:59 and Sep 21 00:00:00 → outside the range
//   s5 (acc-T): every day Sep 14..20 at 10:00 → 7 days
//   s6: Sep 17 15:00 → 1 day
//   s7: Sep 14 10:00 → 1 day; also 浏览 on Sep 15 and 16, which is not the event
class StickinessQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    std::string batch = R"({"batch":[
      {"type":"group","userId":"s1","groupId":"acc-S","timestamp":"2026-09-01T09:00:00+08:00"},
      {"type":"group","userId":"s2","groupId":"acc-S","timestamp":"2026-09-01T09:00:00+08:00"},
      {"type":"group","userId":"s5","groupId":"acc-T","timestamp":"2026-09-01T09:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s1","timestamp":"2026-09-14T10:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s1","timestamp":"2026-09-14T11:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s1","timestamp":"2026-09-15T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s1","timestamp":"2026-09-20T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s2","timestamp":"2026-09-14T23:59:59+08:00"},
      {"type":"track","event":"使用","userId":"s2","timestamp":"2026-09-15T00:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s3","timestamp":"2026-09-16T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s4","timestamp":"2026-09-13T23:59:59+08:00"},
      {"type":"track","event":"使用","userId":"s4","timestamp":"2026-09-21T00:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s6","timestamp":"2026-09-17T15:00:00+08:00"},
      {"type":"track","event":"使用","userId":"s7","timestamp":"2026-09-14T10:00:00+08:00"},
      {"type":"track","event":"浏览","userId":"s7","timestamp":"2026-09-15T10:00:00+08:00"},
      {"type":"track","event":"浏览","userId":"s7","timestamp":"2026-09-16T10:00:00+08:00"})";
    for (int day = 14; day <= 20; ++day) {
      batch += R"(,{"type":"track","event":"使用","userId":"s5","timestamp":"2026-09-)" +
               std::to_string(day) + R"(T10:00:00+08:00"})";
    }
    batch += "]}";
    now_ = "2026-10-20T12:00:00+08:00";
    Ingest(batch);
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "stickiness"},
                 {"event", "使用"},
                 {"interval", "day"},
                 {"range", {{"from", "2026-09-14"}, {"to", "2026-09-20"}}}};
    spec.merge_patch(overrides);
    return spec;
  }

  // count per k = 1..intervals.
  static I Counts(const json& answer) {
    I out;
    for (size_t k = 0; k < answer["values"].size(); ++k) {
      EXPECT_EQ(answer["values"][k]["intervals"], k + 1);
      out.push_back(answer["values"][k]["count"].get<int64_t>());
    }
    return out;
  }
};

TEST_P(StickinessQueryTest, ExactDailyHistogram) {
  json a = Run(json::object());
  EXPECT_EQ(a["kind"], "stickiness");
  EXPECT_EQ(a["interval"], "day");
  EXPECT_EQ(a["intervals"], 7);
  // 1 day: s3, s6, s7; 2: s2; 3: s1; 7: s5. s4 is outside the range.
  EXPECT_EQ(Counts(a), (I{3, 1, 1, 0, 0, 0, 1}));
  EXPECT_EQ(a["total"], 6);
}

TEST_P(StickinessQueryTest, AccountsAndAnyEvent) {
  // acc-S: s1 (14, 15, 20) ∪ s2 (14, 15) = 3 days; acc-T: s5, 7 days. The $group events
  // are on Sep 1, outside the range.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(Counts(a), (I{0, 0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(a["total"], 2);
  // Any event: s7 is now active on 14, 15, 16 (3 days): 1 day s3, s6; 2 s2; 3 s1, s7; 7 s5.
  json b = Run({{"event", "$any"}});
  EXPECT_EQ(Counts(b), (I{2, 1, 2, 0, 0, 0, 1}));
}

TEST_P(StickinessQueryTest, WeeksAreWholeAndNowCutsTheRange) {
  // A range starting Wednesday is widened to the whole week: s7's Monday counts too.
  json w = Run({{"interval", "week"}, {"range", {{"from", "2026-09-16"}, {"to", "2026-09-20"}}}});
  EXPECT_EQ(w["intervals"], 1);
  EXPECT_EQ(w["from"], "2026-09-14T00:00:00+08:00");
  EXPECT_EQ(Counts(w), (I{6}));
  // Now = Thu Sep 17 12:00: s1 14, 15 → 2; s2 → 2; s3 → 1; s5 14..17 → 4; s6 (15:00)
  // not yet; s7 → 1. The histogram still spans the 7 days of the range.
  json n = Run(json::object(), "2026-09-17T12:00:00+08:00");
  EXPECT_EQ(Counts(n), (I{2, 2, 0, 1, 0, 0, 0}));
  EXPECT_EQ(n["total"], 5);
}

TEST_P(StickinessQueryTest, EmptyAndErrors) {
  json a = Run({{"event", "不存在"}});
  EXPECT_EQ(Counts(a), (I{0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(a["total"], 0);
  json f = Run(json::object(), "2026-09-01T00:00:00+08:00");  // the range is after now
  EXPECT_EQ(f["total"], 0);
  EXPECT_EQ(ErrorField({{"interval", "fortnight"}}), "interval");
  EXPECT_EQ(ErrorField({{"aggregate_by", 1}}), "aggregate_by");
  EXPECT_EQ(ErrorField({{"event", ""}}), "event");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(StickinessQueryTest);

// Random events against a brute-force count of active days: 60 persons, events
// Jul 20 – Oct 20, now Oct 10.
class StickinessRandomTest : public QueryTest {};

TEST_P(StickinessRandomTest, MatchesBruteForce) {
  const cctz::time_zone zone = TestZone();
  const int64_t now_ms = *ParseIso8601Ms("2026-10-10T15:00:00+08:00");
  const std::vector<std::string> names = {"使用", "view"};
  const std::vector<RandomEvent> rows = IngestRandomEvents(777, names);
  const QueryContext ctx = MakeTestContext(project_, now_ms, zone);
  // Range Sep 20 .. Oct 12 (23 days), the last two after now.
  const int64_t d0 = *ParseIso8601Ms("2026-09-20T00:00:00+08:00");
  const int64_t d_end = *ParseIso8601Ms("2026-10-13T00:00:00+08:00");
  for (int name : {0, 1}) {
    I want(23, 0);
    int64_t total = 0;
    for (int p = 0; p < 60; ++p) {
      std::set<int64_t> days;
      for (const RandomEvent& r : rows) {
        if (r.person != p || r.name != name || r.ts > now_ms || r.ts < d0 || r.ts >= d_end)
          continue;
        days.insert(TimeBuckets::Floor(r.ts, Interval::kDay, zone));
      }
      if (days.empty()) continue;
      ++want[days.size() - 1];
      ++total;
    }
    json spec = {{"kind", "stickiness"},
                 {"event", names[name]},
                 {"interval", "day"},
                 {"range", {{"from", "2026-09-20"}, {"to", "2026-10-12"}}}};
    auto answer = RunQueryJson(spec, ctx);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    EXPECT_EQ((*answer)["intervals"], 23);
    I got;
    for (const auto& v : (*answer)["values"]) got.push_back(v["count"].get<int64_t>());
    EXPECT_EQ(got, want) << names[name];
    EXPECT_EQ((*answer)["total"], total);
  }
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(StickinessRandomTest);

}  // namespace
}  // namespace tobops::query
