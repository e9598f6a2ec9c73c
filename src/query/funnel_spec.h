// File: query/funnel_spec.h
// FunnelSpec: the parsed form of a {"kind": "funnel"} query (docs/analytics/funnel.md).
// ParseFunnelSpec checks every member and names the offending JSON field in its error
// ("steps[1].role", "exclusions[0].to_step", ...), so the console can point at it.
// Thread-safety: free functions, reentrant; a FunnelSpec is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/funnel_matcher.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"
#include "query/time_buckets.h"

namespace tobops::query {

enum class FunnelCount { kUnique, kTotal };
enum class FunnelEntityStatus { kReached, kDropped };

struct FunnelStepSpec {
  std::string event;              // as written; "$any" (or "$all") = any event
  std::string name;               // label, else the event name
  std::vector<PropertyFilter> filters;  // step filters plus the role requirement
  bool optional = false;
  int64_t within_ms = 0;          // 0: no per-step window
};

struct FunnelExclusionSpec {
  std::string event;              // "$any" / "$all" = any event
  std::vector<PropertyFilter> filters;
  int from_step = 0;
  int to_step = 0;                // from_step < to_step ≤ last step
};

struct FunnelEntitiesSpec {
  int step = 0;
  FunnelEntityStatus status = FunnelEntityStatus::kReached;
  int64_t limit = 100;
  int64_t offset = 0;
};

struct FunnelSpec {
  std::vector<FunnelStepSpec> steps;           // 2..20
  int64_t window_ms = 14 * 86'400'000LL;
  FunnelOrder order = FunnelOrder::kOrdered;
  EntityKind aggregate_by = EntityKind::kPerson;
  std::vector<FunnelExclusionSpec> exclusions;  // steps + exclusions ≤ 32 conditions
  std::optional<PropertyRef> breakdown;
  std::vector<PropertyRef> hold_constant;      // at most 2 value slots with the breakdown
  FunnelCount count = FunnelCount::kUnique;
  TimeRange range;
  std::vector<PropertyFilter> filters;         // global: rows failing them do not exist
  int64_t limit = 10;                          // breakdown values kept
  std::optional<Interval> over_time;
  std::optional<FunnelEntitiesSpec> entities;
  bool drivers = false;
};

// Parses `j` (the whole query object). Errors: kInvalidArgument naming the field.
Result<FunnelSpec> ParseFunnelSpec(const nlohmann::json& j, const QueryContext& ctx);

const char* FunnelOrderName(FunnelOrder order);
const char* FunnelCountName(FunnelCount count);

}  // namespace tobops::query
