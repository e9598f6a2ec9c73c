#include "query/lifecycle_query.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include "common/time_format.h"
#include "query/prior_activity.h"

namespace tobops::query {
namespace {

using nlohmann::json;

// Per-bucket counts, indexed like `all` in RunLifecycle (0 = the bucket before the range).
struct Counts {
  std::vector<int64_t> fresh, returning, resurrecting, dormant;
  std::vector<uint32_t> active;  // scratch: one entity's active buckets, ascending

  void Init(size_t buckets) {
    fresh.assign(buckets, 0);
    returning.assign(buckets, 0);
    resurrecting.assign(buckets, 0);
    dormant.assign(buckets, 0);
  }
  void Add(const Counts& other) {
    for (size_t b = 0; b < fresh.size(); ++b) {
      fresh[b] += other.fresh[b];
      returning[b] += other.returning[b];
      resurrecting[b] += other.resurrecting[b];
      dormant[b] += other.dormant[b];
    }
  }
};

}  // namespace

Result<ActivitySpec> ParseActivitySpec(const json& j, const QueryContext& ctx) {
  ActivitySpec spec;
  if (j.contains("event") && !j["event"].is_null()) {
    if (!j["event"].is_string() || j["event"].get<std::string>().empty()) {
      return InvalidArgument("event must be an event name or \"$any\"", "event");
    }
    spec.activity.event = j["event"].get<std::string>();
    if (spec.activity.event == "$any" || spec.activity.event == "$all") spec.activity.event.clear();
  }
  ASSIGN_OR_RETURN(spec.activity.filters, ParseFilters(j.value("filters", json()), "filters"));
  const json interval = j.value("interval", json("day"));
  if (!interval.is_string() || !ParseInterval(interval.get<std::string>(), &spec.interval)) {
    return InvalidArgument("interval must be one of hour, day, week, month", "interval");
  }
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  return spec;
}

Result<json> RunLifecycle(const LifecycleSpec& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TimeBuckets range, TimeBuckets::Make(spec.range.from_ms, spec.range.to_ms,
                                                        spec.interval, ctx.zone));
  // `all` adds the bucket before the range: activity there decides who is returning or
  // dormant in the first bucket. all.start(b + 1) is range bucket b.
  const int64_t previous_ms = TimeBuckets::Floor(range.begin_ms() - 1, spec.interval, ctx.zone);
  ASSIGN_OR_RETURN(TimeBuckets all, TimeBuckets::Make(previous_ms, range.end_ms(), spec.interval,
                                                      ctx.zone, range.size() + 1));
  size_t started = 0;  // buckets of `all` whose start ≤ now; later ones are all zero
  while (started < all.size() && all.start(started) <= ctx.now_ms) ++started;

  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = all.begin_ms();
  request.to_ms = std::min(all.end_ms(), ctx.now_ms + 1);
  request.conditions = {spec.activity};
  EntityTimelines timelines;
  if (request.to_ms > request.from_ms) {  // nothing to scan when the range is after now
    ASSIGN_OR_RETURN(timelines, EntityTimelines::Collect(request, ctx));
  }
  // "New" needs each entity's first matching event ever: who was active before `all`.
  PriorActivity active_before;
  if (timelines.entity_count() > 0) {
    ASSIGN_OR_RETURN(active_before, PriorActivity::Collect(spec.aggregate_by, spec.activity, {},
                                                           all.begin_ms(), ctx));
  }

  const int threads = std::max(1, ctx.threads);
  std::vector<Counts> workers(threads);
  for (auto& w : workers) w.Init(all.size());
  const uint32_t last = uint32_t(all.size() - 1);
  timelines.ForEach(threads, [&](size_t e, std::span<const TimelineEvent> rows, int w) {
    Counts& counts = workers[w];
    // Rows are time-ordered: without earlier activity, rows[0] is the first matching
    // event ever (-1: the entity was active before `all`, so it is never new here).
    const int first = active_before.Contains(timelines.entity_id(e))
                          ? -1
                          : all.BucketOf(rows.front().timestamp_ms);
    counts.active.clear();
    for (const TimelineEvent& row : rows) {
      const uint32_t b = uint32_t(all.BucketOf(row.timestamp_ms));
      if (counts.active.empty() || counts.active.back() != b) counts.active.push_back(b);
    }
    const std::vector<uint32_t>& active = counts.active;
    for (size_t i = 0; i < active.size(); ++i) {
      const uint32_t b = active[i];
      if (b >= 1) {  // bucket 0 precedes the range and is not reported
        if (int(b) == first) {
          ++counts.fresh[b];
        } else if (i > 0 && active[i - 1] == b - 1) {
          ++counts.returning[b];
        } else {
          ++counts.resurrecting[b];
        }
      }
      const bool active_next = i + 1 < active.size() && active[i + 1] == b + 1;
      if (!active_next && b < last && b + 1 < started) ++counts.dormant[b + 1];
    }
  });
  for (int w = 1; w < threads; ++w) workers[0].Add(workers[w]);
  const Counts& counts = workers[0];

  json buckets = json::array();
  for (size_t b = 1; b < all.size(); ++b) {
    buckets.push_back({{"t", FormatIso8601Seconds(all.start(b), ctx.zone)},
                       {"new", counts.fresh[b]},
                       {"returning", counts.returning[b]},
                       {"resurrecting", counts.resurrecting[b]},
                       {"dormant", -counts.dormant[b]}});
  }
  return json{{"kind", "lifecycle"},
              {"interval", IntervalName(spec.interval)},
              {"aggregate_by", EntityKindName(spec.aggregate_by)},
              {"timezone", ctx.zone.name()},
              {"from", FormatIso8601Seconds(range.begin_ms(), ctx.zone)},
              {"to", FormatIso8601Seconds(range.end_ms(), ctx.zone)},
              {"buckets", std::move(buckets)}};
}

Result<json> RunLifecycleJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(LifecycleSpec parsed, ParseActivitySpec(spec, ctx));
  return RunLifecycle(parsed, ctx);
}

}  // namespace tobops::query
