#include "ops/decision_chain.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "ops/decision_roles.h"
#include "ops/person_activity.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

// The role of a visit attendee: the attendee's own role, else its contact's role.
std::string AttendeeRole(const json& attendee, const std::map<int64_t, json>& contacts_by_id) {
  std::string role = TextOf(attendee, "role");
  if (!role.empty()) return role;
  auto id = attendee.find("contact_id");
  if (id == attendee.end() || !id->is_number_integer()) return {};
  auto it = contacts_by_id.find(id->get<int64_t>());
  return it == contacts_by_id.end() ? std::string() : TextOf(it->second, "role");
}

}  // namespace

Result<json> DecisionChain(const OpsContext& ctx, int64_t opportunity_id, int64_t days) {
  RETURN_IF_ERROR(CheckDays(days));
  ASSIGN_OR_RETURN(json opportunity, ctx.records->Get("opportunities").Get(ctx.project_id, opportunity_id));
  const int64_t account_id = opportunity.value("account_id", int64_t{0});
  ASSIGN_OR_RETURN(std::vector<std::string> roles, DecisionRoles(ctx));

  ASSIGN_OR_RETURN(std::vector<json> stakeholders,
                   ListAllRecords(ctx, "stakeholders", {{"opportunity_id", opportunity_id}}, "id", false));
  ASSIGN_OR_RETURN(std::vector<json> visits,
                   ListAllRecords(ctx, "visits", {{"opportunity_id", opportunity_id}, {"status", "held"}}));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {{"account_id", account_id}}));
  std::map<int64_t, json> contacts_by_id;
  for (const auto& c : contacts) contacts_by_id.emplace(c["id"].get<int64_t>(), c);

  // Met: a stakeholder with the role, or a customer attendee of a held visit with it.
  std::set<std::string> met;
  for (const auto& s : stakeholders) met.insert(TextOf(s, "role"));
  for (const auto& v : visits) {
    if (!v.contains("attendees") || !v["attendees"].is_array()) continue;
    for (const auto& a : v["attendees"]) {
      if (TextOf(a, "side") == "ours") continue;  // absent side means customer (the field's default)
      const std::string role = AttendeeRole(a, contacts_by_id);
      if (!role.empty()) met.insert(role);
    }
  }
  met.erase("");
  // Roles met but unknown to the project's contacts still appear, after the others.
  std::set<std::string> extra;
  for (const auto& role : met) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) extra.insert(role);
  }
  roles.insert(roles.end(), extra.begin(), extra.end());

  // Active: the account's contacts with the role whose person had activity in the window.
  ASSIGN_OR_RETURN(auto last_seen, LastSeenOfContacts(ctx, contacts));
  const int64_t window_start_ms = ActivityWindowStartMs(ctx, days);
  std::map<std::string, std::set<std::string>> active_persons;  // role → canonical persons
  for (const auto& c : contacts) {
    const std::string person = TextOf(c, "person_id");
    const std::string role = TextOf(c, "role");
    if (person.empty() || role.empty()) continue;
    const std::string canonical = ctx.identity->CanonicalPerson(person);
    auto it = last_seen.find(canonical);
    if (it != last_seen.end() && it->second >= window_start_ms) active_persons[role].insert(canonical);
  }

  json roles_json = json::array();
  json missing = json::array();
  for (const std::string& role : roles) {
    json members = json::array();
    for (const auto& s : stakeholders) {
      if (TextOf(s, "role") != role) continue;
      members.push_back({{"id", s["id"]},
                         {"contact_id", s.value("contact_id", json(nullptr))},
                         {"contact_name", s.value("contact_name", json(nullptr))},
                         {"stance", s.value("stance", json(nullptr))},
                         {"engagement", s.value("engagement", json(nullptr))}});
    }
    const bool is_met = met.count(role) > 0;
    const size_t active_people = active_persons.count(role) ? active_persons[role].size() : 0;
    const bool active = active_people > 0;
    const char* status = is_met && active ? "engaged" : is_met ? "met" : active ? "active_only" : "missing";
    if (!is_met && !active) missing.push_back(role);
    roles_json.push_back({{"role", role},
                          {"stakeholders", std::move(members)},
                          {"met", is_met},
                          {"active", active},
                          {"active_people", active_people},
                          {"status", status}});
  }

  json steps = json::array();
  if (opportunity.contains("decision_notes") && opportunity["decision_notes"].is_array()) {
    for (const auto& note : opportunity["decision_notes"]) {
      steps.push_back({{"step", note.value("step", json(nullptr))},
                       {"drivers", TextListOf(note, "drivers")},
                       {"frictions", TextListOf(note, "frictions")}});
    }
  }
  return json{{"opportunity", std::move(opportunity)},
              {"roles", std::move(roles_json)},
              {"missing", std::move(missing)},
              {"steps", std::move(steps)},
              {"days", days}};
}

}  // namespace tobops::ops
