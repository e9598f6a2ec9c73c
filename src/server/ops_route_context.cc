#include "server/ops_route_context.h"

#include <spdlog/spdlog.h>

#include "ops/timeline_outbox.h"
#include "server/request_auth.h"

namespace tobops::server {

Result<ops::OpsContext> ReaderContext(const httplib::Request& req, RouteContext& ctx) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRead(req, *ctx.workspace));
  return ctx.workspace->OpsContextFor(principal.project_id, ctx.options.query_threads);
}

Result<ops::OpsContext> EditorContext(const httplib::Request& req, RouteContext& ctx) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRecordEditor(req, *ctx.workspace));
  return ctx.workspace->OpsContextFor(principal.project_id, ctx.options.query_threads);
}

void DrainTimeline(Workspace& ws, const std::string& project_id) {
  auto ctx = ws.OpsContextFor(project_id, 1);
  if (!ctx.ok()) return;
  auto drained = ops::TimelineOutbox::Drain(*ctx);
  if (!drained.ok()) spdlog::warn("project {}: timeline outbox not drained: {}", project_id, drained.status().ToString());
}

}  // namespace tobops::server
