// File: ingest/tracking_plan_validator.h
// Checks a track event against the project's tracking plan (domain::TrackingPlan).
// Only track events are checked: page, screen, identify, group and alias calls have
// the fixed shapes of the Segment spec. Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "domain/tracking_plan.h"
#include "store/event.h"

namespace tobops::ingest {

struct PlanCheck {
  std::string field;    // "event" or "properties.<name>"
  std::string message;  // e.g. "property 'amount' must be a number"
};

// Every way `event` breaks `plan` (empty when it conforms or when the plan is empty
// or in accept_all mode). Unplanned events, unplanned properties, missing required
// properties, wrong types and values outside the allowed list each give one entry.
std::vector<PlanCheck> CheckAgainstPlan(const domain::TrackingPlan& plan, const store::Event& event);

}  // namespace tobops::ingest
