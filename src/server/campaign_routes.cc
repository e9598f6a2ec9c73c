// Campaigns and leads (docs/growth/campaigns_and_leads.md):
//   POST /api/campaigns/ID/members/import        CSV body (or JSON {"csv": "..."})
//   GET  /api/campaigns/ID/postmortem             and /postmortem/export?format=csv|xlsx
//   GET  /api/campaigns/measures-map
//   POST /api/leads/score  (body {"ids":[...]} or ?id=; none = every lead)
//   GET  /api/leads/ID/score                      the explanation of the score (no write)
// A lead created or updated through the record routes is rescored right after its
// transaction commits, and every lead once an hour, by the workspace's background jobs
// (ops/background_jobs.h).
// Reads: a console session or a read token; writes: a record editor.
#include <string>
#include <vector>

#include "ops/campaign_import.h"
#include "ops/campaign_measures.h"
#include "ops/campaign_postmortem.h"
#include "ops/lead_scoring.h"
#include "records/record_store.h"
#include "server/route_params.h"
#include "server/ops_route_context.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
using nlohmann::json;

void RegisterCampaignRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Get("/api/campaigns/measures-map", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto answer = ops::BuildMeasuresMap(*ops_ctx);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Post(R"(/api/campaigns/(\d+)/members/import)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = EditorContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    std::string csv = req.body;
    if (req.get_header_value("Content-Type").find("application/json") != std::string::npos) {
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("csv") || !body["csv"].is_string()) {
        return WriteError(res, InvalidArgument("a JSON body must be {\"csv\": \"...\"}", "csv"));
      }
      csv = body["csv"].get<std::string>();
    }
    auto answer = ops::ImportCampaignMembers(*ops_ctx, *id, csv);
    if (!answer.ok()) return WriteError(res, answer.status());
    // Attended members become campaign_attended timeline events (ops/timeline_outbox.h).
    DrainTimeline(*ctx.workspace, ops_ctx->project_id);
    const int64_t accepted = (*answer)["accepted"].get<int64_t>();
    const int64_t rejected = (*answer)["rejected"].get<int64_t>();
    WriteJson(res, *answer, rejected == 0 ? 201 : accepted > 0 ? 207 : 400);
  });

  RegisterViewWithExport(
      http, ctx, R"(/api/campaigns/(\d+)/postmortem)",
      [](const ops::OpsContext& c, const httplib::Request& req) -> Result<json> {
        ASSIGN_OR_RETURN(int64_t id, PathId(req));
        return ops::BuildCampaignPostmortem(c, id);
      },
      [](const ops::OpsContext&, const json& answer) { return ops::PostmortemToTable(answer); },
      [](const httplib::Request& req, const json&) { return "campaign-" + req.matches[1].str() + "-postmortem"; });

  http.Post("/api/leads/score", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = EditorContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    std::vector<int64_t> ids;
    if (req.has_param("id")) {
      auto id = ParseId(req.get_param_value("id"), "id");
      if (!id.ok()) return WriteError(res, id.status());
      ids.push_back(*id);
    }
    if (!req.body.empty()) {
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object()) return WriteError(res, InvalidArgument("the body must be a JSON object", "body"));
      if (body.contains("ids")) {
        if (!body["ids"].is_array()) return WriteError(res, InvalidArgument("must be an array of lead ids", "ids"));
        for (const auto& v : body["ids"]) {
          if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
            return WriteError(res, InvalidArgument("must be an array of lead ids", "ids"));
          }
          ids.push_back(v.get<int64_t>());
        }
      }
    }
    auto answer = ops::RecomputeLeadScores(*ops_ctx, ids);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Get(R"(/api/leads/(\d+)/score)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    auto answer = ops::ExplainLeadScore(*ops_ctx, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
