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
