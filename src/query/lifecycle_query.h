// File: query/lifecycle_query.h
// The lifecycle analysis: for each time bucket of the range, how many entities (persons
// or accounts) doing an event were new, returning or resurrecting, and how many went
// dormant — the composition of the active base, as PostHog's lifecycle insight shows it.
// Built on EntityTimelines over the range (and the bucket before it), plus PriorActivity
// for the history before (to know who is new), then one walk per entity on all cores.
// Spec, answer and exact semantics: docs/analytics/lifecycle.md. Called by RunQueryJson
// (kind "lifecycle"). Thread-safety: free functions, reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"
#include "query/time_buckets.h"

namespace tobops::query {

// The spec shape lifecycle and stickiness share: one activity event (with filters),
// bucketed by an interval over a range, per person or account.
struct ActivitySpec {
  TimelineCondition activity;  // the spec's "event" and "filters"; event "" = any event
  Interval interval = Interval::kDay;
  EntityKind aggregate_by = EntityKind::kPerson;
  TimeRange range;  // buckets: the intervals overlapping it, whole
};
using LifecycleSpec = ActivitySpec;

// Parses "event" (default "$any"), "filters", "interval" (hour, day, week, month;
// default day), "aggregate_by" and "range" (default last 30 days). Errors:
// kInvalidArgument naming the field ("event", "interval", "filters[0].op", ...).
Result<ActivitySpec> ParseActivitySpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/lifecycle.md). Buckets that
// start after ctx.now_ms are all zero. Store errors pass through.
Result<nlohmann::json> RunLifecycle(const LifecycleSpec& spec, const QueryContext& ctx);

// ParseActivitySpec then RunLifecycle: the "lifecycle" kind of RunQueryJson.
Result<nlohmann::json> RunLifecycleJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
