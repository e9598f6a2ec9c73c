#include "server/request_auth.h"

namespace tobops::server {
namespace {

std::string BasicUser(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Basic ";
  if (header.compare(0, prefix.size(), prefix) != 0) return {};
  std::string decoded;
  // Base64 decode (RFC 4648) of the credentials "user:password".
  int val = 0, bits = -8;
  for (unsigned char c : header.substr(prefix.size())) {
    int d;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    else if (c >= '0' && c <= '9') d = c - '0' + 52;
    else if (c == '+' || c == '-') d = 62;
    else if (c == '/' || c == '_') d = 63;
    else break;
    val = (val << 6) + d;
    bits += 6;
    if (bits >= 0) {
      decoded.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return decoded.substr(0, decoded.find(':'));
}

std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.compare(0, prefix.size(), prefix) != 0) return {};
  return header.substr(prefix.size());
}

}  // namespace

std::string SessionTokenOf(const httplib::Request& req) {
  const std::string cookies = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  size_t pos = 0;
  while (pos < cookies.size()) {
    while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    if (cookies.compare(pos, name.size(), name) == 0) {
      return cookies.substr(pos + name.size(), end - pos - name.size());
    }
    pos = end;
  }
  return {};
}

Result<domain::ApiKey> AuthenticateWriteKey(const httplib::Request& req, Workspace& ws,
                                            const std::string& body_write_key) {
  std::string secret = BasicUser(req);
  if (secret.empty()) secret = body_write_key;
  if (secret.empty()) {
    return Unauthenticated(
        "missing write key: send it as the HTTP Basic user name or as \"writeKey\" in the body");
  }
  auto key = ws.keys().Verify(secret);
  if (!key.ok()) return Unauthenticated("unknown or revoked write key");
  if (key->kind != domain::ApiKeyKind::kWrite) {
    return Unauthenticated("this key is a read token; ingest needs a write key");
  }
  return key;
}

Result<Principal> AuthenticateRead(const httplib::Request& req, Workspace& ws) {
  const std::string session = SessionTokenOf(req);
  if (!session.empty()) {
    auto user = ws.users().LookupSession(session);
    if (user.ok()) {
      Principal p;
      p.project_id = "default";
      p.admin = user->role == domain::UserRole::kAdmin;
      p.user = std::move(*user);
      return p;
    }
  }
  const std::string token = BearerToken(req);
  if (!token.empty()) {
    auto key = ws.keys().Verify(token);
    if (key.ok() && key->kind == domain::ApiKeyKind::kRead) {
      Principal p;
      p.project_id = key->project_id;
      return p;
    }
    if (key.ok()) return Unauthenticated("write keys can only ingest; use a read token or log in");
    return Unauthenticated("unknown or revoked read token");
  }
  return Unauthenticated("log in or send a read token (Authorization: Bearer …)");
}

Result<Principal> AuthenticateAdmin(const httplib::Request& req, Workspace& ws) {
  ASSIGN_OR_RETURN(Principal p, AuthenticateRead(req, ws));
  if (!p.user) return PermissionDenied("read tokens cannot change settings; log in as an admin");
  if (!p.admin) return PermissionDenied("only admins can change settings");
  return p;
}

}  // namespace tobops::server
