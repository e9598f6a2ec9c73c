#include "ops/account_overview.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <unordered_set>

#include <cctz/civil_time.h>

#include "common/time_format.h"
#include "ops/decision_roles.h"
#include "ops/milestone_progress.h"
#include "ops/person_activity.h"
#include "ops/sales_records.h"
#include "records/record_store.h"
#include "query/query_json.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr size_t kLatestVisits = 10;
constexpr int64_t kAnalyticsPage = 10000;  // the largest page health and coverage answer
constexpr size_t kMaxCoverageRoles = 20;   // the coverage kind accepts at most 20 roles

// The row of `account` in the answer of an account-level analytics `spec` (health or
// coverage), or nullopt when the analytics do not list the account. Neither kind can
// be restricted to one account id, so this pages through the answer sorted by account
// id; one page holds every account of all but the largest projects.
Result<std::optional<json>> AnalyticsRow(const OpsContext& ctx, json spec, const std::string& account) {
  spec["sort"] = "account";
  spec["limit"] = kAnalyticsPage;
  const query::QueryContext qc = ctx.query_context();
  for (int64_t offset = 0;; offset += kAnalyticsPage) {
    spec["offset"] = offset;
    ASSIGN_OR_RETURN(json answer, query::RunQueryJson(spec, qc));
    for (auto& row : answer["accounts"]) {
      if (row.value("account", "") == account) return std::optional<json>(std::move(row));
    }
    if (offset + kAnalyticsPage >= answer.value("total", int64_t{0})) return std::optional<json>();
  }
}

json ContactJson(const json& contact, const std::unordered_map<std::string, int64_t>& last_seen,
                 const OpsContext& ctx, int64_t window_start_ms) {
  const std::string person = TextOf(contact, "person_id");
  json seen = nullptr;
  bool active = false;
  if (!person.empty()) {
    auto it = last_seen.find(ctx.identity->CanonicalPerson(person));
    if (it != last_seen.end()) {
      seen = FormatIso8601Ms(it->second, ctx.zone);
      active = it->second >= window_start_ms;
    }
  }
  return {{"id", contact["id"]},
          {"name", contact.value("name", json(nullptr))},
          {"title", contact.value("title", json(nullptr))},
          {"email", contact.value("email", json(nullptr))},
          {"person_id", person.empty() ? json(nullptr) : json(person)},
          {"active", active},
          {"last_seen", std::move(seen)}};
}

// {"date","arr","days_left"} from the account's renewal_date (days_left counts calendar
// days from today in the project zone; negative once past), or null without a date.
json Renewal(const OpsContext& ctx, const json& account) {
  const std::string date = TextOf(account, "renewal_date");
  if (date.empty()) return nullptr;
  auto day = ParseCivilDay(date);
  if (!day.ok()) return nullptr;
  const std::chrono::system_clock::time_point now{std::chrono::milliseconds(ctx.now_ms)};
  const cctz::civil_day today(cctz::convert(now, ctx.zone));
  return {{"date", date}, {"arr", account.value("arr", json(nullptr))}, {"days_left", *day - today}};
}

}  // namespace

Result<json> AccountOverview(const OpsContext& ctx, int64_t account_id, int64_t days) {
  RETURN_IF_ERROR(CheckDays(days));
  ASSIGN_OR_RETURN(json account, ctx.records->Get("accounts").Get(ctx.project_id, account_id));
  ASSIGN_OR_RETURN(std::vector<std::string> roles, DecisionRoles(ctx));
  const std::string analytics_id = AnalyticsAccountId(account);

  // People: the account's contacts, by role in chain order, then those without a role.
  ASSIGN_OR_RETURN(std::vector<json> contacts,
                   ListAllRecords(ctx, "contacts", {{"account_id", account_id}}, "name", false));
  ASSIGN_OR_RETURN(auto last_seen, LastSeenOfContacts(ctx, contacts));
  const int64_t window_start_ms = ActivityWindowStartMs(ctx, days);
  json people = json::array();
  std::vector<std::string> group_roles = roles;
  group_roles.push_back("");  // the group of contacts without a role, last
  for (const std::string& role : group_roles) {
    json members = json::array();
    for (const auto& c : contacts) {
      std::string own = TextOf(c, "role");
      // A role DecisionRoles does not list cannot happen (it lists every contact role),
      // but a contact is never dropped: it falls into the no-role group.
      if (std::find(roles.begin(), roles.end(), own) == roles.end()) own.clear();
      if (own == role) members.push_back(ContactJson(c, last_seen, ctx, window_start_ms));
    }
    if (members.empty()) continue;
    people.push_back({{"role", role.empty() ? json(nullptr) : json(role)}, {"contacts", std::move(members)}});
  }

  ASSIGN_OR_RETURN(std::vector<json> opportunities, ListAllRecords(ctx, "opportunities", {{"account_id", account_id}}));
  ASSIGN_OR_RETURN(std::vector<json> visits,
                   ListAllRecords(ctx, "visits", {{"account_id", account_id}}, "held_at", true));
  if (visits.size() > kLatestVisits) visits.resize(kLatestVisits);
  ASSIGN_OR_RETURN(std::vector<json> follow_ups,
                   ListAllRecords(ctx, "follow_ups", {{"account_id", account_id}, {"status", "open"}}));

  // Health: the health kind's row for this account over the same window (default
  // weights); the kind leaves record changes out, as person activity does.
  ASSIGN_OR_RETURN(std::optional<json> health_row,
                   AnalyticsRow(ctx, {{"kind", "health"}, {"days", days}}, analytics_id));
  json health = nullptr;
  if (health_row) health = std::move(*health_row);

  // Coverage over the project's decision roles (the coverage kind takes at most 20).
  std::vector<std::string> coverage_roles = roles;
  if (coverage_roles.size() > kMaxCoverageRoles) coverage_roles.resize(kMaxCoverageRoles);
  ASSIGN_OR_RETURN(std::optional<json> coverage_row,
                   AnalyticsRow(ctx, {{"kind", "coverage"}, {"days", days}, {"roles", coverage_roles}}, analytics_id));
  json coverage_roles_json = json::array();
  json missing = json::array();
  for (const std::string& role : coverage_roles) {
    int64_t known = 0, active = 0;
    if (coverage_row) {
      const json& counts = (*coverage_row)["roles"][role];
      known = counts.value("known", int64_t{0});
      active = counts.value("active", int64_t{0});
    }
    coverage_roles_json.push_back({{"role", role}, {"known", known}, {"active", active}});
    if (active == 0) missing.push_back(role);
  }

  json answer = {{"account", std::move(account)},
                 {"people", std::move(people)},
                 {"opportunities", std::move(opportunities)},
                 {"visits", std::move(visits)},
                 {"follow_ups", std::move(follow_ups)},
                 {"health", std::move(health)},
                 {"coverage", {{"roles", std::move(coverage_roles_json)}, {"missing", std::move(missing)}}},
                 {"days", days}};
  answer["renewal"] = Renewal(ctx, answer["account"]);

  // Onboarding / implementation milestones, with the order, overdue and progress rules
  // of the milestones page (ops/milestone_progress.h), so both pages agree.
  ASSIGN_OR_RETURN(json milestones, AccountMilestones(ctx, account_id));
  answer["milestones"] = std::move(milestones["milestones"]);
  answer["milestone_progress"] = {{"done", milestones["done"]},
                                  {"total", milestones["total"]},
                                  {"progress", milestones["progress"]},
                                  {"next", std::move(milestones["next"])}};
  return answer;
}

}  // namespace tobops::ops
