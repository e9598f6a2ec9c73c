#include "domain/cohort_repository.h"

#include "domain/record_name.h"

namespace tobops::domain {
namespace {

constexpr std::string_view kColumns = "id, project_id, name, entity, definition_json, created_at_ms";

SavedCohort Row(const SqliteStatement& stmt) {
  return SavedCohort{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2),
                     stmt.ColumnText(3),  stmt.ColumnText(4), stmt.ColumnInt64(5)};
}

}  // namespace

Result<std::vector<SavedCohort>> CohortRepository::List(std::string_view project_id) {
  std::vector<SavedCohort> out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT " + std::string(kColumns) +
                                                        " FROM cohorts WHERE project_id = ?1 ORDER BY name"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      out.push_back(Row(stmt));
    }
  }));
  return out;
}

Result<SavedCohort> CohortRepository::Get(std::string_view project_id, int64_t cohort_id) {
  SavedCohort out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT " + std::string(kColumns) +
                                                        " FROM cohorts WHERE id = ?1 AND project_id = ?2"));
    RETURN_IF_ERROR(stmt.BindInt64(1, cohort_id));
    RETURN_IF_ERROR(stmt.BindText(2, project_id));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFound("no cohort " + std::to_string(cohort_id));
    out = Row(stmt);
    return Status::Ok();
  }));
  return out;
}

// The checks shared by Create and Update; → the cleaned name.
static Result<std::string> CheckCohort(std::string_view name, std::string_view entity, std::string_view definition_json) {
  ASSIGN_OR_RETURN(std::string clean_name, CleanRecordName(name, "name", CohortRepository::kMaxNameBytes));
  if (entity != "person" && entity != "account") return InvalidArgument("entity must be person or account", "entity");
  if (definition_json.empty()) return InvalidArgument("a cohort needs a definition", "definition");
  if (definition_json.size() > CohortRepository::kMaxDefinitionBytes) {
    return InvalidArgument("definition is larger than 64 KiB", "definition");
  }
  return clean_name;
}

static Status NameTaken(StatusCode code, const std::string& name) {
  return Status(code, "a cohort named '" + name + "' exists", "name");
}

Result<SavedCohort> CohortRepository::Create(std::string_view project_id, std::string_view name,
                                             std::string_view entity, std::string_view definition_json) {
  ASSIGN_OR_RETURN(std::string clean_name, CheckCohort(name, entity, definition_json));
  SavedCohort out{0, std::string(project_id), std::move(clean_name), std::string(entity), std::string(definition_json),
                  clock_()};
  Status status = db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("INSERT INTO cohorts(project_id, name, entity, definition_json, created_at_ms) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5)"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindText(2, out.name));
    RETURN_IF_ERROR(stmt.BindText(3, out.entity));
    RETURN_IF_ERROR(stmt.BindText(4, out.definition_json));
    RETURN_IF_ERROR(stmt.BindInt64(5, out.created_at_ms));
    RETURN_IF_ERROR(stmt.Run());
    out.id = conn.LastInsertRowId();
    return Status::Ok();
  });
  if (status.code() == StatusCode::kAlreadyExists) return NameTaken(status.code(), out.name);
  RETURN_IF_ERROR(status);
  return out;
}

Result<SavedCohort> CohortRepository::Update(std::string_view project_id, int64_t cohort_id, std::string_view name,
                                             std::string_view entity, std::string_view definition_json) {
  ASSIGN_OR_RETURN(std::string clean_name, CheckCohort(name, entity, definition_json));
  Status status = db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("UPDATE cohorts SET name = ?1, entity = ?2, definition_json = ?3 "
                                  "WHERE id = ?4 AND project_id = ?5"));
    RETURN_IF_ERROR(stmt.BindText(1, clean_name));
    RETURN_IF_ERROR(stmt.BindText(2, entity));
    RETURN_IF_ERROR(stmt.BindText(3, definition_json));
    RETURN_IF_ERROR(stmt.BindInt64(4, cohort_id));
    RETURN_IF_ERROR(stmt.BindText(5, project_id));
    RETURN_IF_ERROR(stmt.Run());
    if (conn.Changes() == 0) return NotFound("no cohort " + std::to_string(cohort_id));
    return Status::Ok();
  });
  if (status.code() == StatusCode::kAlreadyExists) return NameTaken(status.code(), clean_name);
  RETURN_IF_ERROR(status);
  return Get(project_id, cohort_id);
}

Status CohortRepository::Delete(std::string_view project_id, int64_t cohort_id) {
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("DELETE FROM cohorts WHERE id = ?1 AND project_id = ?2"));
    RETURN_IF_ERROR(stmt.BindInt64(1, cohort_id));
    RETURN_IF_ERROR(stmt.BindText(2, project_id));
    RETURN_IF_ERROR(stmt.Run());
    if (conn.Changes() == 0) return NotFound("no cohort " + std::to_string(cohort_id));
    return Status::Ok();
  });
}

}  // namespace tobops::domain
