#include "ops/strategy_outcome.h"

#include <algorithm>
#include <cmath>

#include "common/time_format.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

Status Precondition(std::string message, std::string field) {
  return {StatusCode::kFailedPrecondition, std::move(message), std::move(field)};
}

Result<std::optional<cctz::civil_day>> OptionalDay(const json& record, const char* field) {
  auto it = record.find(field);
  if (it == record.end() || !it->is_string() || it->get<std::string>().empty())
    return std::optional<cctz::civil_day>();
  auto day = ParseCivilDay(it->get<std::string>());
  if (!day.ok()) return InvalidArgument(day.status().message(), field);
  return std::optional<cctz::civil_day>(*day);
}

json SpanJson(const DaySpan& span, double value) {
  return {{"from", DayText(span.first)}, {"to", DayText(span.last)}, {"days", span.days()},
          {"value", value}};
}

}  // namespace

Result<OutcomeSpans> OutcomeSpansOf(const cctz::civil_day& starts_on,
                                    const std::optional<cctz::civil_day>& ends_on,
                                    const cctz::civil_day& today) {
  if (ends_on && *ends_on < starts_on) return InvalidArgument("ends_on is before starts_on", "ends_on");
  if (starts_on > today) {
    return Precondition("the strategy starts on " + DayText(starts_on) + ", after today", "starts_on");
  }
  OutcomeSpans out;
  out.running = !ends_on || *ends_on > today;
  out.during = {starts_on, out.running ? today : *ends_on};
  const int64_t days = out.during.days();
  out.before = {starts_on - days, starts_on - 1};
  return out;
}

json ChangeJson(double before, double during) {
  const double change = during - before;
  return {{"change", change},
          {"change_pct", before != 0 ? json(std::round(change / before * 1000.0) / 10.0) : json(nullptr)}};
}

Result<json> BuildStrategyOutcome(const OpsContext& ctx, int64_t strategy_id) {
  ASSIGN_OR_RETURN(json strategy, ctx.records->Get("strategies").Get(ctx.project_id, strategy_id));
  const json goal_id = strategy.value("goal_id", json(nullptr));
  if (!goal_id.is_number_integer()) {
    return Precondition("the strategy has no goal: its target metric is its goal's query", "goal_id");
  }
  ASSIGN_OR_RETURN(json goal, ctx.records->Get("goals").Get(ctx.project_id, goal_id.get<int64_t>()));
  ASSIGN_OR_RETURN(std::optional<cctz::civil_day> starts, OptionalDay(strategy, "starts_on"));
  ASSIGN_OR_RETURN(std::optional<cctz::civil_day> ends, OptionalDay(strategy, "ends_on"));
  if (!starts) return Precondition("the strategy has no starts_on", "starts_on");
  ASSIGN_OR_RETURN(OutcomeSpans spans, OutcomeSpansOf(*starts, ends, LocalDay(ctx.now_ms, ctx.zone)));
  ASSIGN_OR_RETURN(json spec, GoalQuerySpec(goal));
  const query::QueryContext qctx = ctx.query_context();
  ASSIGN_OR_RETURN(double before, MeasureQuery(spec, spans.before, qctx));
  ASSIGN_OR_RETURN(double during, MeasureQuery(spec, spans.during, qctx));
  json metric = strategy.value("target_metric", json(nullptr));
  if (!metric.is_string() || metric.get<std::string>().empty()) metric = goal.value("metric", json(nullptr));
  json out = {{"strategy", strategy},
              {"goal", {{"id", goal["id"]}, {"name", goal.value("name", json(nullptr))},
                        {"metric", goal.value("metric", json(nullptr))}}},
              {"metric", metric},
              {"running", spans.running},
              {"before", SpanJson(spans.before, before)},
              {"during", SpanJson(spans.during, during)}};
  out.update(ChangeJson(before, during));
  return out;
}

}  // namespace tobops::ops
