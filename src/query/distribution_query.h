// File: query/distribution_query.h
// The distribution analysis: how many times each entity (person or account) did an
// event in the range, summarised as average, median and p90 and drawn as a histogram
// (one bucket per count up to 9, then 1-2-5 buckets: 10–19, 20–49, 50–99, ...).
// Built on EntityTimelines: one scan of the range, one count per entity.
// Also home of the percentile definition the distribution and interval kinds share.
// Spec, answer and exact semantics: docs/analytics/distribution.md. Called by
// RunQueryJson (kind "distribution"). Thread-safety: free functions, reentrant.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"

namespace tobops::query {

struct DistributionSpec {
  TimelineCondition event;  // the spec's "event" and "filters"; event "" = any event
  EntityKind aggregate_by = EntityKind::kPerson;
  TimeRange range;
};

// The p-quantile (0 ≤ p ≤ 1) of ascending `sorted` by linear interpolation between
// closest ranks: h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) — numpy's
// default, R's type 7, ClickHouse's quantileExactInclusive. 0 for an empty input.
double InterpolatedPercentile(std::span<const int64_t> sorted, double p);

// Parses "event" (default "$any"), "filters", "aggregate_by" and "range". Errors:
// kInvalidArgument naming the field.
Result<DistributionSpec> ParseDistributionSpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/distribution.md). Store errors
// pass through.
Result<nlohmann::json> RunDistribution(const DistributionSpec& spec, const QueryContext& ctx);

// ParseDistributionSpec then RunDistribution: the "distribution" kind of RunQueryJson.
Result<nlohmann::json> RunDistributionJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
