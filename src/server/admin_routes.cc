// Data management: /api/keys, /api/quarantine, /api/tracking-plan (+ /report).
#include "common/time_format.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

std::string Iso(int64_t ms) { return FormatIso8601Ms(ms, cctz::utc_time_zone()); }

json KeyJson(const domain::ApiKey& key) {
  return {{"id", key.id},
          {"kind", domain::ApiKeyKindName(key.kind)},
          {"name", key.name},
          {"prefix", key.prefix},
          {"created_at", Iso(key.created_at_ms)},
          {"revoked_at", key.revoked_at_ms ? json(Iso(*key.revoked_at_ms)) : json(nullptr)}};
}

json AllowedValueJson(const std::string& text, domain::PropertyType type) {
  if (type == domain::PropertyType::kBoolean) return text == "true";
  if (type == domain::PropertyType::kNumber) {
    try {
      return std::stod(text);
    } catch (...) {
      return text;
    }
  }
  return text;
}

json PlanJson(const domain::TrackingPlan& plan) {
  json events = json::array();
  for (const auto& e : plan.events) {
    json props = json::array();
    for (const auto& p : e.properties) {
      json allowed = json::array();
      for (const auto& v : p.allowed_values) allowed.push_back(AllowedValueJson(v, p.type));
      props.push_back({{"name", p.name},
                       {"type", domain::PropertyTypeName(p.type)},
                       {"required", p.required},
                       {"allowed", std::move(allowed)}});
    }
    events.push_back({{"name", e.name}, {"description", e.description}, {"properties", std::move(props)}});
  }
  return {{"mode", domain::PlanModeName(plan.mode)}, {"events", std::move(events)}};
}

Result<domain::TrackingPlan> PlanFromJson(const json& j) {
  domain::TrackingPlan plan;
  if (!j.is_object()) return InvalidArgument("the tracking plan must be a JSON object");
  if (j.contains("mode")) {
    if (!j["mode"].is_string()) return InvalidArgument("mode must be a string", "mode");
    ASSIGN_OR_RETURN(plan.mode, domain::ParsePlanMode(j["mode"].get<std::string>()));
  }
  const json events = j.value("events", json::array());
  if (!events.is_array()) return InvalidArgument("events must be an array", "events");
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string path = "events[" + std::to_string(i) + "]";
    const json& e = events[i];
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string()) {
      return InvalidArgument("each event needs a name", path + ".name");
    }
    domain::PlannedEvent event;
    event.name = e["name"].get<std::string>();
    if (e.contains("description") && e["description"].is_string()) {
      event.description = e["description"].get<std::string>();
    }
    const json props = e.value("properties", json::array());
    if (!props.is_array()) return InvalidArgument("properties must be an array", path + ".properties");
    for (size_t k = 0; k < props.size(); ++k) {
      const std::string ppath = path + ".properties[" + std::to_string(k) + "]";
      const json& p = props[k];
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string()) {
        return InvalidArgument("each property needs a name", ppath + ".name");
      }
      domain::PlannedProperty prop;
      prop.name = p["name"].get<std::string>();
      auto type = domain::ParsePropertyType(p.value("type", "string"));
      if (!type.ok()) return InvalidArgument("type must be string, number or boolean", ppath + ".type");
      prop.type = *type;
      prop.required = p.value("required", false);
      const json allowed = p.value("allowed", json::array());
      if (!allowed.is_array()) return InvalidArgument("allowed must be an array", ppath + ".allowed");
      for (const auto& v : allowed) {
        if (v.is_string()) prop.allowed_values.push_back(v.get<std::string>());
        else if (v.is_boolean()) prop.allowed_values.push_back(v.get<bool>() ? "true" : "false");
        else if (v.is_number()) prop.allowed_values.push_back(store::PropertyValueToString(v.get<double>()));
        else return InvalidArgument("allowed values must be strings, numbers or booleans", ppath + ".allowed");
      }
      event.properties.push_back(std::move(prop));
    }
    plan.events.push_back(std::move(event));
  }
  RETURN_IF_ERROR(domain::ValidateTrackingPlan(plan));
  return plan;
}

}  // namespace

void RegisterAdminRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;

  http.Get("/api/keys", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateAdmin(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto keys = ws.keys().List(p->project_id);
    if (!keys.ok()) return WriteError(res, keys.status());
    json out = json::array();
    for (const auto& k : *keys) out.push_back(KeyJson(k));
    WriteJson(res, {{"keys", std::move(out)}});
  });
  http.Post("/api/keys", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateAdmin(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    if (!body->is_object()) return WriteError(res, InvalidArgument("a JSON object is expected"));
    auto kind = domain::ParseApiKeyKind(body->value("kind", "write"));
    if (!kind.ok()) return WriteError(res, InvalidArgument("kind must be write or read", "kind"));
    if (body->contains("name") && !(*body)["name"].is_string()) {
      return WriteError(res, InvalidArgument("name must be a string", "name"));
    }
    auto created = ws.keys().Create(p->project_id, *kind, body->value("name", ""));
    if (!created.ok()) return WriteError(res, created.status());
    json key = KeyJson(created->key);
    key["secret"] = created->secret;
    WriteJson(res, {{"key", std::move(key)}}, 201);
  });
  http.Delete(R"(/api/keys/([A-Za-z0-9_\-]+))", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateAdmin(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    Status s = ws.keys().Revoke(p->project_id, req.matches[1].str());
    if (!s.ok()) return WriteError(res, s);
    WriteJson(res, {{"ok", true}});
  });

  http.Get("/api/quarantine", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateRead(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto limit = IntegerParam(req, "limit", 100);
    if (!limit.ok()) return WriteError(res, limit.status());
    auto offset = IntegerParam(req, "offset", 0);
    if (!offset.ok()) return WriteError(res, offset.status());
    auto items = ws.quarantine().List(p->project_id, *limit, *offset);
    if (!items.ok()) return WriteError(res, items.status());
    auto total = ws.quarantine().Count(p->project_id);
    if (!total.ok()) return WriteError(res, total.status());
    json out = json::array();
    for (const auto& q : *items) {
      out.push_back({{"id", q.id},
                     {"received_at", Iso(q.received_at_ms)},
                     {"code", q.code},
                     {"field", q.field},
                     {"message", q.message},
                     {"payload", q.payload}});
    }
    WriteJson(res, {{"total", *total}, {"items", std::move(out)}});
  });

  http.Get("/api/tracking-plan", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateRead(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto plan = ws.plans().GetPlan(p->project_id);
    if (!plan.ok()) return WriteError(res, plan.status());
    WriteJson(res, PlanJson(*plan));
  });
  http.Put("/api/tracking-plan", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateAdmin(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    auto plan = PlanFromJson(*body);
    if (!plan.ok()) return WriteError(res, plan.status());
    Status s = ws.plans().ReplacePlan(p->project_id, *plan);
    if (!s.ok()) return WriteError(res, s);
    WriteJson(res, PlanJson(*plan));
  });
  http.Get("/api/tracking-plan/report", [&ws](const httplib::Request& req, httplib::Response& res) {
    auto p = AuthenticateRead(req, ws);
    if (!p.ok()) return WriteError(res, p.status());
    auto report = ws.plans().GetReport(p->project_id);
    if (!report.ok()) return WriteError(res, report.status());
    json events = json::array();
    for (const auto& e : report->events) {
      json props = json::array();
      for (const auto& prop : e.properties) {
        props.push_back({{"name", prop.name}, {"planned", prop.planned}, {"seen", prop.seen}});
      }
      json last_violation = nullptr;
      if (e.last_violation) {
        last_violation = {{"at", Iso(e.last_violation->at_ms)}, {"message", e.last_violation->message}};
      }
      events.push_back({{"name", e.name},
                        {"planned", e.planned},
                        {"seen", e.seen},
                        {"last_seen", e.last_seen_ms ? json(Iso(*e.last_seen_ms)) : json(nullptr)},
                        {"violations", e.violations},
                        {"last_violation", std::move(last_violation)},
                        {"properties", std::move(props)}});
    }
    WriteJson(res, {{"mode", domain::PlanModeName(report->mode)}, {"events", std::move(events)}});
  });
}

}  // namespace tobops::server
