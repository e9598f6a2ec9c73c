// File: server/http_server.h
// HttpServer: the HTTP front of a Workspace — Segment ingest (/v1/*), the JSON API
// (/api/*) and the embedded web console. Routes live in one file per resource
// (*_routes.cc); each registers itself through the Register* functions below.
// Thread-safety: Start/Stop from one thread; handlers run on a thread pool.
#pragma once

#include <memory>
#include <string>

#include <httplib.h>

#include "common/status.h"
#include "export/table.h"
#include "server/request_auth.h"
#include "server/workspace.h"

namespace tobops::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                         // 0 = pick a free port
  size_t max_body_bytes = 4 * 1024 * 1024; // after decompression
  int threads = 16;                        // HTTP worker threads
  int query_threads = 2;                   // scan parallelism per query
};

// Shared by the route files.
struct RouteContext {
  Workspace* workspace = nullptr;
  ServerOptions options;
};

void RegisterIngestRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterSessionRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterQueryRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterConsoleRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterAdminRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterDashboardRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterCohortRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterRecordRoutes(httplib::Server& http, RouteContext& ctx);
void RegisterSyncRoutes(httplib::Server& http, RouteContext& ctx);       // sync_routes.cc
void RegisterSalesViewRoutes(httplib::Server& http, RouteContext& ctx);  // sales_view_routes.cc
void RegisterPipelineRoutes(httplib::Server& http, RouteContext& ctx);   // pipeline_routes.cc
void RegisterCampaignRoutes(httplib::Server& http, RouteContext& ctx);   // campaign_routes.cc
void RegisterContentRoutes(httplib::Server& http, RouteContext& ctx);    // content_routes.cc
void RegisterSuccessRoutes(httplib::Server& http, RouteContext& ctx);    // success_routes.cc
void RegisterPartnerRoutes(httplib::Server& http, RouteContext& ctx);    // partner_routes.cc
void RegisterGoalRoutes(httplib::Server& http, RouteContext& ctx);       // goal_routes.cc

// Shared by the record and report route files (server/record_routes.cc).
// A console session of a user who may change records (not a viewer).
Result<Principal> AuthenticateRecordEditor(const httplib::Request& req, Workspace& ws);
// ?format=csv|xlsx (default csv); kInvalidArgument naming "format" otherwise.
Result<std::string> ExportFormat(const httplib::Request& req);
// Answers with the table as a CSV or XLSX attachment named tobops-<name>.<format>.
void WriteTableFile(httplib::Response& res, Workspace& ws, const exporting::Table& table, const std::string& name,
                    const std::string& format);
void RegisterStaticRoutes(httplib::Server& http, RouteContext& ctx);

class HttpServer {
 public:
  HttpServer(Workspace* workspace, ServerOptions options);
  ~HttpServer();

  // Binds the port. Errors: kUnavailable when it cannot bind.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop() is called (blocks).
  void Serve();
  void Stop();

 private:
  RouteContext ctx_;
  httplib::Server http_;
  int port_ = 0;
};

}  // namespace tobops::server
