#include "query/funnel_spec.h"

namespace tobops::query {
namespace {

using nlohmann::json;

bool Present(const json& j, const char* member) { return j.contains(member) && !j[member].is_null(); }

// An integer member of `j` in [lo, hi]; `field` names it in errors.
Result<int64_t> IntAt(const json& j, const char* member, int64_t lo, int64_t hi, int64_t fallback,
                      const std::string& field) {
  if (!Present(j, member)) return fallback;
  const json& v = j[member];
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
    return InvalidArgument("must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
                           field);
  }
  return v.get<int64_t>();
}

Result<std::string> EventAt(const json& j, const std::string& path) {
  if (!j.contains("event") || !j["event"].is_string() || j["event"].get<std::string>().empty()) {
    return InvalidArgument("event must be a non-empty string (\"$any\" for any event)", path + ".event");
  }
  return j["event"].get<std::string>();
}

// "role": "decision_maker" or ["signer", "budget_holder"] → a person filter on the
// person's current `role` trait.
Result<PropertyFilter> ParseRole(const json& j, const std::string& field) {
  PropertyFilter filter{PropertySource::kPerson, "role", FilterOp::kIn, {}};
  if (j.is_string()) {
    filter.values.push_back(j.get<std::string>());
  } else if (j.is_array() && !j.empty()) {
    for (const auto& role : j) {
      if (!role.is_string()) return InvalidArgument("role must be a string or an array of strings", field);
      filter.values.push_back(role.get<std::string>());
    }
  } else {
    return InvalidArgument("role must be a string or a non-empty array of strings", field);
  }
  return filter;
}

Result<FunnelStepSpec> ParseStep(const json& j, size_t index, FunnelOrder order) {
  const std::string path = "steps[" + std::to_string(index) + "]";
  if (!j.is_object()) return InvalidArgument("a step must be an object", path);
  FunnelStepSpec step;
  ASSIGN_OR_RETURN(step.event, EventAt(j, path));
  step.name = step.event;
  if (Present(j, "label")) {
    if (!j["label"].is_string()) return InvalidArgument("label must be a string", path + ".label");
    if (!j["label"].get<std::string>().empty()) step.name = j["label"].get<std::string>();
  }
  ASSIGN_OR_RETURN(step.filters, ParseFilters(j.value("filters", json()), path + ".filters"));
  if (Present(j, "role")) {
    ASSIGN_OR_RETURN(PropertyFilter role, ParseRole(j["role"], path + ".role"));
    step.filters.push_back(std::move(role));
  }
  if (Present(j, "optional")) {
    if (!j["optional"].is_boolean()) return InvalidArgument("optional must be true or false", path + ".optional");
    step.optional = j["optional"].get<bool>();
    if (step.optional && index == 0) {
      return InvalidArgument("the first step cannot be optional", path + ".optional");
    }
    if (step.optional && order == FunnelOrder::kUnordered) {
      return InvalidArgument("optional steps need order ordered or strict", path + ".optional");
    }
  }
  if (Present(j, "within")) {
    if (index == 0) return InvalidArgument("the first step has no previous step to be within", path + ".within");
    if (order == FunnelOrder::kUnordered) {
      return InvalidArgument("within needs order ordered or strict", path + ".within");
    }
    ASSIGN_OR_RETURN(step.within_ms, ParseDurationMs(j["within"], path + ".within"));
  }
  return step;
}

}  // namespace

const char* FunnelOrderName(FunnelOrder order) {
  switch (order) {
    case FunnelOrder::kOrdered: return "ordered";
    case FunnelOrder::kStrict: return "strict";
    case FunnelOrder::kUnordered: return "unordered";
  }
  return "ordered";
}

const char* FunnelCountName(FunnelCount count) { return count == FunnelCount::kUnique ? "unique" : "total"; }

Result<FunnelSpec> ParseFunnelSpec(const json& j, const QueryContext& ctx) {
  FunnelSpec spec;
  // order first: it decides which step members are allowed.
  if (Present(j, "order")) {
    const json& o = j["order"];
    const std::string text = o.is_string() ? o.get<std::string>() : "";
    if (text == "ordered") spec.order = FunnelOrder::kOrdered;
    else if (text == "strict") spec.order = FunnelOrder::kStrict;
    else if (text == "unordered") spec.order = FunnelOrder::kUnordered;
    else return InvalidArgument("order must be ordered, strict or unordered", "order");
  }
  if (!j.contains("steps")) return InvalidArgument("a funnel needs \"steps\"", "steps");
  const json& steps = j["steps"];
  if (!steps.is_array() || steps.size() < 2 || steps.size() > size_t(kMaxFunnelSteps)) {
    return InvalidArgument("steps must be an array of 2 to 20 steps", "steps");
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    ASSIGN_OR_RETURN(FunnelStepSpec step, ParseStep(steps[i], i, spec.order));
    spec.steps.push_back(std::move(step));
  }
  if (Present(j, "window")) {
    ASSIGN_OR_RETURN(spec.window_ms, ParseDurationMs(j["window"], "window"));
  }
  if (Present(j, "aggregate_by")) {
    const json& a = j["aggregate_by"];
    if (!a.is_string() || !ParseEntityKind(a.get<std::string>(), &spec.aggregate_by)) {
      return InvalidArgument("aggregate_by must be person or account", "aggregate_by");
    }
  }
  const int last_step = int(spec.steps.size()) - 1;
  if (Present(j, "exclusions")) {
    const json& xs = j["exclusions"];
    if (!xs.is_array()) return InvalidArgument("exclusions must be an array", "exclusions");
    if (!xs.empty() && spec.order == FunnelOrder::kUnordered) {
      return InvalidArgument("exclusions need order ordered or strict", "exclusions");
    }
    if (spec.steps.size() + xs.size() > kMaxTimelineConditions) {
      return InvalidArgument("at most " + std::to_string(kMaxTimelineConditions - spec.steps.size()) +
                                 " exclusions with " + std::to_string(spec.steps.size()) + " steps",
                             "exclusions");
    }
    for (size_t i = 0; i < xs.size(); ++i) {
      const std::string path = "exclusions[" + std::to_string(i) + "]";
      const json& x = xs[i];
      if (!x.is_object()) return InvalidArgument("an exclusion must be an object", path);
      FunnelExclusionSpec ex;
      ASSIGN_OR_RETURN(ex.event, EventAt(x, path));
      ASSIGN_OR_RETURN(ex.filters, ParseFilters(x.value("filters", json()), path + ".filters"));
      ASSIGN_OR_RETURN(int64_t from, IntAt(x, "from_step", 0, last_step - 1, 0, path + ".from_step"));
      ASSIGN_OR_RETURN(int64_t to, IntAt(x, "to_step", 1, last_step, last_step, path + ".to_step"));
      if (to <= from) return InvalidArgument("to_step must be after from_step", path + ".to_step");
      ex.from_step = int(from);
      ex.to_step = int(to);
      spec.exclusions.push_back(std::move(ex));
    }
  }
  if (Present(j, "breakdown")) {
    ASSIGN_OR_RETURN(PropertyRef ref, ParsePropertyRef(j["breakdown"], "breakdown"));
    spec.breakdown = ref;
  }
  if (Present(j, "hold_constant")) {
    const json& hs = j["hold_constant"];
    if (!hs.is_array()) return InvalidArgument("hold_constant must be an array", "hold_constant");
    for (size_t i = 0; i < hs.size(); ++i) {
      ASSIGN_OR_RETURN(PropertyRef ref, ParsePropertyRef(hs[i], "hold_constant[" + std::to_string(i) + "]"));
      spec.hold_constant.push_back(ref);
    }
    // Two value slots per timeline row: the breakdown takes one unless it is also held.
    size_t slots = spec.breakdown ? 1 : 0;
    for (const auto& h : spec.hold_constant) {
      const bool shared = spec.breakdown && spec.breakdown->source == h.source &&
                          spec.breakdown->property == h.property;
      if (!shared) ++slots;
    }
    if (slots > 2) {
      return InvalidArgument(spec.breakdown ? "at most one hold_constant property besides the breakdown"
                                            : "at most two hold_constant properties",
                             "hold_constant");
    }
  }
  if (Present(j, "count")) {
    const json& c = j["count"];
    const std::string text = c.is_string() ? c.get<std::string>() : "";
    if (text == "unique") spec.count = FunnelCount::kUnique;
    else if (text == "total") spec.count = FunnelCount::kTotal;
    else return InvalidArgument("count must be unique or total", "count");
  }
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  ASSIGN_OR_RETURN(spec.filters, ParseFilters(j.value("filters", json()), "filters"));
  ASSIGN_OR_RETURN(spec.limit, IntAt(j, "limit", 1, 100, 10, "limit"));
  if (Present(j, "over_time")) {
    const json& o = j["over_time"];
    Interval interval = Interval::kWeek;
    if (!o.is_string() || !ParseInterval(o.get<std::string>(), &interval)) {
      return InvalidArgument("over_time must be one of hour, day, week, month", "over_time");
    }
    spec.over_time = interval;
  }
  if (Present(j, "entities")) {
    const json& e = j["entities"];
    if (!e.is_object()) return InvalidArgument("entities must be an object", "entities");
    FunnelEntitiesSpec entities;
    ASSIGN_OR_RETURN(int64_t step, IntAt(e, "step", 0, last_step, 0, "entities.step"));
    entities.step = int(step);
    if (Present(e, "status")) {
      const json& s = e["status"];
      const std::string text = s.is_string() ? s.get<std::string>() : "";
      if (text == "reached") entities.status = FunnelEntityStatus::kReached;
      else if (text == "dropped") entities.status = FunnelEntityStatus::kDropped;
      else return InvalidArgument("status must be reached or dropped", "entities.status");
    }
    if (entities.status == FunnelEntityStatus::kDropped && entities.step == last_step) {
      return InvalidArgument("nobody drops after the last step; use status reached", "entities.step");
    }
    ASSIGN_OR_RETURN(entities.limit, IntAt(e, "limit", 1, 10000, 100, "entities.limit"));
    ASSIGN_OR_RETURN(entities.offset, IntAt(e, "offset", 0, int64_t(1) << 40, 0, "entities.offset"));
    spec.entities = entities;
  }
  if (Present(j, "drivers")) {
    if (!j["drivers"].is_boolean()) return InvalidArgument("drivers must be true or false", "drivers");
    spec.drivers = j["drivers"].get<bool>();
  }
  return spec;
}

}  // namespace tobops::query
