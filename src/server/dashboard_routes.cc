// Dashboards of saved charts (/api/dashboards...) and the export of any query answer
// as CSV or XLSX (POST /api/query/export). Reads need a session or a read token;
// changing dashboards needs a console session (read tokens are for scripts that read).
#include "common/time_format.h"
#include "export/csv_writer.h"
#include "export/xlsx_writer.h"
#include "query/answer_table.h"
#include "query/query_json.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

std::string Iso(int64_t ms) { return FormatIso8601Ms(ms, cctz::utc_time_zone()); }

json ChartJson(const domain::DashboardChart& chart) {
  json spec = json::parse(chart.spec_json, nullptr, /*allow_exceptions=*/false);
  return {{"id", chart.id},
          {"dashboard_id", chart.dashboard_id},
          {"title", chart.title},
          {"spec", spec.is_discarded() ? json(nullptr) : spec},
          {"position", chart.position},
          {"created_at", Iso(chart.created_at_ms)}};
}

json DashboardJson(const domain::Dashboard& d) {
  json charts = json::array();
  for (const auto& c : d.charts) charts.push_back(ChartJson(c));
  return {{"id", d.id}, {"name", d.name}, {"created_at", Iso(d.created_at_ms)}, {"charts", std::move(charts)}};
}

// A console session (any user); read tokens may not change dashboards.
Result<Principal> AuthenticateEditor(const httplib::Request& req, Workspace& ws) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRead(req, ws));
  if (!principal.user) return PermissionDenied("changing dashboards needs a console session, not a read token");
  return principal;
}

// The query spec a chart saves: an object whose "kind" the query engine knows.
Status CheckSpec(const json& body) {
  if (!body.contains("spec") || !body["spec"].is_object()) {
    return InvalidArgument("spec must be a query spec object", "spec");
  }
  const json& spec = body["spec"];
  if (!spec.contains("kind") || !spec["kind"].is_string() || !query::IsQueryKind(spec["kind"].get<std::string>())) {
    return InvalidArgument("spec.kind must name an analysis kind", "spec.kind");
  }
  return Status::Ok();
}

// "漏斗 funnel" → a file name safe in a Content-Disposition header (ASCII fallback
// plus the RFC 5987 UTF-8 form).
std::string Disposition(const std::string& kind, const std::string& extension) {
  const std::string name = "tobops-" + kind + "." + extension;
  return "attachment; filename=\"" + name + "\"; filename*=UTF-8''" + name;
}

}  // namespace

void RegisterDashboardRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;
  http.Get("/api/dashboards", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto list = ws.dashboards().List(principal->project_id);
    if (!list.ok()) return WriteError(res, list.status());
    json out = json::array();
    for (const auto& d : *list) out.push_back(DashboardJson(d));
    WriteJson(res, {{"dashboards", std::move(out)}});
  });
  http.Post("/api/dashboards", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->is_object() || !body->contains("name") || !(*body)["name"].is_string()) {
      return WriteError(res, InvalidArgument("name must be a string", "name"));
    }
    auto created = ws.dashboards().Create(principal->project_id, (*body)["name"].get<std::string>());
    if (!created.ok()) return WriteError(res, created.status());
    WriteJson(res, {{"dashboard", DashboardJson(*created)}}, 201);
  });
  http.Get(R"(/api/dashboards/(\d+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 1, "dashboard_id");
    if (!id.ok()) return WriteError(res, id.status());
    auto d = ws.dashboards().Get(principal->project_id, *id);
    if (!d.ok()) return WriteError(res, d.status());
    WriteJson(res, {{"dashboard", DashboardJson(*d)}});
  });
  http.Delete(R"(/api/dashboards/(\d+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 1, "dashboard_id");
    if (!id.ok()) return WriteError(res, id.status());
    Status deleted = ws.dashboards().Delete(principal->project_id, *id);
    if (!deleted.ok()) return WriteError(res, deleted);
    WriteJson(res, {{"ok", true}});
  });
  http.Post(R"(/api/dashboards/(\d+)/charts)", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 1, "dashboard_id");
    if (!id.ok()) return WriteError(res, id.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->is_object()) return WriteError(res, InvalidArgument("the body must be an object {title, spec}"));
    if (!body->contains("title") || !(*body)["title"].is_string()) {
      return WriteError(res, InvalidArgument("title must be a string", "title"));
    }
    Status spec_ok = CheckSpec(*body);
    if (!spec_ok.ok()) return WriteError(res, spec_ok);
    auto chart = ws.dashboards().AddChart(principal->project_id, *id, (*body)["title"].get<std::string>(),
                                          (*body)["spec"].dump());
    if (!chart.ok()) return WriteError(res, chart.status());
    WriteJson(res, {{"chart", ChartJson(*chart)}}, 201);
  });
  http.Delete(R"(/api/dashboards/(\d+)/charts/(\d+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 1, "dashboard_id");
    auto chart = PathId(req, 2, "chart_id");
    if (!id.ok()) return WriteError(res, id.status());
    if (!chart.ok()) return WriteError(res, chart.status());
    Status deleted = ws.dashboards().DeleteChart(principal->project_id, *id, *chart);
    if (!deleted.ok()) return WriteError(res, deleted);
    WriteJson(res, {{"ok", true}});
  });

  http.Post("/api/query/export", [&ctx, &ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "csv";
    if (format != "csv" && format != "xlsx") {
      return WriteError(res, InvalidArgument("format must be csv or xlsx", "format"));
    }
    auto spec = ParseJsonBody(req);
    if (!spec.ok()) return WriteError(res, spec.status());
    auto runtime = ws.Project(principal->project_id);
    if (!runtime.ok()) return WriteError(res, runtime.status());
    auto answer = query::RunQueryJson(*spec, (*runtime)->QueryContextNow(ctx.options.query_threads));
    if (!answer.ok()) return WriteError(res, answer.status());
    auto table = query::AnswerToTable(*answer);
    if (!table.ok()) return WriteError(res, table.status());
    const std::string kind = answer->value("kind", "query");
    if (format == "csv") {
      res.set_header("Content-Disposition", Disposition(kind, "csv"));
      res.set_content(exporting::WriteCsv(*table), "text/csv; charset=utf-8");
      return;
    }
    std::error_code ec;
    const auto temp_dir = ws.data_dir() / "tmp";
    std::filesystem::create_directories(temp_dir, ec);
    auto bytes = exporting::WriteXlsx(*table, kind, temp_dir);
    if (!bytes.ok()) return WriteError(res, bytes.status());
    res.set_header("Content-Disposition", Disposition(kind, "xlsx"));
    res.set_content(*bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });
}

}  // namespace tobops::server
