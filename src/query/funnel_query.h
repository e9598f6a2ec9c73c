// File: query/funnel_query.h
// The funnel analysis: how many persons (or accounts) go through a sequence of steps
// within a conversion window, step by step, with the time each step took, optionally
// broken down by a property, per start cohort (over_time), with the entities at a step
// and the drivers of conversion. Spec, answer and semantics: docs/analytics/funnel.md.
//
// RunFunnel collects one EntityTimelines (a condition bit per step and per exclusion,
// value slots for the breakdown and hold_constant properties), runs FunnelMatcher on
// every entity on ctx.threads workers with per-worker accumulators, and merges them.
// Thread-safety: RunFunnel and RunFunnelJson are reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/funnel_drivers.h"
#include "query/funnel_spec.h"
#include "query/query_context.h"
#include "query/time_buckets.h"

namespace tobops::query {

struct FunnelHistogramBin {
  int64_t from_ms = 0;
  int64_t to_ms = 0;        // exclusive, except the last bin, which ends at the window (inclusive)
  int64_t count = 0;
};

struct FunnelTimeToConvert {
  int64_t median_ms = 0;    // middle value; mean of the two middle ones (floored) when even
  int64_t average_ms = 0;   // rounded to the nearest ms
  std::vector<FunnelHistogramBin> histogram;
};

struct FunnelStepResult {
  int64_t count = 0;        // entities (unique) or attempts (total) that did the step
  std::optional<FunnelTimeToConvert> time_to_convert;  // none for step 0 and empty steps
};

struct FunnelGroupResult {
  store::PropertyValue value;              // monostate: entities without the property
  std::vector<FunnelStepResult> steps;
};

struct FunnelCohort {
  int64_t start_ms = 0;     // bucket start
  int64_t entered = 0;
  int64_t converted = 0;    // reached the last step
};

struct FunnelEntitiesResult {
  int64_t total = 0;
  std::vector<std::string> ids;            // sorted by id, one page
};

struct FunnelResult {
  std::vector<FunnelStepResult> steps;
  std::vector<FunnelGroupResult> breakdown;  // largest step-0 count first, at most spec.limit
  std::vector<FunnelCohort> over_time;       // every bucket of the range when asked
  std::optional<FunnelEntitiesResult> entities;
  std::vector<FunnelDriver> drivers;
};

// Runs `spec`. Errors: kInvalidArgument (e.g. too many over_time buckets, field
// "over_time"); store errors pass through.
Result<FunnelResult> RunFunnel(const FunnelSpec& spec, const QueryContext& ctx);

nlohmann::json FunnelResultToJson(const FunnelSpec& spec, const FunnelResult& result,
                                  const cctz::time_zone& zone);

// The "funnel" kind of RunQueryJson: parses (errors name the field), runs, renders.
Result<nlohmann::json> RunFunnelJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
