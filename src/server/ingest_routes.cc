// Segment HTTP tracking API: POST /v1/{batch,track,identify,group,page,screen,alias}.
#include <spdlog/spdlog.h>

#include "common/time_format.h"
#include "ingest/segment_message_parser.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

void SetCors(const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  res.set_header("Access-Control-Allow-Origin", origin.empty() ? "*" : origin);
  res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
  res.set_header("Access-Control-Allow-Headers",
                 "Authorization, Content-Type, Content-Encoding, X-Requested-With");
  res.set_header("Access-Control-Allow-Credentials", "true");
  res.set_header("Access-Control-Max-Age", "86400");
  res.set_header("Vary", "Origin");
}

void HandleIngest(const httplib::Request& req, httplib::Response& res, RouteContext& ctx,
                  bool is_batch, store::MessageType type) {
  SetCors(req, res);
  const int64_t received_at = NowMs();
  if (req.body.size() > ctx.options.max_body_bytes) {
    WriteError(res,
               ResourceExhausted("the request body is " + std::to_string(req.body.size()) +
                                 " bytes after decompression; the limit is " +
                                 std::to_string(ctx.options.max_body_bytes)),
               413);
    return;
  }
  thread_local ingest::SegmentMessageParser parser;
  auto parsed = parser.Parse(req.body, is_batch, type, received_at);
  // Authenticate before reporting body errors, so a caller without a key learns nothing.
  std::string body_key = parsed.ok() ? parsed->write_key : std::string();
  auto key = AuthenticateWriteKey(req, *ctx.workspace, body_key);
  if (!key.ok()) {
    res.set_header("WWW-Authenticate", "Basic realm=\"tobops ingest\"");
    WriteError(res, key.status());
    return;
  }
  if (!parsed.ok()) {
    WriteError(res, parsed.status());
    return;
  }
  auto runtime = ctx.workspace->Project(key->project_id);
  if (!runtime.ok()) {
    WriteError(res, runtime.status());
    return;
  }
  auto outcome = (*runtime)->pipeline->Ingest(std::move(*parsed), received_at);
  if (!outcome.ok()) {
    if (outcome.status().code() == StatusCode::kResourceExhausted) {
      res.set_header("Retry-After", "5");
      spdlog::warn("ingest refused: {}", outcome.status().ToString());
    }
    WriteError(res, outcome.status());
    return;
  }
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : outcome->errors) {
    nlohmann::json item = {{"index", e.index},
                           {"code", StatusCodeName(e.status.code())},
                           {"message", e.status.message()}};
    if (!e.message_id.empty()) item["messageId"] = e.message_id;
    if (!e.status.field().empty()) item["field"] = e.status.field();
    errors.push_back(std::move(item));
  }
  WriteJson(res, {{"success", true},
                  {"accepted", outcome->accepted},
                  {"duplicates", outcome->duplicates},
                  {"rejected", outcome->rejected},
                  {"errors", std::move(errors)}});
}

}  // namespace

void RegisterIngestRoutes(httplib::Server& http, RouteContext& ctx) {
  struct Route {
    const char* path;
    bool batch;
    store::MessageType type;
  };
  static const Route kRoutes[] = {
      {"/v1/batch", true, store::MessageType::kTrack},
      {"/v1/import", true, store::MessageType::kTrack},
      {"/v1/track", false, store::MessageType::kTrack},
      {"/v1/identify", false, store::MessageType::kIdentify},
      {"/v1/group", false, store::MessageType::kGroup},
      {"/v1/page", false, store::MessageType::kPage},
      {"/v1/screen", false, store::MessageType::kScreen},
      {"/v1/alias", false, store::MessageType::kAlias},
  };
  for (const Route& route : kRoutes) {
    http.Post(route.path, [&ctx, route](const httplib::Request& req, httplib::Response& res) {
      HandleIngest(req, res, ctx, route.batch, route.type);
    });
    http.Options(route.path, [](const httplib::Request& req, httplib::Response& res) {
      SetCors(req, res);
      res.status = 204;
    });
  }
}

}  // namespace tobops::server
