#include "query/distribution_query.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

// Histogram bucket bounds: 1, 2, ..., 10 (one bucket per count below 10), then the
// 1-2-5 sequence 20, 50, 100, 200, 500, ... — readable bounds on a log-like scale, so a
// few heavy entities do not flatten the buckets of typical ones.
int64_t NextCountBound(int64_t bound) {
  if (bound < 10) return bound + 1;
  int64_t decade = 1;
  while (decade * 10 <= bound) decade *= 10;
  const int64_t lead = bound / decade;  // 1, 2 or 5
  return lead == 1 ? 2 * decade : lead == 2 ? 5 * decade : 10 * decade;
}

}  // namespace

double InterpolatedPercentile(std::span<const int64_t> sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double h = double(sorted.size() - 1) * std::clamp(p, 0.0, 1.0);
  const size_t lo = size_t(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return double(sorted[lo]) + (h - double(lo)) * double(sorted[hi] - sorted[lo]);
}

Result<DistributionSpec> ParseDistributionSpec(const json& j, const QueryContext& ctx) {
  DistributionSpec spec;
  if (j.contains("event") && !j["event"].is_null()) {
    if (!j["event"].is_string() || j["event"].get<std::string>().empty()) {
      return InvalidArgument("event must be an event name or \"$any\"", "event");
    }
    spec.event.event = j["event"].get<std::string>();
    if (spec.event.event == "$any" || spec.event.event == "$all") spec.event.event.clear();
  }
  ASSIGN_OR_RETURN(spec.event.filters, ParseFilters(j.value("filters", json()), "filters"));
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  return spec;
}

Result<json> RunDistribution(const DistributionSpec& spec, const QueryContext& ctx) {
  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = spec.range.from_ms;
  request.to_ms = spec.range.to_ms;
  request.conditions = {spec.event};
  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));

  // Only rows meeting the condition are kept, and an entity exists only with a kept
  // row: every entity's count is its row count, at least 1.
  std::vector<int64_t> counts(timelines.entity_count());
  for (size_t e = 0; e < counts.size(); ++e) counts[e] = int64_t(timelines.events(e).size());
  std::sort(counts.begin(), counts.end());
  int64_t events = 0;
  for (int64_t c : counts) events += c;

  json histogram = json::array();
  if (!counts.empty()) {
    size_t i = 0;
    for (int64_t from = 1; from <= counts.back(); from = NextCountBound(from)) {
      const int64_t to = NextCountBound(from);
      int64_t n = 0;
      while (i < counts.size() && counts[i] < to) ++n, ++i;
      histogram.push_back({{"from", from}, {"to", to}, {"count", n}});
    }
  }
  const double entities = double(counts.size());
  return json{{"kind", "distribution"},
              {"event", spec.event.event.empty() ? json("$any") : json(spec.event.event)},
              {"aggregate_by", EntityKindName(spec.aggregate_by)},
              {"timezone", ctx.zone.name()},
              {"from", FormatIso8601Seconds(spec.range.from_ms, ctx.zone)},
              {"to", FormatIso8601Seconds(spec.range.to_ms, ctx.zone)},
              {"entities", counts.size()},
              {"events", events},
              {"average", counts.empty() ? 0.0 : double(events) / entities},
              {"median", InterpolatedPercentile(counts, 0.5)},
              {"p90", InterpolatedPercentile(counts, 0.9)},
              {"min", counts.empty() ? 0 : counts.front()},
              {"max", counts.empty() ? 0 : counts.back()},
              {"histogram", std::move(histogram)}};
}

Result<json> RunDistributionJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(DistributionSpec parsed, ParseDistributionSpec(spec, ctx));
  return RunDistribution(parsed, ctx);
}

}  // namespace tobops::query
