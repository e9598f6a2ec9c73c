// File: demo/demo_generator.h
// DemoGenerator: streams the deterministic demo story — a year of a B2B SaaS vendor's
// accounts, decision chains, channels and lifecycle — as Segment tracking-spec JSON
// messages in non-decreasing timestamp order. Used by `tobops demo`, the benchmarks
// and tests to load realistic data; docs/demo_data.md describes the story and rates.
//
// How it stays fast and bounded: accounts and people are planned up front (a few
// dozen bytes each); records are then simulated one local day at a time for the
// accounts active that day plus anonymous website traffic, sorted by time and
// rendered on demand. Memory is O(accounts + one day of records), so 100 million
// messages stream in constant memory per day.
// How it hits the target: accounts are added until their records make ~78% of
// target_events; anonymous traffic fills the rest exactly.
// Thread-safety: not thread-safe; use one generator per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "demo/demo_calendar.h"
#include "demo/demo_story.h"
#include "demo/message_writer.h"

namespace tobops::demo {

// Current wall-clock time in UTC ms: the default end of the story.
int64_t DefaultDemoEndMs();

struct DemoOptions {
  uint64_t seed = 42;
  // Number of messages to generate; the story hits it exactly unless it is so small
  // (below a few thousand) that a single account overshoots it.
  uint64_t target_events = 2'000'000;
  // The story ends here (exclusive), UTC ms. Tests fix it for byte-identical output.
  int64_t end_ms = DefaultDemoEndMs();
  // Length of the story in local (Asia/Shanghai) days; values below 1 mean 1.
  int days = 365;
};

class DemoGenerator {
 public:
  // Plans the whole story (accounts, people, daily traffic budgets). Costs roughly a
  // third of generating it, because every account is simulated once to count its
  // messages. Same options give byte-identical output.
  explicit DemoGenerator(DemoOptions options);
  ~DemoGenerator();
  DemoGenerator(const DemoGenerator&) = delete;
  DemoGenerator& operator=(const DemoGenerator&) = delete;

  // Replaces the contents of `out` with the next messages (at most max_messages, at
  // least one while the story lasts), each one compact JSON object. Requires
  // max_messages >= 1 and out != nullptr. The strings
  // already in `out` are reused as buffers. Timestamps never decrease, within and
  // across calls. Returns false, with `out` empty, once the story is over.
  bool NextBatch(size_t max_messages, std::vector<std::string>* out);

  // Messages returned so far.
  uint64_t generated() const { return generated_; }
  // Total messages the story will produce (exact once constructed).
  uint64_t expected_total() const { return expected_total_; }
  // Accounts and people in the story.
  size_t account_count() const { return story_->accounts().size(); }
  size_t person_count() const { return story_->people().size(); }

 private:
  // Simulates the next day into day_records_; false when no day is left.
  bool LoadNextDay();

  DemoOptions options_;
  std::unique_ptr<DemoCalendar> calendar_;
  std::unique_ptr<DemoStory> story_;
  std::unique_ptr<MessageWriter> writer_;
  std::vector<uint64_t> traffic_budget_;  // anonymous records per day
  std::vector<uint32_t> account_order_;   // accounts by first_sim_day
  size_t next_account_ = 0;               // next entry of account_order_ to activate
  std::vector<uint32_t> active_;          // accounts that may have records today
  int32_t day_ = -1;                      // day currently in day_records_
  std::vector<StoryRecord> day_records_;
  size_t position_ = 0;                   // next record of day_records_ to render
  uint64_t generated_ = 0;
  uint64_t expected_total_ = 0;
};

}  // namespace tobops::demo
