// Shared fixture code for the query tests (src/query/*_test.cc), test-only.
// Contract: QueryTest is a fixture parametrized by "flushed" (false = rows stay in the
// memtable, true = Ingest flushes them to segments; instantiate with
// INSTANTIATE_MEMTABLE_AND_SEGMENTS so test names stay MemtableAndSegments/<Fixture>.<Test>/N).
// Queries run through RunQueryJson in Asia/Shanghai on 2 threads at the fixture's now_;
// Run expects success, ErrorField expects failure and gives the field the error names.
// MakeRandomEvents gives the seeded random track events the brute-force tests compare against;
// ExpectSpecErrors checks a table of bad specs against the fields their errors must name.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/time_format.h"
#include "ingest/test_ingest.h"
#include "query/query_context.h"
#include "query/query_json.h"

namespace tobops::query {

// The time zone every query test uses (+08:00, no DST).
inline cctz::time_zone TestZone() { return *LoadTimeZone("Asia/Shanghai"); }

// A context over `project` at `now_ms`, in `zone`, on 2 threads.
inline QueryContext MakeTestContext(ingest::TestProject& project, int64_t now_ms,
                                    const cctz::time_zone& zone = TestZone()) {
  QueryContext ctx;
  ctx.store = &project.store();
  ctx.identity = &project.identity();
  ctx.zone = zone;
  ctx.now_ms = now_ms;
  ctx.threads = 2;
  return ctx;
}

// The same with now given as ISO 8601 text.
inline QueryContext MakeTestContext(ingest::TestProject& project, const std::string& now) {
  return MakeTestContext(project, *ParseIso8601Ms(now));
}

// One random track event: person "r<person>", names[name], at ts.
struct RandomEvent {
  int person;
  int64_t ts;
  int name;
};

struct RandomEvents {
  std::vector<RandomEvent> rows;
  std::string batch;  // the rows as one ingest batch
};

// `count` events over `persons` persons at whole minutes in [begin_ms, begin_ms + span_ms),
// drawn from a 64-bit LCG seeded with `seed` (so a test's data is fixed by its seed).
inline RandomEvents MakeRandomEvents(uint64_t seed, const std::vector<std::string>& names,
                                     int64_t begin_ms, int64_t span_ms,
                                     const cctz::time_zone& zone, int count = 900,
                                     int persons = 60) {
  RandomEvents out;
  uint64_t state = seed;
  auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  out.batch = R"({"batch":[)";
  for (int i = 0; i < count; ++i) {
    // Braced initialisation draws in order: person, minute, name.
    RandomEvent r{int(next(uint64_t(persons))),
                  begin_ms + int64_t(next(uint64_t(span_ms / 60'000))) * 60'000,
                  int(next(names.size()))};
    out.rows.push_back(r);
    if (i > 0) out.batch += ",";
    out.batch += R"({"type":"track","event":")" + names[r.name] + R"(","userId":"r)" +
                 std::to_string(r.person) + R"(","timestamp":")" +
                 FormatIso8601Ms(r.ts, zone) + R"("})";
  }
  out.batch += "]}";
  return out;
}

class QueryTest : public ::testing::TestWithParam<bool> {
 protected:
  using json = nlohmann::json;

  // Sends `batch` and, for the segments parameter, flushes the memtable.
  void Ingest(const std::string& batch) {
    project_.Batch(batch);
    if (GetParam()) {
      EXPECT_TRUE(project_.store().Flush().ok());
    }
  }

  // The same for single messages, sent as one batch.
  void Ingest(const std::vector<std::string>& messages) {
    std::string batch = R"({"batch":[)";
    for (size_t i = 0; i < messages.size(); ++i) batch += (i ? "," : "") + messages[i];
    Ingest(batch + "]}");
  }

  // Ingests MakeRandomEvents(seed, names) over Jul 20 – Oct 20 2026 (+08:00) like Ingest,
  // and gives its rows for the brute-force side of a test.
  std::vector<RandomEvent> IngestRandomEvents(uint64_t seed,
                                             const std::vector<std::string>& names) {
    RandomEvents events = MakeRandomEvents(
        seed, names, *ParseIso8601Ms("2026-07-20T00:00:00+08:00"), 92LL * 86'400'000, TestZone());
    Ingest(events.batch);
    return std::move(events.rows);
  }

  // The spec a test means by `overrides`; a fixture with a base spec overrides this.
  virtual json WithDefaults(json overrides) const { return overrides; }

  QueryContext Context(const char* now = nullptr) {
    return MakeTestContext(project_, now != nullptr ? now : now_);
  }

  Result<json> RunSpec(json overrides, const char* now = nullptr) {
    return RunQueryJson(WithDefaults(std::move(overrides)), Context(now));
  }

  // The answer; the query must succeed.
  json Run(json overrides = json::object(), const char* now = nullptr) {
    auto answer = RunSpec(std::move(overrides), now);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? *answer : json();
  }

  // The error; the query must fail.
  Status Failure(json overrides) {
    auto answer = RunSpec(std::move(overrides));
    EXPECT_FALSE(answer.ok());
    return answer.ok() ? Status::Ok() : answer.status();
  }

  // The field the error names; the query must fail ("(ok)" when it does not).
  std::string ErrorField(json overrides) {
    auto answer = RunSpec(std::move(overrides));
    EXPECT_FALSE(answer.ok());
    return answer.ok() ? "(ok)" : answer.status().field();
  }

  // `defaults` with each top-level member of `overrides` replacing its namesake.
  static json Override(json defaults, const json& overrides) {
    for (const auto& [key, value] : overrides.items()) defaults[key] = value;
    return defaults;
  }

  std::string now_ = "2026-03-20T12:00:00+08:00";
  ingest::TestProject project_;
};

// Runs every test of `fixture` on the memtable (/0) and on flushed segments (/1).
#define INSTANTIATE_MEMTABLE_AND_SEGMENTS(fixture) \
  INSTANTIATE_TEST_SUITE_P(MemtableAndSegments, fixture, ::testing::Bool())

// A spec that must fail, and the field its error must name.
struct SpecErrorCase {
  nlohmann::json spec;
  std::string field;
};

// Runs each case on an empty project (UTC), as a `kind` query unless `kind` is null (the
// specs name their kind): each must fail with InvalidArgument naming its field.
inline void ExpectSpecErrors(const char* kind, const std::vector<SpecErrorCase>& cases) {
  ingest::TestProject project;
  const QueryContext ctx = MakeTestContext(project, 1772590500000, cctz::utc_time_zone());
  for (const auto& c : cases) {
    nlohmann::json spec = c.spec;
    if (kind != nullptr) spec["kind"] = kind;
    auto answer = RunQueryJson(spec, ctx);
    ASSERT_FALSE(answer.ok()) << spec.dump();
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument) << spec.dump();
    EXPECT_EQ(answer.status().field(), c.field)
        << spec.dump() << " → " << answer.status().ToString();
  }
}

}  // namespace tobops::query
