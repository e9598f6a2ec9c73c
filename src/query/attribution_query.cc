#include "query/attribution_query.h"

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

// Row value id 0 is "no value": it stands for the conversions without touch points.
constexpr uint32_t kDirect = 0;
constexpr const char* kDirectName = "$direct";

// "conversion"/"touch": an event name or an object {"event", "filters", ...}.
Result<TimelineCondition> ParseEventCondition(const json& j, const std::string& field,
                                              bool event_required) {
  TimelineCondition condition;
  if (j.is_string()) {
    condition.event = j.get<std::string>();
  } else if (j.is_object()) {
    if (j.contains("event") && !j["event"].is_null()) {
      if (!j["event"].is_string() || j["event"].get<std::string>().empty()) {
        return InvalidArgument("event must be an event name or \"$any\"", field + ".event");
      }
      condition.event = j["event"].get<std::string>();
    } else if (event_required) {
      return InvalidArgument("event is required", field + ".event");
    }
    ASSIGN_OR_RETURN(condition.filters,
                     ParseFilters(j.value("filters", json()), field + ".filters"));
  } else {
    return InvalidArgument("must be an event name or an object {\"event\", \"filters\"}", field);
  }
  if (condition.event.empty() && j.is_string())
    return InvalidArgument("event must not be empty", field);
  if (condition.event == "$any" || condition.event == "$all") condition.event.clear();
  return condition;
}

// Per-worker sums. Value ids index the timeline's value slot 0 (kDirect = no touch).
struct Credits {
  int64_t conversions = 0;
  std::vector<int64_t> first, last, touched;
  // Linear credit as exact parts: (value << 32 | touches in the window) → the value's
  // touches in such windows. Summing k/n at the end in a fixed order keeps the answer
  // identical whatever the thread split.
  std::unordered_map<uint64_t, int64_t> linear;

  void Init(size_t values) {
    first.assign(values, 0);
    last.assign(values, 0);
    touched.assign(values, 0);
  }
};

// The touch points in the window of the current conversion, with a count per value and
// the list of values present (each listed once).
class TouchWindow {
 public:
  explicit TouchWindow(size_t values) : count_(values, 0), listed_(values, 0) {}
  void Add(uint32_t value) {
    if (count_[value]++ == 0 && !listed_[value]) {
      listed_[value] = 1;
      present_.push_back(value);
    }
  }
  void Remove(uint32_t value) { --count_[value]; }
  // Calls fn(value, touches) for every value with touches in the window.
  template <typename Fn>
  void ForEachValue(const Fn& fn) {
    size_t kept = 0;
    for (uint32_t value : present_) {
      if (count_[value] == 0) {
        listed_[value] = 0;
        continue;
      }
      present_[kept++] = value;
      fn(value, count_[value]);
    }
    present_.resize(kept);
  }
  void Clear() {
    for (uint32_t value : present_) count_[value] = listed_[value] = 0;
    present_.clear();
  }

 private:
  std::vector<uint32_t> count_;
  std::vector<char> listed_;
  std::vector<uint32_t> present_;
};

struct WorkerState {
  Credits credits;
  TouchWindow window;
  std::vector<uint32_t> touches;  // the entity's touch rows (indices), in time order
  explicit WorkerState(size_t values) : window(values) { credits.Init(values); }
};

}  // namespace

const char* AttributionModelName(AttributionModel model) {
  switch (model) {
    case AttributionModel::kFirstTouch:
      return "first_touch";
    case AttributionModel::kLastTouch:
      return "last_touch";
    case AttributionModel::kLinear:
      return "linear";
  }
  return "";
}

Result<AttributionSpec> ParseAttributionSpec(const json& j, const QueryContext& ctx) {
  AttributionSpec spec;
  if (!j.contains("conversion") || j["conversion"].is_null()) {
    return InvalidArgument("attribution needs a \"conversion\" event", "conversion");
  }
  ASSIGN_OR_RETURN(spec.conversion, ParseEventCondition(j["conversion"], "conversion", true));
  if (!j.contains("touch") || !j["touch"].is_object()) {
    return InvalidArgument("touch must be an object {\"event\", \"property\"}", "touch");
  }
  const json& touch = j["touch"];
  ASSIGN_OR_RETURN(spec.touch, ParseEventCondition(touch, "touch", false));
  if (!touch.contains("property") || touch["property"].is_null()) {
    return InvalidArgument("touch.property is required (e.g. \"channel\")", "touch.property");
  }
  ASSIGN_OR_RETURN(spec.touch_property, ParsePropertyRef(touch["property"], "touch.property"));
  // A touch point must carry the property: rows lacking it never take credit.
  spec.touch.filters.push_back(
      {spec.touch_property.source, spec.touch_property.property, FilterOp::kIsSet, {}});

  const json model = j.value("model", json("first_touch"));
  if (model == "first_touch")
    spec.models = {AttributionModel::kFirstTouch};
  else if (model == "last_touch")
    spec.models = {AttributionModel::kLastTouch};
  else if (model == "linear")
    spec.models = {AttributionModel::kLinear};
  else if (model == "all") {
    spec.all_models = true;
    spec.models = {AttributionModel::kFirstTouch, AttributionModel::kLastTouch,
                   AttributionModel::kLinear};
  } else {
    return InvalidArgument("model must be first_touch, last_touch, linear or all", "model");
  }
  if (j.contains("lookback") && !j["lookback"].is_null()) {
    ASSIGN_OR_RETURN(spec.lookback_ms, ParseDurationMs(j["lookback"], "lookback"));
  }
  const json conversions = j.value("conversions", json("all"));
  if (conversions == "all")
    spec.first_conversion_only = false;
  else if (conversions == "first")
    spec.first_conversion_only = true;
  else
    return InvalidArgument("conversions must be all or first", "conversions");
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  ASSIGN_OR_RETURN(int64_t limit, ParseIntMember(j, "limit", 1, 1000, 20));
  spec.limit = int(limit);
  return spec;
}

Result<json> RunAttribution(const AttributionSpec& spec, const QueryContext& ctx) {
  TimelineRequest request;
  request.entity = spec.aggregate_by;
  // Conversions early in the range look back before it for their touch points.
  request.from_ms = spec.range.from_ms - spec.lookback_ms;
  request.to_ms = spec.range.to_ms;
  request.conditions = {spec.conversion, spec.touch};  // bit 0 conversion, bit 1 touch
  request.values[0] = spec.touch_property;
  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));

  const size_t values = timelines.values(0).size() + 1;  // + kDirect
  const int threads = std::max(1, ctx.threads);
  std::vector<WorkerState> workers;
  workers.reserve(threads);
  for (int w = 0; w < threads; ++w) workers.emplace_back(values);

  timelines.ForEach(threads, [&](size_t, std::span<const TimelineEvent> rows, int w) {
    WorkerState& state = workers[w];
    Credits& credits = state.credits;
    state.touches.clear();
    for (uint32_t i = 0; i < rows.size(); ++i) {
      if ((rows[i].mask & 2u) && rows[i].value[0] != 0) state.touches.push_back(i);
    }
    const auto& touches = state.touches;
    // Two pointers over the touch points: [lo, hi) is the window of the conversion at
    // time t, i.e. the touches with t - lookback <= time <= t. Conversions come in time
    // order, so both pointers only move forward.
    size_t lo = 0, hi = 0;
    for (const TimelineEvent& row : rows) {
      if (!(row.mask & 1u) || row.timestamp_ms < spec.range.from_ms) continue;
      const int64_t t = row.timestamp_ms;
      while (hi < touches.size() && rows[touches[hi]].timestamp_ms <= t)
        state.window.Add(rows[touches[hi++]].value[0]);
      while (lo < hi && rows[touches[lo]].timestamp_ms < t - spec.lookback_ms) {
        state.window.Remove(rows[touches[lo++]].value[0]);
      }
      ++credits.conversions;
      if (lo == hi) {
        ++credits.first[kDirect];
        ++credits.last[kDirect];
        ++credits.touched[kDirect];
        ++credits.linear[(uint64_t(kDirect) << 32) | 1u];
      } else {
        ++credits.first[rows[touches[lo]].value[0]];
        ++credits.last[rows[touches[hi - 1]].value[0]];
        const uint64_t n = hi - lo;
        state.window.ForEachValue([&](uint32_t value, uint32_t k) {
          ++credits.touched[value];
          credits.linear[(uint64_t(value) << 32) | n] += k;
        });
      }
      if (spec.first_conversion_only) break;
    }
    state.window.Clear();
  });

  Credits& total = workers[0].credits;
  for (int w = 1; w < threads; ++w) {
    const Credits& c = workers[w].credits;
    total.conversions += c.conversions;
    for (size_t v = 0; v < values; ++v) {
      total.first[v] += c.first[v];
      total.last[v] += c.last[v];
      total.touched[v] += c.touched[v];
    }
    for (const auto& [key, k] : c.linear) total.linear[key] += k;
  }
  // Linear credit: the sum of k / n in ascending (value, n) order.
  std::vector<double> linear(values, 0.0);
  std::map<uint64_t, int64_t> linear_parts(total.linear.begin(), total.linear.end());
  for (const auto& [key, k] : linear_parts) {
    linear[key >> 32] += double(k) / double(key & 0xffffffffu);
  }

  auto credit = [&](AttributionModel model, size_t v) -> double {
    switch (model) {
      case AttributionModel::kFirstTouch:
        return double(total.first[v]);
      case AttributionModel::kLastTouch:
        return double(total.last[v]);
      case AttributionModel::kLinear:
        return linear[v];
    }
    return 0.0;
  };
  // With "all", rows are ranked by linear credit: the model that credits every touch.
  const AttributionModel rank_model = spec.models.back();
  std::vector<uint32_t> order;
  for (uint32_t v = 0; v < values; ++v) {
    if (total.touched[v] > 0) order.push_back(v);
  }
  // Ties: more conversions first, then by value (ids follow the value order), the
  // "$direct" row after the real values.
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const double ca = credit(rank_model, a), cb = credit(rank_model, b);
    if (ca != cb) return ca > cb;
    if (total.touched[a] != total.touched[b]) return total.touched[a] > total.touched[b];
    if ((a == kDirect) != (b == kDirect)) return b == kDirect;
    return a < b;
  });
  if (order.size() > size_t(spec.limit)) order.resize(size_t(spec.limit));

  const double conversions = double(total.conversions);
  auto share = [&](double c) { return conversions > 0 ? c / conversions : 0.0; };
  json rows = json::array();
  for (uint32_t v : order) {
    json row;
    row["value"] =
        v == kDirect ? json(kDirectName) : PropertyValueToJson(timelines.values(0)[v - 1]);
    if (spec.all_models) {
      json credits = json::object(), shares = json::object();
      for (AttributionModel m : spec.models) {
        credits[AttributionModelName(m)] = credit(m, v);
        shares[AttributionModelName(m)] = share(credit(m, v));
      }
      row["credit"] = std::move(credits);
      row["share"] = std::move(shares);
    } else {
      row["credit"] = credit(rank_model, v);
      row["share"] = share(credit(rank_model, v));
    }
    row["conversions"] = total.touched[v];
    rows.push_back(std::move(row));
  }
  json touch_event = spec.touch.event.empty() ? json("$any") : json(spec.touch.event);
  return json{{"kind", "attribution"},
              {"model", spec.all_models ? "all" : AttributionModelName(rank_model)},
              {"models",
               [&] {
                 json names = json::array();
                 for (AttributionModel m : spec.models) names.push_back(AttributionModelName(m));
                 return names;
               }()},
              {"conversion_event",
               spec.conversion.event.empty() ? json("$any") : json(spec.conversion.event)},
              {"touch",
               {{"event", touch_event},
                {"source", PropertySourceName(spec.touch_property.source)},
                {"property", spec.touch_property.property}}},
              {"lookback_ms", spec.lookback_ms},
              {"aggregate_by", EntityKindName(spec.aggregate_by)},
              {"timezone", ctx.zone.name()},
              {"from", FormatIso8601Seconds(spec.range.from_ms, ctx.zone)},
              {"to", FormatIso8601Seconds(spec.range.to_ms, ctx.zone)},
              {"conversions", total.conversions},
              {"direct_conversions", total.touched[kDirect]},
              {"rows", std::move(rows)}};
}

Result<json> RunAttributionJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(AttributionSpec parsed, ParseAttributionSpec(spec, ctx));
  return RunAttribution(parsed, ctx);
}

}  // namespace tobops::query
