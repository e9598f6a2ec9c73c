#include "ops/visit_minutes.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include <cctz/time_zone.h>

#include "common/time_format.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr const char* kNone = "—";  // an empty section

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

// "- a" lines for each item, or the empty-section mark.
std::string Bullets(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += "- " + item + "\n";
  return out.empty() ? std::string(kNone) + "\n" : out;
}

std::string Section(const std::string& heading, const std::string& content) {
  return "\n" + heading + ":\n" + content;
}

}  // namespace

Result<json> VisitMinutes(const OpsContext& ctx, int64_t visit_id) {
  ASSIGN_OR_RETURN(json visit, ctx.records->Get("visits").Get(ctx.project_id, visit_id));
  const int64_t account_id = visit.value("account_id", int64_t{0});
  ASSIGN_OR_RETURN(json account, ctx.records->Get("accounts").Get(ctx.project_id, account_id));
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {{"account_id", account_id}}));
  std::map<int64_t, json> contacts_by_id;
  for (auto& c : contacts) contacts_by_id.emplace(c["id"].get<int64_t>(), std::move(c));

  // Held at, in the project's time zone: the date for the subject, date and time for the body.
  std::string date, when;
  auto held_at = ParseIso8601Ms(TextOf(visit, "held_at"));
  if (held_at.ok()) {
    const std::chrono::system_clock::time_point tp{std::chrono::milliseconds(*held_at)};
    date = cctz::format("%Y-%m-%d", tp, ctx.zone);
    when = cctz::format("%Y-%m-%d %H:%M", tp, ctx.zone) + " (" + ctx.zone.name() + ")";
  }
  const std::string subject = Join({TextOf(visit, "kind"), TextOf(account, "name"), date}, " · ");

  std::vector<std::string> attendees;
  json to = json::array();
  if (visit.contains("attendees") && visit["attendees"].is_array()) {
    for (const auto& a : visit["attendees"]) {
      const bool ours = TextOf(a, "side") == "ours";
      const json* contact = nullptr;
      if (a.contains("contact_id") && a["contact_id"].is_number_integer()) {
        auto it = contacts_by_id.find(a["contact_id"].get<int64_t>());
        if (it != contacts_by_id.end()) contact = &it->second;
      }
      std::string role = TextOf(a, "role");
      if (role.empty() && contact != nullptr) role = TextOf(*contact, "role");
      attendees.push_back(Join({TextOf(a, "name"), role, ours ? "ours" : "customer"}, " · "));
      if (!ours && contact != nullptr) {
        const std::string email = TextOf(*contact, "email");
        if (!email.empty() && std::find(to.begin(), to.end(), json(email)) == to.end()) to.push_back(email);
      }
    }
  }

  ASSIGN_OR_RETURN(std::vector<json> follow_ups,
                   ListAllRecords(ctx, "follow_ups", {{"visit_id", visit_id}}, "due_date", false));
  std::vector<std::string> follow_up_lines;
  for (const auto& f : follow_ups) {
    std::string line = Join({TextOf(f, "title"), "owner: " + TextOf(f, "owner"), "due: " + TextOf(f, "due_date")},
                            " · ");
    const std::string status = TextOf(f, "status");
    if (!status.empty() && status != "open") line += " (" + status + ")";
    follow_up_lines.push_back(line);
  }

  auto text_or_none = [](const std::string& text) { return (text.empty() ? std::string(kNone) : text) + "\n"; };
  std::string body = TextOf(visit, "title") + "\n";
  body += "Date / 时间: " + (when.empty() ? std::string(kNone) : when) + "\n";
  body += "Account / 客户: " + TextOf(account, "name") + "\n";
  const std::string opportunity = TextOf(visit, "opportunity_name");
  if (!opportunity.empty()) body += "Opportunity / 商机: " + opportunity + "\n";
  body += "Stage / 阶段: " + text_or_none(TextOf(visit, "stage"));
  body += Section("Attendees / 参会人员", Bullets(attendees));
  body += Section("What was done / 工作内容", Bullets(TextListOf(visit, "actions")));
  body += Section("Needs found / 发现的需求", Bullets(TextListOf(visit, "needs_found")));
  body += Section("Customer feedback / 客户反馈", text_or_none(TextOf(visit, "feedback")));
  body += Section("Follow-ups / 后续事项", Bullets(follow_up_lines));
  body += Section("Summary / 总结", text_or_none(TextOf(visit, "summary")));
  return json{{"subject", subject}, {"body", body}, {"to", std::move(to)}};
}

std::string MinutesText(const json& minutes) {
  std::vector<std::string> to;
  for (const auto& e : minutes["to"]) to.push_back(e.get<std::string>());
  return "Subject: " + minutes["subject"].get<std::string>() + "\nTo: " + Join(to, ", ") + "\n\n" +
         minutes["body"].get<std::string>();
}

}  // namespace tobops::ops
