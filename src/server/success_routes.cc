// Customer success (docs/growth/customer_success.md):
//   GET  /api/renewals/calendar?from=&to=        and /api/renewals/calendar/export?format=csv|xlsx
//   GET  /api/renewals/at-risk?days=90&below=50  and /api/renewals/at-risk/export?format=
//   POST /api/playbooks/run[?id=]                (a console session of a record editor)
//   GET  /api/accounts/ID/milestones
// Registered before the generic record routes, so /api/renewals/calendar is not read
// as a record id (the generic routes only match digits anyway). Reads: a console session
// or a read token. The work is in ops/; this file maps parameters and answers.
#include <cmath>
#include <optional>
#include <string>

#include "ops/milestone_progress.h"
#include "ops/playbook_runner.h"
#include "ops/renewal_calendar.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<ops::OpsContext> ReaderContext(const httplib::Request& req, RouteContext& ctx) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRead(req, *ctx.workspace));
  return ctx.workspace->OpsContextFor(principal.project_id, ctx.options.query_threads);
}

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

Result<int64_t> IntegerParam(const httplib::Request& req, const std::string& name, int64_t fallback) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) return fallback;
  const std::string text = req.get_param_value(name);
  try {
    size_t used = 0;
    const int64_t value = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return value;
  } catch (...) {
    return InvalidArgument(name + " must be an integer", name);
  }
}

Result<double> NumberParam(const httplib::Request& req, const std::string& name, double fallback) {
  if (!req.has_param(name) || req.get_param_value(name).empty()) return fallback;
  const std::string text = req.get_param_value(name);
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(value)) throw std::invalid_argument(text);
    return value;
  } catch (...) {
    return InvalidArgument(name + " must be a number", name);
  }
}

Result<json> Calendar(const ops::OpsContext& c, const httplib::Request& req) {
  return ops::RenewalCalendar(c, Param(req, "from"), Param(req, "to"));
}

Result<json> AtRisk(const ops::OpsContext& c, const httplib::Request& req) {
  ASSIGN_OR_RETURN(int64_t days, IntegerParam(req, "days", 90));
  ASSIGN_OR_RETURN(double below, NumberParam(req, "below", 50));
  return ops::AtRiskRenewals(c, days, below);
}

// A JSON view and its export (as server/pipeline_routes.cc).
template <typename Build, typename ToTable>
void Register(httplib::Server& http, RouteContext& ctx, const std::string& path, const std::string& file_name,
              Build build, ToTable table) {
  http.Get(path, [&ctx, build](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    Result<json> answer = build(*ops_ctx, req);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
  http.Get(path + "/export", [&ctx, build, table, file_name](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto format = ExportFormat(req);
    if (!format.ok()) return WriteError(res, format.status());
    Result<json> answer = build(*ops_ctx, req);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteTableFile(res, *ctx.workspace, table(*answer), file_name, *format);
  });
}

}  // namespace

void RegisterSuccessRoutes(httplib::Server& http, RouteContext& ctx) {
  Register(http, ctx, "/api/renewals/calendar", "renewal-calendar", Calendar,
           [](const json& a) { return ops::RenewalCalendarToTable(a); });
  Register(http, ctx, "/api/renewals/at-risk", "at-risk-renewals", AtRisk,
           [](const json& a) { return ops::AtRiskRenewalsToTable(a); });

  http.Post("/api/playbooks/run", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, *ctx.workspace);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto ops_ctx = ctx.workspace->OpsContextFor(principal->project_id, ctx.options.query_threads);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    std::optional<int64_t> id;
    if (req.has_param("id") && !req.get_param_value("id").empty()) {
      auto parsed = IntegerParam(req, "id", 0);
      if (!parsed.ok()) return WriteError(res, parsed.status());
      id = *parsed;
    }
    auto answer = ops::RunPlaybooks(*ops_ctx, id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Get(R"(/api/accounts/(\d+)/milestones)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    int64_t id = 0;
    try {
      id = std::stoll(req.matches[1].str());
    } catch (...) {
      return WriteError(res, InvalidArgument("not a valid id", "id"));
    }
    auto answer = ops::AccountMilestones(*ops_ctx, id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
