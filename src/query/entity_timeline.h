// File: query/entity_timeline.h
// EntityTimelines: the events of each entity (a canonical person, or an account) in time
// order, as compact rows — the input of every sequence kernel (funnel, retention, paths,
// lifecycle, attribution, health, ...). One scan of the store collects only the rows a
// kernel needs, tags each row with a bit per condition it meets (e.g. funnel step i),
// and optionally resolves up to two property values per row (the tagging is
// query/timeline_scan.h, shared with kernels that fold rows instead of keeping them);
// then the rows are grouped by entity and sorted, and kernels walk one entity at a time
// on all cores.
//
// Ordering contract: within an entity, rows are sorted by (timestamp_ms, event name id,
// mask, value[0], value[1], person) — a total order independent of storage layout and
// thread timing, so every answer is deterministic. Kernels that need a different
// tie-break at equal timestamps (funnels) apply it themselves; see docs/analytics.md.
// Thread-safety: Collect is reentrant; a built EntityTimelines is immutable.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"

namespace tobops::query {

enum class EntityKind { kPerson, kAccount };
// Parses "person" / "account"; false when unknown.
bool ParseEntityKind(const std::string& text, EntityKind* kind);
const char* EntityKindName(EntityKind kind);
// The spec's "aggregate_by" member: "person" (default) or "account"; errors name it.
Result<EntityKind> ParseAggregateBy(const nlohmann::json& spec);

// One tag bit: an event name (empty = any event) and filters that must all hold.
struct TimelineCondition {
  std::string event;
  std::vector<PropertyFilter> filters;
};

inline constexpr size_t kMaxTimelineConditions = 32;

struct TimelineRequest {
  EntityKind entity = EntityKind::kPerson;
  int64_t from_ms = 0;  // half-open range of event timestamps
  int64_t to_ms = 0;
  std::vector<TimelineCondition> conditions;  // bit i of TimelineEvent::mask; ≤ 32
  std::vector<PropertyFilter> filters;        // rows failing any of these are dropped
  // Keep rows that meet no condition (mask 0), e.g. for strict funnels and paths.
  // When false, only rows with a non-zero mask are kept.
  bool keep_unmatched = false;
  // Up to two properties resolved per row into TimelineEvent::value (0 = absent).
  std::array<std::optional<PropertyRef>, 2> values;
  // When set, only these entities (canonical person ids or account ids) are collected:
  // a kernel that needs every event of few entities (paths after an anchor) first finds
  // them with a cheap tagged pass, then collects only them.
  std::shared_ptr<const std::unordered_set<std::string>> only_entities;
  // When set, only these entities are collected (as only_entities), and of each only
  // the rows with first ≤ timestamp_ms ≤ second: paths need an entity's rows from its
  // first anchor on (forward) or up to its last anchor (backward), not its whole history.
  std::shared_ptr<const std::unordered_map<std::string, std::pair<int64_t, int64_t>>> entity_windows;
};

// 32 bytes per row; ids index the EntityTimelines dictionaries.
struct TimelineEvent {
  int64_t timestamp_ms = 0;
  uint32_t mask = 0;      // bit i: condition i holds
  uint32_t event = 0;     // index into event_names()
  uint32_t person = 0;    // canonical person, index into person_ids()
  uint32_t value[2] = {0, 0};  // 0: absent; k > 0: values(slot)[k - 1]
  uint32_t padding = 0;
};

class EntityTimelines {
 public:
  // Scans ctx.store once on ctx.threads workers. Errors: kInvalidArgument for more than
  // 32 conditions or an empty range; store errors pass through.
  static Result<EntityTimelines> Collect(const TimelineRequest& request, const QueryContext& ctx);

  EntityKind entity_kind() const { return entity_kind_; }
  size_t entity_count() const { return entity_ids_.size(); }
  size_t row_count() const { return rows_.size(); }
  // The entity's canonical person id or account id.
  const std::string& entity_id(size_t entity) const { return entity_ids_[entity]; }
  std::span<const TimelineEvent> events(size_t entity) const {
    return {rows_.data() + offsets_[entity], rows_.data() + offsets_[entity + 1]};
  }
  const std::vector<std::string>& event_names() const { return event_names_; }
  // The canonical persons rows name (TimelineEvent::person); by person, the entities.
  const std::vector<std::string>& person_ids() const {
    return entity_kind_ == EntityKind::kPerson ? entity_ids_ : person_ids_;
  }
  const std::vector<store::PropertyValue>& values(int slot) const { return values_[slot]; }

  // Runs fn(entity, events, worker) for every entity on `threads` workers; entities are
  // split into contiguous chunks; `worker` is in [0, threads). fn must be thread-safe
  // across workers (use per-worker accumulators).
  void ForEach(int threads,
               const std::function<void(size_t entity, std::span<const TimelineEvent> events,
                                        int worker)>& fn) const;

 private:
  EntityKind entity_kind_ = EntityKind::kPerson;
  // Entity order depends on scan timing; kernels that list entities sort their output.
  std::vector<std::string> entity_ids_;
  std::vector<size_t> offsets_;             // entity_count + 1
  std::vector<TimelineEvent> rows_;
  std::vector<std::string> event_names_;
  std::vector<std::string> person_ids_;  // by account only
  std::array<std::vector<store::PropertyValue>, 2> values_;
};

}  // namespace tobops::query
