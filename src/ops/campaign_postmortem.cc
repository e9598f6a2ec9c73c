#include "ops/campaign_postmortem.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "common/time_format.h"
#include "ingest/identity_graph.h"
#include "ops/campaign_reach.h"
#include "ops/pipeline_stages.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

std::string TraitText(const ingest::Traits& traits, const std::string& key) {
  for (const auto& p : traits) {
    if (p.key == key) {
      if (const auto* s = std::get_if<std::string>(&p.value)) return *s;
    }
  }
  return {};
}

double NumberOf(const json& record, const std::string& key) {
  return record.contains(key) && record[key].is_number() ? record[key].get<double>() : 0.0;
}

json Counts(const std::map<std::string, int64_t>& counts, const char* key, const char* value) {
  std::vector<std::pair<std::string, int64_t>> items(counts.begin(), counts.end());
  // Most first, then by name; the unknown bucket ("") is reported as null, last.
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    if (a.first.empty() != b.first.empty()) return b.first.empty();
    return a.second > b.second;
  });
  json out = json::array();
  for (const auto& [name, n] : items) {
    out.push_back({{key, name.empty() ? json(nullptr) : json(name)}, {value, n}});
  }
  return out;
}

}  // namespace

Result<json> BuildCampaignPostmortem(const OpsContext& ctx, int64_t campaign_id) {
  ASSIGN_OR_RETURN(json campaign, ctx.records->Get("campaigns").Get(ctx.project_id, campaign_id));
  ASSIGN_OR_RETURN(std::vector<json> members, ListAllRecords(ctx, "campaign_members", {{"campaign_id", campaign_id}}));
  ASSIGN_OR_RETURN(std::vector<json> leads, ListAllRecords(ctx, "leads", {{"campaign_id", campaign_id}}));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {}));
  ASSIGN_OR_RETURN(std::vector<json> accounts, ListAllRecords(ctx, "accounts", {}));

  std::unordered_map<int64_t, const json*> contact_by_id, account_by_id;
  std::unordered_map<std::string, const json*> contact_by_person, account_by_group;
  for (const auto& c : contacts) {
    contact_by_id[c["id"].get<int64_t>()] = &c;
    const std::string person = TextOf(c, "person_id");
    if (!person.empty()) contact_by_person.try_emplace(ctx.identity->CanonicalPerson(person), &c);
  }
  for (const auto& a : accounts) {
    account_by_id[a["id"].get<int64_t>()] = &a;
    account_by_group.try_emplace(AnalyticsAccountId(a), &a);
  }

  // Reached people: key → role ("" unknown); reached accounts: analytics id.
  std::map<std::string, std::string> people;
  std::set<std::string> reached_accounts;
  auto role_of_person = [&](const std::string& person) {
    if (auto it = contact_by_person.find(person); it != contact_by_person.end()) {
      const std::string role = TextOf(*it->second, "role");
      if (!role.empty()) return role;
    }
    return TraitText(ctx.identity->PersonTraits(person), "role");
  };
  for (const auto& m : members) {
    if (TextOf(m, "status") != "attended") continue;
    std::string key = "member:" + std::to_string(m["id"].get<int64_t>());
    std::string role;
    if (m.contains("contact_id") && m["contact_id"].is_number_integer()) {
      auto c = contact_by_id.find(m["contact_id"].get<int64_t>());
      if (c != contact_by_id.end() && !TextOf(*c->second, "person_id").empty()) {
        key = ctx.identity->CanonicalPerson(TextOf(*c->second, "person_id"));
        role = role_of_person(key);
      } else if (c != contact_by_id.end()) {
        role = TextOf(*c->second, "role");
      }
    }
    if (role.empty()) role = TextOf(m, "role");
    people[key] = role;
    if (m.contains("account_id") && m["account_id"].is_number_integer()) {
      auto a = account_by_id.find(m["account_id"].get<int64_t>());
      if (a != account_by_id.end()) reached_accounts.insert(AnalyticsAccountId(*a->second));
    }
  }
  const std::string utm = TextOf(campaign, "utm_campaign");
  if (!utm.empty()) {
    ASSIGN_OR_RETURN(auto reach, ReachByProperty(ctx, "utm_campaign", {{utm, CampaignWindow(ctx, campaign)}}));
    const Reach& r = reach[utm];
    for (const auto& p : r.persons) {
      if (!people.count(p)) people[p] = role_of_person(p);
    }
    reached_accounts.insert(r.accounts.begin(), r.accounts.end());
  }

  std::map<std::string, int64_t> by_role, by_level, by_industry;
  int64_t decision_makers = 0;
  for (const auto& [key, role] : people) {
    ++by_role[role];
    if (role == "decision_maker") ++decision_makers;
  }
  std::set<int64_t> reached_account_records;
  for (const auto& id : reached_accounts) {
    std::string level, industry;
    if (auto a = account_by_group.find(id); a != account_by_group.end()) {
      level = TextOf(*a->second, "level");
      industry = TextOf(*a->second, "industry");
      reached_account_records.insert((*a->second)["id"].get<int64_t>());
    }
    const ingest::Traits traits = ctx.identity->AccountTraits(id);
    if (level.empty()) level = TraitText(traits, "level");
    if (industry.empty()) industry = TraitText(traits, "industry");
    ++by_level[level];
    ++by_industry[industry];
  }

  int64_t valid = 0, invalid = 0, followed_up = 0;
  for (const auto& l : leads) {
    const std::string validity = TextOf(l, "validity");
    if (validity == "valid") ++valid;
    if (validity == "invalid") ++invalid;
    if (l.contains("first_response_at") && !l["first_response_at"].is_null()) ++followed_up;
  }
  const json actual = campaign.contains("actual_cost") ? campaign["actual_cost"] : json(nullptr);
  const double cost = actual.is_number() ? actual.get<double>() : 0.0;

  // Opportunities of reached accounts created at or after the start of starts_on.
  ASSIGN_OR_RETURN(auto stages, LoadStages(*ctx.records, ctx.project_id));
  std::set<std::string> won_stages;
  for (const auto& s : stages) {
    if (s.outcome == "won") won_stages.insert(s.key);
  }
  const std::optional<int64_t> since = DayStartMs(ctx, TextOf(campaign, "starts_on"));
  int64_t opp_count = 0, deal_count = 0;
  double opp_amount = 0, deal_amount = 0;
  for (int64_t account_id : reached_account_records) {
    ASSIGN_OR_RETURN(std::vector<json> opps, ListAllRecords(ctx, "opportunities", {{"account_id", account_id}}));
    for (const auto& o : opps) {
      auto created = ParseIso8601Ms(TextOf(o, "created_at"));
      if (since && (!created.ok() || *created < *since)) continue;
      ++opp_count;
      opp_amount += NumberOf(o, "amount");
      if (won_stages.count(TextOf(o, "stage"))) {
        ++deal_count;
        deal_amount += NumberOf(o, "amount");
      }
    }
  }

  const int64_t total = static_cast<int64_t>(leads.size());
  json answer = {
      {"campaign", campaign},
      {"cost", {{"budget", campaign.contains("budget") ? campaign["budget"] : json(nullptr)}, {"actual", actual}}},
      {"reached", {{"people", static_cast<int64_t>(people.size())}, {"accounts", static_cast<int64_t>(reached_accounts.size())}}},
      {"by_role", Counts(by_role, "role", "people")},
      {"decision_makers", decision_makers},
      {"by_level", Counts(by_level, "level", "accounts")},
      {"by_industry", Counts(by_industry, "industry", "accounts")},
      {"leads", {{"total", total}, {"valid", valid}, {"invalid", invalid}, {"followed_up", followed_up}}},
      {"cost_per_valid_lead", actual.is_number() && valid > 0 ? json(cost / valid) : json(nullptr)},
      {"follow_up_rate", total > 0 ? json(static_cast<double>(followed_up) / total) : json(nullptr)},
      {"opportunities", {{"count", opp_count}, {"amount", opp_amount}}},
      {"deals", {{"count", deal_count}, {"amount", deal_amount}}},
      {"roi", cost > 0 ? json((deal_amount - cost) / cost) : json(nullptr)},
  };
  return answer;
}

exporting::Table PostmortemToTable(const json& pm) {
  exporting::Table t;
  t.columns = {"section", "item", "value"};
  auto cell = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return std::monostate{};
  };
  auto add = [&](const std::string& section, const std::string& item, const json& v) {
    t.rows.push_back({section, item, cell(v)});
  };
  add("campaign", "name", pm["campaign"].value("name", json(nullptr)));
  add("campaign", "utm_campaign", pm["campaign"].value("utm_campaign", json(nullptr)));
  add("cost", "budget", pm["cost"]["budget"]);
  add("cost", "actual", pm["cost"]["actual"]);
  add("reached", "people", pm["reached"]["people"]);
  add("reached", "accounts", pm["reached"]["accounts"]);
  add("reached", "decision_makers", pm["decision_makers"]);
  for (const auto& r : pm["by_role"]) add("by_role", r["role"].is_null() ? "" : r["role"].get<std::string>(), r["people"]);
  for (const auto& r : pm["by_level"]) add("by_level", r["level"].is_null() ? "" : r["level"].get<std::string>(), r["accounts"]);
  for (const auto& r : pm["by_industry"])
    add("by_industry", r["industry"].is_null() ? "" : r["industry"].get<std::string>(), r["accounts"]);
  for (const char* k : {"total", "valid", "invalid", "followed_up"}) add("leads", k, pm["leads"][k]);
  add("leads", "cost_per_valid_lead", pm["cost_per_valid_lead"]);
  add("leads", "follow_up_rate", pm["follow_up_rate"]);
  add("opportunities", "count", pm["opportunities"]["count"]);
  add("opportunities", "amount", pm["opportunities"]["amount"]);
  add("deals", "count", pm["deals"]["count"]);
  add("deals", "amount", pm["deals"]["amount"]);
  add("roi", "roi", pm["roi"]);
  return t;
}

}  // namespace tobops::ops
