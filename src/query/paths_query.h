// File: query/paths_query.h
// The paths analysis: what entities (persons or accounts) did right after (forward) or
// right before (backward) an anchor event — the top sequences of the next depth-1 events,
// and a Sankey graph of nodes (step, label) and links between consecutive steps.
// Built on EntityTimelines with keep_unmatched (a path step may be any event): one scan
// of the range, then one walk per entity on all cores; each entity yields exactly one
// sequence, so the aggregation is over sequences, not events.
// Spec, answer and exact semantics: docs/analytics/paths.md. Called by RunQueryJson
// (kind "paths"). Thread-safety: free functions, reentrant.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"

namespace tobops::query {

inline constexpr int kMaxPathDepth = 8;

struct PathsSpec {
  bool forward = true;
  // The anchor: "event" ("" = any event, the spec's "$any" or no "event") and "filters".
  TimelineCondition anchor;
  int depth = 4;                        // steps per path, the anchor included; 2..8
  std::optional<PropertyRef> group_by;  // node labels: nullopt = event names
  bool collapse_repeats = true;
  std::vector<std::string> exclude_events;
  int top = 20;          // nodes kept per step; the rest merge into "$other"
  int paths_limit = 20;  // sequences listed in "paths"
  EntityKind aggregate_by = EntityKind::kPerson;
  TimeRange range;
};

// Parses the "paths" spec. Errors: kInvalidArgument naming the field ("depth",
// "group_by.source", "exclude_events[1]", ...).
Result<PathsSpec> ParsePathsSpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/paths.md). Store errors pass
// through.
Result<nlohmann::json> RunPaths(const PathsSpec& spec, const QueryContext& ctx);

// ParsePathsSpec then RunPaths: the "paths" kind of RunQueryJson.
Result<nlohmann::json> RunPathsJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
