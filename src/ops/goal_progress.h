// File: ops/goal_progress.h
// GoalProgress: how far each goal (records "goals") has come in its current period. A
// goal's value is measured by its saved query (a query spec as JSON text, the same spec
// POST /api/query runs) over the goal's current period: a trend gives the total of its
// first series, a funnel the count of its last step, any other kind its "value" member
// when the answer has one (none does today), else the goal reports an error naming
// "query". Also the check a goal's query must pass to be stored (a change hook).
// Callers: server/goal_routes.cc (GET /api/goals/progress), ops/weekly_report.cc (its
// "goals" section), ops/strategy_outcome.cc (MeasureQuery), server/workspace.cc (hook).
// Thread-safety: reentrant; reads the thread-safe stores.
// Exact definitions: docs/growth/goals_and_strategies.md.
#pragma once

#include <cctz/civil_time.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"
#include "query/query_context.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

// A span of local days, both ends included.
struct DaySpan {
  cctz::civil_day first;
  cctz::civil_day last;
  int64_t days() const { return last - first + 1; }
  bool operator==(const DaySpan&) const = default;
};

// "YYYY-MM-DD", and the local day holding a UTC time.
std::string DayText(const cctz::civil_day& day);
cctz::civil_day LocalDay(int64_t utc_ms, const cctz::time_zone& zone);

// The calendar period of kind `period` (week: ISO week, Monday – Sunday; month; quarter:
// Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec; year) that holds `day`.
// Errors: kInvalidArgument naming "period" for another word.
[[nodiscard]] Result<DaySpan> PeriodHolding(const std::string& period, const cctz::civil_day& day);

// Where a goal stands on day `at`: the period holding `at` clipped to the goal's own
// starts_on..ends_on (either may be absent). Before starts_on the period is the first
// one (status "not_started", nothing elapsed); after ends_on the last one (status
// "ended", all elapsed). `elapsed_days` counts the days of the period up to and
// including `at` (the value is measured through the end of that day).
struct GoalWindow {
  DaySpan span;
  int64_t elapsed_days = 0;
  std::string status;  // active | not_started | ended
  DaySpan measured;    // span.first .. min(span.last, at): the days the value covers
  bool measured_empty = false;  // not started: nothing to measure yet
};
[[nodiscard]] Result<GoalWindow> GoalWindowAt(const std::string& period,
                                              const std::optional<cctz::civil_day>& starts_on,
                                              const std::optional<cctz::civil_day>& ends_on,
                                              const cctz::civil_day& at);

// on_track: value ≥ target × elapsed share (elapsed_days ÷ period days).
bool OnTrack(double value, double target, int64_t elapsed_days, int64_t period_days);

// Runs the saved query `spec` over the local days `span` (its "range" replaced by
// {"from","to"} of the span, "compare" dropped) and answers the one number it stands
// for (see the file comment). Errors: kInvalidArgument naming "query" when the spec is
// not an object with a known kind, when the query fails (the message carries the
// query's own field) or when the answer has no number.
[[nodiscard]] Result<double> MeasureQuery(const nlohmann::json& spec, const DaySpan& span,
                                          const query::QueryContext& qctx);

// Parses a goal's "query" text and checks the spec with the query's own parser (trend,
// funnel) or at least its kind (other kinds). Empty / null text is allowed (a goal
// without a query yet; its progress reports the error). Errors: kInvalidArgument naming
// "query", the message carrying the parser's field.
[[nodiscard]] Status ValidateGoalQuery(const nlohmann::json& query_text);
// The query spec of a goal record ("query" text parsed). Errors as ValidateGoalQuery,
// and kInvalidArgument naming "query" when the goal has none.
[[nodiscard]] Result<nlohmann::json> GoalQuerySpec(const nlohmann::json& goal);

// Vetoes a goal create/update whose query fails ValidateGoalQuery (field "query").
void InstallGoalHooks(records::ResourceCatalog& catalog);

// Progress of one goal (API form record) as of `at_ms`:
// {"goal_id","name","metric","owner","period","from","to" (days, inclusive),"days",
//  "elapsed_days","elapsed_share","status","value" (null on error),"target",
//  "progress" (value ÷ target × 100, 1 decimal; null when target is 0 or no value),
//  "expected" (target × elapsed share, 2 decimals),"on_track" (null when no value),
//  "error":{code,message,field}|null}. A goal's own bad query or period is reported
// in "error", never fails the call; store errors do.
[[nodiscard]] Result<nlohmann::json> GoalProgressOf(const OpsContext& ctx, const nlohmann::json& goal,
                                                    int64_t at_ms);

// {"at": ISO, "goals":[GoalProgressOf each goal, by id]}.
[[nodiscard]] Result<nlohmann::json> BuildGoalProgress(const OpsContext& ctx, int64_t at_ms);

// Columns goal_id, name, metric, owner, period, from, to, status, value, target,
// progress, expected, on_track (yes/no), error; one row per goal.
exporting::Table GoalProgressToTable(const nlohmann::json& progress);

}  // namespace tobops::ops
