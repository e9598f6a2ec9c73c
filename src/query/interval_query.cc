#include "query/interval_query.h"

#include <algorithm>
#include <span>
#include <vector>

#include "common/time_format.h"
#include "query/distribution_query.h"

namespace tobops::query {
namespace {

using nlohmann::json;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

// Histogram bounds a person reads at a glance; past a year, one bucket per 365 days.
constexpr int64_t kBounds[] = {
    0,           kMinuteMs,   5 * kMinuteMs, 15 * kMinuteMs, 30 * kMinuteMs,
    kHourMs,     3 * kHourMs, 6 * kHourMs,   12 * kHourMs,   kDayMs,
    2 * kDayMs,  3 * kDayMs,  7 * kDayMs,    14 * kDayMs,    30 * kDayMs,
    60 * kDayMs, 90 * kDayMs, 180 * kDayMs,  365 * kDayMs};

int64_t NextBound(int64_t bound) {
  for (int64_t b : kBounds) {
    if (b > bound) return b;
  }
  return bound + 365 * kDayMs;
}

// "from_event"/"to_event": an event name or an object {"event", "filters"}.
Result<TimelineCondition> ParseEventCondition(const json& spec, const std::string& field) {
  if (!spec.contains(field) || spec[field].is_null())
    return InvalidArgument(field + " is required", field);
  const json& j = spec[field];
  TimelineCondition condition;
  json event;
  if (j.is_string()) {
    event = j;
  } else if (j.is_object()) {
    if (!j.contains("event")) return InvalidArgument("event is required", field + ".event");
    event = j["event"];
    ASSIGN_OR_RETURN(condition.filters,
                     ParseFilters(j.value("filters", json()), field + ".filters"));
  } else {
    return InvalidArgument("must be an event name or an object {\"event\", \"filters\"}", field);
  }
  const std::string event_field = j.is_string() ? field : field + ".event";
  if (!event.is_string() || event.get<std::string>().empty()) {
    return InvalidArgument("event must be an event name or \"$any\"", event_field);
  }
  condition.event = event.get<std::string>();
  if (condition.event == "$any" || condition.event == "$all") condition.event.clear();
  return condition;
}

}  // namespace

Result<IntervalSpec> ParseIntervalSpec(const json& j, const QueryContext& ctx) {
  IntervalSpec spec;
  ASSIGN_OR_RETURN(spec.from_event, ParseEventCondition(j, "from_event"));
  ASSIGN_OR_RETURN(spec.to_event, ParseEventCondition(j, "to_event"));
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  return spec;
}

Result<json> RunInterval(const IntervalSpec& spec, const QueryContext& ctx) {
  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = spec.range.from_ms;
  request.to_ms = spec.range.to_ms;
  request.conditions = {spec.from_event, spec.to_event};  // bit 0 from, bit 1 to
  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));

  const int threads = std::max(1, ctx.threads);
  std::vector<std::vector<int64_t>> worker_intervals(threads);
  std::vector<int64_t> worker_entities(threads, 0);
  timelines.ForEach(threads, [&](size_t, std::span<const TimelineEvent> rows, int w) {
    // Rows at one timestamp are one moment: a close is checked before an open, so the
    // answer does not depend on how equal-time rows are ordered, and a row that is both
    // events (login → login) closes the previous pair and opens the next.
    bool open = false;
    int64_t opened_ms = 0;
    size_t pairs = 0;
    for (size_t i = 0; i < rows.size();) {
      const int64_t t = rows[i].timestamp_ms;
      uint32_t bits = 0;
      for (; i < rows.size() && rows[i].timestamp_ms == t; ++i) bits |= rows[i].mask;
      // A to_event pairs only with a strictly earlier from_event.
      if (open && (bits & 2u) && t > opened_ms) {
        worker_intervals[w].push_back(t - opened_ms);
        open = false;
        ++pairs;
      }
      if (!open && (bits & 1u)) {
        open = true;
        opened_ms = t;
      }
    }
    if (pairs > 0) ++worker_entities[w];
  });
  std::vector<int64_t> intervals;
  int64_t entities = 0;
  for (int w = 0; w < threads; ++w) {
    intervals.insert(intervals.end(), worker_intervals[w].begin(), worker_intervals[w].end());
    entities += worker_entities[w];
  }
  std::sort(intervals.begin(), intervals.end());
  double sum_ms = 0;
  for (int64_t ms : intervals) sum_ms += double(ms);

  json histogram = json::array();
  if (!intervals.empty()) {
    size_t i = 0;
    for (int64_t from = 0; from <= intervals.back(); from = NextBound(from)) {
      const int64_t to = NextBound(from);
      int64_t n = 0;
      while (i < intervals.size() && intervals[i] < to) ++n, ++i;
      histogram.push_back({{"from_ms", from}, {"to_ms", to}, {"count", n}});
    }
  }
  json percentiles = json::object();
  for (int p : {25, 50, 75, 90, 99}) {
    percentiles["p" + std::to_string(p) + "_ms"] = InterpolatedPercentile(intervals, p / 100.0);
  }
  auto event_json = [](const TimelineCondition& c) {
    return c.event.empty() ? json("$any") : json(c.event);
  };
  return json{{"kind", "interval"},
              {"from_event", event_json(spec.from_event)},
              {"to_event", event_json(spec.to_event)},
              {"aggregate_by", EntityKindName(spec.aggregate_by)},
              {"timezone", ctx.zone.name()},
              {"from", FormatIso8601Seconds(spec.range.from_ms, ctx.zone)},
              {"to", FormatIso8601Seconds(spec.range.to_ms, ctx.zone)},
              {"pairs", intervals.size()},
              {"entities", entities},
              {"average_ms", intervals.empty() ? 0.0 : sum_ms / double(intervals.size())},
              {"min_ms", intervals.empty() ? 0 : intervals.front()},
              {"max_ms", intervals.empty() ? 0 : intervals.back()},
              {"percentiles", std::move(percentiles)},
              {"histogram", std::move(histogram)}};
}

Result<json> RunIntervalJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(IntervalSpec parsed, ParseIntervalSpec(spec, ctx));
  return RunInterval(parsed, ctx);
}

}  // namespace tobops::query
