// The sales views that join operations records with analytics (docs/sales/views.md):
//   GET /api/accounts/ID/overview?days=30
//   GET /api/accounts/ID/timeline?limit=100&before=ISO
//   GET /api/opportunities/ID/decision-chain?days=30
//   GET /api/opportunities/ID/brief
//   GET /api/visits/ID/minutes[?format=text]
// Registered before the generic record routes; their patterns are distinct anyway
// (httplib matches the whole path). Reads: a console session or a read token. The
// work is in ops/ (one file per view); this file maps parameters and answers.
#include <optional>
#include <string>

#include "common/time_format.h"
#include "ops/account_overview.h"
#include "ops/account_timeline.h"
#include "ops/decision_chain.h"
#include "ops/presales_brief.h"
#include "ops/visit_minutes.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

// The common shape of a view handler: context, id, then `view` answers JSON.
template <typename View>
void Serve(const httplib::Request& req, httplib::Response& res, RouteContext& ctx, View view) {
  auto ops_ctx = ReaderContext(req, ctx);
  if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
  auto id = PathId(req);
  if (!id.ok()) return WriteError(res, id.status());
  Result<json> answer = view(*ops_ctx, *id);
  if (!answer.ok()) return WriteError(res, answer.status());
  WriteJson(res, *answer);
}

}  // namespace

void RegisterSalesViewRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Get(R"(/api/accounts/(\d+)/overview)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, ctx, [&](const ops::OpsContext& c, int64_t id) -> Result<json> {
      ASSIGN_OR_RETURN(int64_t days, IntegerParam(req, "days", 30));
      return ops::AccountOverview(c, id, days);
    });
  });

  http.Get(R"(/api/accounts/(\d+)/timeline)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, ctx, [&](const ops::OpsContext& c, int64_t id) -> Result<json> {
      ASSIGN_OR_RETURN(int64_t limit, IntegerParam(req, "limit", 100));
      std::optional<int64_t> before;
      const std::string before_text = req.get_param_value("before");
      if (!before_text.empty()) {
        auto parsed = ParseIso8601Ms(before_text);
        if (!parsed.ok()) return InvalidArgument("before must be an ISO-8601 time (next_before of a page)", "before");
        before = *parsed;
      }
      return ops::AccountTimeline(c, id, limit, before);
    });
  });

  http.Get(R"(/api/opportunities/(\d+)/decision-chain)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, ctx, [&](const ops::OpsContext& c, int64_t id) -> Result<json> {
      ASSIGN_OR_RETURN(int64_t days, IntegerParam(req, "days", 30));
      return ops::DecisionChain(c, id, days);
    });
  });

  http.Get(R"(/api/opportunities/(\d+)/brief)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, ctx, [](const ops::OpsContext& c, int64_t id) { return ops::PresalesBrief(c, id); });
  });

  http.Get(R"(/api/visits/(\d+)/minutes)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json" && format != "text") {
      return WriteError(res, InvalidArgument("format must be json or text", "format"));
    }
    auto id = PathId(req);
    if (!id.ok()) return WriteError(res, id.status());
    auto minutes = ops::VisitMinutes(*ops_ctx, *id);
    if (!minutes.ok()) return WriteError(res, minutes.status());
    if (format == "text") return res.set_content(ops::MinutesText(*minutes), "text/plain; charset=utf-8");
    WriteJson(res, *minutes);
  });
}

}  // namespace tobops::server
