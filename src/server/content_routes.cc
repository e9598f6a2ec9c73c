// Content operations (docs/growth/content.md):
//   GET /api/content/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD   (default the last 30 days)
//   GET /api/content/cases?industry=&from=&to=               (default all history)
//   GET /api/reports/content?month=2026-11                   (default the last full month)
//   GET /api/reports/content.html?month=                     standalone printable page (zh-CN)
//   GET /api/reports/content/export?month=&format=csv|xlsx
// Reads: a console session or a read token. The work is in ops/content_*; this file maps
// parameters and answers.
#include <string>

#include "ops/content_cases.h"
#include "ops/content_metrics.h"
#include "ops/content_report.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<json> Report(const ops::OpsContext& c, const httplib::Request& req) {
  ASSIGN_OR_RETURN(ops::ContentMonth month, ops::ParseContentMonth(Param(req, "month"), c.zone, c.now_ms));
  return ops::BuildContentReport(c, month);
}

}  // namespace

void RegisterContentRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Get("/api/content/metrics", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto c = ReaderContext(req, ctx);
    if (!c.ok()) return WriteError(res, c.status());
    auto window = ops::ParseContentWindow(*c, Param(req, "from"), Param(req, "to"));
    if (!window.ok()) return WriteError(res, window.status());
    Result<json> answer = ops::BuildContentMetrics(*c, *window);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Get("/api/content/cases", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto c = ReaderContext(req, ctx);
    if (!c.ok()) return WriteError(res, c.status());
    ops::CaseLibraryOptions options;
    options.industry = Param(req, "industry");
    if (!Param(req, "from").empty() || !Param(req, "to").empty()) {
      // A bounded window needs both ends; a missing one takes ParseContentWindow's default.
      auto window = ops::ParseContentWindow(*c, Param(req, "from"), Param(req, "to"));
      if (!window.ok()) return WriteError(res, window.status());
      options.from_ms = window->from_ms;
      options.to_ms = window->to_ms;
    }
    Result<json> answer = ops::BuildCaseLibrary(*c, options);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  RegisterViewWithExport(
      http, ctx, "/api/reports/content", Report,
      [](const ops::OpsContext&, const json& answer) { return ops::ContentReportToTable(answer); },
      [](const httplib::Request&, const json& answer) {
        return "content-report-" + answer["month"].get<std::string>();
      });

  http.Get(R"(/api/reports/content\.html)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto c = ReaderContext(req, ctx);
    if (!c.ok()) return WriteError(res, c.status());
    Result<json> answer = Report(*c, req);
    if (!answer.ok()) return WriteError(res, answer.status());
    res.set_content(ops::ContentReportHtml(*answer), "text/html; charset=utf-8");
  });
}

}  // namespace tobops::server
