#include "query/cohort_definition.h"

#include <algorithm>
#include <limits>

#include "query/block_filters.h"
#include "query/query_json.h"
#include "query/spec_parsing.h"

namespace tobops::query {
namespace {

using nlohmann::json;

constexpr size_t kMaxConditions = 20;

bool CompareCount(int64_t count, FilterOp op, int64_t want) {
  switch (op) {
    case FilterOp::kEq: return count == want;
    case FilterOp::kNeq: return count != want;
    case FilterOp::kGt: return count > want;
    case FilterOp::kGte: return count >= want;
    case FilterOp::kLt: return count < want;
    case FilterOp::kLte: return count <= want;
    default: return false;
  }
}

Result<CohortCondition> ParseCondition(const json& c, const std::string& path) {
  if (!c.is_object()) return InvalidArgument("a condition must be an object", path);
  const std::string type = c.value("type", "");
  CohortCondition out;
  if (type == "property") {
    out.type = CohortCondition::Type::kProperty;
    json as_filter = c;
    as_filter.erase("type");
    ASSIGN_OR_RETURN(auto filters, ParseFilters(json::array({as_filter}), path));
    out.property = std::move(filters[0]);
    if (out.property.source == PropertySource::kEvent) {
      return InvalidArgument("a property condition is on a person or account property", path + ".source");
    }
    return out;
  }
  if (type == "event") {
    out.type = CohortCondition::Type::kEvent;
    if (!c.contains("event") || !c["event"].is_string() || c["event"].get<std::string>().empty()) {
      return InvalidArgument("event must be an event name", path + ".event");
    }
    out.event.event = c["event"].get<std::string>();
    if (out.event.event == "$any" || out.event.event == "$all") out.event.event.clear();
    ASSIGN_OR_RETURN(out.event.filters, ParseFilters(c.value("filters", json()), path + ".filters"));
    const std::string op = c.value("op", "gte");
    if (!ParseFilterOp(op, &out.count_op) || out.count_op == FilterOp::kIn || out.count_op == FilterOp::kNotIn ||
        out.count_op == FilterOp::kContains || out.count_op == FilterOp::kIsSet ||
        out.count_op == FilterOp::kIsNotSet) {
      return InvalidArgument("op must be eq, neq, gt, gte, lt or lte", path + ".op");
    }
    if (c.contains("count")) {
      if (!c["count"].is_number_integer() || c["count"].get<int64_t>() < 0 || c["count"].get<int64_t>() > 1'000'000) {
        return InvalidArgument("count must be an integer from 0 to 1000000", path + ".count");
      }
      out.count = c["count"].get<int64_t>();
    }
    ASSIGN_OR_RETURN(out.window_ms, ParseDurationMs(c.value("window", json("30d")), path + ".window"));
    return out;
  }
  if (type == "funnel") {
    out.type = CohortCondition::Type::kFunnel;
    if (!c.contains("funnel") || !c["funnel"].is_object()) {
      return InvalidArgument("funnel must be a funnel spec object", path + ".funnel");
    }
    out.funnel = c["funnel"];
    out.funnel["kind"] = "funnel";
    out.funnel.erase("entities");
    if (!c.contains("step") || !c["step"].is_number_integer() || c["step"].get<int64_t>() < 0 ||
        c["step"].get<int64_t>() > 19) {
      return InvalidArgument("step must be a step index from 0 to 19", path + ".step");
    }
    out.step = c["step"].get<int64_t>();
    const std::string status = c.value("status", "dropped");
    if (status != "dropped" && status != "reached") {
      return InvalidArgument("status must be dropped or reached", path + ".status");
    }
    out.dropped = status == "dropped";
    return out;
  }
  return InvalidArgument("type must be property, event or funnel", path + ".type");
}

// The ids a funnel lists at one step, every page of them.
Result<std::vector<std::string>> FunnelIds(const CohortCondition& c, EntityKind entity, const QueryContext& ctx) {
  json spec = c.funnel;
  spec["aggregate_by"] = EntityKindName(entity);
  std::vector<std::string> ids;
  constexpr int64_t kPage = 10'000;
  for (int64_t offset = 0;; offset += kPage) {
    spec["entities"] = {{"step", c.step}, {"status", c.dropped ? "dropped" : "reached"},
                        {"limit", kPage}, {"offset", offset}};
    ASSIGN_OR_RETURN(json answer, RunQueryJson(spec, ctx));
    const json& entities = answer["entities"];
    for (const auto& id : entities.value("ids", json::array())) ids.push_back(id.get<std::string>());
    if (int64_t(ids.size()) >= entities.value("total", int64_t{0}) || entities["ids"].empty()) break;
  }
  return ids;
}

}  // namespace

Result<CohortDefinition> ParseCohortDefinition(const json& j, const std::string& field) {
  if (!j.is_object()) return InvalidArgument("a cohort definition must be an object", field);
  CohortDefinition out;
  if (!ParseEntityKind(j.value("entity", "person"), &out.entity)) {
    return InvalidArgument("entity must be person or account", field + ".entity");
  }
  const std::string match = j.value("match", "all");
  if (match != "all" && match != "any") return InvalidArgument("match must be all or any", field + ".match");
  out.match_all = match == "all";
  if (!j.contains("conditions") || !j["conditions"].is_array() || j["conditions"].empty()) {
    return InvalidArgument("conditions must be a non-empty array", field + ".conditions");
  }
  if (j["conditions"].size() > kMaxConditions) {
    return InvalidArgument("at most 20 conditions", field + ".conditions");
  }
  for (size_t i = 0; i < j["conditions"].size(); ++i) {
    ASSIGN_OR_RETURN(CohortCondition c,
                     ParseCondition(j["conditions"][i], field + ".conditions[" + std::to_string(i) + "]"));
    if (c.type == CohortCondition::Type::kProperty &&
        c.property.source != (out.entity == EntityKind::kPerson ? PropertySource::kPerson : PropertySource::kAccount)) {
      return InvalidArgument(std::string("a cohort of ") + EntityKindName(out.entity) + "s tests " +
                                 EntityKindName(out.entity) + " properties",
                             field + ".conditions[" + std::to_string(i) + "].source");
    }
    out.conditions.push_back(std::move(c));
  }
  return out;
}

Result<CohortMembers> ComputeCohort(const CohortDefinition& def, const QueryContext& ctx) {
  // A funnel condition runs a query that may itself use cohorts; a saved cohort that
  // reaches itself that way would recurse without end.
  static thread_local int depth = 0;
  if (depth >= 4) return InvalidArgument("cohorts nest more than 4 deep (a cohort that uses itself?)", "cohort");
  ++depth;
  struct Leave {
    ~Leave() { --depth; }
  } leave;
  const size_t n = def.conditions.size();
  // Per entity: one bit per condition that holds.
  std::unordered_map<std::string, uint32_t> held;
  const bool persons = def.entity == EntityKind::kPerson;

  // The universe from the identity graph, with property conditions decided on traits.
  auto visit = [&](const std::string& id, const ingest::Traits& traits) {
    uint32_t bits = 0;
    for (size_t i = 0; i < n; ++i) {
      const CohortCondition& c = def.conditions[i];
      if (c.type == CohortCondition::Type::kProperty && c.property.Matches(FindTrait(traits, c.property.property))) {
        bits |= 1u << i;
      }
    }
    held.emplace(id, bits);
  };
  if (persons) ctx.identity->ForEachPerson(visit);
  else ctx.identity->ForEachAccount(visit);

  // Event conditions: one scan, a condition bit each, counted in their own windows.
  TimelineRequest request;
  request.entity = def.entity;
  std::vector<size_t> event_conditions;
  int64_t longest = 0;
  for (size_t i = 0; i < n; ++i) {
    if (def.conditions[i].type != CohortCondition::Type::kEvent) continue;
    event_conditions.push_back(i);
    request.conditions.push_back(def.conditions[i].event);
    longest = std::max(longest, def.conditions[i].window_ms);
  }
  if (!event_conditions.empty()) {
    request.from_ms = ctx.now_ms - longest;
    request.to_ms = ctx.now_ms + 1;
    ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));
    for (size_t e = 0; e < timelines.entity_count(); ++e) held.try_emplace(timelines.entity_id(e), 0);
    // Counts per entity, then the comparison; entities without rows count 0.
    std::vector<std::vector<int64_t>> counts(timelines.entity_count(), std::vector<int64_t>(event_conditions.size()));
    timelines.ForEach(ctx.threads, [&](size_t e, std::span<const TimelineEvent> rows, int) {
      for (const TimelineEvent& row : rows) {
        for (size_t k = 0; k < event_conditions.size(); ++k) {
          const CohortCondition& c = def.conditions[event_conditions[k]];
          if ((row.mask >> k & 1) && row.timestamp_ms >= ctx.now_ms - c.window_ms) ++counts[e][k];
        }
      }
    });
    std::unordered_map<std::string, size_t> index;
    for (size_t e = 0; e < timelines.entity_count(); ++e) index.emplace(timelines.entity_id(e), e);
    for (auto& [id, bits] : held) {
      auto it = index.find(id);
      for (size_t k = 0; k < event_conditions.size(); ++k) {
        const CohortCondition& c = def.conditions[event_conditions[k]];
        const int64_t count = it == index.end() ? 0 : counts[it->second][k];
        if (CompareCount(count, c.count_op, c.count)) bits |= 1u << event_conditions[k];
      }
    }
  }
  // Funnel conditions: the listed ids.
  for (size_t i = 0; i < n; ++i) {
    if (def.conditions[i].type != CohortCondition::Type::kFunnel) continue;
    ASSIGN_OR_RETURN(auto ids, FunnelIds(def.conditions[i], def.entity, ctx));
    for (const auto& id : ids) held[id] |= 1u << i;
  }
  const uint32_t all = n == 32 ? ~0u : (1u << n) - 1;
  CohortMembers out;
  out.entity = def.entity;
  for (const auto& [id, bits] : held) {
    if (def.match_all ? bits == all : bits != 0) out.ids.insert(id);
  }
  return out;
}

Result<json> RunCohortJson(const json& spec, const QueryContext& ctx) {
  json definition;
  if (spec.contains("cohort")) {
    if (!spec["cohort"].is_number_integer()) return InvalidArgument("cohort must be a saved cohort id", "cohort");
    if (!ctx.load_cohort) return FailedPrecondition("saved cohorts are not available here");
    ASSIGN_OR_RETURN(std::string text, ctx.load_cohort(spec["cohort"].get<int64_t>()));
    definition = json::parse(text, nullptr, false);
    if (definition.is_discarded()) return DataLoss("saved cohort " + spec["cohort"].dump() + " is not JSON");
  } else if (spec.contains("definition")) {
    definition = spec["definition"];
  } else {
    return InvalidArgument("a cohort query needs \"definition\" or a saved \"cohort\" id", "definition");
  }
  ASSIGN_OR_RETURN(CohortDefinition def, ParseCohortDefinition(definition, "definition"));
  ASSIGN_OR_RETURN(int64_t limit, ParseIntMember(spec, "limit", 0, 10000, 100));
  ASSIGN_OR_RETURN(CohortMembers members, ComputeCohort(def, ctx));
  std::vector<std::string> ids(members.ids.begin(), members.ids.end());
  std::sort(ids.begin(), ids.end());
  const size_t total = ids.size();
  if (ids.size() > size_t(limit)) ids.resize(limit);
  return json{{"kind", "cohort"}, {"entity", EntityKindName(def.entity)}, {"count", total}, {"ids", ids}};
}

}  // namespace tobops::query
