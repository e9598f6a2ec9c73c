#include "domain/tracking_plan.h"

#include <charconv>
#include <cmath>
#include <set>

namespace tobops::domain {
namespace {

constexpr size_t kMaxNameLength = 200;

bool IsFiniteNumber(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

Status CheckName(std::string_view name, const std::string& field) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return InvalidArgument("name must be 1-200 characters", field);
  }
  return Status::Ok();
}

}  // namespace

std::string_view PlanModeName(PlanMode mode) {
  switch (mode) {
    case PlanMode::kAcceptAll: return "accept_all";
    case PlanMode::kFlag: return "flag";
    case PlanMode::kQuarantine: return "quarantine";
  }
  return "accept_all";
}

Result<PlanMode> ParsePlanMode(std::string_view name) {
  if (name == "accept_all") return PlanMode::kAcceptAll;
  if (name == "flag") return PlanMode::kFlag;
  if (name == "quarantine") return PlanMode::kQuarantine;
  return InvalidArgument("mode must be one of accept_all, flag, quarantine", "mode");
}

std::string_view PropertyTypeName(PropertyType type) {
  switch (type) {
    case PropertyType::kString: return "string";
    case PropertyType::kNumber: return "number";
    case PropertyType::kBoolean: return "boolean";
  }
  return "string";
}

Result<PropertyType> ParsePropertyType(std::string_view name) {
  if (name == "string") return PropertyType::kString;
  if (name == "number") return PropertyType::kNumber;
  if (name == "boolean") return PropertyType::kBoolean;
  return InvalidArgument("type must be one of string, number, boolean", "type");
}

Status ValidateTrackingPlan(const TrackingPlan& plan) {
  std::set<std::string_view> event_names;
  for (size_t e = 0; e < plan.events.size(); ++e) {
    const PlannedEvent& event = plan.events[e];
    std::string event_field = "events[" + std::to_string(e) + "]";
    RETURN_IF_ERROR(CheckName(event.name, event_field + ".name"));
    if (!event_names.insert(event.name).second) {
      return InvalidArgument("event '" + event.name + "' is planned twice", event_field + ".name");
    }
    std::set<std::string_view> property_names;
    for (size_t p = 0; p < event.properties.size(); ++p) {
      const PlannedProperty& property = event.properties[p];
      std::string property_field = event_field + ".properties[" + std::to_string(p) + "]";
      RETURN_IF_ERROR(CheckName(property.name, property_field + ".name"));
      if (!property_names.insert(property.name).second) {
        return InvalidArgument("property '" + property.name + "' is planned twice", property_field + ".name");
      }
      for (size_t v = 0; v < property.allowed_values.size(); ++v) {
        const std::string& value = property.allowed_values[v];
        std::string value_field = property_field + ".allowed[" + std::to_string(v) + "]";
        if (property.type == PropertyType::kNumber && !IsFiniteNumber(value)) {
          return InvalidArgument("allowed value '" + value + "' is not a number", value_field);
        }
        if (property.type == PropertyType::kBoolean && value != "true" && value != "false") {
          return InvalidArgument("allowed value '" + value + "' is not true or false", value_field);
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace tobops::domain
