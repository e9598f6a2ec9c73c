// File: query/interval_query.h
// The interval analysis: how long entities (persons or accounts) take from one event to
// the next occurrence of another — signup → purchase, quote → purchase, login → login —
// as average, percentiles and a histogram over human time bounds.
// Pairing: walking an entity's timeline, the first from_event opens a pair, the first
// to_event strictly later closes it; from_events while a pair is open are ignored, and
// after a close the next from_event opens a new pair. So each cycle counts once and is
// measured from its first from_event (docs/analytics/interval.md says why).
// Built on EntityTimelines: one scan of the range tagging from (bit 0) and to (bit 1).
// Called by RunQueryJson (kind "interval"). Thread-safety: free functions, reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"

namespace tobops::query {

struct IntervalSpec {
  TimelineCondition from_event;  // event "" = any event
  TimelineCondition to_event;
  EntityKind aggregate_by = EntityKind::kPerson;
  TimeRange range;  // both events of a pair lie in it
};

// Parses "from_event", "to_event" (each an event name or {"event", "filters"}),
// "aggregate_by" and "range". Errors: kInvalidArgument naming the field
// ("to_event.filters[0].op", ...).
Result<IntervalSpec> ParseIntervalSpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/interval.md). Store errors
// pass through.
Result<nlohmann::json> RunInterval(const IntervalSpec& spec, const QueryContext& ctx);

// ParseIntervalSpec then RunInterval: the "interval" kind of RunQueryJson.
Result<nlohmann::json> RunIntervalJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
