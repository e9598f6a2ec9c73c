#include "ops/renewal_calendar.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include <cctz/civil_time.h>

#include "common/time_format.h"
#include "ops/renewal_health.h"
#include "ops/sales_records.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

std::string DayText(const cctz::civil_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
  return buf;
}

std::string MonthText(const cctz::civil_month& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(m.year()), m.month());
  return buf;
}

cctz::civil_day Today(const OpsContext& ctx) {
  const std::chrono::system_clock::time_point now{std::chrono::milliseconds(ctx.now_ms)};
  return cctz::civil_day(cctz::convert(now, ctx.zone));
}

Result<cctz::civil_day> DayParam(const std::string& text, const std::string& field) {
  auto day = ParseCivilDay(text);
  if (!day.ok()) return InvalidArgument(field + " must be a date YYYY-MM-DD", field);
  return *day;
}

// Every renewal (records, then accounts' own dates without a record for that date)
// with renewal_date in [from, to], as calendar items without risk.
Result<std::vector<json>> Renewals(const OpsContext& ctx, const std::string& from, const std::string& to) {
  ASSIGN_OR_RETURN(std::vector<json> records, ListAllRecords(ctx, "renewals", {}));
  ASSIGN_OR_RETURN(std::vector<json> accounts, ListAllRecords(ctx, "accounts", {}));
  std::unordered_map<int64_t, const json*> account_by_id;
  for (const auto& a : accounts) account_by_id[a["id"].get<int64_t>()] = &a;

  std::vector<json> out;
  std::set<std::pair<int64_t, std::string>> recorded;  // (account, date) with a record
  for (const auto& r : records) {
    const std::string date = TextOf(r, "renewal_date");
    const int64_t account_id = r.value("account_id", int64_t{0});
    recorded.emplace(account_id, date);
    if (date < from || date > to) continue;
    out.push_back({{"id", r["id"]},
                   {"account_id", account_id},
                   {"account_name", r.value("account_name", json(nullptr))},
                   {"renewal_date", date},
                   {"arr", r.value("arr", json(nullptr))},
                   {"owner", r.value("owner", json(nullptr))},
                   {"status", r.value("status", json("upcoming"))},
                   {"from_account", false}});
  }
  for (const auto& a : accounts) {
    const std::string date = TextOf(a, "renewal_date");
    if (date.empty() || date < from || date > to) continue;
    const int64_t id = a["id"].get<int64_t>();
    if (recorded.count({id, date})) continue;
    out.push_back({{"id", nullptr},
                   {"account_id", id},
                   {"account_name", a.value("name", json(nullptr))},
                   {"renewal_date", date},
                   {"arr", a.value("arr", json(nullptr))},
                   {"owner", a.value("owner", json(nullptr))},
                   {"status", "upcoming"},
                   {"from_account", true}});
  }
  // Risk: the account's health row (analytics id of the account record).
  ASSIGN_OR_RETURN(auto health, HealthByAccount(ctx));
  for (auto& item : out) {
    // An account the health analytics do not list (no events in the window and no
    // group call) shows no use at all: it scores 0, like a listed account without
    // activity, so the calendar and the at-risk list agree.
    item["risk"] = RiskBand(0);
    item["health_score"] = 0;
    item["health"] = {{"score", 0}, {"parts", nullptr}, {"reason", "no events for this account"},
                      {"last_active", nullptr}};
    auto account = account_by_id.find(item["account_id"].get<int64_t>());
    if (account == account_by_id.end()) continue;
    auto row = health.find(AnalyticsAccountId(*account->second));
    if (row == health.end()) continue;
    const double score = row->second.value("score", 0.0);
    item["risk"] = RiskBand(score);
    item["health_score"] = score;
    item["health"] = {{"score", score},
                      {"parts", row->second.value("parts", json(nullptr))},
                      {"reason", row->second.value("reason", json(nullptr))},
                      {"last_active", row->second.value("last_active", json(nullptr))}};
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    const std::string da = a["renewal_date"], db = b["renewal_date"];
    if (da != db) return da < db;
    const std::string na = a["account_name"].is_string() ? a["account_name"].get<std::string>() : "";
    const std::string nb = b["account_name"].is_string() ? b["account_name"].get<std::string>() : "";
    if (na != nb) return na < nb;
    return a["account_id"].get<int64_t>() < b["account_id"].get<int64_t>();
  });
  return out;
}

exporting::TableCell Cell(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  return std::monostate{};
}

}  // namespace

Result<json> RenewalCalendar(const OpsContext& ctx, const std::string& from_text, const std::string& to_text) {
  const cctz::civil_month this_month(Today(ctx));
  cctz::civil_day from = cctz::civil_day(this_month);
  if (!from_text.empty()) {
    ASSIGN_OR_RETURN(from, DayParam(from_text, "from"));
  }
  cctz::civil_day to = cctz::civil_day(cctz::civil_month(from) + 12) - 1;
  if (!to_text.empty()) {
    ASSIGN_OR_RETURN(to, DayParam(to_text, "to"));
  }
  if (to < from) return InvalidArgument("to must not be before from", "to");
  if (to - from > 3660) return InvalidArgument("the range from..to must be at most 10 years", "to");

  ASSIGN_OR_RETURN(std::vector<json> renewals, Renewals(ctx, DayText(from), DayText(to)));
  json months = json::array();
  size_t next = 0;
  for (cctz::civil_month m(from); m <= cctz::civil_month(to); ++m) {
    const std::string key = MonthText(m);
    json items = json::array();
    while (next < renewals.size() && renewals[next]["renewal_date"].get<std::string>().substr(0, 7) == key) {
      json item = std::move(renewals[next++]);
      item.erase("health");  // the calendar shows the band and score; at-risk shows parts
      items.push_back(std::move(item));
    }
    months.push_back({{"month", key}, {"renewals", std::move(items)}});
  }
  return json{{"from", DayText(from)}, {"to", DayText(to)}, {"months", std::move(months)}};
}

Result<json> AtRiskRenewals(const OpsContext& ctx, int64_t days, double below) {
  if (days < 1 || days > 3650) return InvalidArgument("days must be an integer from 1 to 3650", "days");
  if (!(below >= 0 && below <= 100)) return InvalidArgument("below must be a number from 0 to 100", "below");
  const cctz::civil_day today = Today(ctx);
  const cctz::civil_day last = today + days;
  ASSIGN_OR_RETURN(std::vector<json> renewals, Renewals(ctx, DayText(today), DayText(last)));
  json out = json::array();
  for (auto& item : renewals) {
    const std::string status = item["status"];
    if (status != "upcoming" && status != "in_progress") continue;
    if (item["health"]["score"].get<double>() >= below) continue;
    auto day = ParseCivilDay(item["renewal_date"].get<std::string>());
    item["days_left"] = day.ok() ? *day - today : 0;
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    const std::string da = a["renewal_date"], db = b["renewal_date"];
    if (da != db) return da < db;
    return a["health_score"].get<double>() < b["health_score"].get<double>();
  });
  return json{{"days", days},
              {"below", below},
              {"from", DayText(today)},
              {"to", DayText(last)},
              {"renewals", std::move(out)}};
}

exporting::Table RenewalCalendarToTable(const json& calendar) {
  exporting::Table table;
  table.columns = {"month", "renewal_date", "account_id", "account_name", "arr", "owner", "status",
                   "risk", "health_score", "from_account", "renewal_id"};
  for (const auto& m : calendar["months"]) {
    for (const auto& r : m["renewals"]) {
      table.rows.push_back({Cell(m["month"]), Cell(r["renewal_date"]), Cell(r["account_id"]),
                            Cell(r["account_name"]), Cell(r["arr"]), Cell(r["owner"]), Cell(r["status"]),
                            Cell(r["risk"]), Cell(r["health_score"]), Cell(r["from_account"]), Cell(r["id"])});
    }
  }
  return table;
}

exporting::Table AtRiskRenewalsToTable(const json& at_risk) {
  exporting::Table table;
  static const char* kParts[] = {"activity", "seats", "breadth", "recency", "roles"};
  table.columns = {"renewal_date", "days_left", "account_id", "account_name", "arr", "owner", "status",
                   "health_score"};
  for (const char* p : kParts) table.columns.push_back(std::string(p) + "_score");
  table.columns.push_back("reason");
  for (const auto& r : at_risk["renewals"]) {
    std::vector<exporting::TableCell> row = {Cell(r["renewal_date"]), Cell(r["days_left"]), Cell(r["account_id"]),
                                             Cell(r["account_name"]), Cell(r["arr"]), Cell(r["owner"]),
                                             Cell(r["status"]), Cell(r["health_score"])};
    const json& parts = r["health"]["parts"];
    for (const char* p : kParts) {
      row.push_back(parts.is_object() && parts.contains(p) ? Cell(parts[p].value("score", json(nullptr)))
                                                          : exporting::TableCell(std::monostate{}));
    }
    row.push_back(Cell(r["health"]["reason"]));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tobops::ops
