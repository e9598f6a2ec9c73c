// File: query/coverage_query.h
// The decision-chain coverage analysis: per account, for each role of the buying group
// (user, evaluator, budget holder, decision maker, signer by default), how many of its
// persons hold the role ("known", identity membership and the person trait `role`) and
// how many of those were active in the last N days; the share of roles with an active
// person, and the roles missing one. Built on CollectAccountActivity.
// Spec, answer and semantics: docs/analytics/coverage.md. Called by RunQueryJson (kind
// "coverage"). Thread-safety: free functions, reentrant.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/property_filter.h"
#include "query/query_context.h"

namespace tobops::query {

enum class CoverageSort { kCoverageAsc, kCoverageDesc, kAccount };

struct CoverageSpec {
  int days = 30;
  std::vector<std::string> roles = {"user", "evaluator", "budget_holder", "decision_maker", "signer"};
  CoverageSort sort = CoverageSort::kCoverageAsc;
  size_t limit = 100;
  size_t offset = 0;
  std::vector<PropertyFilter> filters;
};

// Parses a coverage spec; every member is optional. Errors: kInvalidArgument naming the
// field ("roles[1]", "limit", ...).
Result<CoverageSpec> ParseCoverageSpec(const nlohmann::json& spec);

// Runs `spec` and returns the answer JSON (docs/analytics/coverage.md). Store errors
// pass through.
Result<nlohmann::json> RunCoverage(const CoverageSpec& spec, const QueryContext& ctx);

// ParseCoverageSpec then RunCoverage: the "coverage" kind of RunQueryJson.
Result<nlohmann::json> RunCoverageJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
