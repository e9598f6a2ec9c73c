// The partner program (docs/growth/partners.md):
//   POST /api/partners/ID/points {kind, points, reason?, idempotency_key}
//        → 201 {"entry","balance","replayed":false}; a replayed key with the same entry
//          → 200 {"entry","balance","replayed":true}; with another entry → 409
//          (field idempotency_key); a redemption above the balance → 412 "… balance N".
//   GET  /api/partners/ID/ledger          and /api/partners/ID/ledger/export?format=csv|xlsx
//   GET  /api/partners/ranking            and /api/partners/ranking/export?format=csv|xlsx
// Registered before the generic record routes, so "ranking" is not read as an id.
// Reads: a console session or a read token; points: a console session of a non-viewer.
// The work is in ops/partner_points.h and ops/partner_tiers.h.
#include <string>

#include "ops/partner_points.h"
#include "ops/partner_tiers.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<json> Ledger(const httplib::Request& req, const ops::OpsContext& c) {
  ASSIGN_OR_RETURN(int64_t id, PathId(req));
  return ops::BuildPartnerLedger(c, id);
}

}  // namespace

void RegisterPartnerRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Post(R"(/api/partners/(\d+)/points)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, *ctx.workspace);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req);
    if (!id.ok()) return WriteError(res, id.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    auto request = ops::ParsePointsRequest(*body);
    if (!request.ok()) return WriteError(res, request.status());
    if (principal->user) request->recorded_by = principal->user->name;
    auto outcome =
        ops::RecordPoints(ctx.workspace->records(), principal->project_id, *id, *request);
    if (!outcome.ok()) return WriteError(res, outcome.status());
    DrainTimeline(*ctx.workspace, principal->project_id);  // partner_points_recorded
    WriteJson(res,
              {{"entry", outcome->entry}, {"balance", outcome->balance}, {"replayed", outcome->replayed}},
              outcome->replayed ? 200 : 201);
  });

  RegisterViewWithExport(
      http, ctx, R"(/api/partners/(\d+)/ledger)",
      [](const ops::OpsContext& c, const httplib::Request& req) { return Ledger(req, c); },
      [](const ops::OpsContext&, const json& ledger) { return ops::LedgerToTable(ledger); },
      [](const httplib::Request& req, const json&) { return "partner-" + req.matches[1].str() + "-ledger"; });
  RegisterViewWithExport(
      http, ctx, "/api/partners/ranking",
      [](const ops::OpsContext& c, const httplib::Request&) { return ops::BuildPartnerRanking(c); },
      [](const ops::OpsContext&, const json& ranking) { return ops::RankingToTable(ranking); }, "partner-ranking");
}

}  // namespace tobops::server
