// File: query/funnel_drivers.h
// Funnel drivers: what tells converters apart from the entities that entered a funnel
// but did not finish it. For each event name done between an entity's first step and
// the end of its window, and each value of the account traits industry, size and level,
// a 2×2 table (converters / dropped × with / without) gives an odds ratio and a
// chi-square p-value with Yates' continuity correction. Semantics:
// docs/analytics/funnel.md "Drivers". Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/query_context.h"

namespace tobops::query {

struct FunnelDriver {
  std::string kind;          // "event" or "account"
  std::string name;          // event name, or account trait name
  store::PropertyValue value;  // the trait value (monostate for events)
  int64_t converters = 0;    // converters with the feature
  int64_t dropped = 0;       // dropped entities with the feature
  double odds_ratio = 0;
  double p_value = 1;
};

// An entity that entered the funnel: its id, the start of its counted attempt, and
// whether it reached the last step.
struct FunnelSubject {
  std::string entity;
  int64_t start_ms = 0;
  bool converted = false;
};

struct FunnelDriverRequest {
  EntityKind entity = EntityKind::kPerson;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  int64_t window_ms = 0;
  std::vector<PropertyFilter> filters;     // the funnel's global filters
  std::vector<std::string> step_events;    // not drivers: they define conversion
};

// Returns at most 20 drivers with p < 0.05, largest |log odds ratio| first.
Result<std::vector<FunnelDriver>> FindFunnelDrivers(const FunnelDriverRequest& request,
                                                    const std::vector<FunnelSubject>& subjects,
                                                    const QueryContext& ctx);

// The statistics, exposed for tests. a: converters with, b: dropped with, c: converters
// without, d: dropped without. The odds ratio adds 0.5 to every cell when one is zero
// (Haldane); the p-value is 1 when a margin is zero.
double OddsRatio(int64_t a, int64_t b, int64_t c, int64_t d);
double YatesChiSquarePValue(int64_t a, int64_t b, int64_t c, int64_t d);

}  // namespace tobops::query
