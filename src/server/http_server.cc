#include "server/http_server.h"

#include <spdlog/spdlog.h>

#include "server/http_status.h"

namespace tobops::server {

HttpServer::HttpServer(Workspace* workspace, ServerOptions options) {
  ctx_.workspace = workspace;
  ctx_.options = options;
  const int threads = options.threads;
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Raw (possibly compressed) body limit; the decompressed size is checked by handlers.
  http_.set_payload_max_length(options.max_body_bytes);
  http_.set_read_timeout(30, 0);
  http_.set_write_timeout(30, 0);
  http_.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                 std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("{} {} failed: {}", req.method, req.path, what);
    WriteError(res, Internal("internal error while handling the request"));
  });
  http_.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 413) {
      WriteError(res, ResourceExhausted("the request body is larger than the server accepts"), 413);
    } else if (res.status == 404) {
      WriteError(res, NotFound("no route for " + req.method + " " + req.path), 404);
    } else if (res.status == 400) {
      WriteError(res, InvalidArgument("the request could not be read"), 400);
    } else {
      WriteError(res, Status(StatusCode::kInternal, "HTTP error " + std::to_string(res.status)),
                 res.status);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  RegisterIngestRoutes(http_, ctx_);
  RegisterSessionRoutes(http_, ctx_);
  RegisterQueryRoutes(http_, ctx_);
  RegisterConsoleRoutes(http_, ctx_);
  RegisterAdminRoutes(http_, ctx_);
  RegisterDashboardRoutes(http_, ctx_);
  RegisterCohortRoutes(http_, ctx_);
  // Specific record routes first: httplib takes the first pattern that matches.
  RegisterSyncRoutes(http_, ctx_);
  RegisterSalesViewRoutes(http_, ctx_);
  RegisterPipelineRoutes(http_, ctx_);
  RegisterCampaignRoutes(http_, ctx_);
  RegisterContentRoutes(http_, ctx_);
  RegisterSuccessRoutes(http_, ctx_);
  RegisterPartnerRoutes(http_, ctx_);
  RegisterGoalRoutes(http_, ctx_);
  RegisterRecordRoutes(http_, ctx_);
  RegisterStaticRoutes(http_, ctx_);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Bind() {
  const auto& o = ctx_.options;
  if (o.port == 0) {
    port_ = http_.bind_to_any_port(o.host);
  } else {
    port_ = http_.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (port_ <= 0) {
    return Unavailable("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                       " (in use, or not an address of this machine)");
  }
  return Status::Ok();
}

void HttpServer::Serve() { http_.listen_after_bind(); }

void HttpServer::Stop() {
  if (http_.is_running()) http_.stop();
}

}  // namespace tobops::server
