// File: query/cohort_definition.h
// Cohorts: sets of persons or accounts defined by conditions, computed when a query
// uses them. A definition (docs/analytics/cohorts.md):
//   {"entity": "person" | "account", "match": "all" | "any",
//    "conditions": [
//      {"type": "property", "source": "person", "property": "role", "op": "eq", "value": "decision_maker"},
//      {"type": "event", "event": "login", "filters": [], "op": "gte", "count": 3, "window": "30d"},
//      {"type": "event", "event": "purchase", "op": "eq", "count": 0, "window": "90d"},
//      {"type": "funnel", "funnel": {…funnel spec…}, "step": 2, "status": "dropped"}]}
// "event" conditions count the entity's matching events in the last `window` (ending
// at ctx.now_ms); op eq/neq/gt/gte/lt/lte compares that count, so `"op":"eq","count":0`
// is "did not do". "funnel" conditions are the entities the funnel lists at that step
// ("dropped" after it, or "reached" it).
// The universe an entity is drawn from: every person (account) the identity graph
// knows, plus every entity with a matching event — so a purely anonymous visitor who
// never did any of the events is in no cohort.
// Thread-safety: free functions, reentrant.
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/property_filter.h"
#include "query/query_context.h"

namespace tobops::query {

struct CohortCondition {
  enum class Type { kProperty, kEvent, kFunnel };
  Type type = Type::kProperty;
  PropertyFilter property;            // kProperty (source person or account)
  TimelineCondition event;            // kEvent
  FilterOp count_op = FilterOp::kGte;  // kEvent: eq, neq, gt, gte, lt, lte
  int64_t count = 1;
  int64_t window_ms = 0;
  nlohmann::json funnel;              // kFunnel: the funnel spec (kind added)
  int64_t step = 0;
  bool dropped = true;                // kFunnel: dropped after `step`, else reached it
};

struct CohortDefinition {
  EntityKind entity = EntityKind::kPerson;
  bool match_all = true;
  std::vector<CohortCondition> conditions;  // 1..20
};

// Errors name the field under `field` ("definition.conditions[1].count").
Result<CohortDefinition> ParseCohortDefinition(const nlohmann::json& j, const std::string& field);

struct CohortMembers {
  EntityKind entity = EntityKind::kPerson;
  std::unordered_set<std::string> ids;  // canonical person ids or account ids
};

Result<CohortMembers> ComputeCohort(const CohortDefinition& definition, const QueryContext& ctx);

// {"kind": "cohort", "definition": {...}} or {"kind": "cohort", "cohort": 12 (saved id)}
// → {"kind": "cohort", "entity": "person", "count": N, "ids": [... first `limit`, sorted]}.
Result<nlohmann::json> RunCohortJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
