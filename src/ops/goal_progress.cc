#include "ops/goal_progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "common/time_format.h"
#include "ops/iso_week.h"
#include "query/funnel_spec.h"
#include "query/query_json.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

double Round(double v, double scale) { return std::round(v * scale) / scale; }

// A query failure re-told as an error of the goal's "query" field, keeping the
// query's own field in the message so the editor can find it.
Status AsQueryError(const Status& s) {
  std::string message = s.message();
  if (!s.field().empty()) message = s.field() + ": " + message;
  return InvalidArgument("query: " + message, "query");
}

Result<std::optional<cctz::civil_day>> OptionalDay(const json& record, const char* field) {
  auto it = record.find(field);
  if (it == record.end() || it->is_null()) return std::optional<cctz::civil_day>();
  if (!it->is_string() || it->get<std::string>().empty()) return std::optional<cctz::civil_day>();
  auto day = ParseCivilDay(it->get<std::string>());
  if (!day.ok()) return InvalidArgument(day.status().message(), field);
  return std::optional<cctz::civil_day>(*day);
}

json ErrorJson(const Status& s) {
  return {{"code", StatusCodeName(s.code())},
          {"message", s.message()},
          {"field", s.field().empty() ? json(nullptr) : json(s.field())}};
}

}  // namespace

std::string DayText(const cctz::civil_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
  return buf;
}

cctz::civil_day LocalDay(int64_t utc_ms, const cctz::time_zone& zone) {
  const std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds> t{
      std::chrono::milliseconds(utc_ms)};
  return cctz::civil_day(cctz::convert(t, zone));
}

Result<DaySpan> PeriodHolding(const std::string& period, const cctz::civil_day& day) {
  if (period == "week") {
    const cctz::civil_day monday = MondayOf(IsoWeekOf(day));
    return DaySpan{monday, monday + 6};
  }
  if (period == "month") {
    const cctz::civil_month m(day);
    return DaySpan{cctz::civil_day(m), cctz::civil_day(m + 1) - 1};
  }
  if (period == "quarter") {
    const int first_month = (day.month() - 1) / 3 * 3 + 1;
    const cctz::civil_month m(day.year(), first_month);
    return DaySpan{cctz::civil_day(m), cctz::civil_day(m + 3) - 1};
  }
  if (period == "year") {
    return DaySpan{cctz::civil_day(day.year(), 1, 1), cctz::civil_day(day.year(), 12, 31)};
  }
  return InvalidArgument("period must be week, month, quarter or year", "period");
}

Result<GoalWindow> GoalWindowAt(const std::string& period,
                                const std::optional<cctz::civil_day>& starts_on,
                                const std::optional<cctz::civil_day>& ends_on,
                                const cctz::civil_day& at) {
  if (starts_on && ends_on && *ends_on < *starts_on) {
    return InvalidArgument("ends_on is before starts_on", "ends_on");
  }
  GoalWindow w;
  cctz::civil_day anchor = at;
  w.status = "active";
  if (starts_on && at < *starts_on) {
    anchor = *starts_on;
    w.status = "not_started";
  } else if (ends_on && at > *ends_on) {
    anchor = *ends_on;
    w.status = "ended";
  }
  ASSIGN_OR_RETURN(w.span, PeriodHolding(period, anchor));
  if (starts_on) w.span.first = std::max(w.span.first, *starts_on);
  if (ends_on) w.span.last = std::min(w.span.last, *ends_on);
  if (w.status == "not_started") {
    w.elapsed_days = 0;
    w.measured = w.span;
    w.measured_empty = true;
  } else if (w.status == "ended") {
    w.elapsed_days = w.span.days();
    w.measured = w.span;
  } else {
    w.elapsed_days = at - w.span.first + 1;
    w.measured = {w.span.first, at};
  }
  return w;
}

bool OnTrack(double value, double target, int64_t elapsed_days, int64_t period_days) {
  if (period_days <= 0) return value >= target;
  return value >= target * static_cast<double>(elapsed_days) / static_cast<double>(period_days);
}

Result<double> MeasureQuery(const json& spec, const DaySpan& span, const query::QueryContext& qctx) {
  if (!spec.is_object() || !spec.contains("kind") || !spec["kind"].is_string()) {
    return InvalidArgument("query must be a query spec object with a \"kind\"", "query");
  }
  json run = spec;
  run["range"] = {{"from", DayText(span.first)}, {"to", DayText(span.last)}};
  run.erase("compare");
  const std::string kind = spec["kind"].get<std::string>();
  if (kind == "funnel") {
    // Only the step counts are needed: no per-step people, no drivers.
    run.erase("entities");
    run.erase("over_time");
    run["drivers"] = false;
  }
  Result<json> answer = query::RunQueryJson(run, qctx);
  if (!answer.ok()) return AsQueryError(answer.status());
  const json& a = *answer;
  // The member that holds the number, looked up without inserting (the answer is const).
  auto member = [](const json& object, const char* key) -> const json* {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  };
  const json* number = nullptr;
  if (kind == "trend") {
    const json* series = member(a, "series");
    if (series != nullptr && series->is_array() && !series->empty())
      number = member(series->front(), "total");
  } else if (kind == "funnel") {
    const json* steps = member(a, "steps");
    if (steps != nullptr && steps->is_array() && !steps->empty())
      number = member(steps->back(), "count");
  } else {
    number = member(a, "value");
  }
  if (number == nullptr) {
    return InvalidArgument("query: a " + kind +
                               " answer has no single number (use a trend, a funnel, or a kind "
                               "answering \"value\")",
                           "query");
  }
  if (!number->is_number()) {
    return InvalidArgument("query: the " + kind + " answered no number for this period", "query");
  }
  return number->get<double>();
}

Status ValidateGoalQuery(const json& query_text) {
  if (query_text.is_null()) return Status::Ok();
  if (!query_text.is_string()) return InvalidArgument("query must be JSON text", "query");
  const std::string text = query_text.get<std::string>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Ok();
  json spec = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded()) return InvalidArgument("query is not valid JSON", "query");
  if (!spec.is_object()) return InvalidArgument("query must be a JSON object", "query");
  if (!spec.contains("kind") || !spec["kind"].is_string()) {
    return InvalidArgument("query needs a \"kind\" (trend, funnel, ...)", "query");
  }
  const std::string kind = spec["kind"].get<std::string>();
  if (!query::IsQueryKind(kind)) {
    return InvalidArgument("query: unknown kind '" + kind + "'", "query");
  }
  // The parsers resolve relative ranges against a zone and a clock; the goal's own
  // period replaces the range when it runs, so any valid zone and time do here.
  query::QueryContext qctx;
  qctx.zone = cctz::utc_time_zone();
  if (kind == "trend") {
    auto parsed = query::ParseTrendSpec(spec, qctx);
    if (!parsed.ok()) return AsQueryError(parsed.status());
  } else if (kind == "funnel") {
    auto parsed = query::ParseFunnelSpec(spec, qctx);
    if (!parsed.ok()) return AsQueryError(parsed.status());
  }
  return Status::Ok();
}

Result<json> GoalQuerySpec(const json& goal) {
  const json text = goal.value("query", json(nullptr));
  RETURN_IF_ERROR(ValidateGoalQuery(text));
  if (!text.is_string() || text.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("the goal has no query", "query");
  }
  return json::parse(text.get<std::string>());
}

void InstallGoalHooks(records::ResourceCatalog& catalog) {
  catalog.Get("goals").AddChangeHook([](domain::SqliteConnection&, const std::string&,
                                        const json* before, const json* after) -> Status {
    if (after == nullptr) return Status::Ok();  // deletes are fine
    const json query = after->value("query", json(nullptr));
    // An update that leaves the query as it was is not re-judged (a kind retired
    // later must not block editing the target).
    if (before != nullptr && before->value("query", json(nullptr)) == query) return Status::Ok();
    return ValidateGoalQuery(query);
  });
}

Result<json> GoalProgressOf(const OpsContext& ctx, const json& goal, int64_t at_ms) {
  const cctz::civil_day at_day = LocalDay(at_ms, ctx.zone);
  const double target = goal.value("target", json(0.0)).is_number() ? goal["target"].get<double>() : 0.0;
  json out = {{"goal_id", goal.value("id", json(nullptr))},
              {"name", goal.value("name", json(nullptr))},
              {"metric", goal.value("metric", json(nullptr))},
              {"owner", goal.value("owner", json(nullptr))},
              {"period", goal.value("period", json(nullptr))},
              {"target", target},
              {"from", nullptr},
              {"to", nullptr},
              {"days", nullptr},
              {"elapsed_days", nullptr},
              {"elapsed_share", nullptr},
              {"status", nullptr},
              {"value", nullptr},
              {"progress", nullptr},
              {"expected", nullptr},
              {"on_track", nullptr},
              {"error", nullptr}};
  auto fail = [&](const Status& s) -> Result<json> {
    out["error"] = ErrorJson(s);
    return out;
  };
  auto starts = OptionalDay(goal, "starts_on");
  if (!starts.ok()) return fail(starts.status());
  auto ends = OptionalDay(goal, "ends_on");
  if (!ends.ok()) return fail(ends.status());
  const json period = goal.value("period", json("month"));
  auto window = GoalWindowAt(period.is_string() ? period.get<std::string>() : std::string(), *starts,
                             *ends, at_day);
  if (!window.ok()) return fail(window.status());
  const GoalWindow& w = *window;
  const double share = static_cast<double>(w.elapsed_days) / static_cast<double>(w.span.days());
  out["from"] = DayText(w.span.first);
  out["to"] = DayText(w.span.last);
  out["days"] = w.span.days();
  out["elapsed_days"] = w.elapsed_days;
  out["elapsed_share"] = Round(share, 10000);
  out["status"] = w.status;
  out["expected"] = Round(target * share, 100);
  auto spec = GoalQuerySpec(goal);
  if (!spec.ok()) return fail(spec.status());
  double value = 0;
  if (!w.measured_empty) {
    query::QueryContext qctx = ctx.query_context();
    qctx.now_ms = std::max(qctx.now_ms, at_ms);
    auto measured = MeasureQuery(*spec, w.measured, qctx);
    if (!measured.ok()) return fail(measured.status());
    value = *measured;
  }
  out["value"] = value;
  out["progress"] = target != 0 ? json(Round(value / target * 100.0, 10)) : json(nullptr);
  out["on_track"] = OnTrack(value, target, w.elapsed_days, w.span.days());
  return out;
}

Result<json> BuildGoalProgress(const OpsContext& ctx, int64_t at_ms) {
  records::RecordQuery q;
  q.limit = records::RecordStore::kMaxListLimit;
  q.sort = "id";
  q.descending = false;
  ASSIGN_OR_RETURN(records::RecordPage page, ctx.records->Get("goals").List(ctx.project_id, q));
  json goals = json::array();
  for (const auto& g : page.records) {
    ASSIGN_OR_RETURN(json progress, GoalProgressOf(ctx, g, at_ms));
    goals.push_back(std::move(progress));
  }
  return json{{"at", FormatIso8601Ms(at_ms, ctx.zone)}, {"goals", std::move(goals)}};
}

exporting::Table GoalProgressToTable(const json& progress) {
  exporting::Table table;
  table.columns = {"goal_id", "name",   "metric", "owner",    "period",   "from",  "to",
                   "status",  "value",  "target", "progress", "expected", "on_track", "error"};
  auto cell = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "yes" : "no");
    return std::monostate{};
  };
  for (const auto& g : progress["goals"]) {
    std::vector<exporting::TableCell> row;
    for (const auto& c : table.columns) {
      if (c == "error") {
        row.push_back(g["error"].is_object() ? cell(g["error"]["message"]) : exporting::TableCell());
      } else {
        row.push_back(cell(g.value(c, json(nullptr))));
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tobops::ops
