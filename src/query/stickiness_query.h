// File: query/stickiness_query.h
// The stickiness analysis: how many entities (persons or accounts) did an event in
// exactly k of the range's intervals (days, weeks or months), for k = 1..intervals —
// a histogram of engagement frequency, as PostHog's stickiness insight shows it.
// Built on EntityTimelines: one scan of the range, then one walk per entity.
// Spec, answer and exact semantics: docs/analytics/stickiness.md. Called by RunQueryJson
// (kind "stickiness"). Thread-safety: free functions, reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/lifecycle_query.h"
#include "query/query_context.h"

namespace tobops::query {

// The same spec shape as lifecycle: "event", "filters", "interval", "aggregate_by",
// "range" (ParseActivitySpec).
using StickinessSpec = ActivitySpec;

// Runs `spec` and returns the answer JSON (docs/analytics/stickiness.md). Store errors
// pass through.
Result<nlohmann::json> RunStickiness(const StickinessSpec& spec, const QueryContext& ctx);

// ParseActivitySpec then RunStickiness: the "stickiness" kind of RunQueryJson.
Result<nlohmann::json> RunStickinessJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
