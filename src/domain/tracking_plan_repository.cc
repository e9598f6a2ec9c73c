#include "domain/tracking_plan_repository.h"

#include <algorithm>
#include <utility>

#include "domain/quarantine_repository.h"

namespace tobops::domain {
namespace {

constexpr std::string_view kSelectProjectExists = "SELECT 1 FROM projects WHERE id = ?1";
constexpr std::string_view kSelectMode = "SELECT mode FROM tracking_plans WHERE project_id = ?1";
constexpr std::string_view kSelectEvents =
    "SELECT name, description FROM planned_events WHERE project_id = ?1 ORDER BY position";
constexpr std::string_view kSelectProperties =
    "SELECT event_name, name, type, required FROM planned_properties WHERE project_id = ?1 "
    "ORDER BY event_name, position";
constexpr std::string_view kSelectValues =
    "SELECT event_name, property_name, value FROM planned_property_values WHERE project_id = ?1 "
    "ORDER BY event_name, property_name, position";
// Properties and values go with their events (ON DELETE CASCADE).
constexpr std::string_view kDeleteEvents = "DELETE FROM planned_events WHERE project_id = ?1";
constexpr std::string_view kUpsertMode =
    "INSERT INTO tracking_plans(project_id, mode, updated_at_ms) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(project_id) DO UPDATE SET mode = excluded.mode, updated_at_ms = excluded.updated_at_ms";
constexpr std::string_view kInsertEvent =
    "INSERT INTO planned_events(project_id, name, position, description) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kInsertProperty =
    "INSERT INTO planned_properties(project_id, event_name, name, position, type, required) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kInsertValue =
    "INSERT INTO planned_property_values(project_id, event_name, property_name, position, value) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

// Counts add up; "last" fields keep the later time (a batch may carry old events).
constexpr std::string_view kUpsertEventObservation = R"sql(
INSERT INTO plan_event_observations(project_id, event_name, seen_count, last_seen_ms, violation_count,
                                    last_violation_ms, last_violation_message)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT(project_id, event_name) DO UPDATE SET
  seen_count = seen_count + excluded.seen_count,
  last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms),
  violation_count = violation_count + excluded.violation_count,
  last_violation_ms = CASE
    WHEN excluded.last_violation_ms IS NOT NULL
         AND (last_violation_ms IS NULL OR excluded.last_violation_ms >= last_violation_ms)
    THEN excluded.last_violation_ms ELSE last_violation_ms END,
  last_violation_message = CASE
    WHEN excluded.last_violation_ms IS NOT NULL
         AND (last_violation_ms IS NULL OR excluded.last_violation_ms >= last_violation_ms)
    THEN excluded.last_violation_message ELSE last_violation_message END
)sql";
constexpr std::string_view kUpsertPropertyObservation =
    "INSERT INTO plan_property_observations(project_id, event_name, property_name, seen_count) "
    "VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(project_id, event_name, property_name) DO UPDATE SET seen_count = seen_count + excluded.seen_count";
constexpr std::string_view kSelectEventObservations =
    "SELECT event_name, seen_count, last_seen_ms, violation_count, last_violation_ms, last_violation_message "
    "FROM plan_event_observations WHERE project_id = ?1";
constexpr std::string_view kSelectPropertyObservations =
    "SELECT event_name, property_name, seen_count FROM plan_property_observations WHERE project_id = ?1";

template <typename Fn>
Status ForEachRow(SqliteConnection& conn, std::string_view sql, std::string_view project_id, Fn&& fn) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(sql));
  RETURN_IF_ERROR(stmt.BindText(1, project_id));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    RETURN_IF_ERROR(fn(stmt));
  }
}

Status ReadPlan(SqliteConnection& conn, std::string_view project_id, TrackingPlan& plan) {
  plan = TrackingPlan{};
  RETURN_IF_ERROR(ForEachRow(conn, kSelectMode, project_id, [&](const SqliteStatement& s) -> Status {
    ASSIGN_OR_RETURN(plan.mode, ParsePlanMode(s.ColumnText(0)));
    return Status::Ok();
  }));
  std::map<std::string, PlannedEvent*, std::less<>> events;
  RETURN_IF_ERROR(ForEachRow(conn, kSelectEvents, project_id, [&](const SqliteStatement& s) -> Status {
    plan.events.push_back(PlannedEvent{s.ColumnText(0), s.ColumnText(1), {}});
    return Status::Ok();
  }));
  // Pointers are taken after the vector stops growing.
  for (PlannedEvent& event : plan.events) events[event.name] = &event;
  RETURN_IF_ERROR(ForEachRow(conn, kSelectProperties, project_id, [&](const SqliteStatement& s) -> Status {
    auto it = events.find(s.ColumnText(0));
    if (it == events.end()) return DataLoss("planned property without its event");
    PlannedProperty property;
    property.name = s.ColumnText(1);
    ASSIGN_OR_RETURN(property.type, ParsePropertyType(s.ColumnText(2)));
    property.required = s.ColumnInt64(3) != 0;
    it->second->properties.push_back(std::move(property));
    return Status::Ok();
  }));
  return ForEachRow(conn, kSelectValues, project_id, [&](const SqliteStatement& s) -> Status {
    auto it = events.find(s.ColumnText(0));
    if (it == events.end()) return DataLoss("allowed value without its event");
    std::string property_name = s.ColumnText(1);
    for (PlannedProperty& property : it->second->properties) {
      if (property.name == property_name) {
        property.allowed_values.push_back(s.ColumnText(2));
        return Status::Ok();
      }
    }
    return DataLoss("allowed value without its property");
  });
}

Status WritePlan(SqliteConnection& conn, std::string_view project_id, const TrackingPlan& plan, int64_t now_ms) {
  ASSIGN_OR_RETURN(SqliteStatement exists, conn.Prepare(kSelectProjectExists));
  RETURN_IF_ERROR(exists.BindText(1, project_id));
  ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return NotFound("project '" + std::string(project_id) + "' not found");

  ASSIGN_OR_RETURN(SqliteStatement mode, conn.Prepare(kUpsertMode));
  RETURN_IF_ERROR(mode.BindText(1, project_id));
  RETURN_IF_ERROR(mode.BindText(2, PlanModeName(plan.mode)));
  RETURN_IF_ERROR(mode.BindInt64(3, now_ms));
  RETURN_IF_ERROR(mode.Run());
  ASSIGN_OR_RETURN(SqliteStatement clear, conn.Prepare(kDeleteEvents));
  RETURN_IF_ERROR(clear.BindText(1, project_id));
  RETURN_IF_ERROR(clear.Run());

  ASSIGN_OR_RETURN(SqliteStatement insert_event, conn.Prepare(kInsertEvent));
  ASSIGN_OR_RETURN(SqliteStatement insert_property, conn.Prepare(kInsertProperty));
  ASSIGN_OR_RETURN(SqliteStatement insert_value, conn.Prepare(kInsertValue));
  for (size_t e = 0; e < plan.events.size(); ++e) {
    const PlannedEvent& event = plan.events[e];
    RETURN_IF_ERROR(insert_event.BindText(1, project_id));
    RETURN_IF_ERROR(insert_event.BindText(2, event.name));
    RETURN_IF_ERROR(insert_event.BindInt64(3, static_cast<int64_t>(e)));
    RETURN_IF_ERROR(insert_event.BindText(4, event.description));
    RETURN_IF_ERROR(insert_event.Run());
    RETURN_IF_ERROR(insert_event.Reset());
    for (size_t p = 0; p < event.properties.size(); ++p) {
      const PlannedProperty& property = event.properties[p];
      RETURN_IF_ERROR(insert_property.BindText(1, project_id));
      RETURN_IF_ERROR(insert_property.BindText(2, event.name));
      RETURN_IF_ERROR(insert_property.BindText(3, property.name));
      RETURN_IF_ERROR(insert_property.BindInt64(4, static_cast<int64_t>(p)));
      RETURN_IF_ERROR(insert_property.BindText(5, PropertyTypeName(property.type)));
      RETURN_IF_ERROR(insert_property.BindInt64(6, property.required ? 1 : 0));
      RETURN_IF_ERROR(insert_property.Run());
      RETURN_IF_ERROR(insert_property.Reset());
      for (size_t v = 0; v < property.allowed_values.size(); ++v) {
        RETURN_IF_ERROR(insert_value.BindText(1, project_id));
        RETURN_IF_ERROR(insert_value.BindText(2, event.name));
        RETURN_IF_ERROR(insert_value.BindText(3, property.name));
        RETURN_IF_ERROR(insert_value.BindInt64(4, static_cast<int64_t>(v)));
        RETURN_IF_ERROR(insert_value.BindText(5, property.allowed_values[v]));
        RETURN_IF_ERROR(insert_value.Run());
        RETURN_IF_ERROR(insert_value.Reset());
      }
    }
  }
  return Status::Ok();
}

bool BySeenThenName(const auto& a, const auto& b) {
  if (a.seen != b.seen) return a.seen > b.seen;
  return a.name < b.name;
}

}  // namespace

// ---- PlanObservationBatch ---------------------------------------------------

PlanObservation& PlanObservationBatch::Entry(std::string_view event_name) {
  auto it = by_event_.find(event_name);
  if (it == by_event_.end()) {
    it = by_event_.emplace(std::string(event_name), PlanObservation{}).first;
    it->second.event_name = std::string(event_name);
  }
  return it->second;
}

void PlanObservationBatch::AddEvent(std::string_view event_name, int64_t at_ms,
                                    const std::vector<std::string>& property_names) {
  PlanObservation& entry = Entry(event_name);
  entry.last_seen_ms = entry.seen_count == 0 ? at_ms : std::max(entry.last_seen_ms, at_ms);
  ++entry.seen_count;
  for (const std::string& name : property_names) ++entry.property_seen_counts[name];
}

void PlanObservationBatch::AddViolation(std::string_view event_name, int64_t at_ms, std::string_view message) {
  PlanObservation& entry = Entry(event_name);
  ++entry.violation_count;
  if (!entry.last_violation || at_ms >= entry.last_violation->at_ms) {
    entry.last_violation = PlanViolation{at_ms, std::string(TruncateUtf8(message, kMaxViolationMessageBytes))};
  }
}

// ---- TrackingPlanRepository -------------------------------------------------

Result<TrackingPlan> TrackingPlanRepository::LoadPlanLocked(std::string_view project_id) {
  if (auto it = plan_cache_.find(std::string(project_id)); it != plan_cache_.end()) return it->second;
  TrackingPlan plan;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) { return ReadPlan(conn, project_id, plan); }));
  plan_cache_[std::string(project_id)] = plan;
  return plan;
}

Result<TrackingPlan> TrackingPlanRepository::GetPlan(std::string_view project_id) {
  std::lock_guard lock(plan_mu_);
  return LoadPlanLocked(project_id);
}

Status TrackingPlanRepository::ReplacePlan(std::string_view project_id, const TrackingPlan& plan) {
  RETURN_IF_ERROR(ValidateTrackingPlan(plan));
  std::lock_guard lock(plan_mu_);
  RETURN_IF_ERROR(db_.Transaction(
      [&](SqliteConnection& conn) { return WritePlan(conn, project_id, plan, clock_()); }));
  plan_cache_[std::string(project_id)] = plan;
  return Status::Ok();
}

Status TrackingPlanRepository::RecordObservations(std::string_view project_id, const PlanObservationBatch& batch) {
  if (batch.empty()) return Status::Ok();
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement event_stmt, conn.Prepare(kUpsertEventObservation));
    ASSIGN_OR_RETURN(SqliteStatement property_stmt, conn.Prepare(kUpsertPropertyObservation));
    for (const auto& [name, o] : batch.observations()) {
      RETURN_IF_ERROR(event_stmt.BindText(1, project_id));
      RETURN_IF_ERROR(event_stmt.BindText(2, name));
      RETURN_IF_ERROR(event_stmt.BindInt64(3, o.seen_count));
      RETURN_IF_ERROR(event_stmt.BindInt64(4, o.last_seen_ms));
      RETURN_IF_ERROR(event_stmt.BindInt64(5, o.violation_count));
      if (o.last_violation) {
        RETURN_IF_ERROR(event_stmt.BindInt64(6, o.last_violation->at_ms));
        RETURN_IF_ERROR(event_stmt.BindText(7, o.last_violation->message));
      } else {
        RETURN_IF_ERROR(event_stmt.BindNull(6));
        RETURN_IF_ERROR(event_stmt.BindNull(7));
      }
      RETURN_IF_ERROR(event_stmt.Run());
      RETURN_IF_ERROR(event_stmt.Reset());
      for (const auto& [property, count] : o.property_seen_counts) {
        RETURN_IF_ERROR(property_stmt.BindText(1, project_id));
        RETURN_IF_ERROR(property_stmt.BindText(2, name));
        RETURN_IF_ERROR(property_stmt.BindText(3, property));
        RETURN_IF_ERROR(property_stmt.BindInt64(4, count));
        RETURN_IF_ERROR(property_stmt.Run());
        RETURN_IF_ERROR(property_stmt.Reset());
      }
    }
    return Status::Ok();
  });
}

Result<PlanReport> TrackingPlanRepository::GetReport(std::string_view project_id) {
  ASSIGN_OR_RETURN(TrackingPlan plan, GetPlan(project_id));

  std::map<std::string, PlanReportEvent> seen_events;
  std::map<std::string, std::map<std::string, int64_t>> seen_properties;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(ForEachRow(conn, kSelectEventObservations, project_id, [&](const SqliteStatement& s) -> Status {
      PlanReportEvent event;
      event.name = s.ColumnText(0);
      event.seen = s.ColumnInt64(1);
      if (event.seen > 0) event.last_seen_ms = s.ColumnInt64(2);
      event.violations = s.ColumnInt64(3);
      if (!s.ColumnIsNull(4)) event.last_violation = PlanViolation{s.ColumnInt64(4), s.ColumnText(5)};
      seen_events.emplace(event.name, std::move(event));
      return Status::Ok();
    }));
    return ForEachRow(conn, kSelectPropertyObservations, project_id, [&](const SqliteStatement& s) -> Status {
      seen_properties[s.ColumnText(0)][s.ColumnText(1)] = s.ColumnInt64(2);
      return Status::Ok();
    });
  }));

  // Properties of one event: planned ones in plan order, then the rest by seen.
  auto merge_properties = [&](const std::string& event_name, const std::vector<PlannedProperty>& planned) {
    std::vector<PlanReportProperty> out;
    std::map<std::string, int64_t> observed;
    if (auto it = seen_properties.find(event_name); it != seen_properties.end()) observed = it->second;
    for (const PlannedProperty& property : planned) {
      int64_t seen = 0;
      if (auto it = observed.find(property.name); it != observed.end()) {
        seen = it->second;
        observed.erase(it);
      }
      out.push_back(PlanReportProperty{property.name, true, seen});
    }
    size_t first_unplanned = out.size();
    for (const auto& [name, seen] : observed) out.push_back(PlanReportProperty{name, false, seen});
    std::sort(out.begin() + static_cast<ptrdiff_t>(first_unplanned), out.end(),
              [](const auto& a, const auto& b) { return BySeenThenName(a, b); });
    return out;
  };

  PlanReport report;
  report.mode = plan.mode;
  for (const PlannedEvent& planned : plan.events) {
    PlanReportEvent event;
    if (auto it = seen_events.find(planned.name); it != seen_events.end()) {
      event = std::move(it->second);
      seen_events.erase(it);
    }
    event.name = planned.name;
    event.planned = true;
    event.properties = merge_properties(planned.name, planned.properties);
    report.events.push_back(std::move(event));
  }
  size_t first_unplanned = report.events.size();
  for (auto& [name, event] : seen_events) {
    event.planned = false;
    event.properties = merge_properties(name, {});
    report.events.push_back(std::move(event));
  }
  std::sort(report.events.begin() + static_cast<ptrdiff_t>(first_unplanned), report.events.end(),
            [](const auto& a, const auto& b) { return BySeenThenName(a, b); });
  return report;
}

}  // namespace tobops::domain
