#include "domain/project_repository.h"

#include <utility>

namespace tobops::domain {
namespace {

constexpr std::string_view kInsertProject =
    "INSERT INTO projects(id, name, timezone, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kInsertProjectIfMissing =
    "INSERT OR IGNORE INTO projects(id, name, timezone, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kSelectProject =
    "SELECT id, name, timezone, created_at_ms FROM projects WHERE id = ?1";
constexpr std::string_view kSelectProjects = "SELECT id, name, timezone, created_at_ms FROM projects ORDER BY id";

constexpr size_t kMaxProjectIdLength = 64;

bool IsValidProjectId(std::string_view id) {
  if (id.empty() || id.size() > kMaxProjectIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Project ReadProject(const SqliteStatement& stmt) {
  return Project{stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnInt64(3)};
}

Result<Project> SelectProject(SqliteConnection& conn, std::string_view id) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectProject));
  RETURN_IF_ERROR(stmt.BindText(1, id));
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return NotFound("project '" + std::string(id) + "' not found");
  return ReadProject(stmt);
}

Status InsertProject(SqliteConnection& conn, std::string_view sql, const Project& p) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(sql));
  RETURN_IF_ERROR(stmt.BindText(1, p.id));
  RETURN_IF_ERROR(stmt.BindText(2, p.name));
  RETURN_IF_ERROR(stmt.BindText(3, p.timezone));
  RETURN_IF_ERROR(stmt.BindInt64(4, p.created_at_ms));
  return stmt.Run();
}

}  // namespace

Result<Project> ProjectRepository::EnsureDefault() {
  Project project{std::string(kDefaultProjectId), std::string(kDefaultProjectName), std::string(kDefaultTimezone),
                  clock_()};
  Project stored;
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(InsertProject(conn, kInsertProjectIfMissing, project));
    ASSIGN_OR_RETURN(stored, SelectProject(conn, project.id));
    return Status::Ok();
  }));
  return stored;
}

Result<Project> ProjectRepository::Create(std::string_view id, std::string_view name, std::string_view timezone) {
  if (!IsValidProjectId(id)) {
    return InvalidArgument("project id must be 1-64 characters of a-z, 0-9, '_' or '-'", "id");
  }
  if (name.empty()) return InvalidArgument("project name must not be empty", "name");
  Project project{std::string(id), std::string(name),
                  std::string(timezone.empty() ? kDefaultTimezone : timezone), clock_()};
  Status status = db_.Run([&](SqliteConnection& conn) { return InsertProject(conn, kInsertProject, project); });
  if (status.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists("project '" + project.id + "' already exists");
  }
  RETURN_IF_ERROR(status);
  return project;
}

Result<Project> ProjectRepository::Get(std::string_view id) {
  Project project;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(project, SelectProject(conn, id));
    return Status::Ok();
  }));
  return project;
}

Result<std::vector<Project>> ProjectRepository::List() {
  std::vector<Project> projects;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectProjects));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      projects.push_back(ReadProject(stmt));
    }
  }));
  return projects;
}

}  // namespace tobops::domain
