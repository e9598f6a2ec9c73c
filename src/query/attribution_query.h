// File: query/attribution_query.h
// The attribution analysis: which values of a touch-point property (a channel, a
// campaign, ...) get the credit for conversions, under first-touch, last-touch and linear
// models. Each conversion event gives one credit, split over the touch points of the same
// entity (person or account) in the lookback window before it.
// Built on EntityTimelines: one scan (the range plus the lookback before it) tagging
// conversions (bit 0) and touch points (bit 1) and resolving the touch property, then a
// sliding window per entity on all cores.
// Spec, answer and exact semantics: docs/analytics/attribution.md. Called by RunQueryJson
// (kind "attribution"). Thread-safety: free functions, reentrant.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"

namespace tobops::query {

enum class AttributionModel { kFirstTouch, kLastTouch, kLinear };
const char* AttributionModelName(AttributionModel model);

struct AttributionSpec {
  TimelineCondition conversion;  // event "" = any event
  TimelineCondition touch;       // event "" = any event; the property must be set
  PropertyRef touch_property;
  std::vector<AttributionModel> models;  // one model, or all three for "all"
  bool all_models = false;
  int64_t lookback_ms = 30 * 86'400'000LL;
  bool first_conversion_only = false;  // "conversions": "first"
  EntityKind aggregate_by = EntityKind::kPerson;
  TimeRange range;  // conversions in the range; touch points from lookback before it
  int limit = 20;
};

// Parses the "attribution" spec. Errors: kInvalidArgument naming the field
// ("touch.property", "model", "lookback", ...).
Result<AttributionSpec> ParseAttributionSpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/attribution.md). Store errors
// pass through.
Result<nlohmann::json> RunAttribution(const AttributionSpec& spec, const QueryContext& ctx);

// ParseAttributionSpec then RunAttribution: the "attribution" kind of RunQueryJson.
Result<nlohmann::json> RunAttributionJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
