// File: ops/strategy_outcome.h
// StrategyOutcome: did a strategy (records "strategies") move its target metric? The
// metric is the saved query of the strategy's goal (goal_id), measured over the days
// the strategy ran (starts_on .. ends_on, cut at today while it still runs) and over
// the same number of days just before starts_on; the answer gives both, the change
// and the change in %.
// Callers: server/goal_routes.cc (GET /api/strategies/ID/outcome).
// Thread-safety: reentrant; reads the thread-safe stores.
// Exact definitions: docs/growth/goals_and_strategies.md "Strategy outcome".
#pragma once

#include <cctz/civil_time.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "ops/goal_progress.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The two spans compared: `during` = starts_on .. min(ends_on, today) (ends_on absent:
// today), `before` = the same number of days ending the day before starts_on.
// Errors: kFailedPrecondition naming "starts_on" when the strategy starts after today;
// kInvalidArgument naming "ends_on" when it ends before it starts.
struct OutcomeSpans {
  DaySpan before;
  DaySpan during;
  bool running = false;  // ends_on is absent or after today
};
[[nodiscard]] Result<OutcomeSpans> OutcomeSpansOf(const cctz::civil_day& starts_on,
                                                  const std::optional<cctz::civil_day>& ends_on,
                                                  const cctz::civil_day& today);

// change = during − before; change_pct = change ÷ before × 100 (1 decimal), null when
// before is 0.
nlohmann::json ChangeJson(double before, double during);

// {"strategy": record, "goal": {id,name,metric}, "metric" (the strategy's target_metric,
//  else the goal's metric), "running", "before":{"from","to","days","value"},
//  "during":{"from","to","days","value"}, "change", "change_pct"}.
// Errors: kNotFound for an unknown strategy; kFailedPrecondition naming "goal_id" when
// the strategy has no goal, "starts_on" when it has no start (or starts after today);
// the goal's query errors (kInvalidArgument naming "query").
[[nodiscard]] Result<nlohmann::json> BuildStrategyOutcome(const OpsContext& ctx, int64_t strategy_id);

}  // namespace tobops::ops
