// File: domain/tracking_plan.h
// TrackingPlan: the events and properties a project expects, and what ingest
// does with events that do not match (the mode). Plain records plus their
// validation; storage is TrackingPlanRepository (domain/tracking_plan_repository.h).
// Callers: server/ (PUT/GET /api/tracking-plan), ingest wiring in app/.
// Thread-safety: value types; the functions are pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tobops::domain {

// What ingest does with an event that breaks the plan.
enum class PlanMode {
  kAcceptAll,   // store everything, do not check (the default while the plan is empty)
  kFlag,        // store everything, count violations for the report
  kQuarantine,  // quarantine violating messages with their reason
};

enum class PropertyType { kString, kNumber, kBoolean };

// "accept_all" / "flag" / "quarantine".
std::string_view PlanModeName(PlanMode mode);
// kInvalidArgument (field "mode") for any other name.
Result<PlanMode> ParsePlanMode(std::string_view name);
// "string" / "number" / "boolean".
std::string_view PropertyTypeName(PropertyType type);
// kInvalidArgument (field "type") for any other name.
Result<PropertyType> ParsePropertyType(std::string_view name);

struct PlannedProperty {
  std::string name;
  PropertyType type = PropertyType::kString;
  bool required = false;
  // Allowed values in their canonical text form ("42", "1.5", "true"); empty = any.
  // The JSON layer renders them as numbers/booleans according to type.
  std::vector<std::string> allowed_values;
};

struct PlannedEvent {
  std::string name;
  std::string description;
  std::vector<PlannedProperty> properties;  // in display order
};

struct TrackingPlan {
  PlanMode mode = PlanMode::kAcceptAll;
  std::vector<PlannedEvent> events;  // in display order
};

// Checks a plan before it is stored: event names non-empty and unique, property
// names non-empty and unique within their event, allowed values matching the
// property type (numbers parse as finite numbers, booleans are "true"/"false"),
// names at most 200 characters. kInvalidArgument naming the field, e.g.
// "events[2].properties[0].allowed[1]".
Status ValidateTrackingPlan(const TrackingPlan& plan);

}  // namespace tobops::domain
