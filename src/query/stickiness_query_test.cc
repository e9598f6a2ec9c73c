// Hand-worked stickiness cases: every expected number below is derived by hand from the
// messages SetUp sends, in Asia/Shanghai (+08:00), from the memtable and from flushed
// segments.
#include "query/stickiness_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "common/time_format.h"
#include "ingest/test_ingest.h"
#include "query/query_json.h"
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
class StickinessQueryTest : public ::testing::TestWithParam<bool> {
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
    project_.Batch(batch);
    if (GetParam()) {
      EXPECT_TRUE(project_.store().Flush().ok());
    }
  }

  json Run(json overrides, const std::string& now = "2026-10-20T12:00:00+08:00") {
    json spec = {{"kind", "stickiness"},
                 {"event", "使用"},
                 {"interval", "day"},
                 {"range", {{"from", "2026-09-14"}, {"to", "2026-09-20"}}}};
    spec.merge_patch(overrides);
    QueryContext ctx;
    ctx.store = &project_.store();
    ctx.identity = &project_.identity();
    ctx.zone = *LoadTimeZone("Asia/Shanghai");
    ctx.now_ms = *ParseIso8601Ms(now);
    ctx.threads = 2;
    auto answer = RunQueryJson(spec, ctx);
    if (!answer.ok()) return json{{"error_field", answer.status().field()}};
    return *answer;
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

  ingest::TestProject project_;
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
  EXPECT_EQ(Run({{"interval", "fortnight"}})["error_field"], "interval");
  EXPECT_EQ(Run({{"aggregate_by", 1}})["error_field"], "aggregate_by");
  EXPECT_EQ(Run({{"event", ""}})["error_field"], "event");
}

INSTANTIATE_TEST_SUITE_P(MemtableAndSegments, StickinessQueryTest, ::testing::Bool());

// Random events against a brute-force count of active days: 60 persons, events
// Jul 20 – Oct 20, now Oct 10.
class StickinessRandomTest : public ::testing::TestWithParam<bool> {};

TEST_P(StickinessRandomTest, MatchesBruteForce) {
  ingest::TestProject project;
  const cctz::time_zone zone = *LoadTimeZone("Asia/Shanghai");
  const int64_t begin_ms = *ParseIso8601Ms("2026-07-20T00:00:00+08:00");
  const int64_t span_ms = 92LL * 86'400'000;
  const int64_t now_ms = *ParseIso8601Ms("2026-10-10T15:00:00+08:00");
  const char* names[] = {"使用", "view"};
  struct Row {
    int person;
    int64_t ts;
    int name;
  };
  std::vector<Row> rows;
  uint64_t state = 777;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  std::string batch = R"({"batch":[)";
  for (int i = 0; i < 900; ++i) {
    Row r{int(next(60)), begin_ms + int64_t(next(uint64_t(span_ms / 60'000))) * 60'000,
          int(next(2))};
    rows.push_back(r);
    if (i > 0) batch += ",";
    batch += R"({"type":"track","event":")" + std::string(names[r.name]) + R"(","userId":"r)" +
             std::to_string(r.person) + R"(","timestamp":")" + FormatIso8601Ms(r.ts, zone) +
             R"("})";
  }
  batch += "]}";
  project.Batch(batch);
  if (GetParam()) {
    ASSERT_TRUE(project.store().Flush().ok());
  }
  QueryContext ctx;
  ctx.store = &project.store();
  ctx.identity = &project.identity();
  ctx.zone = zone;
  ctx.now_ms = now_ms;
  ctx.threads = 2;
  // Range Sep 20 .. Oct 12 (23 days), the last two after now.
  const int64_t d0 = *ParseIso8601Ms("2026-09-20T00:00:00+08:00");
  const int64_t d_end = *ParseIso8601Ms("2026-10-13T00:00:00+08:00");
  for (int name : {0, 1}) {
    I want(23, 0);
    int64_t total = 0;
    for (int p = 0; p < 60; ++p) {
      std::set<int64_t> days;
      for (const Row& r : rows) {
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

INSTANTIATE_TEST_SUITE_P(MemtableAndSegments, StickinessRandomTest, ::testing::Bool());

}  // namespace
}  // namespace tobops::query
