#include "query/funnel_query.h"

#include <algorithm>
#include <cmath>

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

std::string ConditionEvent(const std::string& event) {
  return event == "$any" || event == "$all" ? std::string() : event;
}

// Upper edges of the time-to-convert histogram; bins stop at the window.
constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
constexpr int64_t kHistogramEdges[] = {
    kMinute,  5 * kMinute, 15 * kMinute, 30 * kMinute, kHour,    2 * kHour,  6 * kHour,
    12 * kHour, kDay,      2 * kDay,     3 * kDay,     5 * kDay, 7 * kDay,   10 * kDay,
    14 * kDay, 21 * kDay,  30 * kDay,    45 * kDay,    60 * kDay, 90 * kDay, 180 * kDay,
    365 * kDay, 730 * kDay};

// Per breakdown value (or the single group without a breakdown): counts and the
// durations to each step, merged across workers.
struct GroupAcc {
  std::vector<int64_t> counts;
  std::vector<std::vector<int64_t>> durations;
  void Init(size_t steps) {
    counts.assign(steps, 0);
    durations.assign(steps, {});
  }
  void Merge(GroupAcc&& other) {
    if (counts.empty()) {
      *this = std::move(other);
      return;
    }
    for (size_t j = 0; j < counts.size(); ++j) {
      counts[j] += other.counts[j];
      durations[j].insert(durations[j].end(), other.durations[j].begin(), other.durations[j].end());
    }
  }
};

struct WorkerAcc {
  std::vector<GroupAcc> groups;                         // indexed by breakdown value id
  std::vector<std::pair<int64_t, int64_t>> cohorts;     // entered, converted per bucket
  std::vector<uint32_t> listed;                         // entity indices for "entities"
  std::vector<FunnelSubject> subjects;                  // for drivers
  std::vector<FunnelAttempt> attempts;                  // scratch
};

FunnelTimeToConvert Summarize(std::vector<int64_t>& durations, int64_t window_ms) {
  FunnelTimeToConvert t;
  std::sort(durations.begin(), durations.end());
  const size_t n = durations.size();
  t.median_ms = n % 2 == 1 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
  long double sum = 0;
  for (int64_t d : durations) sum += d;
  t.average_ms = int64_t(std::llround(sum / n));
  int64_t from = 0;
  auto it = durations.begin();
  for (int64_t edge : kHistogramEdges) {
    if (edge >= window_ms) break;
    auto end = std::lower_bound(it, durations.end(), edge);
    t.histogram.push_back({from, edge, int64_t(end - it)});
    it = end;
    from = edge;
  }
  // The last bin ends at the window and includes it: no duration exceeds the window.
  t.histogram.push_back({from, window_ms, int64_t(durations.end() - it)});
  return t;
}

std::vector<FunnelStepResult> StepResults(GroupAcc& acc, int64_t window_ms) {
  std::vector<FunnelStepResult> steps(acc.counts.size());
  for (size_t j = 0; j < steps.size(); ++j) {
    steps[j].count = acc.counts[j];
    if (j > 0 && !acc.durations[j].empty()) steps[j].time_to_convert = Summarize(acc.durations[j], window_ms);
  }
  return steps;
}

json StepsToJson(const FunnelSpec& spec, const std::vector<FunnelStepResult>& steps) {
  json out = json::array();
  const double first = double(steps[0].count);
  size_t previous = 0;  // the nearest earlier required step
  for (size_t j = 0; j < steps.size(); ++j) {
    const FunnelStepSpec& s = spec.steps[j];
    const int64_t count = steps[j].count;
    const int64_t base = j == 0 ? count : steps[previous].count;
    json step = {{"index", j},
                 {"event", s.event},
                 {"name", s.name},
                 {"optional", s.optional},
                 {"count", count},
                 {"conversion_from_previous", base > 0 ? double(count) / double(base) : 0.0},
                 {"conversion_from_first", first > 0 ? double(count) / first : 0.0},
                 {"dropped", base - count},
                 {"time_to_convert", nullptr}};
    if (steps[j].time_to_convert) {
      const auto& t = *steps[j].time_to_convert;
      json bins = json::array();
      for (const auto& b : t.histogram) {
        bins.push_back({{"from_ms", b.from_ms}, {"to_ms", b.to_ms}, {"count", b.count}});
      }
      step["time_to_convert"] = {
          {"median_ms", t.median_ms}, {"average_ms", t.average_ms}, {"histogram", std::move(bins)}};
    }
    out.push_back(std::move(step));
    if (!s.optional) previous = j;
  }
  return out;
}

}  // namespace

Result<FunnelResult> RunFunnel(const FunnelSpec& spec, const QueryContext& ctx) {
  const size_t n = spec.steps.size();
  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = spec.range.from_ms;
  request.to_ms = spec.range.to_ms;
  for (const auto& s : spec.steps) request.conditions.push_back({ConditionEvent(s.event), s.filters});
  for (const auto& x : spec.exclusions) request.conditions.push_back({ConditionEvent(x.event), x.filters});
  request.filters = spec.filters;
  // Strict order looks at every event of the entity; the others only at funnel events.
  request.keep_unmatched = spec.order == FunnelOrder::kStrict;

  FunnelRules rules;
  rules.order = spec.order;
  rules.window_ms = spec.window_ms;
  rules.total = spec.count == FunnelCount::kTotal;
  for (const auto& s : spec.steps) rules.steps.push_back({s.optional, s.within_ms});
  for (const auto& x : spec.exclusions) rules.exclusions.push_back({x.from_step, x.to_step});
  // Value slot 0: the breakdown; hold_constant properties share it or take the next.
  const bool has_breakdown = spec.breakdown.has_value();
  if (has_breakdown) request.values[0] = *spec.breakdown;
  for (const auto& h : spec.hold_constant) {
    int slot = -1;
    for (int v = 0; v < 2 && slot < 0; ++v) {
      if (request.values[v] && request.values[v]->source == h.source && request.values[v]->property == h.property) {
        slot = v;
      }
    }
    if (slot < 0) {
      slot = request.values[0] ? 1 : 0;
      request.values[slot] = h;
    }
    if (std::find(rules.hold_slots.begin(), rules.hold_slots.end(), slot) == rules.hold_slots.end()) {
      rules.hold_slots.push_back(slot);
    }
  }

  std::optional<TimeBuckets> buckets;
  if (spec.over_time) {
    auto made = TimeBuckets::Make(spec.range.from_ms, spec.range.to_ms, *spec.over_time, ctx.zone);
    if (!made.ok()) return InvalidArgument(made.status().message(), "over_time");
    buckets = std::move(*made);
  }

  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));

  const size_t group_count = has_breakdown ? timelines.values(0).size() + 1 : 1;
  const int threads = std::max(1, ctx.threads);
  std::vector<WorkerAcc> workers(threads);
  std::vector<FunnelMatcher> matchers;
  for (int w = 0; w < threads; ++w) {
    matchers.emplace_back(rules);
    workers[w].groups.resize(group_count);
    for (auto& g : workers[w].groups) g.Init(n);
    if (buckets) workers[w].cohorts.assign(buckets->size(), {0, 0});
  }
  const int last = int(n) - 1;
  timelines.ForEach(threads, [&](size_t entity, std::span<const TimelineEvent> rows, int w) {
    WorkerAcc& acc = workers[w];
    acc.attempts.clear();
    matchers[w].Match(rows, &acc.attempts);
    if (acc.attempts.empty()) return;
    uint32_t reached = 0;  // steps done by any attempt
    int furthest = -1;
    const FunnelAttempt* best = nullptr;
    for (const FunnelAttempt& a : acc.attempts) {
      GroupAcc& g = acc.groups[has_breakdown ? rows[a.start_row].value[0] : 0];
      for (uint32_t bits = a.done; bits != 0; bits &= bits - 1) {
        const int j = __builtin_ctz(bits);
        ++g.counts[j];
        if (j > 0) g.durations[j].push_back(a.DurationToMs(j));
      }
      if (buckets) {
        const int b = buckets->BucketOf(a.start_ms);
        if (b >= 0) {
          ++acc.cohorts[b].first;
          acc.cohorts[b].second += (a.done >> last) & 1u;
        }
      }
      reached |= a.done;
      if (a.furthest > furthest) {
        furthest = a.furthest;
        best = &a;
      }
    }
    if (spec.entities) {
      const int k = spec.entities->step;
      const bool at_k = (reached >> k) & 1u;
      if (spec.entities->status == FunnelEntityStatus::kReached ? at_k : (at_k && furthest == k)) {
        acc.listed.push_back(uint32_t(entity));
      }
    }
    if (spec.drivers) {
      acc.subjects.push_back({timelines.entity_id(entity), best->start_ms, bool((reached >> last) & 1u)});
    }
  });

  FunnelResult result;
  std::vector<GroupAcc> groups(group_count);
  for (auto& w : workers) {
    for (size_t g = 0; g < group_count; ++g) groups[g].Merge(std::move(w.groups[g]));
  }
  GroupAcc overall;
  overall.Init(n);
  for (const auto& g : groups) {
    for (size_t j = 0; j < n; ++j) {
      overall.counts[j] += g.counts[j];
      overall.durations[j].insert(overall.durations[j].end(), g.durations[j].begin(), g.durations[j].end());
    }
  }
  result.steps = StepResults(overall, spec.window_ms);

  if (has_breakdown) {
    std::vector<size_t> order;
    for (size_t g = 0; g < group_count; ++g) {
      if (groups[g].counts[0] > 0) order.push_back(g);
    }
    // Largest step-0 count first; ties by value (ids are in value order, null first).
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return groups[a].counts[0] != groups[b].counts[0] ? groups[a].counts[0] > groups[b].counts[0] : a < b;
    });
    if (order.size() > size_t(spec.limit)) order.resize(spec.limit);
    for (size_t g : order) {
      FunnelGroupResult group;
      if (g > 0) group.value = timelines.values(0)[g - 1];
      group.steps = StepResults(groups[g], spec.window_ms);
      result.breakdown.push_back(std::move(group));
    }
  }

  if (buckets) {
    for (size_t b = 0; b < buckets->size(); ++b) {
      FunnelCohort cohort{buckets->start(b), 0, 0};
      for (const auto& w : workers) {
        cohort.entered += w.cohorts[b].first;
        cohort.converted += w.cohorts[b].second;
      }
      result.over_time.push_back(cohort);
    }
  }

  if (spec.entities) {
    std::vector<const std::string*> ids;
    for (const auto& w : workers) {
      for (uint32_t e : w.listed) ids.push_back(&timelines.entity_id(e));
    }
    std::sort(ids.begin(), ids.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
    FunnelEntitiesResult page;
    page.total = int64_t(ids.size());
    const size_t begin = std::min<size_t>(ids.size(), size_t(spec.entities->offset));
    const size_t end = std::min<size_t>(ids.size(), begin + size_t(spec.entities->limit));
    for (size_t i = begin; i < end; ++i) page.ids.push_back(*ids[i]);
    result.entities = std::move(page);
  }

  if (spec.drivers) {
    std::vector<FunnelSubject> subjects;
    for (auto& w : workers) {
      for (auto& s : w.subjects) subjects.push_back(std::move(s));
    }
    FunnelDriverRequest drivers;
    drivers.entity = spec.aggregate_by;
    drivers.from_ms = spec.range.from_ms;
    drivers.to_ms = spec.range.to_ms;
    drivers.window_ms = spec.window_ms;
    drivers.filters = spec.filters;
    for (const auto& s : spec.steps) drivers.step_events.push_back(ConditionEvent(s.event));
    ASSIGN_OR_RETURN(result.drivers, FindFunnelDrivers(drivers, subjects, ctx));
  }
  return result;
}

json FunnelResultToJson(const FunnelSpec& spec, const FunnelResult& result, const cctz::time_zone& zone) {
  json answer = {{"kind", "funnel"},
                 {"aggregate_by", EntityKindName(spec.aggregate_by)},
                 {"order", FunnelOrderName(spec.order)},
                 {"count", FunnelCountName(spec.count)},
                 {"window_ms", spec.window_ms},
                 {"timezone", zone.name()},
                 {"from", FormatIso8601Seconds(spec.range.from_ms, zone)},
                 {"to", FormatIso8601Seconds(spec.range.to_ms, zone)},
                 {"steps", StepsToJson(spec, result.steps)}};
  if (spec.breakdown) {
    json groups = json::array();
    for (const auto& g : result.breakdown) {
      groups.push_back({{"value", PropertyValueToJson(g.value)}, {"steps", StepsToJson(spec, g.steps)}});
    }
    answer["breakdown"] = std::move(groups);
    answer["breakdown_property"] = {{"source", PropertySourceName(spec.breakdown->source)},
                                    {"property", spec.breakdown->property}};
  }
  if (spec.over_time) {
    json points = json::array();
    for (const auto& c : result.over_time) {
      points.push_back({{"t", FormatIso8601Seconds(c.start_ms, zone)},
                        {"entered", c.entered},
                        {"converted", c.converted},
                        {"rate", c.entered > 0 ? double(c.converted) / double(c.entered) : 0.0}});
    }
    answer["over_time"] = std::move(points);
    answer["over_time_interval"] = IntervalName(*spec.over_time);
  }
  if (spec.entities && result.entities) {
    answer["entities"] = {{"step", spec.entities->step},
                          {"status", spec.entities->status == FunnelEntityStatus::kReached ? "reached" : "dropped"},
                          {"total", result.entities->total},
                          {"offset", spec.entities->offset},
                          {"limit", spec.entities->limit},
                          {"ids", result.entities->ids}};
  }
  if (spec.drivers) {
    json drivers = json::array();
    for (const auto& d : result.drivers) {
      drivers.push_back({{"kind", d.kind},
                         {"name", d.name},
                         {"value", PropertyValueToJson(d.value)},
                         {"converters", d.converters},
                         {"dropped", d.dropped},
                         {"odds_ratio", d.odds_ratio},
                         {"p_value", d.p_value}});
    }
    answer["drivers"] = std::move(drivers);
  }
  return answer;
}

Result<json> RunFunnelJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(FunnelSpec funnel, ParseFunnelSpec(spec, ctx));
  ASSIGN_OR_RETURN(FunnelResult result, RunFunnel(funnel, ctx));
  return FunnelResultToJson(funnel, result, ctx.zone);
}

}  // namespace tobops::query
