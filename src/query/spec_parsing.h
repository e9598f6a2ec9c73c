// File: query/spec_parsing.h
// The pieces every JSON query spec shares — filters, the time range, a property
// reference ({source, property}), durations like "30d" — parsed once here so that each
// analysis kind reads them the same way and names the same fields in its errors.
// Shapes: docs/http_api.md "Queries". Thread-safety: free functions, reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/time_buckets.h"

namespace tobops::query {

// A property of an event, of the person or of the account: breakdowns, path labels,
// attribution touch points, "hold constant" properties.
struct PropertyRef {
  PropertySource source = PropertySource::kEvent;
  std::string property;
};

// A half-open UTC range [from_ms, to_ms).
struct TimeRange {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// A JSON scalar (string, number, boolean) as a property value; `field` names it in errors.
Result<store::PropertyValue> ParsePropertyValue(const nlohmann::json& j, const std::string& field);

// An array of filters (null = none); errors name "<field>[i].<member>".
Result<std::vector<PropertyFilter>> ParseFilters(const nlohmann::json& j, const std::string& field);

// "range": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"} (days inclusive, ctx.zone) or
// {"last": "30d"} (also h, w, m; ends at ctx.now_ms). A missing range is `default_last`.
Result<TimeRange> ParseRange(const nlohmann::json& spec, const QueryContext& ctx,
                             const std::string& default_last = "30d");

// "industry" (an event property) or {"source": "account", "property": "industry"}.
Result<PropertyRef> ParsePropertyRef(const nlohmann::json& j, const std::string& field);

// "90s", "30m" is ambiguous, so durations use s, min, h, d, w: "30d", "12h", "45min".
// Returns milliseconds; must be positive and at most 5 years.
Result<int64_t> ParseDurationMs(const nlohmann::json& j, const std::string& field);

// Reads an optional integer member in [lo, hi]; `fallback` when absent.
Result<int64_t> ParseIntMember(const nlohmann::json& spec, const std::string& member, int64_t lo,
                               int64_t hi, int64_t fallback);

// The JSON form of a property value: strings, numbers, booleans; absent → null.
nlohmann::json PropertyValueToJson(const store::PropertyValue& value);

}  // namespace tobops::query
