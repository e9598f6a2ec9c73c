// The pipeline and the reports (docs/sales/pipeline_and_reports.md):
//   GET /api/pipeline/board?owner=&q=
//   GET /api/pipeline/forecast?owner=&q=       and /api/pipeline/forecast/export?format=csv|xlsx
//   GET /api/feedback/backlog?status=          and /api/feedback/backlog/export?format=
//   GET /api/reports/weekly?week=2026-W47&at_risk_below=50   and /api/reports/weekly/export?format=
// Moving a card on the board is PATCH /api/opportunities/ID {stage} (record routes);
// the stage is validated by the pipeline hooks (ops/pipeline_stages.h).
// Reads: a console session or a read token. The work is in ops/; this file maps
// parameters and answers.
#include <cmath>
#include <string>

#include "ops/feedback_backlog.h"
#include "ops/pipeline_board.h"
#include "ops/pipeline_forecast.h"
#include "ops/weekly_report.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

ops::PipelineFilter FilterOf(const httplib::Request& req) {
  return {Param(req, "owner"), Param(req, "q")};
}

Result<ops::WeeklyReportOptions> WeeklyOptions(const httplib::Request& req) {
  ops::WeeklyReportOptions options;
  if (req.has_param("week") && !req.get_param_value("week").empty()) {
    ASSIGN_OR_RETURN(options.week, ops::ParseIsoWeek(req.get_param_value("week")));
  }
  if (req.has_param("at_risk_below")) {
    const std::string text = req.get_param_value("at_risk_below");
    try {
      size_t used = 0;
      options.at_risk_below = std::stod(text, &used);
      if (used != text.size() || !std::isfinite(options.at_risk_below))
        throw std::invalid_argument(text);
    } catch (...) {
      return InvalidArgument("at_risk_below must be a number from 0 to 100", "at_risk_below");
    }
  }
  return options;
}

// A JSON view and its export: `build` answers the JSON, `table` turns it into rows.

}  // namespace

void RegisterPipelineRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Get("/api/pipeline/board", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    Result<json> board = ops::BuildPipelineBoard(*ops_ctx, FilterOf(req));
    if (!board.ok()) return WriteError(res, board.status());
    WriteJson(res, *board);
  });

  RegisterViewWithExport(
      http, ctx, "/api/pipeline/forecast",
      [](const ops::OpsContext& c, const httplib::Request& req) {
        return ops::BuildPipelineForecast(c, FilterOf(req));
      },
      [](const ops::OpsContext&, const json& answer) { return ops::ForecastToTable(answer); }, "forecast");

  RegisterViewWithExport(
      http, ctx, "/api/feedback/backlog",
      [](const ops::OpsContext& c, const httplib::Request& req) {
        return ops::BuildFeedbackBacklog(c, Param(req, "status"));
      },
      [](const ops::OpsContext& c, const json& answer) { return ops::BacklogToTable(c, answer); }, "feedback-backlog");

  RegisterViewWithExport(
      http, ctx, "/api/reports/weekly",
      [](const ops::OpsContext& c, const httplib::Request& req) -> Result<json> {
        ASSIGN_OR_RETURN(ops::WeeklyReportOptions options, WeeklyOptions(req));
        return ops::BuildWeeklyReport(c, options);
      },
      [](const ops::OpsContext&, const json& answer) { return ops::WeeklyReportToTable(answer); }, "weekly-report");
}

}  // namespace tobops::server
