// File: ops/renewal_calendar.h
// The renewal views of customer success (docs/growth/customer_success.md):
//   - the renewal calendar: renewals by month, with each account's health risk band;
//   - the at-risk renewals: renewals due within N days whose account health score is
//     below a bar, each with the score and its parts (why it is at risk);
// and their export tables. Renewals are the renewal records, plus accounts with a
// renewal_date and no renewal record for that date ("from_account": true).
// Caller: server/success_routes.cc. Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// from / to: YYYY-MM-DD (inclusive) or "" for the defaults: the first day of the
// current month (project zone) and the last day of the 12th month from it.
// → {"from","to","months":[{"month":"2026-11","renewals":[{id|null, account_id,
// account_name, renewal_date, arr, owner, status, risk ("high"|"medium"|"low",
// ops/renewal_health.h), health_score, from_account}]}]} — an account the health
// analytics do not list scores 0 — every month of the range,
// renewals by date then account name. Errors: kInvalidArgument naming "from" / "to"
// (bad date, to before from, or a range over 10 years); store and analytics errors.
[[nodiscard]] Result<nlohmann::json> RenewalCalendar(const OpsContext& ctx, const std::string& from,
                                                     const std::string& to);

// Renewals (status upcoming or in_progress) due from today to today + `days` (project
// zone, both inclusive) whose account health score is < `below`; an account the
// health analytics do not list (no events and no group call) counts as score 0.
// → {"days","below","from","to","renewals":[calendar item + days_left, "health":{score,
// parts|null, reason|null, last_active|null}]} sorted by renewal_date, then score.
// Errors: kInvalidArgument naming "days" (1 – 3650) or "below" (0 – 100).
[[nodiscard]] Result<nlohmann::json> AtRiskRenewals(const OpsContext& ctx, int64_t days, double below);

// Export rows of the two answers above.
exporting::Table RenewalCalendarToTable(const nlohmann::json& calendar);
exporting::Table AtRiskRenewalsToTable(const nlohmann::json& at_risk);

}  // namespace tobops::ops
