#include "ops/weekly_report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "common/time_format.h"
#include "ops/decision_roles.h"
#include "ops/goal_progress.h"
#include "ops/pipeline_stages.h"
#include "ops/sales_records.h"
#include "query/prior_activity.h"
#include "query/query_json.h"
#include "records/record_store.h"
#include "store/event.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int kLast = 0;  // week index: the previous week
constexpr int kThis = 1;  // the reported week

// One counted unit of a metric in one week: an account (new accounts, trials, at risk),
// an opportunity (created, moved, won) or a stage change. `roles` are the roles of the
// people who took part (see the doc); "" stands for a person without a known role.
struct Item {
  std::string account;  // the event's account id ("" = none)
  std::set<std::string> roles;
  double amount = 0;
};

struct AccountInfo {
  json record_id = nullptr;
  std::string name, owner, industry;
  json renewal_date = nullptr;
};

// Owner, industry and name of an event's account: the account record whose group_id is
// the account id (or "record-account-<id>" for records without a group id), else the
// account's current traits in the identity graph.
class AccountDirectory {
 public:
  static Result<AccountDirectory> Load(const OpsContext& ctx) {
    AccountDirectory dir;
    dir.identity_ = ctx.identity;
    records::RecordQuery query;
    query.limit = records::RecordStore::kMaxListLimit;
    ASSIGN_OR_RETURN(records::RecordPage page,
                     ctx.records->Get("accounts").List(ctx.project_id, query));
    for (const auto& r : page.records) {
      AccountInfo info;
      info.record_id = r["id"];
      info.name = TextOf(r, "name");
      info.owner = TextOf(r, "owner");
      info.industry = TextOf(r, "industry");
      info.renewal_date = r.value("renewal_date", json(nullptr));
      const std::string group = TextOf(r, "group_id");
      const std::string record_key = "record-account-" + std::to_string(r["id"].get<int64_t>());
      dir.by_id_[record_key] = info;
      if (!group.empty()) dir.by_id_[group] = info;
      dir.group_of_record_[r["id"].get<int64_t>()] = group.empty() ? record_key : group;
    }
    return dir;
  }

  const AccountInfo& Get(const std::string& account) {
    auto it = by_id_.find(account);
    if (it != by_id_.end()) return it->second;
    AccountInfo info;
    if (identity_ != nullptr && !account.empty()) {
      for (const auto& p : identity_->AccountTraits(account)) {
        const std::string v = store::PropertyValueToString(p.value);
        if (p.key == "name") info.name = v;
        if (p.key == "owner") info.owner = v;
        if (p.key == "industry") info.industry = v;
        if (p.key == "renewal_date") info.renewal_date = v;
      }
    }
    if (info.name.empty()) info.name = account;
    return by_id_.emplace(account, std::move(info)).first->second;
  }

  // The event-store account id of an account record ("" when unknown).
  std::string GroupOfRecord(int64_t record_id) const {
    auto it = group_of_record_.find(record_id);
    return it == group_of_record_.end() ? std::string() : it->second;
  }

 private:
  const ingest::IdentityGraph* identity_ = nullptr;
  std::unordered_map<std::string, AccountInfo> by_id_;
  std::unordered_map<int64_t, std::string> group_of_record_;
};

// A person's decision-chain role: the role on their contact record (the team curates
// it), else their current `role` trait; "" when neither.
class RoleDirectory {
 public:
  static Result<RoleDirectory> Load(const OpsContext& ctx) {
    RoleDirectory dir;
    dir.identity_ = ctx.identity;
    records::RecordQuery query;
    query.limit = records::RecordStore::kMaxListLimit;
    ASSIGN_OR_RETURN(records::RecordPage page,
                     ctx.records->Get("contacts").List(ctx.project_id, query));
    for (const auto& c : page.records) {
      const std::string person = TextOf(c, "person_id");
      const std::string role = TextOf(c, "role");
      if (!person.empty() && !role.empty()) dir.roles_[person] = role;
    }
    return dir;
  }

  const std::string& RoleOf(const std::string& canonical_person) {
    auto it = roles_.find(canonical_person);
    if (it != roles_.end()) return it->second;
    std::string role;
    if (identity_ != nullptr) {
      for (const auto& p : identity_->PersonTraits(canonical_person)) {
        if (p.key == "role") role = store::PropertyValueToString(p.value);
      }
    }
    return roles_.emplace(canonical_person, std::move(role)).first->second;
  }

 private:
  const ingest::IdentityGraph* identity_ = nullptr;
  std::unordered_map<std::string, std::string> roles_;
};

std::optional<double> Number(const store::PropertyValue& v) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const std::string* s = std::get_if<std::string>(&v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size() && std::isfinite(out)) return out;
  }
  return std::nullopt;
}

// What the scan of the two weeks gathers, per week.
struct WeekFacts {
  // account → roles of everyone active in it (new accounts)
  std::map<std::string, std::set<std::string>> active_roles;
  // account → roles of the people who started a trial there
  std::map<std::string, std::set<std::string>> trials;
  // opportunity key → item; stage changes one item each
  std::map<std::string, Item> created;
  std::map<std::string, std::pair<int64_t, Item>> won;    // opportunity key → latest deal_won
  std::vector<std::pair<std::string, Item>> conversions;  // (to_stage, item)
  // opportunity key → (time, item) of its latest stage change in the week
  std::map<std::string, std::pair<int64_t, Item>> moved;
};

struct ScanFacts {
  WeekFacts weeks[2];
  std::unordered_map<std::string, int64_t> first_seen_ms;  // account → first event in the scan
};

Result<ScanFacts> ScanWeeks(const OpsContext& ctx, const query::QueryContext& qctx, int64_t from_ms,
                            int64_t split_ms, int64_t to_ms, RoleDirectory& roles) {
  ScanFacts facts;
  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.properties = {"amount", "to_stage", "record_id"};
  request.max_threads = 1;  // the visitor keeps unguarded state
  std::vector<std::string> canonical;
  Status scanned = qctx.store->Scan(request, [&](const store::ColumnBlock& block, int) -> Status {
    ctx.identity->CanonicalPersons(block.person_dict, &canonical);
    auto prop = [&](size_t column, size_t row) -> const store::PropertyValue* {
      const store::PropertyColumn& c = block.properties[column];
      if (c.codes == nullptr || c.codes[row] == 0) return nullptr;
      return &c.dict[c.codes[row] - 1];
    };
    for (size_t i = 0; i < block.rows; ++i) {
      const int64_t ts = block.timestamp_ms[i];
      const std::string& account = block.account_dict[block.account[i]];
      const std::string& person = canonical[block.person[i]];
      const std::string& name = block.event_dict[block.event[i]];
      WeekFacts& week = facts.weeks[ts < split_ms ? kLast : kThis];
      const std::string& role = roles.RoleOf(person);
      if (!account.empty()) {
        auto [it, inserted] = facts.first_seen_ms.emplace(account, ts);
        if (!inserted) it->second = std::min(it->second, ts);
        week.active_roles[account].insert(role);
      }
      if (name == "trial_started") {
        if (!account.empty()) week.trials[account].insert(role);
        continue;
      }
      if (name != "opportunity_created" && name != "opportunity_stage_changed" &&
          name != "deal_won")
        continue;
      Item item;
      item.account = account;
      item.roles.insert(role);
      if (const auto* a = prop(0, i)) item.amount = Number(*a).value_or(0);
      // The opportunity: its record id; an event without one stands for itself.
      const auto* record = prop(2, i);
      const std::string key = record != nullptr ? store::PropertyValueToString(*record)
                                                : "event:" + std::to_string(ts) + ":" + person;
      if (name == "opportunity_created") {
        week.created.emplace(key, item);
      } else if (name == "deal_won") {
        auto& won =
            week.won[key];  // a repeated win of the same deal counts once, at its latest amount
        if (ts >= won.first) won = {ts, item};
      } else {
        const auto* to = prop(1, i);
        week.conversions.emplace_back(
            to != nullptr ? store::PropertyValueToString(*to) : std::string(), item);
        auto& moved = week.moved[key];
        std::set<std::string> seen_roles = std::move(moved.second.roles);
        if (ts >= moved.first) moved = {ts, item};  // the amount of the latest change
        moved.second.roles.insert(seen_roles.begin(), seen_roles.end());
        moved.second.roles.insert(role);
      }
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(scanned);
  return facts;
}

// The health scores of every account as of `at_ms` (the query's "now").
Result<std::vector<json>> HealthAt(const query::QueryContext& base, int64_t at_ms, int days) {
  query::QueryContext qctx = base;
  qctx.now_ms = at_ms;
  std::vector<json> out;
  int64_t offset = 0;
  while (true) {
    // Record changes written as events are the sales team's doing, not the customer's
    // use of the product: they do not make an account healthy (as on the account page).
    json spec = {{"kind", "health"},
                 {"days", days},
                 {"sort", "score_asc"},
                 {"limit", 10000},
                 {"offset", offset},
                 {"filters", json::array({{{"source", "event"},
                                           {"property", "$source"},
                                           {"op", "neq"},
                                           {"value", "records"}}})}};
    ASSIGN_OR_RETURN(json answer, query::RunQueryJson(spec, qctx));
    for (auto& a : answer["accounts"]) out.push_back(std::move(a));
    offset += 10000;
    if (offset >= answer.value("total", int64_t{0})) break;
  }
  return out;
}

json Change(double this_week, double last_week) {
  if (last_week == 0) return nullptr;
  return std::round((this_week - last_week) / last_week * 10000.0) / 10000.0;
}

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

// Items of every metric, per week: metrics[key][week].
using MetricItems = std::map<std::string, std::vector<Item>[2]>;

// Whether the metric sums amounts (else it counts items).
bool SumsAmount(const std::string& key) {
  return key == "pipeline_moved_amount" || key == "won_amount";
}

// Counts answer as integers, amounts as numbers.
json MetricJson(const std::string& key, double value) {
  return SumsAmount(key) ? json(value) : json(static_cast<int64_t>(value));
}

double Value(const std::string& key, const std::vector<Item>& items) {
  if (!SumsAmount(key)) return static_cast<double>(items.size());
  double sum = 0;
  for (const auto& i : items) sum += i.amount;
  return Round2(sum);
}

// One breakdown: value → metric → week → items. `values_of` gives the breakdown values
// an item counts under.
template <typename ValuesOf>
json Breakdown(const MetricItems& metrics, const char* name, ValuesOf values_of,
               std::vector<std::string> order) {
  std::map<std::string, std::map<std::string, std::vector<Item>[2]>> grouped;
  for (const auto& [key, weeks] : metrics) {
    for (int w = 0; w < 2; ++w) {
      for (const auto& item : weeks[w]) {
        for (const std::string& v : values_of(item)) grouped[v][key][w].push_back(item);
      }
    }
  }
  // Values in `order` first, then the others alphabetically, "" (unknown) last.
  for (const auto& [v, unused] : grouped) {
    if (!v.empty() && std::find(order.begin(), order.end(), v) == order.end()) order.push_back(v);
  }
  if (grouped.count("")) order.push_back("");
  json out = json::array();
  for (const auto& v : order) {
    json metrics_json = json::object();
    for (const char* key : kWeeklyMetrics) {
      const auto& weeks = grouped[v][key];
      metrics_json[key] = {{"this_week", MetricJson(key, Value(key, weeks[kThis]))},
                           {"last_week", MetricJson(key, Value(key, weeks[kLast]))}};
    }
    out.push_back(
        {{name, v.empty() ? json(nullptr) : json(v)}, {"metrics", std::move(metrics_json)}});
  }
  return out;
}

}  // namespace

Result<json> BuildWeeklyReport(const OpsContext& ctx, const WeeklyReportOptions& options) {
  if (!(options.at_risk_below >= 0 && options.at_risk_below <= 100)) {
    return InvalidArgument("at_risk_below must be a number from 0 to 100", "at_risk_below");
  }
  const IsoWeek week = options.week ? *options.week : LastFullWeek(ctx.now_ms, ctx.zone);
  const IsoWeek previous = PreviousWeek(week);
  const WeekBounds bounds[2] = {BoundsOf(previous, ctx.zone), BoundsOf(week, ctx.zone)};
  const query::QueryContext qctx = ctx.query_context();

  ASSIGN_OR_RETURN(AccountDirectory accounts, AccountDirectory::Load(ctx));
  ASSIGN_OR_RETURN(RoleDirectory roles, RoleDirectory::Load(ctx));
  // Events after now are not counted (as in every analysis), so a week in progress
  // shows what happened so far.
  const int64_t scan_to = std::min(bounds[kThis].to_ms, ctx.now_ms + 1);
  ASSIGN_OR_RETURN(ScanFacts facts, ScanWeeks(ctx, qctx, bounds[kLast].from_ms,
                                              bounds[kThis].from_ms, scan_to, roles));
  // "First event ever" needs the history before the scanned range: the engine's
  // prior-activity scan (the one lifecycle uses for "new") marks accounts seen before.
  ASSIGN_OR_RETURN(
      query::PriorActivity prior,
      query::PriorActivity::Collect(query::EntityKind::kAccount, query::TimelineCondition{}, {},
                                    bounds[kLast].from_ms, qctx));

  MetricItems metrics;
  for (const char* key : kWeeklyMetrics) metrics[key];
  for (int w = 0; w < 2; ++w) {
    WeekFacts& f = facts.weeks[w];
    for (const auto& [account, first_ms] : facts.first_seen_ms) {
      if (first_ms < bounds[w].from_ms || first_ms >= bounds[w].to_ms || prior.Contains(account))
        continue;
      metrics["new_accounts"][w].push_back({account, f.active_roles[account], 0});
    }
    for (const auto& [account, who] : f.trials) metrics["trials"][w].push_back({account, who, 0});
    for (const auto& [key, item] : f.created) metrics["opportunities_created"][w].push_back(item);
    for (const auto& [stage, item] : f.conversions) metrics["stage_conversions"][w].push_back(item);
    for (const auto& [key, moved] : f.moved)
      metrics["pipeline_moved_amount"][w].push_back(moved.second);
    for (const auto& [key, won] : f.won) {
      metrics["deals_won"][w].push_back(won.second);
      metrics["won_amount"][w].push_back(won.second);
    }
  }

  // At risk: health as of the end of each week (or now, for a week in progress). An
  // account whose first event came after that moment did not exist yet and is skipped.
  // Members are collected first and their roles looked up after the visit: the visitor
  // must not call back into the identity graph.
  std::vector<std::pair<std::string, std::string>> members;  // (account, person)
  ctx.identity->ForEachPersonWithAccount(
      [&](const std::string& person, const std::string& account, const ingest::Traits&) {
        if (!account.empty()) members.emplace_back(account, person);
      });
  std::map<std::string, std::set<std::string>> member_roles;  // account → roles of its members
  for (const auto& [account, person] : members) member_roles[account].insert(roles.RoleOf(person));
  json at_risk = json::array();
  std::unordered_map<std::string, double> scores_now;  // account → health at the end of the week
  for (int w = 0; w < 2; ++w) {
    const int64_t at_ms = std::min(ctx.now_ms, bounds[w].to_ms - 1);
    ASSIGN_OR_RETURN(std::vector<json> health, HealthAt(qctx, at_ms, options.health_days));
    for (const auto& a : health) {
      const std::string account = a.value("account", std::string());
      const double score = a.value("score", 0.0);
      if (w == kThis) scores_now[account] = score;
      if (score >= options.at_risk_below) continue;
      auto first = facts.first_seen_ms.find(account);
      const bool existed =
          prior.Contains(account) || (first != facts.first_seen_ms.end() && first->second <= at_ms);
      if (!existed) continue;
      std::set<std::string> account_roles = member_roles[account];
      if (account_roles.empty()) account_roles.insert("");
      metrics["at_risk_accounts"][w].push_back({account, account_roles, 0});
      if (w == kThis) {
        const AccountInfo& info = accounts.Get(account);
        at_risk.push_back({{"account_id", info.record_id},
                           {"group_id", account},
                           {"name", info.name},
                           {"score", score},
                           {"owner", info.owner.empty() ? json(nullptr) : json(info.owner)},
                           {"renewal_date", info.renewal_date}});
      }
    }
  }

  json metrics_json = json::array();
  for (const char* key : kWeeklyMetrics) {
    const double this_week = Value(key, metrics[key][kThis]);
    const double last_week = Value(key, metrics[key][kLast]);
    metrics_json.push_back({{"key", key},
                            {"this_week", MetricJson(key, this_week)},
                            {"last_week", MetricJson(key, last_week)},
                            {"change", Change(this_week, last_week)}});
  }

  ASSIGN_OR_RETURN(std::vector<std::string> role_order, DecisionRoles(ctx));
  json by_owner = Breakdown(
      metrics, "owner",
      [&](const Item& i) { return std::vector<std::string>{accounts.Get(i.account).owner}; }, {});
  json by_industry = Breakdown(
      metrics, "industry",
      [&](const Item& i) { return std::vector<std::string>{accounts.Get(i.account).industry}; },
      {});
  json by_role = Breakdown(
      metrics, "role",
      [](const Item& i) { return std::vector<std::string>(i.roles.begin(), i.roles.end()); },
      role_order);

  // Conversions per target stage: configured stages in position order, then others.
  ASSIGN_OR_RETURN(std::vector<PipelineStage> stages, LoadStages(*ctx.records, ctx.project_id));
  std::vector<std::string> stage_order;
  for (const auto& s : stages) stage_order.push_back(s.key);
  std::map<std::string, int64_t[2]> per_stage;
  for (int w = 0; w < 2; ++w) {
    for (const auto& [stage, item] : facts.weeks[w].conversions) {
      per_stage[stage][w] += 1;
      if (std::find(stage_order.begin(), stage_order.end(), stage) == stage_order.end())
        stage_order.push_back(stage);
    }
  }
  json conversions = json::array();
  for (const auto& stage : stage_order) {
    conversions.push_back({{"to_stage", stage},
                           {"this_week", per_stage[stage][kThis]},
                           {"last_week", per_stage[stage][kLast]}});
  }

  // Goals whose current period (as of the end of the week) overlaps the week, and the
  // renewals of the next 90 days whose account's health is below the at-risk line.
  const int64_t report_at_ms = std::min(ctx.now_ms, bounds[kThis].to_ms - 1);
  ASSIGN_OR_RETURN(json goal_progress, BuildGoalProgress(ctx, report_at_ms));
  const cctz::civil_day monday = MondayOf(week);
  json goals = json::array();
  for (auto& g : goal_progress["goals"]) {
    if (!g["from"].is_string() || g["status"] == "not_started") continue;
    const std::string week_first = DayText(monday), week_last = DayText(monday + 6);
    if (g["to"].get<std::string>() < week_first || g["from"].get<std::string>() > week_last) continue;
    goals.push_back(std::move(g));
  }
  json at_risk_renewals = json::array();
  {
    const cctz::civil_day today = LocalDay(report_at_ms, ctx.zone);
    records::RecordQuery q;
    q.limit = records::RecordStore::kMaxListLimit;
    q.sort = "renewal_date";
    q.descending = false;
    ASSIGN_OR_RETURN(records::RecordPage renewals,
                     ctx.records->Get("renewals").List(ctx.project_id, q));
    const std::string first = DayText(today), last = DayText(today + kAtRiskRenewalDays);
    for (const auto& r : renewals.records) {
      const std::string date = TextOf(r, "renewal_date");
      const std::string status = TextOf(r, "status");
      if (date < first || date > last || (status != "upcoming" && status != "in_progress")) continue;
      if (!r["account_id"].is_number_integer()) continue;
      auto score = scores_now.find(accounts.GroupOfRecord(r["account_id"].get<int64_t>()));
      if (score == scores_now.end() || score->second >= options.at_risk_below) continue;
      at_risk_renewals.push_back({{"renewal_id", r["id"]},
                                  {"account_id", r["account_id"]},
                                  {"account_name", r.value("account_name", json(nullptr))},
                                  {"renewal_date", date},
                                  {"arr", r.value("arr", json(nullptr))},
                                  {"owner", r.value("owner", json(nullptr))},
                                  {"status", status},
                                  {"score", score->second}});
    }
  }

  return json{{"week", FormatIsoWeek(week)},
              {"from", FormatIso8601Ms(bounds[kThis].from_ms, ctx.zone)},
              {"to", FormatIso8601Ms(bounds[kThis].to_ms, ctx.zone)},
              {"previous",
               {{"week", FormatIsoWeek(previous)},
                {"from", FormatIso8601Ms(bounds[kLast].from_ms, ctx.zone)},
                {"to", FormatIso8601Ms(bounds[kLast].to_ms, ctx.zone)}}},
              {"at_risk_below", options.at_risk_below},
              {"metrics", std::move(metrics_json)},
              {"by_owner", std::move(by_owner)},
              {"by_role", std::move(by_role)},
              {"by_industry", std::move(by_industry)},
              {"stage_conversions", std::move(conversions)},
              {"at_risk", std::move(at_risk)},
              {"goals", std::move(goals)},
              {"at_risk_renewals", std::move(at_risk_renewals)}};
}

exporting::Table WeeklyReportToTable(const json& report) {
  exporting::Table table;
  table.columns = {"metric", "breakdown", "value", "this_week", "last_week", "change"};
  auto cell = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return std::monostate{};
  };
  for (const auto& m : report["metrics"]) {
    table.rows.push_back({m["key"].get<std::string>(), std::string("total"), std::monostate{},
                          cell(m["this_week"]), cell(m["last_week"]), cell(m["change"])});
  }
  for (const auto& [list, name] :
       {std::pair{"by_owner", "owner"}, {"by_role", "role"}, {"by_industry", "industry"}}) {
    for (const char* key : kWeeklyMetrics) {
      for (const auto& entry : report[list]) {
        const json& m = entry["metrics"][key];
        const double this_week = m["this_week"].get<double>(),
                     last_week = m["last_week"].get<double>();
        table.rows.push_back({std::string(key), std::string(name), cell(entry[name]), this_week,
                              last_week, cell(Change(this_week, last_week))});
      }
    }
  }
  for (const auto& s : report["stage_conversions"]) {
    const double this_week = s["this_week"].get<double>(), last_week = s["last_week"].get<double>();
    table.rows.push_back({std::string("stage_conversions"), std::string("to_stage"),
                          cell(s["to_stage"]), this_week, last_week,
                          cell(Change(this_week, last_week))});
  }
  // Goals: value against target (this_week = value, last_week = the target, change =
  // progress share); at-risk renewals: the account's health score beside its ARR.
  if (report.contains("goals")) {
    for (const auto& g : report["goals"]) {
      const json value = g["value"], target = g["target"];
      table.rows.push_back({std::string("goal"), std::string("goal"), cell(g["name"]), cell(value),
                            cell(target),
                            value.is_number() && target.is_number() && target.get<double>() != 0
                                ? exporting::TableCell(value.get<double>() / target.get<double>())
                                : exporting::TableCell()});
    }
  }
  if (report.contains("at_risk_renewals")) {
    for (const auto& r : report["at_risk_renewals"]) {
      table.rows.push_back({std::string("at_risk_renewal"), std::string("account"),
                            cell(r["account_name"]), cell(r["score"]), cell(r["arr"]),
                            cell(r["renewal_date"])});
    }
  }
  return table;
}

}  // namespace tobops::ops
