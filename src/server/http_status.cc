#include "server/http_status.h"

#include <algorithm>
#include <thread>

#include "common/json_text.h"

namespace tobops::server {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 412;
    case StatusCode::kResourceExhausted: return 503;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDataLoss: return 500;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

nlohmann::json ErrorJson(const Status& status) {
  nlohmann::json error = {{"code", StatusCodeName(status.code())}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return {{"error", std::move(error)}};
}

void WriteJson(httplib::Response& res, const nlohmann::json& body, int http_status) {
  // Large answers (every account's health, long entity lists) serialize on the cores
  // the query used.
  static const int threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  WriteJsonText(res, JsonText(body, threads), http_status);
}

void WriteJsonText(httplib::Response& res, std::string text, int http_status) {
  res.status = http_status;
  res.set_content(std::move(text), "application/json; charset=utf-8");
}

void WriteError(httplib::Response& res, const Status& status) {
  WriteJson(res, ErrorJson(status), HttpStatusFor(status));
}

void WriteError(httplib::Response& res, const Status& status, int http_status) {
  WriteJson(res, ErrorJson(status), http_status);
}

Result<nlohmann::json> ParseJsonBody(const httplib::Request& req) {
  if (req.body.empty()) return InvalidArgument("the request body is empty; a JSON object is expected");
  try {
    return nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    return InvalidArgument(std::string("the request body is not valid JSON: ") + e.what());
  }
}

}  // namespace tobops::server
