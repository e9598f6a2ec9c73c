// Hand-worked lifecycle cases: every expected number below is derived by hand from the
// messages SetUp sends, in Asia/Shanghai (+08:00), from the memtable and from flushed
// segments.
#include "query/lifecycle_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using I = std::vector<int64_t>;

// One status over the buckets of an answer.
I BucketColumn(const json& answer, const char* status) {
  I out;
  for (const auto& b : answer["buckets"]) out.push_back(b[status].get<int64_t>());
  return out;
}

// Weeks (Monday start): B0 = Sep 7–13 (before the range), B1 = Sep 14–20,
// B2 = Sep 21–27, B3 = Sep 28–Oct 4 (the range is B1..B3). The activity event is 使用.
//   p1 (acc-X): Aug 20 (first ever), Sep 8 (B0), Sep 15 (B1), Sep 29 (B3)
//   p2 (acc-Y): Sep 16 (B1, first ever), Sep 23 10:00 (B2), Sep 30 (B3)
//   p3 (acc-X): Sep 10 (B0, first ever), nothing later
//   p4: Aug 1 only
//   p5: Sep 24 (B2, first ever)
//   p6: 浏览 Sep 1 and Sep 15 (not the activity), 使用 Mon Sep 28 00:00:00 (B3, first ever)
//   p7: Sun Sep 27 23:59:59 (B2, first ever), Mon Sep 28 00:00:00 (B3)
//   p8: Aug 10 (first ever, long before), Sep 22 (B2)
class LifecycleQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    now_ = "2026-10-20T12:00:00+08:00";
    Ingest(R"({"batch":[
      {"type":"group","userId":"p1","groupId":"acc-X","timestamp":"2026-07-01T09:00:00+08:00"},
      {"type":"group","userId":"p3","groupId":"acc-X","timestamp":"2026-07-01T09:00:00+08:00"},
      {"type":"group","userId":"p2","groupId":"acc-Y","timestamp":"2026-07-01T09:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p4","timestamp":"2026-08-01T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p8","timestamp":"2026-08-10T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p1","timestamp":"2026-08-20T12:00:00+08:00"},
      {"type":"track","event":"浏览","userId":"p6","timestamp":"2026-09-01T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p1","timestamp":"2026-09-08T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p3","timestamp":"2026-09-10T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p1","timestamp":"2026-09-15T12:00:00+08:00"},
      {"type":"track","event":"浏览","userId":"p6","timestamp":"2026-09-15T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p2","timestamp":"2026-09-16T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p8","timestamp":"2026-09-22T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p2","timestamp":"2026-09-23T10:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p5","timestamp":"2026-09-24T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p7","timestamp":"2026-09-27T23:59:59+08:00"},
      {"type":"track","event":"使用","userId":"p6","timestamp":"2026-09-28T00:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p7","timestamp":"2026-09-28T00:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p1","timestamp":"2026-09-29T12:00:00+08:00"},
      {"type":"track","event":"使用","userId":"p2","timestamp":"2026-09-30T12:00:00+08:00"}
    ]})");
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "lifecycle"},
                 {"event", "使用"},
                 {"interval", "week"},
                 {"range", {{"from", "2026-09-14"}, {"to", "2026-10-04"}}}};
    spec.merge_patch(overrides);
    return spec;
  }

  static I Column(const json& answer, const char* status) { return BucketColumn(answer, status); }
};

TEST_P(LifecycleQueryTest, EachStatusOnAHandBuiltTimeline) {
  json a = Run(json::object());
  EXPECT_EQ(a["kind"], "lifecycle");
  EXPECT_EQ(a["interval"], "week");
  ASSERT_EQ(a["buckets"].size(), 3u);
  EXPECT_EQ(a["buckets"][0]["t"], "2026-09-14T00:00:00+08:00");
  EXPECT_EQ(a["buckets"][2]["t"], "2026-09-28T00:00:00+08:00");
  // B1: new p2; returning p1 (active in B0, first event Aug 20); dormant p3 (B0 only).
  // B2: new p5, p7 (Sun 23:59:59); returning p2; resurrecting p8 (its first event is
  //     Aug 10, before the scanned buckets: not new); dormant p1.
  // B3: new p6 (Mon 00:00, its 浏览 events do not count); returning p2, p7;
  //     resurrecting p1 (B1, not B2); dormant p5, p8. p4 never appears.
  EXPECT_EQ(Column(a, "new"), (I{1, 2, 1}));
  EXPECT_EQ(Column(a, "returning"), (I{1, 1, 2}));
  EXPECT_EQ(Column(a, "resurrecting"), (I{0, 1, 1}));
  EXPECT_EQ(Column(a, "dormant"), (I{-1, -1, -2}));
}

TEST_P(LifecycleQueryTest, AccountsCombineTheirPeople) {
  // acc-X (p1, p3): Aug 20, B0, B1, B3 → B1 returning, B2 dormant, B3 resurrecting.
  // acc-Y (p2): B1 new, B2 and B3 returning. p4–p8 have no account.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(a["aggregate_by"], "account");
  EXPECT_EQ(Column(a, "new"), (I{1, 0, 0}));
  EXPECT_EQ(Column(a, "returning"), (I{1, 1, 1}));
  EXPECT_EQ(Column(a, "resurrecting"), (I{0, 0, 1}));
  EXPECT_EQ(Column(a, "dormant"), (I{0, -1, 0}));
}

TEST_P(LifecycleQueryTest, BucketsAfterNowStayEmpty) {
  // Now = Wed Sep 23 12:00 (in B2): p2's 10:00 and p8's Sep 22 events are seen, p5's and
  // p7's are not yet. B2: returning p2, resurrecting p8, dormant p1 (nothing from p1 so
  // far this week). B3 has not started: all zero — p2 and p8 are not dormant there.
  json a = Run(json::object(), "2026-09-23T12:00:00+08:00");
  EXPECT_EQ(Column(a, "new"), (I{1, 0, 0}));
  EXPECT_EQ(Column(a, "returning"), (I{1, 1, 0}));
  EXPECT_EQ(Column(a, "resurrecting"), (I{0, 1, 0}));
  EXPECT_EQ(Column(a, "dormant"), (I{-1, -1, 0}));
}

TEST_P(LifecycleQueryTest, DailyIntervalAndAnyEvent) {
  // Days Sep 27 and 28, any event; nobody was active Sep 26. Sep 27: p7 new.
  // Sep 28: p7 returning; p6 resurrecting — with any event its first event ever is the
  // 浏览 of Sep 1, and it was not active Sep 27. Everyone else is active on other days.
  json a = Run({{"event", "$any"},
                {"interval", "day"},
                {"range", {{"from", "2026-09-27"}, {"to", "2026-09-28"}}}});
  ASSERT_EQ(a["buckets"].size(), 2u);
  EXPECT_EQ(Column(a, "new"), (I{1, 0}));
  EXPECT_EQ(Column(a, "returning"), (I{0, 1}));
  EXPECT_EQ(Column(a, "resurrecting"), (I{0, 1}));
  EXPECT_EQ(Column(a, "dormant"), (I{0, 0}));
}

TEST_P(LifecycleQueryTest, EmptyAndErrors) {
  json a = Run({{"event", "不存在"}});
  ASSERT_EQ(a["buckets"].size(), 3u);
  EXPECT_EQ(Column(a, "new"), (I{0, 0, 0}));
  EXPECT_EQ(Column(a, "dormant"), (I{0, 0, 0}));
  // Now before the range: every bucket is listed, all zero.
  json f = Run(json::object(), "2026-09-01T00:00:00+08:00");
  ASSERT_EQ(f["buckets"].size(), 3u);
  EXPECT_EQ(Column(f, "new"), (I{0, 0, 0}));
  EXPECT_EQ(Column(f, "dormant"), (I{0, 0, 0}));
  EXPECT_EQ(ErrorField({{"interval", "year"}}), "interval");
  EXPECT_EQ(ErrorField({{"aggregate_by", "team"}}), "aggregate_by");
  EXPECT_EQ(ErrorField({{"event", 5}}), "event");
  EXPECT_EQ(ErrorField({{"filters", {{{"property", ""}}}}}), "filters[0].property");
  EXPECT_EQ(ErrorField({{"range", {{"to", nullptr}}}}), "range.to");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(LifecycleQueryTest);

// Random events against a brute-force reading of the definitions: 60 persons, weeks in
// Asia/Shanghai (no DST: a week is 7 × 24 h), events Jul 20 – Oct 20, now Oct 10.
class LifecycleRandomTest : public QueryTest {};

TEST_P(LifecycleRandomTest, MatchesBruteForce) {
  const cctz::time_zone zone = TestZone();
  const int64_t now_ms = *ParseIso8601Ms("2026-10-10T15:00:00+08:00");
  const std::vector<std::string> names = {"使用", "view"};
  const std::vector<RandomEvent> rows = IngestRandomEvents(777, names);
  const QueryContext ctx = MakeTestContext(project_, now_ms, zone);
  // Range Sep 1 .. Oct 18: weeks of Aug 31 .. Oct 12 (7 buckets), the last after now.
  const int64_t week_ms = 7 * 86'400'000LL;
  const int64_t b0 = *ParseIso8601Ms("2026-08-31T00:00:00+08:00");
  const int buckets = 7;
  auto bucket = [&](int64_t ts) {
    return int((TimeBuckets::Floor(ts, Interval::kWeek, zone) - b0) / week_ms);
  };
  for (int name : {0, 1}) {
    I fresh(buckets, 0), returning(buckets, 0), resurrecting(buckets, 0), dormant(buckets, 0);
    for (int p = 0; p < 60; ++p) {
      std::set<int> active;
      int first = INT32_MAX;
      for (const RandomEvent& r : rows) {
        if (r.person != p || r.name != name || r.ts > now_ms) continue;
        active.insert(bucket(r.ts));
        first = std::min(first, bucket(r.ts));
      }
      for (int b = 0; b < buckets; ++b) {
        if (b0 + b * week_ms > now_ms) continue;  // not started: all zero
        const bool now_active = active.count(b), before = active.count(b - 1);
        if (now_active && first == b)
          ++fresh[b];
        else if (now_active && before)
          ++returning[b];
        else if (now_active)
          ++resurrecting[b];
        else if (before)
          --dormant[b];
      }
    }
    json spec = {{"kind", "lifecycle"},
                 {"event", names[name]},
                 {"interval", "week"},
                 {"range", {{"from", "2026-09-01"}, {"to", "2026-10-18"}}}};
    auto answer = RunQueryJson(spec, ctx);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_EQ((*answer)["buckets"].size(), size_t(buckets));
    EXPECT_EQ(BucketColumn(*answer, "new"), fresh) << names[name];
    EXPECT_EQ(BucketColumn(*answer, "returning"), returning) << names[name];
    EXPECT_EQ(BucketColumn(*answer, "resurrecting"), resurrecting) << names[name];
    EXPECT_EQ(BucketColumn(*answer, "dormant"), dormant) << names[name];
  }
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(LifecycleRandomTest);

}  // namespace
}  // namespace tobops::query
