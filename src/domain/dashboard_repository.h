// File: domain/dashboard_repository.h
// DashboardRepository: named dashboards of saved charts. A chart is a title and a
// query spec (the JSON text POST /api/query takes); the server validates the spec
// before saving, this layer stores it as given.
// Callers: server/dashboard_routes.cc. Thread-safety: every method may be called
// concurrently (SqliteDatabase serialises).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

struct DashboardChart {
  int64_t id = 0;
  int64_t dashboard_id = 0;
  std::string title;
  std::string spec_json;
  int64_t position = 0;  // 0-based order within the dashboard
  int64_t created_at_ms = 0;
};

struct Dashboard {
  int64_t id = 0;
  std::string project_id;
  std::string name;
  int64_t created_at_ms = 0;
  std::vector<DashboardChart> charts;  // by position
};

class DashboardRepository {
 public:
  static constexpr size_t kMaxNameBytes = 200;
  static constexpr size_t kMaxSpecBytes = 64 * 1024;
  static constexpr int64_t kMaxChartsPerDashboard = 100;

  explicit DashboardRepository(SqliteDatabase& db, Clock clock = SystemClock())
      : db_(db), clock_(std::move(clock)) {}

  // The project's dashboards with their charts, oldest first.
  [[nodiscard]] Result<std::vector<Dashboard>> List(std::string_view project_id);
  // kNotFound when the dashboard is not the project's.
  [[nodiscard]] Result<Dashboard> Get(std::string_view project_id, int64_t dashboard_id);
  // kInvalidArgument "name" when empty (after trimming) or longer than kMaxNameBytes.
  [[nodiscard]] Result<Dashboard> Create(std::string_view project_id, std::string_view name);
  // kNotFound when the dashboard is not the project's. Its charts go with it.
  [[nodiscard]] Status Delete(std::string_view project_id, int64_t dashboard_id);
  // Appends a chart. kInvalidArgument "title" / "spec" for empty or over-long values,
  // kResourceExhausted when the dashboard already has kMaxChartsPerDashboard charts,
  // kNotFound when the dashboard is not the project's.
  [[nodiscard]] Result<DashboardChart> AddChart(std::string_view project_id, int64_t dashboard_id,
                                                std::string_view title, std::string_view spec_json);
  // kNotFound when the chart is not on that dashboard of the project.
  [[nodiscard]] Status DeleteChart(std::string_view project_id, int64_t dashboard_id, int64_t chart_id);

 private:
  SqliteDatabase& db_;
  Clock clock_;
};

}  // namespace tobops::domain
