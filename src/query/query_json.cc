#include "query/query_json.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "common/json_text.h"
#include "common/time_format.h"
#include "query/cohort_definition.h"
#include "query/cohort_resolution.h"
#include "query/spec_parsing.h"
#include "query/funnel_query.h"
#include "query/retention_query.h"
#include "query/lifecycle_query.h"
#include "query/stickiness_query.h"
#include "query/paths_query.h"
#include "query/attribution_query.h"
#include "query/distribution_query.h"
#include "query/interval_query.h"
#include "query/health_query.h"
#include "query/coverage_query.h"

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
    if (s.contains("measure") && !s["measure"].is_string()) {
      return InvalidArgument("measure must be a string", path + ".measure");
    }
    const std::string measure = s.value("measure", "events");
    if (!ParseMeasure(measure, &ss.measure)) {
      return InvalidArgument(
          "measure must be events, persons, accounts, sum, avg, min, max, p50, p90, p95 or p99",
          path + ".measure");
    }
    if (MeasureNeedsProperty(ss.measure)) {
      if (!s.contains("property") || !s["property"].is_string() ||
          s["property"].get<std::string>().empty()) {
        return InvalidArgument("the measure " + measure + " needs \"property\": a numeric event property",
                               path + ".property");
      }
      ss.property = s["property"].get<std::string>();
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
  if (j.contains("formulas") && !j["formulas"].is_null()) {
    const json& formulas = j["formulas"];
    if (!formulas.is_array()) return InvalidArgument("formulas must be an array", "formulas");
    if (formulas.size() > 20) return InvalidArgument("at most 20 formulas", "formulas");
    for (size_t i = 0; i < formulas.size(); ++i) {
      const std::string path = "formulas[" + std::to_string(i) + "]";
      const json& f = formulas[i];
      if (!f.is_object()) return InvalidArgument("a formula must be an object", path);
      if (!f.contains("expression") || !f["expression"].is_string()) {
        return InvalidArgument("a formula needs \"expression\", e.g. \"B / A\"", path + ".expression");
      }
      TrendFormulaSpec formula;
      formula.expression = f["expression"].get<std::string>();
      if (f.contains("label") && !f["label"].is_null()) {
        if (!f["label"].is_string()) return InvalidArgument("label must be a string", path + ".label");
        formula.label = f["label"].get<std::string>();
      }
      ASSIGN_OR_RETURN(formula.formula,
                       TrendFormula::Parse(formula.expression, spec.series.size(), path + ".expression"));
      spec.formulas.push_back(std::move(formula));
    }
  }
  if (j.contains("compare") && !j["compare"].is_null()) {
    const json& compare = j["compare"];
    if (!compare.is_string() ||
        (compare.get<std::string>() != "previous_period" && compare.get<std::string>() != "none")) {
      return InvalidArgument("compare must be \"previous_period\" or \"none\"", "compare");
    }
    spec.compare_previous = compare.get<std::string>() == "previous_period";
  }
  return spec;
}

json TrendResultToJson(const TrendSpec& spec, const TrendResult& result,
                       const cctz::time_zone& zone) {
  // NaN is the kernel's null (an average of no values, a division by zero).
  auto number = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
  json series = json::array();
  for (const auto& s : result.series) {
    const TimeBuckets& own = s.previous ? *result.previous_buckets : result.buckets;
    json points = json::array();
    for (size_t b = 0; b < own.size(); ++b) {
      json point = {{"t", FormatIso8601Seconds(own.start(b), zone)}, {"value", number(s.values[b])}};
      if (s.previous) point["t_current"] = FormatIso8601Seconds(result.buckets.start(b), zone);
      points.push_back(std::move(point));
    }
    json entry = {{"label", s.label}};
    if (s.formula_index >= 0) {
      entry["formula"] = spec.formulas[size_t(s.formula_index)].expression;
    } else {
      const TrendSeriesSpec& ss = spec.series[s.series_index];
      entry["event"] = ss.event.empty() ? json("$all") : json(ss.event);
      entry["measure"] = MeasureName(ss.measure);
      if (MeasureNeedsProperty(ss.measure)) entry["property"] = ss.property;
    }
    if (s.previous) entry["compare"] = "previous";
    entry["total"] = number(s.total);
    entry["points"] = std::move(points);
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
  if (result.previous_buckets) {
    answer["compare"] = "previous_period";
    answer["previous_from"] = FormatIso8601Seconds(result.previous_buckets->begin_ms(), zone);
    answer["previous_to"] = FormatIso8601Seconds(result.previous_buckets->end_ms(), zone);
  }
  return answer;
}

namespace {

// One row per analysis kind; each kind parses its own spec (query/<kind>_query.h).
// A kind whose answers can be too large to build as a json tree first writes its text
// directly (`text`); RunQueryJson then parses that text.
using RunKind = Result<json> (*)(const json&, const QueryContext&);
using RunKindText = Result<std::string> (*)(const json&, const QueryContext&);
struct Kind {
  const char* name;
  RunKind run;
  RunKindText text = nullptr;
};
std::span<const Kind> Kinds() {
  static const Kind kKinds[] = {
      {"trend", &RunTrendJson},
      {"cohort", &RunCohortJson},
      {"funnel", &RunFunnelJson},
      {"retention", &RunRetentionJson},
      {"lifecycle", &RunLifecycleJson},
      {"stickiness", &RunStickinessJson},
      {"paths", &RunPathsJson},
      {"attribution", &RunAttributionJson},
      {"distribution", &RunDistributionJson},
      {"interval", &RunIntervalJson},
      {"health", &RunHealthJson, &RunHealthText},
      {"coverage", &RunCoverageJson},
  };
  return kKinds;
}

// Checks the spec, applies its time zone, finds its kind and resolves its cohorts.
Result<const Kind*> Prepare(const json& spec, QueryContext* ctx, json* resolved) {
  if (!spec.is_object()) return InvalidArgument("a query spec must be a JSON object");
  if (!spec.contains("kind") || !spec["kind"].is_string()) {
    return InvalidArgument("kind is required (\"trend\", \"funnel\", ...)", "kind");
  }
  if (spec.contains("timezone") && !spec["timezone"].is_null()) {
    if (!spec["timezone"].is_string()) return InvalidArgument("timezone must be a string", "timezone");
    ASSIGN_OR_RETURN(ctx->zone, LoadTimeZone(spec["timezone"].get<std::string>()));
  }
  const std::string kind = spec["kind"].get<std::string>();
  std::string known;
  for (const Kind& k : Kinds()) {
    if (kind != k.name) {
      known += known.empty() ? k.name : std::string(", ") + k.name;
      continue;
    }
    *resolved = spec;
    RETURN_IF_ERROR(ResolveCohorts(resolved, ctx));
    return &k;
  }
  return InvalidArgument("unknown kind '" + kind + "'; supported: " + known, "kind");
}

}  // namespace

bool IsQueryKind(const std::string& kind) {
  for (const Kind& k : Kinds()) {
    if (kind == k.name) return true;
  }
  return false;
}

Result<json> RunQueryJson(const json& spec, QueryContext ctx) {
  json resolved;
  ASSIGN_OR_RETURN(const Kind* kind, Prepare(spec, &ctx, &resolved));
  return kind->run(resolved, ctx);
}

Result<std::string> RunQueryText(const json& spec, QueryContext ctx) {
  json resolved;
  ASSIGN_OR_RETURN(const Kind* kind, Prepare(spec, &ctx, &resolved));
  if (kind->text != nullptr) return kind->text(resolved, ctx);
  ASSIGN_OR_RETURN(json answer, kind->run(resolved, ctx));
  return JsonText(answer, std::max(1, ctx.threads));
}

Result<json> RunTrendJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TrendSpec trend, ParseTrendSpec(spec, ctx));
  ASSIGN_OR_RETURN(TrendResult result, RunTrend(trend, ctx));
  return TrendResultToJson(trend, result, ctx.zone);
}

}  // namespace tobops::query
