#include "query/spec_parsing.h"

#include <cctype>
#include <chrono>
#include <limits>

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

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

Result<store::PropertyValue> ParsePropertyValue(const json& j, const std::string& field) {
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
          ASSIGN_OR_RETURN(auto value, ParsePropertyValue(item, path + ".value"));
          filter.values.push_back(std::move(value));
        }
      } else {
        ASSIGN_OR_RETURN(auto value, ParsePropertyValue(v, path + ".value"));
        filter.values.push_back(std::move(value));
      }
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

Result<TimeRange> ParseRange(const json& spec, const QueryContext& ctx, const std::string& default_last) {
  TimeRange out;
  const json range = spec.value("range", json::object({{"last", default_last}}));
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
    out.from_ms = DayStartMs(*from, ctx.zone);
    out.to_ms = DayStartMs(*to + 1, ctx.zone);
    return out;
  }
  int count = 30;
  Interval unit = Interval::kDay;
  RETURN_IF_ERROR(ParseLast(default_last, &count, &unit));
  if (range.contains("last")) {
    if (!range["last"].is_string()) return InvalidArgument("range.last must be a string like 30d", "range.last");
    RETURN_IF_ERROR(ParseLast(range["last"].get<std::string>(), &count, &unit));
  }
  out.from_ms = ShiftBack(ctx.now_ms, count, unit, ctx.zone);
  out.to_ms = ctx.now_ms + 1;
  return out;
}

Result<PropertyRef> ParsePropertyRef(const json& j, const std::string& field) {
  PropertyRef ref;
  if (j.is_string()) {
    ref.property = j.get<std::string>();
  } else if (j.is_object()) {
    const json source = j.value("source", json("event"));
    if (!source.is_string() || !ParsePropertySource(source.get<std::string>(), &ref.source)) {
      return InvalidArgument("source must be event, person or account", field + ".source");
    }
    const json property = j.value("property", json(""));
    if (property.is_string()) ref.property = property.get<std::string>();
  } else {
    return InvalidArgument("must be a property name or an object {source, property}", field);
  }
  if (ref.property.empty()) return InvalidArgument("property must be a non-empty string", field + ".property");
  return ref;
}

Result<int64_t> ParseDurationMs(const json& j, const std::string& field) {
  const std::string message = "must be a duration like 45min, 12h, 30d or 2w";
  if (!j.is_string()) return InvalidArgument(message, field);
  const std::string text = j.get<std::string>();
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 9) return InvalidArgument(message, field);
  const int64_t count = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  int64_t unit_ms = 0;
  if (unit == "s") unit_ms = 1000;
  else if (unit == "min") unit_ms = 60'000;
  else if (unit == "h") unit_ms = 3'600'000;
  else if (unit == "d") unit_ms = 86'400'000;
  else if (unit == "w") unit_ms = 7 * 86'400'000LL;
  else return InvalidArgument(message, field);
  const int64_t ms = count * unit_ms;
  if (ms <= 0 || ms > 5 * 366 * 86'400'000LL) {
    return InvalidArgument("must be positive and at most 5 years", field);
  }
  return ms;
}

Result<int64_t> ParseIntMember(const json& spec, const std::string& member, int64_t lo, int64_t hi,
                               int64_t fallback) {
  if (!spec.contains(member) || spec[member].is_null()) return fallback;
  const json& v = spec[member];
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return InvalidArgument("must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
                           member);
  }
  return v.get<int64_t>();
}

json PropertyValueToJson(const store::PropertyValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  return nullptr;
}

}  // namespace tobops::query
