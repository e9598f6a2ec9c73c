// POST /api/query: the JSON query spec of docs/http_api.md, answered by query/.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "common/free_memory.h"
#include "query/query_json.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

// A query frees hundreds of MB of rows and dictionaries, which the allocator keeps,
// so the server would stay at its largest query's size. Give them back once no query has
// come for a second: queries in quick succession reuse the memory without page faults
// (trimming after each one made them up to a third slower), and an idle server shrinks.
void TrimWhenIdle() {
  static std::atomic<uint64_t> last_query{0};
  const uint64_t mine = ++last_query;
  std::thread([mine] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    if (last_query.load() == mine) ReleaseFreeMemory();
  }).detach();
}

}  // namespace

void RegisterQueryRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Post("/api/query", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, *ctx.workspace);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto spec = ParseJsonBody(req);
    if (!spec.ok()) return WriteError(res, spec.status());
    auto runtime = ctx.workspace->Project(principal->project_id);
    if (!runtime.ok()) return WriteError(res, runtime.status());
    auto answer = query::RunQueryText(*spec, (*runtime)->QueryContextNow(ctx.options.query_threads));
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJsonText(res, std::move(*answer));
    TrimWhenIdle();
  });
}

}  // namespace tobops::server
