// Saved cohorts (/api/cohorts...). Reads need a session or a read token; saving and
// deleting need a console session; PUT /api/cohorts/ID replaces a cohort's name and
// definition in place (same id). Membership is a query: POST /api/query
// {"kind": "cohort", "cohort": id}.
#include <optional>

#include "common/time_format.h"
#include "query/cohort_definition.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

json CohortJson(const domain::SavedCohort& c) {
  json definition = json::parse(c.definition_json, nullptr, /*allow_exceptions=*/false);
  return {{"id", c.id},
          {"name", c.name},
          {"entity", c.entity},
          {"definition", definition.is_discarded() ? json(nullptr) : definition},
          {"created_at", FormatIso8601Ms(c.created_at_ms, cctz::utc_time_zone())}};
}

}  // namespace

void RegisterCohortRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;
  http.Get("/api/cohorts", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto list = ws.cohorts().List(principal->project_id);
    if (!list.ok()) return WriteError(res, list.status());
    json out = json::array();
    for (const auto& c : *list) out.push_back(CohortJson(c));
    WriteJson(res, {{"cohorts", std::move(out)}});
  });
  http.Get(R"(/api/cohorts/(\d+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 1, "cohort_id");
    if (!id.ok()) return WriteError(res, id.status());
    auto cohort = ws.cohorts().Get(principal->project_id, *id);
    if (!cohort.ok()) return WriteError(res, cohort.status());
    WriteJson(res, {{"cohort", CohortJson(*cohort)}});
  });
  // POST creates, PUT replaces: the same body {"name", "definition"}.
  const auto save = [&ws](const httplib::Request& req, httplib::Response& res, std::optional<int64_t> id) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    if (!principal->user) return WriteError(res, PermissionDenied("saving cohorts needs a console session"));
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->is_object() || !body->contains("name") || !(*body)["name"].is_string()) {
      return WriteError(res, InvalidArgument("name must be a string", "name"));
    }
    if (!body->contains("definition")) return WriteError(res, InvalidArgument("definition is required", "definition"));
    auto definition = query::ParseCohortDefinition((*body)["definition"], "definition");
    if (!definition.ok()) return WriteError(res, definition.status());
    const std::string name = (*body)["name"].get<std::string>();
    const std::string entity = query::EntityKindName(definition->entity);
    const std::string definition_json = (*body)["definition"].dump();
    auto saved = id ? ws.cohorts().Update(principal->project_id, *id, name, entity, definition_json)
                    : ws.cohorts().Create(principal->project_id, name, entity, definition_json);
    if (!saved.ok()) return WriteError(res, saved.status());
    WriteJson(res, {{"cohort", CohortJson(*saved)}}, id ? 200 : 201);
  };
  http.Post("/api/cohorts", [save](const httplib::Request& req, httplib::Response& res) { save(req, res, std::nullopt); });
  http.Put(R"(/api/cohorts/(\d+))", [save](const httplib::Request& req, httplib::Response& res) {
    auto id = PathId(req, 1, "cohort_id");
    if (!id.ok()) return WriteError(res, id.status());
    save(req, res, *id);
  });
  http.Delete(R"(/api/cohorts/(\d+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    if (!principal->user) return WriteError(res, PermissionDenied("deleting cohorts needs a console session"));
    auto id = PathId(req, 1, "cohort_id");
    if (!id.ok()) return WriteError(res, id.status());
    Status deleted = ws.cohorts().Delete(principal->project_id, *id);
    if (!deleted.ok()) return WriteError(res, deleted);
    WriteJson(res, {{"ok", true}});
  });
}

}  // namespace tobops::server
