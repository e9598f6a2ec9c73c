#include "domain/dashboard_repository.h"

#include "domain/record_name.h"

namespace tobops::domain {
namespace {

// Checks the dashboard exists and is the project's, inside an open connection.
Status CheckOwned(SqliteConnection& conn, std::string_view project_id, int64_t dashboard_id) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT 1 FROM dashboards WHERE id = ?1 AND project_id = ?2"));
  RETURN_IF_ERROR(stmt.BindInt64(1, dashboard_id));
  RETURN_IF_ERROR(stmt.BindText(2, project_id));
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return NotFound("no dashboard " + std::to_string(dashboard_id));
  return Status::Ok();
}

Status LoadCharts(SqliteConnection& conn, Dashboard* dashboard) {
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   conn.Prepare("SELECT id, dashboard_id, title, spec_json, position, created_at_ms "
                                "FROM dashboard_charts WHERE dashboard_id = ?1 ORDER BY position, id"));
  RETURN_IF_ERROR(stmt.BindInt64(1, dashboard->id));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    dashboard->charts.push_back(DashboardChart{stmt.ColumnInt64(0), stmt.ColumnInt64(1), stmt.ColumnText(2),
                                               stmt.ColumnText(3), stmt.ColumnInt64(4), stmt.ColumnInt64(5)});
  }
}

}  // namespace

Result<std::vector<Dashboard>> DashboardRepository::List(std::string_view project_id) {
  std::vector<Dashboard> out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("SELECT id, project_id, name, created_at_ms FROM dashboards "
                                  "WHERE project_id = ?1 ORDER BY id"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(Dashboard{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnInt64(3), {}});
    }
    for (Dashboard& d : out) RETURN_IF_ERROR(LoadCharts(conn, &d));
    return Status::Ok();
  }));
  return out;
}

Result<Dashboard> DashboardRepository::Get(std::string_view project_id, int64_t dashboard_id) {
  Dashboard out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("SELECT id, project_id, name, created_at_ms FROM dashboards "
                                  "WHERE id = ?1 AND project_id = ?2"));
    RETURN_IF_ERROR(stmt.BindInt64(1, dashboard_id));
    RETURN_IF_ERROR(stmt.BindText(2, project_id));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFound("no dashboard " + std::to_string(dashboard_id));
    out = Dashboard{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnInt64(3), {}};
    return LoadCharts(conn, &out);
  }));
  return out;
}

Result<Dashboard> DashboardRepository::Create(std::string_view project_id, std::string_view name) {
  ASSIGN_OR_RETURN(std::string clean_name, CleanRecordName(name, "name", kMaxNameBytes));
  Dashboard out{0, std::string(project_id), std::move(clean_name), clock_(), {}};
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("INSERT INTO dashboards(project_id, name, created_at_ms) VALUES (?1, ?2, ?3)"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindText(2, out.name));
    RETURN_IF_ERROR(stmt.BindInt64(3, out.created_at_ms));
    RETURN_IF_ERROR(stmt.Run());
    out.id = conn.LastInsertRowId();
    return Status::Ok();
  }));
  return out;
}

Status DashboardRepository::Delete(std::string_view project_id, int64_t dashboard_id) {
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(CheckOwned(conn, project_id, dashboard_id));
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("DELETE FROM dashboards WHERE id = ?1"));
    RETURN_IF_ERROR(stmt.BindInt64(1, dashboard_id));
    return stmt.Run();
  });
}

Result<DashboardChart> DashboardRepository::AddChart(std::string_view project_id, int64_t dashboard_id,
                                                     std::string_view title, std::string_view spec_json) {
  ASSIGN_OR_RETURN(std::string clean_title, CleanRecordName(title, "title", kMaxNameBytes));
  if (spec_json.empty()) return InvalidArgument("a chart needs a query spec", "spec");
  if (spec_json.size() > kMaxSpecBytes) return InvalidArgument("spec is larger than 64 KiB", "spec");
  DashboardChart chart{0, dashboard_id, std::move(clean_title), std::string(spec_json), 0, clock_()};
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(CheckOwned(conn, project_id, dashboard_id));
    ASSIGN_OR_RETURN(SqliteStatement count,
                     conn.Prepare("SELECT COUNT(*), COALESCE(MAX(position) + 1, 0) FROM dashboard_charts "
                                  "WHERE dashboard_id = ?1"));
    RETURN_IF_ERROR(count.BindInt64(1, dashboard_id));
    ASSIGN_OR_RETURN(bool row, count.Step());
    if (row && count.ColumnInt64(0) >= kMaxChartsPerDashboard) {
      return ResourceExhausted("a dashboard holds at most 100 charts");
    }
    chart.position = row ? count.ColumnInt64(1) : 0;
    ASSIGN_OR_RETURN(SqliteStatement insert,
                     conn.Prepare("INSERT INTO dashboard_charts(dashboard_id, title, spec_json, position, "
                                  "created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)"));
    RETURN_IF_ERROR(insert.BindInt64(1, dashboard_id));
    RETURN_IF_ERROR(insert.BindText(2, chart.title));
    RETURN_IF_ERROR(insert.BindText(3, chart.spec_json));
    RETURN_IF_ERROR(insert.BindInt64(4, chart.position));
    RETURN_IF_ERROR(insert.BindInt64(5, chart.created_at_ms));
    RETURN_IF_ERROR(insert.Run());
    chart.id = conn.LastInsertRowId();
    return Status::Ok();
  }));
  return chart;
}

Status DashboardRepository::DeleteChart(std::string_view project_id, int64_t dashboard_id, int64_t chart_id) {
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(CheckOwned(conn, project_id, dashboard_id));
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("DELETE FROM dashboard_charts WHERE id = ?1 AND dashboard_id = ?2"));
    RETURN_IF_ERROR(stmt.BindInt64(1, chart_id));
    RETURN_IF_ERROR(stmt.BindInt64(2, dashboard_id));
    RETURN_IF_ERROR(stmt.Run());
    if (conn.Changes() == 0) return NotFound("no chart " + std::to_string(chart_id) + " on that dashboard");
    return Status::Ok();
  });
}

}  // namespace tobops::domain
