// The operations services' view (ops::OpsContext) of the caller's project, for the
// workspace route files (campaigns, content, success, partners, goals, pipeline, sales
// views). Errors: the authentication's (401/403) or the project's.
// Thread-safety: as Workspace::OpsContextFor.
#pragma once

#include <concepts>
#include <string>

#include <httplib.h>

#include "common/status.h"
#include "ops/ops_context.h"
#include "server/http_server.h"
#include "server/http_status.h"

namespace tobops::server {

// A console session or a read token.
Result<ops::OpsContext> ReaderContext(const httplib::Request& req, RouteContext& ctx);

// A console session of a user who may change records (not a viewer).
Result<ops::OpsContext> EditorContext(const httplib::Request& req, RouteContext& ctx);

// A JSON view at `path` (a route pattern) and its CSV/XLSX export at `path + "/export"`
// (?format=csv|xlsx), both for readers: `build(ops_ctx, req)` → Result<json> answers the
// view; `table(ops_ctx, answer)` → exporting::Table gives the export's rows; and
// `file_name(req, answer)` → std::string names the download (tobops-<name>.<format>).
// The export builds the same answer as the view, so the two never disagree.
template <typename Build, typename ToTable, typename FileName>
  requires std::invocable<FileName, const httplib::Request&, const nlohmann::json&>
void RegisterViewWithExport(httplib::Server& http, RouteContext& ctx, const std::string& path, Build build,
                            ToTable table, FileName file_name) {
  http.Get(path, [&ctx, build](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    Result<nlohmann::json> answer = build(*ops_ctx, req);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
  http.Get(path + "/export", [&ctx, build, table, file_name](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto format = ExportFormat(req);
    if (!format.ok()) return WriteError(res, format.status());
    Result<nlohmann::json> answer = build(*ops_ctx, req);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteTableFile(res, *ctx.workspace, table(*ops_ctx, *answer), file_name(req, *answer), *format);
  });
}

// The same with a fixed download name.
template <typename Build, typename ToTable>
void RegisterViewWithExport(httplib::Server& http, RouteContext& ctx, const std::string& path, Build build,
                            ToTable table, const std::string& file_name) {
  RegisterViewWithExport(http, ctx, path, build, table,
                         [file_name](const httplib::Request&, const nlohmann::json&) { return file_name; });
}

// Writes the timeline events of the record change just committed (ops/timeline_outbox.h),
// so that when the API answers, they are stored too. A failure is logged and leaves them
// in the outbox for the next write or start: the write itself has succeeded.
void DrainTimeline(Workspace& ws, const std::string& project_id);

}  // namespace tobops::server
