#include "query/cohort_resolution.h"

#include <algorithm>

#include "query/cohort_definition.h"

namespace tobops::query {
namespace {

using nlohmann::json;

constexpr int kMaxCohortsPerQuery = 10;

struct Resolver {
  QueryContext* ctx;
  std::shared_ptr<CohortTraits> traits = std::make_shared<CohortTraits>();
  std::map<std::string, EntityKind> done;  // key → entity kind
  int inline_count = 0;

  Status Rewrite(json* node, const std::string& path) {
    if (node->is_array()) {
      for (size_t i = 0; i < node->size(); ++i) RETURN_IF_ERROR(Rewrite(&(*node)[i], path + "[" + std::to_string(i) + "]"));
      return Status::Ok();
    }
    if (!node->is_object()) return Status::Ok();
    if (node->contains("source") && (*node)["source"] == "cohort") return RewriteReference(node, path);
    for (auto& [key, member] : node->items()) {
      RETURN_IF_ERROR(Rewrite(&member, path.empty() ? key : path + "." + key));
    }
    return Status::Ok();
  }

  Status RewriteReference(json* ref, const std::string& path) {
    std::string key;
    json definition;
    if (ref->contains("cohort")) {
      const json& id = (*ref)["cohort"];
      if (!id.is_number_integer()) return InvalidArgument("cohort must be a saved cohort id", path + ".cohort");
      if (!ctx->load_cohort) return FailedPrecondition("saved cohorts are not available here");
      auto text = ctx->load_cohort(id.get<int64_t>());
      if (!text.ok()) return Status(text.status().code(), text.status().message(), path + ".cohort");
      definition = json::parse(*text, nullptr, false);
      if (definition.is_discarded()) return DataLoss("saved cohort " + id.dump() + " is not JSON");
      key = "$cohort:" + std::to_string(id.get<int64_t>());
    } else if (ref->contains("definition")) {
      definition = (*ref)["definition"];
      key = "$cohort:inline" + std::to_string(++inline_count);
    } else {
      return InvalidArgument("a cohort reference needs \"cohort\" (a saved id) or \"definition\"", path);
    }
    ASSIGN_OR_RETURN(CohortDefinition def, ParseCohortDefinition(definition, path + ".definition"));
    if (!done.count(key)) {
      if (int(done.size()) >= kMaxCohortsPerQuery) return InvalidArgument("at most 10 cohorts per query", path);
      ASSIGN_OR_RETURN(CohortMembers members, ComputeCohort(def, *ctx));
      auto& overlay = def.entity == EntityKind::kPerson ? traits->persons : traits->accounts;
      for (const auto& id : members.ids) overlay[id].push_back(store::Property{key, true});
      done.emplace(key, def.entity);
    }
    // The op: membership or its negation; anything else about values is meaningless.
    std::string op = ref->value("op", "is_set");
    if (op == "in" || op == "eq" || op == "is_set") op = "is_set";
    else if (op == "not_in" || op == "neq" || op == "is_not_set") op = "is_not_set";
    else return InvalidArgument("a cohort filter's op is in or not_in", path + ".op");
    json rewritten = {{"source", EntityKindName(def.entity)}, {"property", key}, {"op", op}};
    *ref = std::move(rewritten);
    return Status::Ok();
  }
};

}  // namespace

Status ResolveCohorts(json* spec, QueryContext* ctx) {
  Resolver resolver{ctx};
  RETURN_IF_ERROR(resolver.Rewrite(spec, ""));
  if (resolver.done.empty()) return Status::Ok();
  for (auto* overlay : {&resolver.traits->persons, &resolver.traits->accounts}) {
    for (auto& [id, list] : *overlay) {
      std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    }
  }
  ctx->cohorts = std::move(resolver.traits);
  return Status::Ok();
}

}  // namespace tobops::query
