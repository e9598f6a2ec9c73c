#include "ops/playbook_runner.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <cctz/civil_time.h>

#include "ops/playbook_rules.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int kTaskDueInDays = 3;

std::mutex& RunMutex() {
  static std::mutex mu;
  return mu;
}

std::string DueDate(const OpsContext& ctx) {
  const std::chrono::system_clock::time_point now{std::chrono::milliseconds(ctx.now_ms)};
  const cctz::civil_day due = cctz::civil_day(cctz::convert(now, ctx.zone)) + kTaskDueInDays;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(due.year()), due.month(), due.day());
  return buf;
}

}  // namespace

Result<json> RunPlaybooks(const OpsContext& ctx, std::optional<int64_t> id) {
  std::lock_guard lock(RunMutex());
  std::vector<json> playbooks;
  if (id) {
    ASSIGN_OR_RETURN(json one, ctx.records->Get("playbooks").Get(ctx.project_id, *id));
    playbooks.push_back(std::move(one));
  } else {
    ASSIGN_OR_RETURN(playbooks, ListAllRecords(ctx, "playbooks", {}, "id", false));
  }
  ASSIGN_OR_RETURN(std::vector<json> accounts, ListAllRecords(ctx, "accounts", {}, "id", false));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {{"role", "decision_maker"}}));
  std::unordered_map<int64_t, std::unordered_set<std::string>> decision_makers;  // account → persons
  for (const auto& c : contacts) {
    const std::string person = TextOf(c, "person_id");
    if (person.empty() || !c.value("account_id", json(nullptr)).is_number()) continue;
    decision_makers[c["account_id"].get<int64_t>()].insert(ctx.identity->CanonicalPerson(person));
  }
  // Open tasks already there: (playbook, account).
  std::set<std::pair<int64_t, int64_t>> open;
  for (const char* status : {"open", "in_progress"}) {
    ASSIGN_OR_RETURN(std::vector<json> tasks, ListAllRecords(ctx, "tasks", {{"status", status}}));
    for (const auto& t : tasks) {
      const json p = t.value("playbook_id", json(nullptr)), a = t.value("account_id", json(nullptr));
      if (p.is_number() && a.is_number()) open.emplace(p.get<int64_t>(), a.get<int64_t>());
    }
  }
  const std::string due = DueDate(ctx);
  std::map<int64_t, std::unordered_map<std::string, AccountWindowFacts>> facts_by_window;
  const std::unordered_set<std::string> none;
  records::RecordStore& task_store = ctx.records->Get("tasks");

  json runs = json::array();
  for (const auto& pb : playbooks) {
    const int64_t pb_id = pb["id"].get<int64_t>();
    if (!id && pb.value("enabled", json(nullptr)).is_boolean() && !pb["enabled"].get<bool>()) continue;
    auto rule = RuleOf(pb);
    if (!rule.ok()) {
      if (id) return rule.status();
      runs.push_back({{"playbook_id", pb_id}, {"name", pb.value("name", json(nullptr))},
                      {"error", rule.status().message()}});
      continue;
    }
    auto cached = facts_by_window.find(rule->window_days);
    if (cached == facts_by_window.end()) {
      ASSIGN_OR_RETURN(auto scanned, ScanAccountWindows(ctx, rule->window_days));
      cached = facts_by_window.emplace(rule->window_days, std::move(scanned)).first;
    }
    const auto& facts = cached->second;
    int64_t matched = 0, opened = 0, skipped = 0;
    json matches = json::array();
    for (const auto& account : accounts) {
      const int64_t account_id = account["id"].get<int64_t>();
      auto f = facts.find(AnalyticsAccountId(account));
      auto dm = decision_makers.find(account_id);
      std::optional<std::string> reason = EvaluateRule(*rule, account, f == facts.end() ? nullptr : &f->second,
                                                       dm == decision_makers.end() ? none : dm->second);
      if (!reason) continue;
      ++matched;
      json match = {{"account_id", account_id},
                    {"account_name", account.value("name", json(nullptr))},
                    {"reason", *reason},
                    {"task_id", nullptr},
                    {"opened", false}};
      if (open.count({pb_id, account_id})) {
        ++skipped;
      } else {
        std::string owner = TextOf(pb, "owner");
        if (owner.empty()) owner = TextOf(account, "owner");
        if (owner.empty()) owner = "unassigned";
        std::string title = TextOf(pb, "task_title");
        if (title.empty()) title = TextOf(pb, "name");
        ASSIGN_OR_RETURN(json task, task_store.Create(ctx.project_id, {{"title", title},
                                                                       {"account_id", account_id},
                                                                       {"playbook_id", pb_id},
                                                                       {"owner", owner},
                                                                       {"due_date", due},
                                                                       {"status", "open"},
                                                                       {"source", "playbook"},
                                                                       {"reason", *reason}}));
        open.emplace(pb_id, account_id);
        ++opened;
        match["task_id"] = task["id"];
        match["opened"] = true;
      }
      matches.push_back(std::move(match));
    }
    runs.push_back({{"playbook_id", pb_id},
                    {"name", pb.value("name", json(nullptr))},
                    {"rule", rule->rule},
                    {"threshold", rule->threshold},
                    {"window_days", rule->window_days},
                    {"matched", matched},
                    {"opened", opened},
                    {"skipped_open", skipped},
                    {"matches", std::move(matches)}});
  }
  return json{{"runs", std::move(runs)}};
}

}  // namespace tobops::ops
