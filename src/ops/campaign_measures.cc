#include "ops/campaign_measures.h"

#include <map>
#include <set>
#include <unordered_map>

#include "common/time_format.h"
#include "ops/campaign_reach.h"
#include "ops/sales_records.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

json Item(const OpsContext& ctx, const char* kind, const json& record, const std::string& name,
          const std::string& type, const Reach* reach, const std::set<std::string>& extra_people,
          const std::set<std::string>& extra_accounts) {
  std::set<std::string> people = extra_people, accounts = extra_accounts;
  int64_t events = 0, days = 0;
  json first = nullptr, last = nullptr;
  if (reach != nullptr) {
    people.insert(reach->persons.begin(), reach->persons.end());
    accounts.insert(reach->accounts.begin(), reach->accounts.end());
    events = reach->events;
    if (reach->events > 0) {
      // Whole days between the first and the last event (a one-day burst is 0).
      days = (reach->last_ms - reach->first_ms) / kDayMs;
      first = FormatIso8601Ms(reach->first_ms, ctx.zone);
      last = FormatIso8601Ms(reach->last_ms, ctx.zone);
    }
  }
  return {{"kind", kind},
          {"id", record["id"]},
          {"name", name},
          {"type", type.empty() ? json(nullptr) : json(type)},
          {"reach", static_cast<int64_t>(people.size())},
          {"accounts", static_cast<int64_t>(accounts.size())},
          {"influence_days", days},
          {"events", events},
          {"first_at", first},
          {"last_at", last}};
}

}  // namespace

Result<json> BuildMeasuresMap(const OpsContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<json> campaigns, ListAllRecords(ctx, "campaigns", {}, "id"));
  ASSIGN_OR_RETURN(std::vector<json> content, ListAllRecords(ctx, "content_items", {}, "id"));
  ASSIGN_OR_RETURN(std::vector<json> members, ListAllRecords(ctx, "campaign_members", {{"status", "attended"}}));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {}));
  ASSIGN_OR_RETURN(std::vector<json> accounts, ListAllRecords(ctx, "accounts", {}));
  std::unordered_map<int64_t, std::string> person_of_contact, group_of_account;
  for (const auto& c : contacts) {
    const std::string p = TextOf(c, "person_id");
    if (!p.empty()) person_of_contact[c["id"].get<int64_t>()] = ctx.identity->CanonicalPerson(p);
  }
  for (const auto& a : accounts) group_of_account[a["id"].get<int64_t>()] = AnalyticsAccountId(a);
  // Attended members per campaign: people (their person, else the member) and accounts.
  std::map<int64_t, std::set<std::string>> member_people, member_accounts;
  for (const auto& m : members) {
    const int64_t campaign = m["campaign_id"].get<int64_t>();
    std::string key = "member:" + std::to_string(m["id"].get<int64_t>());
    if (m.contains("contact_id") && m["contact_id"].is_number_integer()) {
      if (auto it = person_of_contact.find(m["contact_id"].get<int64_t>()); it != person_of_contact.end()) key = it->second;
    }
    member_people[campaign].insert(key);
    if (m.contains("account_id") && m["account_id"].is_number_integer()) {
      if (auto it = group_of_account.find(m["account_id"].get<int64_t>()); it != group_of_account.end())
        member_accounts[campaign].insert(it->second);
    }
  }

  std::map<std::string, ReachWindow> campaign_windows, content_windows;
  for (const auto& c : campaigns) {
    const std::string utm = TextOf(c, "utm_campaign");
    if (!utm.empty()) campaign_windows[utm] = CampaignWindow(ctx, c);
  }
  for (const auto& c : content) {
    const std::string key = TextOf(c, "content_key");
    if (key.empty()) continue;
    ReachWindow w;
    if (auto from = DayStartMs(ctx, TextOf(c, "published_on"))) w.from_ms = *from;
    // Two items sharing a key share its events; the earliest publication wins.
    auto [it, added] = content_windows.try_emplace(key, w);
    if (!added) it->second.from_ms = std::min(it->second.from_ms, w.from_ms);
  }
  ASSIGN_OR_RETURN(auto campaign_reach, ReachByProperty(ctx, "utm_campaign", campaign_windows));
  ASSIGN_OR_RETURN(auto content_reach, ReachByProperty(ctx, "content_id", content_windows));

  json items = json::array();
  const std::set<std::string> none;
  for (const auto& c : campaigns) {
    const int64_t id = c["id"].get<int64_t>();
    const std::string utm = TextOf(c, "utm_campaign");
    const Reach* r = utm.empty() ? nullptr : &campaign_reach[utm];
    items.push_back(Item(ctx, "campaign", c, TextOf(c, "name"), TextOf(c, "type"), r,
                         member_people.count(id) ? member_people[id] : none,
                         member_accounts.count(id) ? member_accounts[id] : none));
  }
  for (const auto& c : content) {
    const std::string key = TextOf(c, "content_key");
    const Reach* r = key.empty() ? nullptr : &content_reach[key];
    items.push_back(Item(ctx, "content", c, TextOf(c, "title"), TextOf(c, "kind"), r, none, none));
  }
  return json{{"items", items}};
}

}  // namespace tobops::ops
