#include "query/stickiness_query.h"

#include <algorithm>
#include <cstdint>
#include <span>

#include "common/time_format.h"

namespace tobops::query {

using nlohmann::json;

Result<json> RunStickiness(const StickinessSpec& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TimeBuckets buckets, TimeBuckets::Make(spec.range.from_ms, spec.range.to_ms,
                                                          spec.interval, ctx.zone));
  const size_t intervals = buckets.size();
  const int threads = std::max(1, ctx.threads);
  // histogram[w][k]: entities active in exactly k intervals, per worker.
  std::vector<std::vector<int64_t>> histogram(threads, std::vector<int64_t>(intervals + 1, 0));

  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = buckets.begin_ms();  // whole intervals, as the answer counts them
  request.to_ms = std::min(buckets.end_ms(), ctx.now_ms + 1);
  request.conditions = {spec.activity};
  if (request.to_ms > request.from_ms) {  // a range entirely after now has no activity
    ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));
    timelines.ForEach(threads, [&](size_t, std::span<const TimelineEvent> rows, int w) {
      // Rows are time-ordered, so each interval's rows are contiguous.
      size_t active = 0;
      int previous = -1;
      for (const TimelineEvent& row : rows) {
        const int b = buckets.BucketOf(row.timestamp_ms);
        if (b != previous) ++active;
        previous = b;
      }
      ++histogram[w][active];
    });
  }
  for (int w = 1; w < threads; ++w) {
    for (size_t k = 0; k <= intervals; ++k) histogram[0][k] += histogram[w][k];
  }
  json values = json::array();
  int64_t total = 0;
  for (size_t k = 1; k <= intervals; ++k) {
    values.push_back({{"intervals", k}, {"count", histogram[0][k]}});
    total += histogram[0][k];
  }
  return json{{"kind", "stickiness"},
              {"interval", IntervalName(spec.interval)},
              {"intervals", intervals},
              {"aggregate_by", EntityKindName(spec.aggregate_by)},
              {"timezone", ctx.zone.name()},
              {"from", FormatIso8601Seconds(buckets.begin_ms(), ctx.zone)},
              {"to", FormatIso8601Seconds(buckets.end_ms(), ctx.zone)},
              {"values", std::move(values)},
              {"total", total}};
}

Result<json> RunStickinessJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(StickinessSpec parsed, ParseActivitySpec(spec, ctx));
  return RunStickiness(parsed, ctx);
}

}  // namespace tobops::query
