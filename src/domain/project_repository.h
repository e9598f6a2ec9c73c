// File: domain/project_repository.h
// ProjectRepository: projects (workspaces) of the catalog. Every other record
// belongs to one project; the first start creates "default".
// Callers: app/ (EnsureDefault at start), server/ (GET /api/me, project lookups).
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

inline constexpr std::string_view kDefaultProjectId = "default";
inline constexpr std::string_view kDefaultProjectName = "Default";
inline constexpr std::string_view kDefaultTimezone = "Asia/Shanghai";

struct Project {
  std::string id;        // [a-z0-9_-], 1..64 characters, e.g. "default"
  std::string name;
  std::string timezone;  // IANA name, e.g. "Asia/Shanghai"
  int64_t created_at_ms = 0;
};

class ProjectRepository {
 public:
  // db must outlive the repository.
  explicit ProjectRepository(SqliteDatabase& db, Clock clock = SystemClock())
      : db_(db), clock_(std::move(clock)) {}

  // Returns the "default" project, creating it (name "Default", Asia/Shanghai) if missing.
  [[nodiscard]] Result<Project> EnsureDefault();
  // Creates a project. kInvalidArgument for a bad id (field "id") or empty
  // name/timezone; kAlreadyExists if the id is taken. An empty timezone means
  // kDefaultTimezone. The time zone name is not checked against tzdata here.
  [[nodiscard]] Result<Project> Create(std::string_view id, std::string_view name, std::string_view timezone);
  // kNotFound if no project has this id.
  [[nodiscard]] Result<Project> Get(std::string_view id);
  // All projects, by id.
  [[nodiscard]] Result<std::vector<Project>> List();

 private:
  SqliteDatabase& db_;
  Clock clock_;
};

}  // namespace tobops::domain
