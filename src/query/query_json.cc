#include "query/query_json.h"

#include <span>

#include "common/time_format.h"
#include "query/spec_parsing.h"

namespace tobops::query {
using nlohmann::json;

Result<TrendSpec> ParseTrendSpec(const json& j, const QueryContext& ctx) {
  TrendSpec spec;
  if (!j.contains("series")) return InvalidArgument("a trend needs \"series\"", "series");
  const json& series = j["series"];
  if (!series.is_array() || series.empty()) {
    return InvalidArgument("series must be a non-empty array", "series");
  }
  if (series.size() > 20) return InvalidArgument("at most 20 series", "series");
  for (size_t i = 0; i < series.size(); ++i) {
    const json& s = series[i];
    const std::string path = "series[" + std::to_string(i) + "]";
    if (!s.is_object()) return InvalidArgument("a series must be an object", path);
    TrendSeriesSpec ss;
    if (s.contains("event") && !s["event"].is_null()) {
      if (!s["event"].is_string()) return InvalidArgument("event must be a string", path + ".event");
      ss.event = s["event"].get<std::string>();
      if (ss.event == "$all") ss.event.clear();
    }
    const std::string measure = s.value("measure", "events");
    if (!ParseMeasure(measure, &ss.measure)) {
      return InvalidArgument("measure must be events, persons or accounts", path + ".measure");
    }
    if (s.contains("label") && s["label"].is_string()) ss.label = s["label"].get<std::string>();
    ASSIGN_OR_RETURN(ss.filters, ParseFilters(s.value("filters", json()), path + ".filters"));
    spec.series.push_back(std::move(ss));
  }
  const std::string interval = j.value("interval", "day");
  if (!ParseInterval(interval, &spec.interval)) {
    return InvalidArgument("interval must be one of hour, day, week, month", "interval");
  }
  ASSIGN_OR_RETURN(TimeRange range, ParseRange(j, ctx));
  spec.from_ms = range.from_ms;
  spec.to_ms = range.to_ms;
  if (j.contains("breakdown") && !j["breakdown"].is_null()) {
    ASSIGN_OR_RETURN(PropertyRef ref, ParsePropertyRef(j["breakdown"], "breakdown"));
    spec.breakdown = BreakdownSpec{ref.source, ref.property};
  }
  ASSIGN_OR_RETURN(spec.filters, ParseFilters(j.value("filters", json()), "filters"));
  if (j.contains("limit")) {
    if (!j["limit"].is_number_integer() || j["limit"].get<int64_t>() < 1 ||
        j["limit"].get<int64_t>() > 100) {
      return InvalidArgument("limit must be an integer from 1 to 100", "limit");
    }
    spec.limit = j["limit"].get<size_t>();
  }
  return spec;
}

json TrendResultToJson(const TrendSpec& spec, const TrendResult& result,
                       const cctz::time_zone& zone) {
  json series = json::array();
  for (const auto& s : result.series) {
    json points = json::array();
    for (size_t b = 0; b < result.buckets.size(); ++b) {
      points.push_back({{"t", FormatIso8601Seconds(result.buckets.start(b), zone)},
                        {"value", s.values[b]}});
    }
    const TrendSeriesSpec& ss = spec.series[s.series_index];
    json entry = {{"label", s.label},
                  {"event", ss.event.empty() ? json("$all") : json(ss.event)},
                  {"measure", MeasureName(ss.measure)},
                  {"total", s.total},
                  {"points", std::move(points)}};
    entry["breakdown_value"] = s.breakdown_value ? json(*s.breakdown_value) : json(nullptr);
    series.push_back(std::move(entry));
  }
  json answer = {{"kind", "trend"},
                 {"interval", IntervalName(spec.interval)},
                 {"timezone", zone.name()},
                 {"from", FormatIso8601Seconds(result.buckets.begin_ms(), zone)},
                 {"to", FormatIso8601Seconds(result.buckets.end_ms(), zone)},
                 {"series", std::move(series)}};
  if (spec.breakdown) {
    answer["breakdown"] = {{"source", PropertySourceName(spec.breakdown->source)},
                           {"property", spec.breakdown->property}};
  }
  return answer;
}

namespace {

// One row per analysis kind; each kind parses its own spec (query/<kind>_query.h).
using RunKind = Result<json> (*)(const json&, const QueryContext&);
std::span<const std::pair<const char*, RunKind>> Kinds() {
  static const std::pair<const char*, RunKind> kKinds[] = {
      {"trend", &RunTrendJson},
  };
  return kKinds;
}

}  // namespace

bool IsQueryKind(const std::string& kind) {
  for (const auto& [name, run] : Kinds()) {
    if (kind == name) return true;
  }
  return false;
}

Result<json> RunQueryJson(const json& spec, QueryContext ctx) {
  if (!spec.is_object()) return InvalidArgument("a query spec must be a JSON object");
  if (!spec.contains("kind") || !spec["kind"].is_string()) {
    return InvalidArgument("kind is required (\"trend\", \"funnel\", ...)", "kind");
  }
  if (spec.contains("timezone") && !spec["timezone"].is_null()) {
    if (!spec["timezone"].is_string()) return InvalidArgument("timezone must be a string", "timezone");
    ASSIGN_OR_RETURN(ctx.zone, LoadTimeZone(spec["timezone"].get<std::string>()));
  }
  const std::string kind = spec["kind"].get<std::string>();
  std::string known;
  for (const auto& [name, run] : Kinds()) {
    if (kind == name) return run(spec, ctx);
    known += known.empty() ? name : std::string(", ") + name;
  }
  return InvalidArgument("unknown kind '" + kind + "'; supported: " + known, "kind");
}

Result<json> RunTrendJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TrendSpec trend, ParseTrendSpec(spec, ctx));
  ASSIGN_OR_RETURN(TrendResult result, RunTrend(trend, ctx));
  return TrendResultToJson(trend, result, ctx.zone);
}

}  // namespace tobops::query
