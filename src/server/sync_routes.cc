// Releasing manual edits of records kept up to date from traits:
//   POST /api/accounts/ID/release  {"fields":["industry", ...]}  (empty or absent = all)
//   POST /api/contacts/ID/release  {"fields":[...]}
// → {"record": the record after the current traits were written into the released
// fields}. Needs a console session of a user who may change records. See
// docs/sales/sync_and_timeline.md.
#include "ops/record_sync.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<std::vector<std::string>> ReleaseFields(const json& body) {
  std::vector<std::string> fields;
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object", "body");
  if (!body.contains("fields") || body["fields"].is_null()) return fields;
  if (!body["fields"].is_array()) return InvalidArgument("fields must be an array of field names", "fields");
  for (const auto& f : body["fields"]) {
    if (!f.is_string()) return InvalidArgument("fields must be an array of field names", "fields");
    fields.push_back(f.get<std::string>());
  }
  return fields;
}

}  // namespace

void RegisterSyncRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;
  const int query_threads = ctx.options.query_threads;
  http.Post(R"(/api/(accounts|contacts)/(\d+)/release)",
            [&ws, query_threads](const httplib::Request& req, httplib::Response& res) {
              auto principal = AuthenticateRecordEditor(req, ws);
              if (!principal.ok()) return WriteError(res, principal.status());
              auto id = PathId(req, 2);
              if (!id.ok()) return WriteError(res, id.status());
              json body = json::object();
              if (!req.body.empty()) {
                auto parsed = ParseJsonBody(req);
                if (!parsed.ok()) return WriteError(res, parsed.status());
                body = std::move(*parsed);
              }
              auto fields = ReleaseFields(body);
              if (!fields.ok()) return WriteError(res, fields.status());
              auto ops = ws.OpsContextFor(principal->project_id, query_threads);
              if (!ops.ok()) return WriteError(res, ops.status());
              auto record = ops::RecordSync::Release(*ops, req.matches[1].str(), *id, *fields);
              if (!record.ok()) return WriteError(res, record.status());
              WriteJson(res, {{"record", std::move(*record)}});
            });
}

}  // namespace tobops::server
