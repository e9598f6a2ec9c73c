// File: server/http_status.h
// The one place where Status codes become HTTP statuses and JSON error bodies
// ({"error":{"code","message","field"}}), see docs/http_api.md.
// Thread-safety: free functions.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace tobops::server {

// invalid_argument 400, unauthenticated 401, permission_denied 403, not_found 404,
// already_exists 409, failed_precondition 412, resource_exhausted 503 (disk full;
// body-size errors set 413 themselves), unavailable 503, others 500.
int HttpStatusFor(const Status& status);

nlohmann::json ErrorJson(const Status& status);
void WriteError(httplib::Response& res, const Status& status);
void WriteError(httplib::Response& res, const Status& status, int http_status);
void WriteJson(httplib::Response& res, const nlohmann::json& body, int http_status = 200);
// A JSON body already written as text (query::RunQueryText).
void WriteJsonText(httplib::Response& res, std::string text, int http_status = 200);

// Parses a JSON request body. kInvalidArgument naming the parse error.
Result<nlohmann::json> ParseJsonBody(const httplib::Request& req);

}  // namespace tobops::server
