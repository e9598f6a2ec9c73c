// Console sessions: POST /api/login, POST /api/logout, GET /api/me.
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {

void RegisterSessionRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;
  http.Post("/api/login", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->is_object() || !(*body)["username"].is_string()) {
      return WriteError(res, InvalidArgument("username is required", "username"));
    }
    if (!(*body)["password"].is_string()) {
      return WriteError(res, InvalidArgument("password is required", "password"));
    }
    auto user = ws.users().VerifyPassword((*body)["username"].get<std::string>(),
                                          (*body)["password"].get<std::string>());
    if (!user.ok()) return WriteError(res, Unauthenticated("wrong user name or password"));
    auto session = ws.users().CreateSession(user->id);
    if (!session.ok()) return WriteError(res, session.status());
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + session->token +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=604800");
    WriteJson(res, {{"user", {{"name", user->name}, {"role", domain::UserRoleName(user->role)}}}});
  });
  http.Post("/api/logout", [&ws](const httplib::Request& req, httplib::Response& res) {
    const std::string token = SessionTokenOf(req);
    if (!token.empty()) ws.users().DeleteSession(token).IgnoreError();
    res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                     "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    WriteJson(res, {{"ok", true}});
  });
  http.Get("/api/me", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto project = ws.projects().Get(principal->project_id);
    if (!project.ok()) return WriteError(res, project.status());
    nlohmann::json user = nullptr;
    if (principal->user) {
      user = {{"name", principal->user->name},
              {"role", domain::UserRoleName(principal->user->role)}};
    }
    WriteJson(res, {{"user", user},
                    {"project",
                     {{"id", project->id}, {"name", project->name}, {"timezone", project->timezone}}}});
  });
}

}  // namespace tobops::server
