// File: ops/renewal_health.h
// The account health rows the renewal views join to renewals: one run of the
// analytics "health" kind (docs/analytics/health.md) over every account, keyed by the
// analytics account id, and the risk band a score falls in. Callers:
// ops/renewal_calendar.cc (calendar and at-risk list).
// Thread-safety: reentrant (runs analytics through the context).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// Health window used by the renewal views (the health kind's default, as on the
// account page and in the weekly report).
constexpr int64_t kRenewalHealthDays = 30;

// Every health row (the kind's answer item: score, parts, reason, last_active, ...)
// keyed by its "account" (the analytics account id, ops/sales_records.h
// AnalyticsAccountId). Record changes written as events ($source = "records") are not
// activity, as in the weekly report. Errors: those of the analytics engine.
[[nodiscard]] Result<std::unordered_map<std::string, nlohmann::json>> HealthByAccount(const OpsContext& ctx);

// The risk band of a health score: "high" below 50, "medium" below 70, else "low".
// 50 itself is "medium" and 70 itself "low" (the at-risk list's default `below` is 50,
// so "high" and "at risk by default" agree).
std::string RiskBand(double score);

}  // namespace tobops::ops
