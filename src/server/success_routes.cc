// Customer success (docs/growth/customer_success.md):
//   GET  /api/renewals/calendar?from=&to=        and /api/renewals/calendar/export?format=csv|xlsx
//   GET  /api/renewals/at-risk?days=90&below=50  and /api/renewals/at-risk/export?format=
//   POST /api/playbooks/run[?id=]                (a console session of a record editor)
//   GET  /api/playbooks/schedule                 {"running","interval_minutes","last_run_at","next_run_at"}
//                                                of the periodic pass (ops/background_jobs.h)
//   GET  /api/accounts/ID/milestones
// Registered before the generic record routes, so /api/renewals/calendar is not read
// as a record id (the generic routes only match digits anyway). Reads: a console session
// or a read token. The work is in ops/; this file maps parameters and answers.
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "common/time_format.h"
#include "ops/milestone_progress.h"
#include "ops/playbook_runner.h"
#include "ops/renewal_calendar.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<json> Calendar(const ops::OpsContext& c, const httplib::Request& req) {
  return ops::RenewalCalendar(c, Param(req, "from"), Param(req, "to"));
}

Result<json> AtRisk(const ops::OpsContext& c, const httplib::Request& req) {
  ASSIGN_OR_RETURN(int64_t days, IntegerParam(req, "days", 90));
  ASSIGN_OR_RETURN(double below, NumberParam(req, "below", 50));
  return ops::AtRiskRenewals(c, days, below);
}


}  // namespace

void RegisterSuccessRoutes(httplib::Server& http, RouteContext& ctx) {
  RegisterViewWithExport(
      http, ctx, "/api/renewals/calendar", Calendar,
      [](const ops::OpsContext&, const json& a) { return ops::RenewalCalendarToTable(a); }, "renewal-calendar");
  RegisterViewWithExport(
      http, ctx, "/api/renewals/at-risk", AtRisk,
      [](const ops::OpsContext&, const json& a) { return ops::AtRiskRenewalsToTable(a); }, "at-risk-renewals");

  http.Get("/api/playbooks/schedule", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, *ctx.workspace);
    if (!principal.ok()) return WriteError(res, principal.status());
    const ops::BackgroundJobs* jobs = ctx.workspace->background_jobs();
    const auto iso = [](int64_t ms) { return ms > 0 ? json(FormatIso8601Ms(ms, cctz::utc_time_zone())) : json(nullptr); };
    if (jobs == nullptr) {
      return WriteJson(res, {{"running", false}, {"interval_minutes", nullptr}, {"last_run_at", nullptr},
                             {"next_run_at", nullptr}});
    }
    const ops::BackgroundJobs::Schedule schedule = jobs->schedule();
    WriteJson(res, {{"running", schedule.next_pass_ms > 0},
                    {"interval_minutes", std::chrono::duration_cast<std::chrono::minutes>(schedule.interval).count()},
                    {"last_run_at", iso(schedule.last_pass_ms)},
                    {"next_run_at", iso(schedule.next_pass_ms)}});
  });

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
    auto id = PathId(req);
    if (!id.ok()) return WriteError(res, id.status());
    auto answer = ops::AccountMilestones(*ops_ctx, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
