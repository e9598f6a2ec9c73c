// The operations services' view (ops::OpsContext) of the caller's project, for the
// workspace route files (campaigns, content, success, partners, goals, pipeline, sales
// views). Errors: the authentication's (401/403) or the project's.
// Thread-safety: as Workspace::OpsContextFor.
#pragma once

#include <string>

#include <httplib.h>

#include "common/status.h"
#include "ops/ops_context.h"
#include "server/http_server.h"

namespace tobops::server {

// A console session or a read token.
Result<ops::OpsContext> ReaderContext(const httplib::Request& req, RouteContext& ctx);

// A console session of a user who may change records (not a viewer).
Result<ops::OpsContext> EditorContext(const httplib::Request& req, RouteContext& ctx);

// Writes the timeline events of the record change just committed (ops/timeline_outbox.h),
// so that when the API answers, they are stored too. A failure is logged and leaves them
// in the outbox for the next write or start: the write itself has succeeded.
void DrainTimeline(Workspace& ws, const std::string& project_id);

}  // namespace tobops::server
