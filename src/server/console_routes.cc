// Console reads: GET /api/overview, /api/events, /api/schema/events, /api/schema/properties.
#include <map>

#include "common/time_format.h"
#include "query/event_browser.h"
#include "query/trend_query.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

json PropertyValueJson(const store::PropertyValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return nullptr;
}

// Resolves the caller's project runtime or writes the error.
ProjectRuntime* RuntimeFor(const httplib::Request& req, httplib::Response& res, RouteContext& ctx) {
  auto principal = AuthenticateRead(req, *ctx.workspace);
  if (!principal.ok()) {
    WriteError(res, principal.status());
    return nullptr;
  }
  auto runtime = ctx.workspace->Project(principal->project_id);
  if (!runtime.ok()) {
    WriteError(res, runtime.status());
    return nullptr;
  }
  return *runtime;
}

}  // namespace

void RegisterConsoleRoutes(httplib::Server& http, RouteContext& ctx) {
  http.Get("/api/overview", [&ctx](const httplib::Request& req, httplib::Response& res) {
    ProjectRuntime* rt = RuntimeFor(req, res, ctx);
    if (!rt) return;
    auto days = IntegerParamIn(req, "days", 30, 1, 366);
    if (!days.ok()) return WriteError(res, days.status());
    query::QueryContext qc = rt->QueryContextNow(ctx.options.query_threads);
    // The window ends at the newest stored event when the data is older than now
    // (imported history), so the overview is never empty for a loaded project.
    const store::StoreStats stats = rt->store->Stats();
    if (stats.events > 0 && stats.max_timestamp_ms < qc.now_ms) qc.now_ms = stats.max_timestamp_ms;
    query::TrendSpec spec;
    spec.interval = query::Interval::kDay;
    spec.to_ms = qc.now_ms + 1;
    spec.from_ms = query::TimeBuckets::Floor(qc.now_ms, query::Interval::kDay, qc.zone) -
                   (*days - 1) * int64_t{86400000};
    spec.series = {{"", query::Measure::kEvents, "events", {}},
                   {"", query::Measure::kPersons, "persons", {}},
                   {"", query::Measure::kAccounts, "accounts", {}}};
    auto trend = query::RunTrend(spec, qc);
    if (!trend.ok()) return WriteError(res, trend.status());
    auto top_events = query::CountEventsByName(qc, spec.from_ms, spec.to_ms);
    if (!top_events.ok()) return WriteError(res, top_events.status());
    auto channels = query::CountByPropertyValue(qc, spec.from_ms, spec.to_ms, "channel",
                                                "utm_source", 10);
    if (!channels.ok()) return WriteError(res, channels.status());
    json per_day = json::array();
    for (size_t b = 0; b < trend->buckets.size(); ++b) {
      per_day.push_back({{"t", FormatIso8601Seconds(trend->buckets.start(b), qc.zone)},
                         {"value", trend->series[0].values[b]}});
    }
    json events = json::array();
    for (size_t i = 0; i < top_events->size() && i < 10; ++i) {
      events.push_back({{"name", (*top_events)[i].name}, {"count", (*top_events)[i].count}});
    }
    json top_channels = json::array();
    for (const auto& c : *channels) top_channels.push_back({{"name", c.name}, {"count", c.count}});
    WriteJson(res, {{"from", FormatIso8601Seconds(trend->buckets.begin_ms(), qc.zone)},
                    {"to", FormatIso8601Seconds(trend->buckets.end_ms(), qc.zone)},
                    {"events", trend->series[0].total},
                    {"persons", trend->series[1].total},
                    {"accounts", trend->series[2].total},
                    {"events_stored", stats.events},
                    {"events_per_day", std::move(per_day)},
                    {"top_events", std::move(events)},
                    {"top_channels", std::move(top_channels)}});
  });

  http.Get("/api/events", [&ctx](const httplib::Request& req, httplib::Response& res) {
    ProjectRuntime* rt = RuntimeFor(req, res, ctx);
    if (!rt) return;
    auto limit = IntegerParamIn(req, "limit", 50, 1, 500);
    if (!limit.ok()) return WriteError(res, limit.status());
    auto cursor = query::ParseEventCursor(req.get_param_value("before"));
    if (!cursor.ok()) return WriteError(res, cursor.status());
    query::EventSearch search;
    search.limit = static_cast<size_t>(*limit);
    search.cursor = *cursor;
    search.text = req.get_param_value("q");
    search.event = req.get_param_value("event");
    const query::QueryContext qc = rt->QueryContextNow(ctx.options.query_threads);
    auto found = query::FindRecentEvents(qc, search);
    if (!found.ok()) return WriteError(res, found.status());
    json events = json::array();
    for (const auto& e : found->events) {
      json props = json::object();
      for (const auto& p : e.properties) props[p.key] = PropertyValueJson(p.value);
      events.push_back({{"timestamp", FormatIso8601Ms(e.timestamp_ms, qc.zone)},
                        {"received_at", FormatIso8601Ms(e.received_at_ms, qc.zone)},
                        {"type", store::MessageTypeName(e.type)},
                        {"event", e.event},
                        {"person", rt->identity->CanonicalPerson(e.person)},
                        {"user_id", e.user_id},
                        {"anonymous_id", e.anonymous_id},
                        {"account", e.account},
                        {"message_id", e.message_id},
                        {"properties", std::move(props)}});
    }
    json next = nullptr;
    if (found->next) next = query::FormatEventCursor(*found->next);
    WriteJson(res, {{"events", std::move(events)}, {"next_before", next}});
  });

  http.Get("/api/schema/events", [&ctx](const httplib::Request& req, httplib::Response& res) {
    ProjectRuntime* rt = RuntimeFor(req, res, ctx);
    if (!rt) return;
    const query::QueryContext qc = rt->QueryContextNow(ctx.options.query_threads);
    auto counts = query::CountEventsByName(qc, INT64_MIN, INT64_MAX);
    if (!counts.ok()) return WriteError(res, counts.status());
    json events = json::array();
    for (const auto& c : *counts) {
      events.push_back({{"name", c.name},
                        {"count", c.count},
                        {"last_seen", FormatIso8601Ms(c.last_seen_ms, qc.zone)}});
    }
    WriteJson(res, {{"events", std::move(events)}});
  });

  http.Get("/api/schema/properties", [&ctx](const httplib::Request& req, httplib::Response& res) {
    ProjectRuntime* rt = RuntimeFor(req, res, ctx);
    if (!rt) return;
    const std::string source = req.has_param("source") ? req.get_param_value("source") : "event";
    std::map<std::string, int64_t> counts;
    auto count_traits = [&](const std::string&, const ingest::Traits& traits) {
      for (const auto& t : traits) counts[t.key]++;
    };
    if (source == "person") {
      rt->identity->ForEachPerson(count_traits);
    } else if (source == "account") {
      rt->identity->ForEachAccount(count_traits);
    } else if (source == "event") {
      // Event properties seen by ingest, from the tracking-plan observations.
      auto report = ctx.workspace->plans().GetReport(rt->project.id);
      if (!report.ok()) return WriteError(res, report.status());
      for (const auto& e : report->events) {
        for (const auto& p : e.properties) counts[p.name] += p.seen;
      }
    } else {
      return WriteError(res, InvalidArgument("source must be event, person or account", "source"));
    }
    std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    json props = json::array();
    for (const auto& [name, count] : sorted) props.push_back({{"name", name}, {"count", count}});
    WriteJson(res, {{"properties", std::move(props)}});
  });
}

}  // namespace tobops::server
