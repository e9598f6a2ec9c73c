// File: query/retention_bits.h
// RetentionBits: per entity, the periods in which it did a start event and a return
// event, and the instant of its first start event — everything a retention without
// breakdown and revenue needs. One scan folds rows straight into these bitsets (a few
// words per entity) instead of collecting, grouping and sorting every row into an
// EntityTimelines, which for "return = any event" means every event of the range.
// Rows are tagged by query/timeline_scan.h, exactly as EntityTimelines tags them.
// Caller: RunRetention (query/retention_query.cc).
// Thread-safety: Collect is reentrant; a built RetentionBits is immutable.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/entity_directory.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"
#include "query/time_buckets.h"

namespace tobops::query {

class RetentionBits {
 public:
  static constexpr int64_t kNoStart = std::numeric_limits<int64_t>::max();

  // Scans `request` (condition bit 0 = start, bit 1 = return; values are ignored) and
  // records, per entity with a kept row, the `periods` buckets holding its start and
  // return rows. Rows outside `periods` are ignored. Errors as EntityTimelines::Collect.
  static Result<RetentionBits> Collect(const TimelineRequest& request, const TimeBuckets& periods,
                                       const QueryContext& ctx);

  size_t entity_count() const { return keys_.size(); }
  // The entity's canonical person id or account id (order depends on scan timing).
  const std::string& entity_id(size_t e) const {
    return by_account_ ? directory_->AccountId(keys_[e]) : directory_->PersonId(keys_[e]);
  }
  // The earliest start row's timestamp; kNoStart without one.
  int64_t first_start_ms(size_t e) const { return first_start_[e]; }
  bool started_in(size_t e, size_t period) const { return Bit(start_words_, e, period); }
  bool returned_in(size_t e, size_t period) const { return Bit(return_words_, e, period); }
  size_t periods() const { return periods_; }

 private:
  bool Bit(const std::vector<uint64_t>& words, size_t e, size_t period) const {
    return period < periods_ && (words[e * words_ + period / 64] >> (period % 64)) & 1u;
  }
  size_t periods_ = 0;
  size_t words_ = 0;  // per entity
  bool by_account_ = false;
  std::shared_ptr<EntityDirectory> directory_;  // names the keys
  std::vector<uint32_t> keys_;                  // per entity: its directory key
  std::vector<int64_t> first_start_;
  std::vector<uint64_t> start_words_;   // [entity][word]
  std::vector<uint64_t> return_words_;  // [entity][word]
};

}  // namespace tobops::query
