// File: query/cohort_resolution.h
// Cohorts in any query: a filter or breakdown written as
//   {"source": "cohort", "cohort": 12}                 (a saved cohort)
//   {"source": "cohort", "definition": {...}}          (inline, query/cohort_definition.h)
// is computed once per query and rewritten into a virtual trait of the cohort's entity
// kind — {"source": "person" | "account", "property": "$cohort:12"} — which every kind
// already understands: as a filter it means "in the cohort" (op is_set; "not_in" /
// "is_not_set" / "neq" mean "not in it"), as a breakdown the value is true for members
// and null for the rest. Membership is added to person/account traits through
// QueryContext::cohorts (BlockTraits merges it).
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/query_context.h"

namespace tobops::query {

// Rewrites every cohort reference in `spec` (in place) and sets ctx->cohorts. A spec
// without cohorts is left as it is. Errors name the field ("filters[0].cohort").
Status ResolveCohorts(nlohmann::json* spec, QueryContext* ctx);

}  // namespace tobops::query
