// File: query/prior_activity.h
// PriorActivity: which entities (canonical persons or accounts) did a matching event
// before an instant — the "has this entity been seen before the range?" question of
// first-time retention cohorts and of lifecycle's "new" status. It answers with one cheap
// scan that only marks entities, instead of collecting and sorting every historical row
// into an EntityTimelines, which for "any event" over a long history costs several times
// more than the range itself.
// Thread-safety: Collect is reentrant; a built PriorActivity is immutable.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/property_filter.h"
#include "query/query_context.h"

namespace tobops::query {

class PriorActivity {
 public:
  // Scans events with timestamp < `before_ms` meeting `condition` (event name, "" = any,
  // and its filters) and all `filters`, exactly as EntityTimelines::Collect tags rows, and
  // records their entities. Events without an account count for no account.
  // Errors: store errors pass through.
  static Result<PriorActivity> Collect(EntityKind entity, const TimelineCondition& condition,
                                       const std::vector<PropertyFilter>& filters,
                                       int64_t before_ms, const QueryContext& ctx);

  // True when the entity (EntityTimelines::entity_id) had such an event. Ids are compared
  // by their 64-bit XXH3 hash, as EntityTimelines interns them.
  bool Contains(std::string_view entity_id) const;
  size_t size() const { return hashes_.size(); }

 private:
  std::vector<uint64_t> hashes_;  // sorted, unique
};

}  // namespace tobops::query
