#include "ingest/tracking_plan_validator.h"

#include <algorithm>

namespace tobops::ingest {
namespace {

// Context-derived properties ($ip, utm_*, url, ...) are added by ingest, not by the
// sender's code, so the plan does not have to list them.
bool IsDerivedProperty(const std::string& key) {
  static const char* kDerived[] = {"utm_source", "utm_medium", "utm_campaign", "utm_term",
                                   "utm_content", "url", "path", "referrer", "title"};
  if (!key.empty() && key[0] == '$') return true;
  return std::any_of(std::begin(kDerived), std::end(kDerived),
                     [&](const char* d) { return key == d; });
}

bool HasType(const store::PropertyValue& value, domain::PropertyType type) {
  switch (type) {
    case domain::PropertyType::kString: return std::holds_alternative<std::string>(value);
    case domain::PropertyType::kNumber: return std::holds_alternative<double>(value);
    case domain::PropertyType::kBoolean: return std::holds_alternative<bool>(value);
  }
  return false;
}

}  // namespace

std::vector<PlanCheck> CheckAgainstPlan(const domain::TrackingPlan& plan, const store::Event& event) {
  std::vector<PlanCheck> checks;
  if (plan.mode == domain::PlanMode::kAcceptAll || plan.events.empty()) return checks;
  if (event.type != store::MessageType::kTrack) return checks;
  auto planned = std::find_if(plan.events.begin(), plan.events.end(),
                              [&](const domain::PlannedEvent& e) { return e.name == event.event; });
  if (planned == plan.events.end()) {
    checks.push_back({"event", "event '" + event.event + "' is not in the tracking plan"});
    return checks;
  }
  for (const auto& prop : planned->properties) {
    auto it = std::find_if(event.properties.begin(), event.properties.end(),
                           [&](const store::Property& p) { return p.key == prop.name; });
    if (it == event.properties.end()) {
      if (prop.required) {
        checks.push_back({"properties." + prop.name,
                          "required property '" + prop.name + "' is missing"});
      }
      continue;
    }
    if (!HasType(it->value, prop.type)) {
      checks.push_back({"properties." + prop.name,
                        "property '" + prop.name + "' must be a " +
                            std::string(domain::PropertyTypeName(prop.type))});
      continue;
    }
    if (!prop.allowed_values.empty()) {
      const std::string text = store::PropertyValueToString(it->value);
      if (std::find(prop.allowed_values.begin(), prop.allowed_values.end(), text) ==
          prop.allowed_values.end()) {
        checks.push_back({"properties." + prop.name,
                          "property '" + prop.name + "' has value '" + text +
                              "', which is not among the allowed values"});
      }
    }
  }
  for (const auto& p : event.properties) {
    if (IsDerivedProperty(p.key)) continue;
    // Flattened keys ("a.b") are checked by their top-level name.
    const std::string top = p.key.substr(0, p.key.find('.'));
    const bool known = std::any_of(planned->properties.begin(), planned->properties.end(),
                                   [&](const domain::PlannedProperty& pp) {
                                     return pp.name == p.key || pp.name == top;
                                   });
    if (!known) {
      checks.push_back({"properties." + p.key, "property '" + p.key +
                                                   "' is not in the tracking plan for event '" +
                                                   event.event + "'"});
    }
  }
  return checks;
}

}  // namespace tobops::ingest
