#include "query/retention_query.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "common/time_format.h"
#include "query/prior_activity.h"
#include "query/retention_bits.h"

namespace tobops::query {
namespace {

using nlohmann::json;

// Revenue is summed in integer millionths so that the answer does not depend on the
// order in which workers add it up (floating-point sums would differ in the last bits
// from run to run). 128 bits cannot overflow: each value is at most 1e12 · 1e6.
using Revenue = __int128;
constexpr double kRevenueScale = 1e6;
constexpr double kMaxRevenueValue = 1e12;

constexpr uint32_t kStartBit = 1u << 0;
constexpr uint32_t kReturnBit = 1u << 1;

Result<TimelineCondition> ParseCondition(const json& spec, const std::string& member,
                                         bool required) {
  TimelineCondition condition;  // event "" = any event
  if (!spec.contains(member) || spec[member].is_null()) {
    if (required) {
      return InvalidArgument(
          "retention needs \"" + member + "\": {\"event\": ..., \"filters\": [...]}", member);
    }
    return condition;
  }
  const json& j = spec[member];
  if (!j.is_object())
    return InvalidArgument(member + " must be an object {event, filters}", member);
  if (!j.contains("event") || !j["event"].is_string() || j["event"].get<std::string>().empty()) {
    return InvalidArgument("event must be an event name or \"$any\"", member + ".event");
  }
  condition.event = j["event"].get<std::string>();
  if (condition.event == "$any" || condition.event == "$all") condition.event.clear();
  ASSIGN_OR_RETURN(condition.filters,
                   ParseFilters(j.value("filters", json()), member + ".filters"));
  return condition;
}

// A revenue amount in millionths: numbers, and strings holding a decimal number (as
// filters treat them); anything else, or beyond ±1e12, is no revenue.
Revenue RevenueOf(const store::PropertyValue& value) {
  double amount = 0;
  if (const auto* d = std::get_if<double>(&value)) {
    amount = *d;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (s->empty()) return 0;
    char* end = nullptr;
    amount = std::strtod(s->c_str(), &end);
    if (end != s->c_str() + s->size()) return 0;
  } else {
    return 0;
  }
  if (!std::isfinite(amount) || std::fabs(amount) > kMaxRevenueValue) return 0;
  return Revenue(std::llround(amount * kRevenueScale));
}

// The calendar periods of one query: indexes [0, cohorts) are the cohort periods, the
// next `periods` follow them; only periods that have started by now are ever counted.
struct PeriodPlan {
  TimeBuckets all;      // cohorts + periods buckets, contiguous
  size_t cohorts = 0;   // N
  size_t started = 0;   // periods whose start ≤ now
  size_t complete = 0;  // periods whose end ≤ now
  int64_t scan_from_ms = 0;
  int64_t scan_to_ms = 0;

  // Index of the period holding `utc_ms`. Rows are scanned in [scan_from_ms, scan_to_ms),
  // which is inside `all`.
  int PeriodOf(int64_t utc_ms) const { return all.BucketOf(utc_ms); }
  // How many values a cohort lists: its own period and the follow-ups that have started.
  size_t Listed(size_t cohort, int periods) const {
    return started > cohort ? std::min<size_t>(periods + 1, started - cohort) : 0;
  }
  // The end of the last cohort period (exclusive).
  int64_t CohortsEndMs() const { return cohorts < all.size() ? all.start(cohorts) : all.end_ms(); }
  size_t Complete(size_t cohort, int periods) const {
    return complete > cohort ? std::min<size_t>(periods + 1, complete - cohort) : 0;
  }
};

Result<PeriodPlan> MakePlan(const RetentionSpec& spec, const QueryContext& ctx) {
  PeriodPlan plan;
  auto cohorts = TimeBuckets::Make(spec.range.from_ms, spec.range.to_ms, spec.period, ctx.zone);
  if (!cohorts.ok()) return InvalidArgument(cohorts.status().message(), "range");
  if (cohorts->size() > kMaxRetentionCohorts) {
    return InvalidArgument("the range has " + std::to_string(cohorts->size()) + " " +
                               IntervalName(spec.period) + " cohorts; at most " +
                               std::to_string(kMaxRetentionCohorts) +
                               " — pick a shorter range or a longer period",
                           "range");
  }
  plan.cohorts = cohorts->size();
  // The follow-up periods of the last cohort end at most (periods + 1) months after the
  // range end; a generous probe, then cut to exactly cohorts + periods periods.
  const size_t wanted = plan.cohorts + size_t(spec.periods);
  const int64_t probe_to = cohorts->end_ms() + int64_t(spec.periods + 2) * 32 * 86'400'000LL;
  ASSIGN_OR_RETURN(TimeBuckets probe,
                   TimeBuckets::Make(cohorts->begin_ms(), probe_to, spec.period, ctx.zone));
  const int64_t horizon_ms = probe.size() > wanted ? probe.start(wanted) : probe.end_ms();
  ASSIGN_OR_RETURN(plan.all,
                   TimeBuckets::Make(cohorts->begin_ms(), horizon_ms, spec.period, ctx.zone));
  for (size_t p = 0; p < plan.all.size(); ++p) {
    if (plan.all.start(p) <= ctx.now_ms) plan.started = p + 1;
    const int64_t end = p + 1 < plan.all.size() ? plan.all.start(p + 1) : plan.all.end_ms();
    if (end <= ctx.now_ms) plan.complete = p + 1;
  }
  // Rows are collected from the first cohort period on; for first-time cohorts the
  // history before it is asked of PriorActivity (who had a start event already).
  plan.scan_from_ms = plan.all.begin_ms();
  plan.scan_to_ms = std::min(plan.all.end_ms(), ctx.now_ms + 1);
  return plan;
}

// The retention matrix of one group of entities (everyone, or one breakdown value).
struct Matrix {
  std::vector<int64_t> size;      // per cohort
  std::vector<int64_t> returned;  // [cohort][k], k in 0..periods; k = 0 unused (= size)
  std::vector<Revenue> revenue;   // [cohort][k], only when revenue is asked for

  void Init(size_t cohorts, int periods, bool with_revenue) {
    size.assign(cohorts, 0);
    returned.assign(cohorts * (periods + 1), 0);
    if (with_revenue) revenue.assign(cohorts * (periods + 1), 0);
  }
  void Add(const Matrix& other) {
    for (size_t i = 0; i < size.size(); ++i) size[i] += other.size[i];
    for (size_t i = 0; i < returned.size(); ++i) returned[i] += other.returned[i];
    for (size_t i = 0; i < revenue.size(); ++i) revenue[i] += other.revenue[i];
  }
};

struct Membership {
  uint32_t cohort;
  uint32_t group;  // breakdown value id of the cohort's start event (0 = absent)
};
struct ReturnPeriod {
  uint32_t period;
  Revenue revenue;
};

// One entity's cohort memberships and the periods in which it returned, in period order.
struct EntityWalk {
  std::vector<Membership> memberships;
  std::vector<ReturnPeriod> returns;

  void Run(std::span<const TimelineEvent> rows, const RetentionSpec& spec, const PeriodPlan& plan,
           const std::vector<Revenue>& revenue_of) {
    memberships.clear();
    returns.clear();
    const bool first_time = spec.mode == RetentionMode::kFirstTime;
    bool seen_start = false;
    for (const TimelineEvent& row : rows) {
      const int p = plan.PeriodOf(row.timestamp_ms);
      if (row.mask & kStartBit) {
        // Rows are time-ordered, so the first start row is the entity's first start
        // event (the caller skips entities that started before the cohorts), and in
        // recurring mode the first start row of each period.
        if (first_time) {
          if (!seen_start) {
            seen_start = true;
            // A first start event after the cohort periods: in no cohort.
            if (size_t(p) >= plan.cohorts) return;
            memberships.push_back({uint32_t(p), row.value[0]});
          }
        } else if (size_t(p) < plan.cohorts &&
                   (memberships.empty() || memberships.back().cohort != uint32_t(p))) {
          memberships.push_back({uint32_t(p), row.value[0]});
        }
      }
      if (row.mask & kReturnBit) {
        if (returns.empty() || returns.back().period != uint32_t(p))
          returns.push_back({uint32_t(p), 0});
        if (!revenue_of.empty()) returns.back().revenue += revenue_of[row.value[1]];
      }
    }
  }

  // Adds membership `m` to `matrix`: one entity of cohort c, returned in each period
  // c + k (k = 1..periods) with a return event; revenue of return events for k = 0..periods.
  void AddTo(const Membership& m, int periods, Matrix* matrix) const {
    const size_t c = m.cohort;
    ++matrix->size[c];
    auto it = std::lower_bound(returns.begin(), returns.end(), m.cohort,
                               [](const ReturnPeriod& r, uint32_t p) { return r.period < p; });
    for (; it != returns.end() && it->period <= c + periods; ++it) {
      const size_t cell = c * (periods + 1) + (it->period - c);
      if (it->period > c) ++matrix->returned[cell];
      if (!matrix->revenue.empty()) matrix->revenue[cell] += it->revenue;
    }
  }
};

// The members of every retention answer that describe the question.
json AnswerHead(const RetentionSpec& spec, const PeriodPlan& plan, const QueryContext& ctx) {
  return {{"kind", "retention"},
          {"period", IntervalName(spec.period)},
          {"periods", spec.periods},
          {"mode", spec.mode == RetentionMode::kFirstTime ? "first_time" : "recurring"},
          {"aggregate_by", EntityKindName(spec.aggregate_by)},
          {"timezone", ctx.zone.name()},
          {"from", FormatIso8601Seconds(plan.all.begin_ms(), ctx.zone)},
          {"to", FormatIso8601Seconds(plan.CohortsEndMs(), ctx.zone)}};
}

double RevenueToDouble(Revenue r) { return double(r) / kRevenueScale; }

// {"cohorts": [...], "total": {...}} of one matrix.
void MatrixToJson(const Matrix& m, const RetentionSpec& spec, const PeriodPlan& plan,
                  const cctz::time_zone& zone, json* out) {
  const int periods = spec.periods;
  const bool with_revenue = spec.revenue_property.has_value();
  json cohorts = json::array();
  const size_t total_len = plan.Listed(0, periods);
  std::vector<int64_t> total_values(total_len, 0), total_sizes(total_len, 0);
  std::vector<Revenue> total_revenue(total_len, 0);
  int64_t total_size = 0;
  for (size_t c = 0; c < plan.cohorts; ++c) {
    const size_t listed = plan.Listed(c, periods);
    json values = json::array(), rates = json::array(), revenue = json::array();
    const int64_t size = m.size[c];
    total_size += size;
    for (size_t k = 0; k < listed; ++k) {
      const size_t cell = c * (periods + 1) + k;
      const int64_t v = k == 0 ? size : m.returned[cell];
      values.push_back(v);
      rates.push_back(size > 0 ? double(v) / double(size) : 0.0);
      total_values[k] += v;
      total_sizes[k] += size;
      if (with_revenue) {
        revenue.push_back(RevenueToDouble(m.revenue[cell]));
        total_revenue[k] += m.revenue[cell];
      }
    }
    json cohort = {{"start", FormatIso8601Seconds(plan.all.start(c), zone)},
                   {"size", size},
                   {"values", std::move(values)},
                   {"rates", std::move(rates)},
                   {"complete_periods", plan.Complete(c, periods)}};
    if (with_revenue) cohort["revenue"] = std::move(revenue);
    cohorts.push_back(std::move(cohort));
  }
  json values = json::array(), rates = json::array(), revenue = json::array();
  for (size_t k = 0; k < total_len; ++k) {
    values.push_back(total_values[k]);
    rates.push_back(total_sizes[k] > 0 ? double(total_values[k]) / double(total_sizes[k]) : 0.0);
    if (with_revenue) revenue.push_back(RevenueToDouble(total_revenue[k]));
  }
  json total = {{"size", total_size}, {"values", std::move(values)}, {"rates", std::move(rates)}};
  if (with_revenue) total["revenue"] = std::move(revenue);
  (*out)["cohorts"] = std::move(cohorts);
  (*out)["total"] = std::move(total);
}

}  // namespace

Result<RetentionSpec> ParseRetentionSpec(const json& j, const QueryContext& ctx) {
  RetentionSpec spec;
  ASSIGN_OR_RETURN(spec.start, ParseCondition(j, "start", true));
  ASSIGN_OR_RETURN(spec.returning, ParseCondition(j, "return", false));
  const json mode = j.value("mode", json("first_time"));
  if (mode == "first_time") {
    spec.mode = RetentionMode::kFirstTime;
  } else if (mode == "recurring") {
    spec.mode = RetentionMode::kRecurring;
  } else {
    return InvalidArgument("mode must be first_time or recurring", "mode");
  }
  const json period = j.value("period", json("week"));
  if (!period.is_string() || !ParseInterval(period.get<std::string>(), &spec.period) ||
      spec.period == Interval::kHour) {
    return InvalidArgument("period must be one of day, week, month", "period");
  }
  ASSIGN_OR_RETURN(int64_t periods, ParseIntMember(j, "periods", 1, kMaxRetentionPeriods, 8));
  spec.periods = int(periods);
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  if (j.contains("breakdown") && !j["breakdown"].is_null()) {
    ASSIGN_OR_RETURN(spec.breakdown, ParsePropertyRef(j["breakdown"], "breakdown"));
  }
  if (j.contains("revenue") && !j["revenue"].is_null()) {
    ASSIGN_OR_RETURN(PropertyRef ref, ParsePropertyRef(j["revenue"], "revenue"));
    if (ref.source != PropertySource::kEvent) {
      return InvalidArgument("revenue must be a property of the return events", "revenue.source");
    }
    spec.revenue_property = ref.property;
  }
  // Without a range: the last 14 days, 8 weeks or 6 months.
  const char* default_last = spec.period == Interval::kDay    ? "14d"
                             : spec.period == Interval::kWeek ? "8w"
                                                              : "6m";
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx, default_last));
  ASSIGN_OR_RETURN(spec.filters, ParseFilters(j.value("filters", json()), "filters"));
  ASSIGN_OR_RETURN(int64_t limit, ParseIntMember(j, "limit", 1, 100, 10));
  spec.limit = size_t(limit);
  return spec;
}

Result<json> RunRetention(const RetentionSpec& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(PeriodPlan plan, MakePlan(spec, ctx));
  const int periods = spec.periods;
  const bool with_revenue = spec.revenue_property.has_value();

  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = plan.scan_from_ms;
  request.to_ms = plan.scan_to_ms;
  request.conditions = {spec.start, spec.returning};  // bit 0 start, bit 1 return
  request.filters = spec.filters;
  if (spec.breakdown) request.values[0] = *spec.breakdown;
  if (with_revenue) request.values[1] = PropertyRef{PropertySource::kEvent, *spec.revenue_property};
  // Without breakdown and revenue, the periods of each entity's start and return rows
  // are all the matrix needs: fold them into bitsets instead of collecting rows.
  if (!spec.breakdown && !with_revenue) {
    Matrix matrix;
    matrix.Init(plan.cohorts, periods, false);
    if (plan.scan_to_ms > plan.scan_from_ms) {
      ASSIGN_OR_RETURN(RetentionBits bits, RetentionBits::Collect(request, plan.all, ctx));
      PriorActivity started_before;
      if (spec.mode == RetentionMode::kFirstTime && bits.entity_count() > 0) {
        ASSIGN_OR_RETURN(started_before,
                         PriorActivity::Collect(spec.aggregate_by, spec.start, spec.filters,
                                                plan.all.begin_ms(), ctx));
      }
      auto add = [&](size_t e, size_t c) {
        ++matrix.size[c];
        for (int k = 1; k <= periods; ++k) {
          if (bits.returned_in(e, c + size_t(k))) ++matrix.returned[c * size_t(periods + 1) + size_t(k)];
        }
      };
      for (size_t e = 0; e < bits.entity_count(); ++e) {
        if (spec.mode == RetentionMode::kFirstTime) {
          // The first start event ever decides the cohort; one after the cohort periods,
          // or one before them (started_before), puts the entity in none.
          if (bits.first_start_ms(e) == RetentionBits::kNoStart) continue;
          const int c = plan.PeriodOf(bits.first_start_ms(e));
          if (c < 0 || size_t(c) >= plan.cohorts) continue;
          if (started_before.size() > 0 && started_before.Contains(bits.entity_id(e))) continue;
          add(e, size_t(c));
        } else {
          for (size_t c = 0; c < plan.cohorts; ++c) {
            if (bits.started_in(e, c)) add(e, c);
          }
        }
      }
    }
    json answer = AnswerHead(spec, plan, ctx);
    MatrixToJson(matrix, spec, plan, ctx.zone, &answer);
    return answer;
  }

  EntityTimelines timelines;
  // A range entirely after now has nothing to scan: every cohort is empty.
  if (plan.scan_to_ms > plan.scan_from_ms) {
    ASSIGN_OR_RETURN(timelines, EntityTimelines::Collect(request, ctx));
  }
  // first_time: entities whose first start event ever is before the cohorts are in none.
  PriorActivity started_before;
  if (spec.mode == RetentionMode::kFirstTime && timelines.entity_count() > 0) {
    ASSIGN_OR_RETURN(started_before,
                     PriorActivity::Collect(spec.aggregate_by, spec.start, spec.filters,
                                            plan.all.begin_ms(), ctx));
  }
  auto in_cohorts = [&](size_t entity) {
    return started_before.size() == 0 || !started_before.Contains(timelines.entity_id(entity));
  };
  std::vector<Revenue> revenue_of;
  if (with_revenue) {
    revenue_of.push_back(0);
    for (const auto& value : timelines.values(1)) revenue_of.push_back(RevenueOf(value));
  }

  // Breakdown groups: matrix slot 0 is everyone; group_slot[value id] is the slot of a
  // breakdown value (-1: not among the `limit` largest). When there are more distinct
  // values than `limit`, a first walk counts memberships per value to pick the largest.
  const size_t value_count = spec.breakdown ? timelines.values(0).size() + 1 : 0;
  std::vector<int> group_slot(value_count, -1);
  std::vector<uint32_t> slot_value = {0};
  const int threads = std::max(1, ctx.threads);
  if (spec.breakdown) {
    if (value_count <= spec.limit) {
      for (size_t v = 0; v < value_count; ++v) {
        group_slot[v] = int(slot_value.size());
        slot_value.push_back(uint32_t(v));
      }
    } else {
      std::vector<std::vector<int64_t>> counts(threads, std::vector<int64_t>(value_count, 0));
      std::vector<EntityWalk> walks(threads);
      timelines.ForEach(threads, [&](size_t e, std::span<const TimelineEvent> rows, int w) {
        if (!in_cohorts(e)) return;
        walks[w].Run(rows, spec, plan, {});
        for (const Membership& m : walks[w].memberships) ++counts[w][m.group];
      });
      for (int w = 1; w < threads; ++w) {
        for (size_t v = 0; v < value_count; ++v) counts[0][v] += counts[w][v];
      }
      std::vector<uint32_t> order;
      for (size_t v = 0; v < value_count; ++v) {
        if (counts[0][v] > 0) order.push_back(uint32_t(v));
      }
      // Largest first; ties by value (ids follow value order), null last.
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        if (counts[0][a] != counts[0][b]) return counts[0][a] > counts[0][b];
        if ((a == 0) != (b == 0)) return b == 0;
        return a < b;
      });
      if (order.size() > spec.limit) order.resize(spec.limit);
      for (uint32_t v : order) {
        group_slot[v] = int(slot_value.size());
        slot_value.push_back(v);
      }
    }
  }

  struct Worker {
    EntityWalk walk;
    std::vector<Matrix> matrices;
  };
  std::vector<Worker> workers(threads);
  for (auto& w : workers) {
    w.matrices.resize(slot_value.size());
    for (auto& m : w.matrices) m.Init(plan.cohorts, periods, with_revenue);
  }
  timelines.ForEach(threads, [&](size_t e, std::span<const TimelineEvent> rows, int w) {
    if (!in_cohorts(e)) return;
    Worker& worker = workers[w];
    worker.walk.Run(rows, spec, plan, revenue_of);
    for (const Membership& m : worker.walk.memberships) {
      worker.walk.AddTo(m, periods, &worker.matrices[0]);
      if (spec.breakdown && group_slot[m.group] >= 0) {
        worker.walk.AddTo(m, periods, &worker.matrices[group_slot[m.group]]);
      }
    }
  });
  for (int w = 1; w < threads; ++w) {
    for (size_t s = 0; s < slot_value.size(); ++s)
      workers[0].matrices[s].Add(workers[w].matrices[s]);
  }
  const std::vector<Matrix>& matrices = workers[0].matrices;

  json answer = AnswerHead(spec, plan, ctx);
  MatrixToJson(matrices[0], spec, plan, ctx.zone, &answer);
  if (spec.breakdown) {
    struct Group {
      size_t slot;
      int64_t size;
    };
    std::vector<Group> groups;
    for (size_t s = 1; s < slot_value.size(); ++s) {
      int64_t size = 0;
      for (int64_t n : matrices[s].size) size += n;
      if (size > 0) groups.push_back({s, size});
    }
    std::sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) {
      if (a.size != b.size) return a.size > b.size;
      const uint32_t va = slot_value[a.slot], vb = slot_value[b.slot];
      if ((va == 0) != (vb == 0)) return vb == 0;
      return va < vb;
    });
    if (groups.size() > spec.limit) groups.resize(spec.limit);
    json list = json::array();
    for (const Group& g : groups) {
      const uint32_t v = slot_value[g.slot];
      json entry = {
          {"value", v == 0 ? json(nullptr) : PropertyValueToJson(timelines.values(0)[v - 1])}};
      MatrixToJson(matrices[g.slot], spec, plan, ctx.zone, &entry);
      list.push_back(std::move(entry));
    }
    answer["breakdown"] = std::move(list);
    answer["breakdown_by"] = {{"source", PropertySourceName(spec.breakdown->source)},
                              {"property", spec.breakdown->property}};
  }
  if (with_revenue) answer["revenue_property"] = *spec.revenue_property;
  return answer;
}

Result<json> RunRetentionJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(RetentionSpec parsed, ParseRetentionSpec(spec, ctx));
  return RunRetention(parsed, ctx);
}

}  // namespace tobops::query
