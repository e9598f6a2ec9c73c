// Placeholder: the routes of this file are being built (see http_server.h).
#include "server/http_server.h"

namespace tobops::server {

void RegisterGoalRoutes(httplib::Server& http, RouteContext& ctx) {}

}  // namespace tobops::server
