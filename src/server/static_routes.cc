// The embedded web console: GET / and /assets/*. Hash routing in the console means
// only these paths are needed.
#include <string_view>

#include "server/http_server.h"
#include "server/http_status.h"
#include "server/web_assets.h"

namespace tobops::server {
namespace {

const char* ContentTypeOf(std::string_view path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.substr(path.size() - s.size()) == s;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

const WebAsset* Find(std::string_view path) {
  for (const WebAsset& a : WebAssets()) {
    if (path == a.path) return &a;
  }
  return nullptr;
}

void Serve(const WebAsset& asset, httplib::Response& res, bool immutable) {
  res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(reinterpret_cast<const char*>(asset.data), asset.size, ContentTypeOf(asset.path));
}

}  // namespace

void RegisterStaticRoutes(httplib::Server& http, RouteContext&) {
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    if (const WebAsset* index = Find("/index.html")) return Serve(*index, res, false);
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>tobops</title>"
        "<p>The web console was not built into this binary. Run <code>make build</code> "
        "(it builds web/ with npm first).</p>",
        "text/html; charset=utf-8");
  });
  http.Get(R"(/(assets/[A-Za-z0-9_.\-]+|favicon\.ico|[A-Za-z0-9_\-]+\.(?:svg|png|ico)))",
           [](const httplib::Request& req, httplib::Response& res) {
             const WebAsset* asset = Find(req.path);
             if (!asset) return WriteError(res, NotFound("no such file " + req.path));
             Serve(*asset, res, req.path.rfind("/assets/", 0) == 0);
           });
}

}  // namespace tobops::server
