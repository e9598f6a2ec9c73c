// File: query/trend_query.h
// The trend analysis: counts, unique persons or unique accounts per time bucket, per
// series, optionally broken down by an event, person or account property.
// Spec and answer shapes: docs/http_api.md "Queries"; semantics: docs/analytics.md.
// Thread-safety: RunTrend is reentrant; it scans with ctx.threads workers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/time_buckets.h"

namespace tobops::query {

enum class Measure { kEvents, kPersons, kAccounts };
bool ParseMeasure(const std::string& text, Measure* measure);
const char* MeasureName(Measure measure);

struct TrendSeriesSpec {
  std::string event;            // empty = every event
  Measure measure = Measure::kEvents;
  std::string label;            // empty = derived from event and measure
  std::vector<PropertyFilter> filters;
};

struct BreakdownSpec {
  PropertySource source = PropertySource::kEvent;
  std::string property;
};

struct TrendSpec {
  std::vector<TrendSeriesSpec> series;  // at least one
  Interval interval = Interval::kDay;
  int64_t from_ms = 0;                  // range start, UTC ms (floored to the interval)
  int64_t to_ms = 0;                    // range end, exclusive
  std::optional<BreakdownSpec> breakdown;
  std::vector<PropertyFilter> filters;  // apply to every series
  size_t limit = 10;                    // breakdown values kept (largest totals first)
};

struct TrendSeriesResult {
  size_t series_index = 0;
  std::string label;
  std::optional<std::string> breakdown_value;  // nullopt: no breakdown, or value absent
  bool has_breakdown = false;
  double total = 0;             // events: sum; persons/accounts: distinct over the range
  std::vector<double> values;   // one per bucket
};

struct TrendResult {
  TimeBuckets buckets;
  std::vector<TrendSeriesResult> series;
};

// Runs `spec`. Errors: kInvalidArgument for an empty series list or a bad range;
// store errors (kDataLoss, ...) pass through.
Result<TrendResult> RunTrend(const TrendSpec& spec, const QueryContext& ctx);

}  // namespace tobops::query
