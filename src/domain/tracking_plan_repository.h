// File: domain/tracking_plan_repository.h
// TrackingPlanRepository: stores each project's tracking plan, accumulates what
// ingest observed (events and properties seen, plan violations) and joins the
// two into the planned-vs-seen report of GET /api/tracking-plan/report.
// Callers: server/ (plan and report handlers), ingest wiring (GetPlan, and
// RecordObservations once per HTTP batch: one short transaction).
// Thread-safety: every method may be called concurrently. GetPlan is served from
// memory after the first read; ReplacePlan refreshes that copy.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"
#include "domain/tracking_plan.h"

namespace tobops::domain {

struct PlanViolation {
  int64_t at_ms = 0;
  std::string message;  // e.g. "property 'amount' must be a number"
};

// What one batch saw of one event name. Counts are added to the stored totals.
struct PlanObservation {
  std::string event_name;
  int64_t seen_count = 0;
  int64_t last_seen_ms = 0;
  int64_t violation_count = 0;
  std::optional<PlanViolation> last_violation;  // the latest in the batch
  std::map<std::string, int64_t> property_seen_counts;  // property name → times seen
};

// Aggregates the observations of one ingest batch, per event name.
// Thread-safety: none; one batch belongs to one request.
class PlanObservationBatch {
 public:
  // Violation messages longer than this are cut.
  static constexpr size_t kMaxViolationMessageBytes = 1024;

  // Counts one event seen at at_ms with these top-level property names.
  void AddEvent(std::string_view event_name, int64_t at_ms, const std::vector<std::string>& property_names);
  // Counts one violation of event_name (the event itself is counted by AddEvent).
  void AddViolation(std::string_view event_name, int64_t at_ms, std::string_view message);

  bool empty() const { return by_event_.empty(); }
  // Observations by event name.
  const std::map<std::string, PlanObservation, std::less<>>& observations() const { return by_event_; }

 private:
  PlanObservation& Entry(std::string_view event_name);
  std::map<std::string, PlanObservation, std::less<>> by_event_;
};

struct PlanReportProperty {
  std::string name;
  bool planned = false;
  int64_t seen = 0;
};

struct PlanReportEvent {
  std::string name;
  bool planned = false;
  int64_t seen = 0;
  std::optional<int64_t> last_seen_ms;  // empty when never seen
  int64_t violations = 0;
  std::optional<PlanViolation> last_violation;
  // Planned properties in plan order, then unplanned ones by descending seen.
  std::vector<PlanReportProperty> properties;
};

struct PlanReport {
  PlanMode mode = PlanMode::kAcceptAll;
  // Planned events in plan order (seen = 0 if never seen), then seen but
  // unplanned events by descending seen, then name.
  std::vector<PlanReportEvent> events;
};

class TrackingPlanRepository {
 public:
  // db must outlive the repository.
  explicit TrackingPlanRepository(SqliteDatabase& db, Clock clock = SystemClock())
      : db_(db), clock_(std::move(clock)) {}

  // The project's plan; a project without one gets {accept_all, no events}.
  [[nodiscard]] Result<TrackingPlan> GetPlan(std::string_view project_id);
  // Replaces the whole plan in one transaction. kInvalidArgument as
  // ValidateTrackingPlan; kNotFound if the project does not exist.
  // Observations are kept (the report re-joins them with the new plan).
  [[nodiscard]] Status ReplacePlan(std::string_view project_id, const TrackingPlan& plan);
  // Adds a batch's observations to the stored totals in one transaction.
  // kFailedPrecondition if the project does not exist.
  [[nodiscard]] Status RecordObservations(std::string_view project_id, const PlanObservationBatch& batch);
  // The planned-vs-seen report.
  [[nodiscard]] Result<PlanReport> GetReport(std::string_view project_id);

 private:
  Result<TrackingPlan> LoadPlanLocked(std::string_view project_id);

  SqliteDatabase& db_;
  Clock clock_;
  // Held across the catalog read in GetPlan and the write in ReplacePlan, so
  // the cache never holds an older plan than the catalog. Order: plan_mu_, then the db lock.
  std::mutex plan_mu_;
  std::unordered_map<std::string, TrackingPlan> plan_cache_;  // guarded by plan_mu_
};

}  // namespace tobops::domain
