// File: server/request_auth.h
// Who is calling: a write key (ingest only), a read token (read APIs), or a console
// session (cookie). Write keys never pass read checks and read tokens never pass
// admin checks. Thread-safety: free functions over the thread-safe Workspace.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "common/status.h"
#include "domain/key_repository.h"
#include "domain/user_repository.h"
#include "server/workspace.h"

namespace tobops::server {

inline constexpr const char* kSessionCookie = "tobops_session";

struct Principal {
  std::string project_id;
  std::optional<domain::User> user;  // set for sessions
  bool admin = false;
};

// Reads the write key from HTTP Basic (user name) or `body_write_key`.
// kUnauthenticated when missing, unknown, revoked or not a write key.
Result<domain::ApiKey> AuthenticateWriteKey(const httplib::Request& req, Workspace& ws,
                                            const std::string& body_write_key);

// A session cookie or a read token. kUnauthenticated otherwise.
Result<Principal> AuthenticateRead(const httplib::Request& req, Workspace& ws);

// A session of an admin user. kUnauthenticated / kPermissionDenied otherwise.
Result<Principal> AuthenticateAdmin(const httplib::Request& req, Workspace& ws);

// The session token from the Cookie header, or empty.
std::string SessionTokenOf(const httplib::Request& req);

}  // namespace tobops::server
