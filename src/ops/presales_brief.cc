#include "ops/presales_brief.h"

#include <algorithm>
#include <map>

#include "common/time_format.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

void AddOnce(std::vector<std::string>* list, const std::string& value) {
  if (!value.empty() && !Contains(*list, value)) list->push_back(value);
}

}  // namespace

bool MaterialMatches(const json& material, const std::string& stage, const std::vector<std::string>& roles,
                     const std::string& industry) {
  const std::vector<std::string> stages = TextListOf(material, "stages");
  if (!stages.empty() && !Contains(stages, stage)) return false;
  const std::vector<std::string> material_roles = TextListOf(material, "roles");
  if (!material_roles.empty() &&
      std::none_of(roles.begin(), roles.end(), [&](const std::string& r) { return Contains(material_roles, r); })) {
    return false;
  }
  const std::vector<std::string> industries = TextListOf(material, "industries");
  return industries.empty() || Contains(industries, industry);
}

Result<json> PresalesBrief(const OpsContext& ctx, int64_t opportunity_id) {
  ASSIGN_OR_RETURN(json opportunity, ctx.records->Get("opportunities").Get(ctx.project_id, opportunity_id));
  const int64_t account_id = opportunity.value("account_id", int64_t{0});
  ASSIGN_OR_RETURN(json account, ctx.records->Get("accounts").Get(ctx.project_id, account_id));
  json profile = {{"id", account_id}};
  for (const char* key : {"name", "industry", "size", "region", "level", "revenue", "employees"}) {
    profile[key] = account.value(key, json(nullptr));
  }

  ASSIGN_OR_RETURN(std::vector<json> briefs, ListAllRecords(ctx, "briefs", {{"opportunity_id", opportunity_id}}));
  json brief = briefs.empty() ? json(nullptr) : std::move(briefs.front());

  // Who attends: the customer attendees of the next planned visit (the earliest planned
  // one not before now); without such a visit, or when it names no roles, the roles of
  // the opportunity's stakeholders. Attendee role: its own, else its contact's.
  ASSIGN_OR_RETURN(std::vector<json> planned,
                   ListAllRecords(ctx, "visits", {{"opportunity_id", opportunity_id}, {"status", "planned"}},
                                  "held_at", false));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {{"account_id", account_id}}));
  std::map<int64_t, std::string> contact_roles;
  for (const auto& c : contacts) contact_roles[c["id"].get<int64_t>()] = TextOf(c, "role");
  std::vector<std::string> attending;
  json next_visit = nullptr;
  for (const auto& v : planned) {
    auto held_at = ParseIso8601Ms(TextOf(v, "held_at"));
    if (!held_at.ok() || *held_at < ctx.now_ms) continue;
    next_visit = {{"id", v["id"]}, {"title", v.value("title", json(nullptr))}, {"held_at", v["held_at"]}};
    if (v.contains("attendees") && v["attendees"].is_array()) {
      for (const auto& a : v["attendees"]) {
        if (TextOf(a, "side") == "ours") continue;
        std::string role = TextOf(a, "role");
        if (role.empty() && a.contains("contact_id") && a["contact_id"].is_number_integer()) {
          role = contact_roles[a["contact_id"].get<int64_t>()];
        }
        AddOnce(&attending, role);
      }
    }
    break;
  }
  std::string attending_from = "visit";
  if (attending.empty()) {
    attending_from = "stakeholders";
    ASSIGN_OR_RETURN(std::vector<json> stakeholders,
                     ListAllRecords(ctx, "stakeholders", {{"opportunity_id", opportunity_id}}, "id", false));
    for (const auto& s : stakeholders) AddOnce(&attending, TextOf(s, "role"));
  }

  ASSIGN_OR_RETURN(std::vector<json> all_materials, ListAllRecords(ctx, "materials", {}, "id", false));
  const std::string stage = TextOf(opportunity, "stage");
  const std::string industry = TextOf(account, "industry");
  json materials = json::array();
  for (auto& m : all_materials) {
    if (MaterialMatches(m, stage, attending, industry)) materials.push_back(std::move(m));
  }
  return json{{"opportunity", std::move(opportunity)},
              {"account", std::move(profile)},
              {"brief", std::move(brief)},
              {"attending_roles", attending},
              {"attending_from", attending_from},
              {"next_visit", std::move(next_visit)},
              {"materials", std::move(materials)}};
}

}  // namespace tobops::ops
