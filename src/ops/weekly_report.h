// File: ops/weekly_report.h
// WeeklyReport: the key sales metrics of one ISO week (Monday start, project time zone)
// against the week before — new accounts, trials, opportunities created, stage
// conversions, pipeline moved, deals won, won amount, at-risk accounts — in total and
// broken down by account owner, by decision-chain role and by industry, plus the
// conversions per target stage and this week's at-risk accounts; and the same as one
// export table (rows = metric × breakdown value).
// Every metric comes from events: one scan of the two weeks of the event store (record
// changes are events too, contract A of the sales workspace), the analytics engine's
// prior-activity scan for "first event ever" and its health query for at-risk.
// Callers: server/pipeline_routes.cc (GET /api/reports/weekly[/export]).
// Thread-safety: reentrant; reads the thread-safe stores.
// Exact definitions: docs/sales/pipeline_and_reports.md "Weekly report".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "export/table.h"
#include "ops/iso_week.h"
#include "ops/ops_context.h"

namespace tobops::ops {

struct WeeklyReportOptions {
  std::optional<IsoWeek> week;  // empty: the last full week before ctx.now_ms
  double at_risk_below = 50;    // an account is at risk when its health score is below this
  int health_days = 30;         // the health query's window, ending at the end of the week
};

// Renewals due within this many days of the report are checked for risk.
inline constexpr int kAtRiskRenewalDays = 90;

// The metric keys, in report order.
inline constexpr const char* kWeeklyMetrics[] = {"new_accounts",
                                                 "trials",
                                                 "opportunities_created",
                                                 "stage_conversions",
                                                 "pipeline_moved_amount",
                                                 "deals_won",
                                                 "won_amount",
                                                 "at_risk_accounts"};

// {"week","from","to","previous":{"week","from","to"},"at_risk_below",
//  "metrics":[{key,this_week,last_week,change}],
//  "by_owner":[{"owner",metrics:{key:{this_week,last_week}}}], "by_role":[{"role",...}],
//  "by_industry":[{"industry",...}], "stage_conversions":[{to_stage,this_week,last_week}],
//  "at_risk":[{account_id,group_id,name,score,owner,renewal_date}],
//  "goals":[goal progress (ops/goal_progress.h) as of the end of the week (or now), of
//           the goals whose current period overlaps the week],
//  "at_risk_renewals":[{renewal_id,account_id,account_name,renewal_date,arr,owner,status,
//           score}] (renewal records upcoming|in_progress dated within kAtRiskRenewalDays
//           of the end of the week (or now), whose account's health then is below
//           at_risk_below; an account without a health row is not listed)}.
// `change` = (this − last) ÷ last rounded to 4 decimals, null when last is 0.
// Errors: kInvalidArgument naming "at_risk_below" outside 0 – 100; store and query errors.
[[nodiscard]] Result<nlohmann::json> BuildWeeklyReport(const OpsContext& ctx,
                                                       const WeeklyReportOptions& options);

// Columns metric, breakdown (total | owner | role | industry | to_stage), value,
// this_week, last_week, change; one row per metric × breakdown value. Then a row per
// goal (metric "goal": value = name, this_week = value, last_week = target, change =
// value ÷ target) and per at-risk renewal (metric "at_risk_renewal": value = account
// name, this_week = health score, last_week = ARR, change = renewal date).
exporting::Table WeeklyReportToTable(const nlohmann::json& report);

}  // namespace tobops::ops
