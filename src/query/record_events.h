// File: query/record_events.h
// Record events: the events tobops writes itself when an operations record changes
// (opportunity stage moved, visit held, …; ops/timeline_outbox.h). They carry the event
// property $source = "records". They belong on the one timeline — funnels, trends and
// paths see them — but they are not product activity: the health and coverage kinds
// leave them out, so logging a visit never makes an account look healthier.
// Callers: query/health_query.cc, query/coverage_query.cc, ops/ (activity, timeline).
// Thread-safety: constants and a pure function.
#pragma once

#include <string_view>

#include "query/property_filter.h"

namespace tobops::query {

inline constexpr std::string_view kRecordSourceProperty = "$source";
inline constexpr std::string_view kRecordSourceValue = "records";

// A filter that every event passes except record events (an absent $source passes).
PropertyFilter NotARecordEvent();

}  // namespace tobops::query
