// POST /api/query: the JSON query spec of docs/http_api.md, answered by query/.
#include "query/query_json.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {

void RegisterQueryRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Post("/api/query", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, *ctx.workspace);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto spec = ParseJsonBody(req);
    if (!spec.ok()) return WriteError(res, spec.status());
    auto runtime = ctx.workspace->Project(principal->project_id);
    if (!runtime.ok()) return WriteError(res, runtime.status());
    auto answer = query::RunQueryJson(*spec, (*runtime)->QueryContextNow(ctx.options.query_threads));
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
