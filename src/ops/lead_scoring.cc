#include "ops/lead_scoring.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/time_format.h"
#include "ops/person_activity.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kBehaviourDays = 30;
constexpr int64_t kIndustryPoints = 25, kRolePoints = 20, kSizeMax = 15;
constexpr int64_t kPersonPerEvent = 4, kPersonMax = 28, kAccountPerEvent = 1, kAccountMax = 12;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  if (value.empty()) return false;
  const std::string v = Lower(value);
  return std::any_of(list.begin(), list.end(), [&](const std::string& x) { return Lower(x) == v; });
}

// Employees of an account: the employees field, else the lower bound of the size band.
std::optional<int64_t> Employees(const json* account) {
  if (account == nullptr) return std::nullopt;
  if (account->contains("employees") && (*account)["employees"].is_number()) {
    return (*account)["employees"].get<int64_t>();
  }
  const std::string size = TextOf(*account, "size");
  size_t i = 0;
  int64_t n = 0;
  while (i < size.size() && std::isdigit(static_cast<unsigned char>(size[i]))) n = n * 10 + (size[i++] - '0');
  if (i == 0) return std::nullopt;
  return n;
}

int64_t SizePoints(std::optional<int64_t> employees) {
  if (!employees) return 0;
  if (*employees >= 1000) return 15;
  if (*employees >= 201) return 10;
  if (*employees >= 51) return 5;
  return 0;
}

// What scoring needs of the project's records, read once per recompute.
struct World {
  std::unordered_map<int64_t, json> campaigns, contacts, accounts;
  std::vector<std::string> project_industries, project_roles;
};

Result<World> LoadWorld(const OpsContext& ctx) {
  World w;
  ASSIGN_OR_RETURN(auto campaigns, ListAllRecords(ctx, "campaigns", {}, "id"));
  ASSIGN_OR_RETURN(auto contacts, ListAllRecords(ctx, "contacts", {}));
  ASSIGN_OR_RETURN(auto accounts, ListAllRecords(ctx, "accounts", {}));
  std::set<std::string> industries, roles;
  for (auto& c : campaigns) {
    for (const auto& i : TextListOf(c, "target_industries")) industries.insert(i);
    for (const auto& r : TextListOf(c, "target_roles")) roles.insert(r);
    const int64_t id = c["id"].get<int64_t>();  // read before the move (the right side goes first)
    w.campaigns[id] = std::move(c);
  }
  w.project_industries.assign(industries.begin(), industries.end());
  w.project_roles.assign(roles.begin(), roles.end());
  for (auto& c : contacts) {
    const int64_t id = c["id"].get<int64_t>();
    w.contacts[id] = std::move(c);
  }
  for (auto& a : accounts) {
    const int64_t id = a["id"].get<int64_t>();
    w.accounts[id] = std::move(a);
  }
  return w;
}

const json* RefOf(const std::unordered_map<int64_t, json>& table, const json& record, const char* field) {
  if (!record.contains(field) || !record[field].is_number_integer()) return nullptr;
  auto it = table.find(record[field].get<int64_t>());
  return it == table.end() ? nullptr : &it->second;
}

struct LeadParts {
  const json* contact = nullptr;
  const json* account = nullptr;
  std::string person;   // canonical, "" when none
  std::string account_id;  // analytics id, "" when none
};

LeadParts PartsOf(const OpsContext& ctx, const World& w, const json& lead) {
  LeadParts p;
  p.contact = RefOf(w.contacts, lead, "contact_id");
  p.account = RefOf(w.accounts, lead, "account_id");
  if (p.account == nullptr && p.contact != nullptr) p.account = RefOf(w.accounts, *p.contact, "account_id");
  if (p.contact != nullptr && !TextOf(*p.contact, "person_id").empty()) {
    p.person = ctx.identity->CanonicalPerson(TextOf(*p.contact, "person_id"));
  }
  if (p.account != nullptr) p.account_id = AnalyticsAccountId(*p.account);
  return p;
}

// Event counts in the behaviour window: per person (any account), and per account
// per person (to count "other people of the account").
struct Activity {
  std::unordered_map<std::string, int64_t> person_events;
  std::unordered_map<std::string, std::unordered_map<std::string, int64_t>> account_events;
};

Result<Activity> CountActivity(const OpsContext& ctx, const std::unordered_set<std::string>& persons,
                               const std::unordered_set<std::string>& accounts) {
  Activity out;
  if (persons.empty() && accounts.empty()) return out;
  const query::QueryContext qc = ctx.query_context();
  store::ScanRequest request;
  request.from_ms = ActivityWindowStartMs(ctx, kBehaviourDays);
  request.to_ms = ctx.now_ms + 1;
  request.types = {store::MessageType::kTrack, store::MessageType::kPage, store::MessageType::kScreen};
  request.properties = {std::string(kRecordSourceProperty)};
  request.max_threads = std::max(1, qc.threads);
  std::mutex mu;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    const store::PropertyColumn& source = block.properties[0];
    std::vector<char> from_records(source.dict.size() + 1, 0);
    for (size_t i = 0; i < source.dict.size(); ++i) {
      const auto* text = std::get_if<std::string>(&source.dict[i]);
      from_records[i + 1] = text != nullptr && *text == kRecordSourceValue;
    }
    std::unordered_map<uint32_t, std::string> canonical;
    std::unordered_map<std::string, int64_t> person_events;
    std::unordered_map<std::string, std::unordered_map<std::string, int64_t>> account_events;
    for (size_t row = 0; row < block.rows; ++row) {
      if (from_records[source.codes[row]]) continue;
      const uint32_t code = block.person[row];
      auto [it, added] = canonical.try_emplace(code);
      if (added) it->second = ctx.identity->CanonicalPerson(block.person_dict[code]);
      const std::string& person = it->second;
      if (persons.count(person)) ++person_events[person];
      const std::string& account = block.account_dict[block.account[row]];
      if (!account.empty() && accounts.count(account)) ++account_events[account][person];
    }
    std::lock_guard lock(mu);
    for (const auto& [p, n] : person_events) out.person_events[p] += n;
    for (const auto& [a, m] : account_events) {
      for (const auto& [p, n] : m) out.account_events[a][p] += n;
    }
    return Status::Ok();
  }));
  return out;
}

json Explain(const World& w, const LeadParts& parts, const Activity& activity, const json& lead) {
  const json* campaign = RefOf(w.campaigns, lead, "campaign_id");
  std::vector<std::string> industries, roles;
  std::string targets_from = "project";
  if (campaign != nullptr) {
    industries = TextListOf(*campaign, "target_industries");
    roles = TextListOf(*campaign, "target_roles");
  }
  if (campaign != nullptr && (!industries.empty() || !roles.empty())) {
    targets_from = "campaign";
  } else {
    industries = w.project_industries;
    roles = w.project_roles;
  }
  const std::string industry = parts.account ? TextOf(*parts.account, "industry") : "";
  const std::string role = parts.contact ? TextOf(*parts.contact, "role") : "";
  const bool industry_match = Contains(industries, industry);
  const bool role_match = Contains(roles, role);
  const auto employees = Employees(parts.account);
  const int64_t industry_points = industry_match ? kIndustryPoints : 0;
  const int64_t size_points = SizePoints(employees);
  const int64_t role_points = role_match ? kRolePoints : 0;
  const int64_t fit = industry_points + size_points + role_points;

  int64_t person_n = 0, account_n = 0;
  if (!parts.person.empty()) {
    if (auto it = activity.person_events.find(parts.person); it != activity.person_events.end()) person_n = it->second;
  }
  if (!parts.account_id.empty()) {
    if (auto it = activity.account_events.find(parts.account_id); it != activity.account_events.end()) {
      for (const auto& [p, n] : it->second) {
        if (p != parts.person) account_n += n;
      }
    }
  }
  const int64_t person_points = std::min(kPersonMax, person_n * kPersonPerEvent);
  const int64_t account_points = std::min(kAccountMax, account_n * kAccountPerEvent);
  const int64_t behaviour = person_points + account_points;
  auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  const auto hours = FirstResponseHours(lead);
  return {{"lead_id", lead["id"]},
          {"score", fit + behaviour},
          {"targets_from", targets_from},
          {"fit",
           {{"points", fit},
            {"max", kIndustryPoints + kSizeMax + kRolePoints},
            {"industry", {{"points", industry_points}, {"max", kIndustryPoints}, {"value", opt(industry)},
                          {"targets", industries}, {"matched", industry_match}}},
            {"size", {{"points", size_points}, {"max", kSizeMax},
                      {"value", parts.account ? opt(TextOf(*parts.account, "size")) : json(nullptr)},
                      {"employees", employees ? json(*employees) : json(nullptr)}}},
            {"role", {{"points", role_points}, {"max", kRolePoints}, {"value", opt(role)}, {"targets", roles},
                      {"matched", role_match}}}}},
          {"behaviour",
           {{"points", behaviour},
            {"max", kPersonMax + kAccountMax},
            {"days", kBehaviourDays},
            {"person", {{"points", person_points}, {"max", kPersonMax}, {"events", person_n}}},
            {"account", {{"points", account_points}, {"max", kAccountMax}, {"events", account_n}}}}},
          {"first_response_hours", hours ? json(*hours) : json(nullptr)}};
}

Result<std::vector<json>> ExplainAll(const OpsContext& ctx, const std::vector<json>& leads) {
  ASSIGN_OR_RETURN(World w, LoadWorld(ctx));
  std::vector<LeadParts> parts;
  std::unordered_set<std::string> persons, accounts;
  for (const auto& l : leads) {
    parts.push_back(PartsOf(ctx, w, l));
    if (!parts.back().person.empty()) persons.insert(parts.back().person);
    if (!parts.back().account_id.empty()) accounts.insert(parts.back().account_id);
  }
  ASSIGN_OR_RETURN(Activity activity, CountActivity(ctx, persons, accounts));
  std::vector<json> out;
  for (size_t i = 0; i < leads.size(); ++i) out.push_back(Explain(w, parts[i], activity, leads[i]));
  return out;
}

}  // namespace

std::optional<double> FirstResponseHours(const json& lead) {
  const std::string created = TextOf(lead, "created_at");
  const std::string first = TextOf(lead, "first_response_at");
  if (created.empty() || first.empty()) return std::nullopt;
  auto c = ParseIso8601Ms(created);
  auto f = ParseIso8601Ms(first);
  if (!c.ok() || !f.ok()) return std::nullopt;
  return std::round((*f - *c) / 360000.0) / 10.0;  // hours, one decimal
}

Result<json> ExplainLeadScore(const OpsContext& ctx, int64_t lead_id) {
  ASSIGN_OR_RETURN(json lead, ctx.records->Get("leads").Get(ctx.project_id, lead_id));
  ASSIGN_OR_RETURN(std::vector<json> explained, ExplainAll(ctx, {lead}));
  return explained[0];
}

Result<json> RecomputeLeadScores(const OpsContext& ctx, const std::vector<int64_t>& ids) {
  std::vector<json> leads;
  if (ids.empty()) {
    ASSIGN_OR_RETURN(leads, ListAllRecords(ctx, "leads", {}, "id"));
  } else {
    for (int64_t id : ids) {
      ASSIGN_OR_RETURN(json lead, ctx.records->Get("leads").Get(ctx.project_id, id));
      leads.push_back(std::move(lead));
    }
  }
  ASSIGN_OR_RETURN(std::vector<json> explained, ExplainAll(ctx, leads));
  json out = json::array();
  RETURN_IF_ERROR(ctx.records->database().Transaction([&](domain::SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(domain::SqliteStatement stmt,
                     conn.Prepare("UPDATE leads SET score = ? WHERE project_id = ? AND id = ?"));
    for (size_t i = 0; i < leads.size(); ++i) {
      const int64_t score = explained[i]["score"].get<int64_t>();
      out.push_back({{"id", leads[i]["id"]}, {"score", score}});
      if (leads[i].contains("score") && leads[i]["score"] == json(score)) continue;
      RETURN_IF_ERROR(stmt.Reset());
      RETURN_IF_ERROR(stmt.BindInt64(1, score));
      RETURN_IF_ERROR(stmt.BindText(2, ctx.project_id));
      RETURN_IF_ERROR(stmt.BindInt64(3, leads[i]["id"].get<int64_t>()));
      RETURN_IF_ERROR(stmt.Run());
    }
    return Status::Ok();
  }));
  return json{{"scored", static_cast<int64_t>(leads.size())}, {"leads", out}};
}

}  // namespace tobops::ops
