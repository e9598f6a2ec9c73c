#include "query/query_json.h"

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

Result<store::PropertyValue> ToValue(const json& j, const std::string& field) {
  if (j.is_string()) return store::PropertyValue(j.get<std::string>());
  if (j.is_boolean()) return store::PropertyValue(j.get<bool>());
  if (j.is_number()) return store::PropertyValue(j.get<double>());
  return InvalidArgument("a filter value must be a string, number or boolean", field);
}

Result<std::vector<PropertyFilter>> ParseFilters(const json& spec, const std::string& field) {
  std::vector<PropertyFilter> filters;
  if (spec.is_null()) return filters;
  if (!spec.is_array()) return InvalidArgument("filters must be an array", field);
  for (size_t i = 0; i < spec.size(); ++i) {
    const json& f = spec[i];
    const std::string path = field + "[" + std::to_string(i) + "]";
    if (!f.is_object()) return InvalidArgument("a filter must be an object", path);
    PropertyFilter filter;
    const std::string source = f.value("source", "event");
    if (!ParsePropertySource(source, &filter.source)) {
      return InvalidArgument("source must be event, person or account", path + ".source");
    }
    if (!f.contains("property") || !f["property"].is_string() ||
        f["property"].get<std::string>().empty()) {
      return InvalidArgument("property must be a non-empty string", path + ".property");
    }
    filter.property = f["property"].get<std::string>();
    const std::string op = f.value("op", "eq");
    if (!ParseFilterOp(op, &filter.op)) {
      return InvalidArgument(
          "op must be one of eq, neq, in, not_in, contains, gt, gte, lt, lte, is_set, is_not_set",
          path + ".op");
    }
    const bool needs_list = filter.op == FilterOp::kIn || filter.op == FilterOp::kNotIn;
    const bool needs_none = filter.op == FilterOp::kIsSet || filter.op == FilterOp::kIsNotSet;
    if (!needs_none) {
      if (!f.contains("value")) return InvalidArgument("value is required for op " + op, path + ".value");
      const json& v = f["value"];
      if (needs_list) {
        if (!v.is_array()) return InvalidArgument("value must be an array for op " + op, path + ".value");
        for (const auto& item : v) {
          ASSIGN_OR_RETURN(auto value, ToValue(item, path + ".value"));
          filter.values.push_back(std::move(value));
        }
      } else {
        ASSIGN_OR_RETURN(auto value, ToValue(v, path + ".value"));
        filter.values.push_back(std::move(value));
      }
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

// "30d", "12h", "8w", "6m" → count and unit.
Status ParseLast(const std::string& text, int* count, Interval* unit) {
  if (text.size() < 2) return InvalidArgument("last must look like 30d, 12h, 8w or 6m", "range.last");
  const char u = text.back();
  try {
    size_t used = 0;
    *count = std::stoi(text.substr(0, text.size() - 1), &used);
    if (used != text.size() - 1) throw std::invalid_argument("trailing");
  } catch (...) {
    return InvalidArgument("last must look like 30d, 12h, 8w or 6m", "range.last");
  }
  if (*count <= 0 || *count > 5000) return InvalidArgument("last must be between 1 and 5000 units", "range.last");
  switch (u) {
    case 'h': *unit = Interval::kHour; break;
    case 'd': *unit = Interval::kDay; break;
    case 'w': *unit = Interval::kWeek; break;
    case 'm': *unit = Interval::kMonth; break;
    default: return InvalidArgument("the unit of last must be h, d, w or m", "range.last");
  }
  return Status::Ok();
}

int64_t ShiftBack(int64_t utc_ms, int count, Interval unit, const cctz::time_zone& zone) {
  // Start of the unit holding utc_ms, moved back count-1 units: "last 30d" = today and
  // the 29 days before it.
  const int64_t floor = TimeBuckets::Floor(utc_ms, unit, zone);
  auto seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>(
      std::chrono::seconds(floor / 1000));
  cctz::civil_second cs = cctz::convert(seconds, zone);
  cctz::civil_second start;
  switch (unit) {
    case Interval::kHour: start = cctz::civil_hour(cs) - (count - 1); break;
    case Interval::kDay: start = cctz::civil_day(cs) - (count - 1); break;
    case Interval::kWeek: start = cctz::civil_day(cs) - 7 * (count - 1); break;
    case Interval::kMonth: start = cctz::civil_month(cs) - (count - 1); break;
  }
  return int64_t(zone.lookup(start).pre.time_since_epoch().count()) * 1000;
}

int64_t DayStartMs(const cctz::civil_day& day, const cctz::time_zone& zone) {
  return int64_t(zone.lookup(cctz::civil_second(day)).pre.time_since_epoch().count()) * 1000;
}

}  // namespace

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
  const json range = j.value("range", json::object({{"last", "30d"}}));
  if (!range.is_object()) return InvalidArgument("range must be an object", "range");
  if (range.contains("from") || range.contains("to")) {
    if (!range.contains("from") || !range["from"].is_string()) {
      return InvalidArgument("range.from must be a day YYYY-MM-DD", "range.from");
    }
    if (!range.contains("to") || !range["to"].is_string()) {
      return InvalidArgument("range.to must be a day YYYY-MM-DD", "range.to");
    }
    auto from = ParseCivilDay(range["from"].get<std::string>());
    if (!from.ok()) return InvalidArgument(from.status().message(), "range.from");
    auto to = ParseCivilDay(range["to"].get<std::string>());
    if (!to.ok()) return InvalidArgument(to.status().message(), "range.to");
    if (*to < *from) return InvalidArgument("range.to is before range.from", "range.to");
    spec.from_ms = DayStartMs(*from, ctx.zone);
    spec.to_ms = DayStartMs(*to + 1, ctx.zone);
  } else {
    int count = 30;
    Interval unit = Interval::kDay;
    if (range.contains("last")) {
      if (!range["last"].is_string()) return InvalidArgument("range.last must be a string like 30d", "range.last");
      RETURN_IF_ERROR(ParseLast(range["last"].get<std::string>(), &count, &unit));
    }
    spec.from_ms = ShiftBack(ctx.now_ms, count, unit, ctx.zone);
    spec.to_ms = ctx.now_ms + 1;
  }
  if (j.contains("breakdown") && !j["breakdown"].is_null()) {
    const json& b = j["breakdown"];
    BreakdownSpec breakdown;
    if (b.is_string()) {
      breakdown.property = b.get<std::string>();
    } else if (b.is_object()) {
      if (!ParsePropertySource(b.value("source", "event"), &breakdown.source)) {
        return InvalidArgument("breakdown.source must be event, person or account", "breakdown.source");
      }
      breakdown.property = b.value("property", "");
    } else {
      return InvalidArgument("breakdown must be an object {source, property}", "breakdown");
    }
    if (breakdown.property.empty()) {
      return InvalidArgument("breakdown.property must be a non-empty string", "breakdown.property");
    }
    spec.breakdown = breakdown;
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

Result<json> RunQueryJson(const json& spec, QueryContext ctx) {
  if (!spec.is_object()) return InvalidArgument("a query spec must be a JSON object");
  if (!spec.contains("kind") || !spec["kind"].is_string()) {
    return InvalidArgument("kind is required (\"trend\")", "kind");
  }
  if (spec.contains("timezone") && !spec["timezone"].is_null()) {
    if (!spec["timezone"].is_string()) return InvalidArgument("timezone must be a string", "timezone");
    ASSIGN_OR_RETURN(ctx.zone, LoadTimeZone(spec["timezone"].get<std::string>()));
  }
  const std::string kind = spec["kind"].get<std::string>();
  if (kind == "trend") {
    ASSIGN_OR_RETURN(TrendSpec trend, ParseTrendSpec(spec, ctx));
    ASSIGN_OR_RETURN(TrendResult result, RunTrend(trend, ctx));
    return TrendResultToJson(trend, result, ctx.zone);
  }
  return InvalidArgument("unknown kind '" + kind + "'; supported: trend", "kind");
}

}  // namespace tobops::query
