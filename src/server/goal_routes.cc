// Goals and strategies (docs/growth/goals_and_strategies.md):
//   GET /api/goals/progress?at=ISO|YYYY-MM-DD     and /api/goals/progress/export?format=csv|xlsx
//   GET /api/strategies/ID/outcome
// Goals and strategies themselves are records (generic REST /api/goals, /api/strategies);
// a goal's query is checked on write by the goal hook (ops/goal_progress.h). Registered
// before the generic record routes. Reads: a console session or a read token. The work
// is in ops/; this file maps parameters and answers.
#include <string>

#include "common/time_format.h"
#include "ops/goal_progress.h"
#include "ops/strategy_outcome.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

// ?at=: an ISO-8601 time, or a day (its start in the project zone; progress is measured
// through the end of the day either way); absent: now.
Result<int64_t> AtParam(const httplib::Request& req, const ops::OpsContext& c) {
  const std::string text = req.has_param("at") ? req.get_param_value("at") : std::string();
  if (text.empty()) return c.now_ms;
  if (text.size() == 10) {
    auto day = ParseCivilDay(text);
    if (!day.ok()) return InvalidArgument("at must be a day YYYY-MM-DD or an ISO-8601 time", "at");
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               c.zone.lookup(cctz::civil_second(*day)).pre.time_since_epoch())
        .count();
  }
  auto ms = ParseIso8601Ms(text);
  if (!ms.ok()) return InvalidArgument("at must be a day YYYY-MM-DD or an ISO-8601 time", "at");
  return *ms;
}

Result<json> Progress(const httplib::Request& req, const ops::OpsContext& c) {
  ASSIGN_OR_RETURN(int64_t at, AtParam(req, c));
  return ops::BuildGoalProgress(c, at);
}

}  // namespace

void RegisterGoalRoutes(httplib::Server& http, RouteContext& ctx) {
  RegisterViewWithExport(
      http, ctx, "/api/goals/progress", [](const ops::OpsContext& c, const httplib::Request& req) { return Progress(req, c); },
      [](const ops::OpsContext&, const json& answer) { return ops::GoalProgressToTable(answer); }, "goal-progress");
  http.Get(R"(/api/strategies/(\d+)/outcome)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto c = ReaderContext(req, ctx);
    if (!c.ok()) return WriteError(res, c.status());
    auto id = PathId(req);
    if (!id.ok()) return WriteError(res, id.status());
    Result<json> answer = ops::BuildStrategyOutcome(*c, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
