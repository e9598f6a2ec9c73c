// File: query/trend_query.h
// The trend analysis: per time bucket and series, a count of events, unique persons or
// unique accounts, or a statistic (sum, avg, min, max, exact percentiles) of a numeric
// event property; optionally broken down by an event, person or account property,
// extended by formulas over the series ("B / A") and compared with the previous period.
// Spec and answer shapes and semantics: docs/analytics/trend.md.
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
#include "query/trend_formula.h"

namespace tobops::query {

enum class Measure {
  kEvents, kPersons, kAccounts,
  // Statistics of TrendSeriesSpec::property over the matching events.
  kSum, kAvg, kMin, kMax, kP50, kP90, kP95, kP99,
};
bool ParseMeasure(const std::string& text, Measure* measure);
const char* MeasureName(Measure measure);
// True for the measures that read a numeric event property (sum .. p99).
bool MeasureNeedsProperty(Measure measure);

struct TrendSeriesSpec {
  std::string event;            // empty = every event
  Measure measure = Measure::kEvents;
  std::string label;            // empty = derived from event and measure
  std::vector<PropertyFilter> filters;
  // Last, so that {event, measure, label, filters} initialisers keep their meaning.
  std::string property;         // the numeric event property of sum .. p99
};

struct BreakdownSpec {
  PropertySource source = PropertySource::kEvent;
  std::string property;
};

struct TrendFormulaSpec {
  std::string label;            // empty = the expression
  std::string expression;
  TrendFormula formula;         // parsed `expression`
};

struct TrendSpec {
  std::vector<TrendSeriesSpec> series;  // at least one
  Interval interval = Interval::kDay;
  int64_t from_ms = 0;                  // range start, UTC ms (floored to the interval)
  int64_t to_ms = 0;                    // range end, exclusive
  std::optional<BreakdownSpec> breakdown;
  std::vector<PropertyFilter> filters;  // apply to every series
  size_t limit = 10;                    // breakdown values kept (largest totals first)
  std::vector<TrendFormulaSpec> formulas;
  bool compare_previous = false;        // add the same-length period just before
};

struct TrendSeriesResult {
  size_t series_index = 0;      // the spec series (when formula_index < 0)
  int formula_index = -1;       // >= 0: a formula entry
  bool previous = false;        // a previous-period entry (values align with buckets)
  std::string label;
  std::optional<std::string> breakdown_value;  // nullopt: no breakdown, or value absent
  bool has_breakdown = false;
  // events/sum: sum; persons/accounts: distinct over the range; avg/min/max/pNN: over
  // every value of the range; formulas: the expression over the series totals.
  // NaN = null (no values, or a division by zero).
  double total = 0;
  std::vector<double> values;   // one per bucket; NaN = null
};

struct TrendResult {
  TimeBuckets buckets;
  std::optional<TimeBuckets> previous_buckets;  // when compare_previous; same count
  // Spec series × breakdown values, then formulas × breakdown values, then (with
  // compare_previous) the previous-period entries of all of those in the same order.
  std::vector<TrendSeriesResult> series;
};

// Runs `spec`. Errors: kInvalidArgument for an empty series list, a numeric measure
// without a property or a bad range; store errors (kDataLoss, ...) pass through.
Result<TrendResult> RunTrend(const TrendSpec& spec, const QueryContext& ctx);

}  // namespace tobops::query
