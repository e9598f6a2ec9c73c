// File: query/health_query.h
// The account health analysis: a 0–100 score per account from five parts — activity
// (how often active persons come back), seats (active persons per paid seat), breadth
// (features used), recency (days since the last activity) and roles (decision-chain
// roles with an active person) — each 0..1, weighted. Built on CollectAccountActivity
// (account timelines plus identity membership). Spec, answer and the exact formula of
// every part: docs/analytics/health.md. Called by RunQueryJson (kind "health").
// Thread-safety: free functions, reentrant.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/property_filter.h"
#include "query/query_context.h"

namespace tobops::query {

enum class HealthPart { kActivity, kSeats, kBreadth, kRecency, kRoles };
inline constexpr size_t kHealthParts = 5;
const char* HealthPartName(HealthPart part);

enum class HealthSort { kScoreAsc, kScoreDesc, kAccount, kName, kRenewalDate };

struct HealthSpec {
  int days = 30;
  // Raw weights in HealthPart order; normalised to sum 1 by RunHealth.
  std::array<double, kHealthParts> weights = {0.3, 0.2, 0.2, 0.2, 0.1};
  std::string feature_event = "feature_used";
  std::string feature_property = "feature";
  int64_t features_total = 0;     // > 0: the breadth denominator instead of "used by any account"
  double activity_target = 0.5;   // the activity value that scores 1
  std::vector<std::string> roles = {"user", "evaluator", "budget_holder", "decision_maker", "signer"};
  HealthSort sort = HealthSort::kScoreAsc;
  size_t limit = 100;
  size_t offset = 0;
  std::vector<PropertyFilter> filters;
};

// Parses a health spec; every member is optional. Errors: kInvalidArgument naming the
// field ("weights.activity", "roles[2]", "sort", ...).
Result<HealthSpec> ParseHealthSpec(const nlohmann::json& spec);

// Runs `spec` and returns the answer (docs/analytics/health.md) as compact JSON text,
// written directly rather than through a json tree: every account of a large book fits
// one answer, and building its tree cost more than the scan. The text is what dump()
// would print for the same answer (keys sorted). Errors: kInvalidArgument when every
// weight is 0; store errors pass through.
Result<std::string> RunHealth(const HealthSpec& spec, const QueryContext& ctx);

// ParseHealthSpec then RunHealth: the "health" kind of RunQueryText, and of RunQueryJson
// (the text parsed).
Result<std::string> RunHealthText(const nlohmann::json& spec, const QueryContext& ctx);
Result<nlohmann::json> RunHealthJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
