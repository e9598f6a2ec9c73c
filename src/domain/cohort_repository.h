// File: domain/cohort_repository.h
// CohortRepository: saved cohort definitions (query/cohort_definition.h) by name, so a
// cohort can be reused as a filter or breakdown in every analysis ({"source":"cohort",
// "cohort": id}). The server validates a definition before saving; this layer stores
// the JSON text as given.
// Callers: server/cohort_routes.cc, server/workspace.cc (QueryContext::load_cohort).
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

struct SavedCohort {
  int64_t id = 0;
  std::string project_id;
  std::string name;
  std::string entity;  // "person" or "account"
  std::string definition_json;
  int64_t created_at_ms = 0;
};

class CohortRepository {
 public:
  static constexpr size_t kMaxNameBytes = 200;
  static constexpr size_t kMaxDefinitionBytes = 64 * 1024;

  explicit CohortRepository(SqliteDatabase& db, Clock clock = SystemClock())
      : db_(db), clock_(std::move(clock)) {}

  // The project's cohorts, by name.
  [[nodiscard]] Result<std::vector<SavedCohort>> List(std::string_view project_id);
  // kNotFound when the cohort is not the project's.
  [[nodiscard]] Result<SavedCohort> Get(std::string_view project_id, int64_t cohort_id);
  // kInvalidArgument "name" (empty, too long), "entity", "definition" (empty, too
  // long); kAlreadyExists "name" when the project has a cohort of that name.
  [[nodiscard]] Result<SavedCohort> Create(std::string_view project_id, std::string_view name,
                                           std::string_view entity, std::string_view definition_json);
  // Replaces the name, entity and definition of a saved cohort (its id and created_at
  // stay, so dashboards and filters that use it see the new definition). Errors as
  // Create, and kNotFound when the cohort is not the project's.
  [[nodiscard]] Result<SavedCohort> Update(std::string_view project_id, int64_t cohort_id, std::string_view name,
                                           std::string_view entity, std::string_view definition_json);
  // kNotFound when the cohort is not the project's.
  [[nodiscard]] Status Delete(std::string_view project_id, int64_t cohort_id);

 private:
  SqliteDatabase& db_;
  Clock clock_;
};

}  // namespace tobops::domain
