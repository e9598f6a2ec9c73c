#include "ops/content_report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include <cctz/civil_time.h>

#include "ops/content_metrics.h"
#include "ops/sales_records.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

int64_t Int(const json& r, const char* field) {
  auto it = r.find(field);
  return it != r.end() && it->is_number() ? it->get<int64_t>() : 0;
}

int64_t StartMs(const cctz::civil_day& d, const cctz::time_zone& zone) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             zone.lookup(cctz::civil_second(d)).pre.time_since_epoch())
      .count();
}

std::string DayText(const cctz::civil_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
  return buf;
}

// A group of items (a kind or a channel) with distinct readers.
struct Group {
  int64_t items = 0, pv = 0, shares = 0;
  std::set<std::string> readers, target_readers;
};

json GroupsJson(const std::map<std::string, Group>& groups, const char* key) {
  std::vector<json> out;
  for (const auto& [name, g] : groups) {
    out.push_back({{key, name},
                   {"items", g.items},
                   {"pv", g.pv},
                   {"uv", static_cast<int64_t>(g.readers.size())},
                   {"target_account_readers", static_cast<int64_t>(g.target_readers.size())},
                   {"shares", g.shares}});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const json& a, const json& b) { return a["pv"].get<int64_t>() > b["pv"].get<int64_t>(); });
  return out;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

const char* KindLabel(const std::string& kind) {
  static const std::map<std::string, const char*> labels = {
      {"event_report", "活动报道"},        {"technical_sharing", "技术分享"}, {"people_story", "人物故事"},
      {"industry_report", "行业报告"},     {"case_study", "客户案例"},        {"whitepaper", "白皮书"},
      {"product_material", "产品资料"}};
  auto it = labels.find(kind);
  return it != labels.end() ? it->second : nullptr;
}

std::string RoleLabel(const std::string& role) {
  static const std::map<std::string, std::string> labels = {
      {"user", "使用者"},         {"evaluator", "评估者"}, {"budget_holder", "预算负责人"},
      {"decision_maker", "决策者"}, {"signer", "签约人"},  {"unknown", "未知"}};
  auto it = labels.find(role);
  return it != labels.end() ? it->second : role;
}

std::string RolesText(const json& roles, bool zh) {
  std::string out;
  if (!roles.is_object()) return out;
  for (const auto& [role, n] : roles.items()) {
    if (!out.empty()) out += "; ";
    out += (zh ? RoleLabel(role) : role) + " " + Text(n);
  }
  return out;
}

}  // namespace

Result<ContentMonth> ParseContentMonth(std::string_view text, const cctz::time_zone& zone, int64_t now_ms) {
  cctz::civil_month month;
  if (text.empty()) {
    const cctz::civil_second now =
        cctz::convert(cctz::time_point<cctz::seconds>(cctz::seconds(now_ms / 1000)), zone);
    month = cctz::civil_month(now) - 1;
  } else {
    int y = 0, m = 0;
    char tail = 0;
    if (text.size() != 7 || text[4] != '-' ||
        std::sscanf(std::string(text).c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 ||
        y < 1970 || y > 9999) {
      return InvalidArgument("month must be YYYY-MM, e.g. 2026-11", "month");
    }
    month = cctz::civil_month(y, m);
  }
  ContentMonth out;
  out.year = month.year();
  out.month = month.month();
  const cctz::civil_day first(month);
  const cctz::civil_day next(month + 1);
  out.from_ms = StartMs(first, zone);
  out.to_ms = StartMs(next, zone);
  out.from = DayText(first);
  out.to = DayText(next - 1);
  out.name = out.from.substr(0, 7);
  return out;
}

Result<json> BuildContentReport(const OpsContext& ctx, const ContentMonth& month) {
  ASSIGN_OR_RETURN(std::vector<json> all, ListContentItems(ctx));
  // Items published after the month did not exist in it; undated items always count.
  std::vector<json> records;
  for (json& r : all) {
    const std::string published = TextOf(r, "published_on");
    if (published.empty() || published <= month.to) records.push_back(std::move(r));
  }
  ASSIGN_OR_RETURN(ContentScan scan, ScanContentReads(ctx, records, month.from_ms, month.to_ms));

  std::set<std::string> readers, target_readers, target_accounts;
  int64_t pv = 0, shares = 0, share_events = 0, exposure = 0, reposts = 0, items_read = 0;
  std::map<std::string, Group> by_kind, by_channel;
  struct AccountReads {
    std::set<std::string> readers;
    int64_t reads = 0;
    std::vector<std::string> titles;
  };
  std::map<std::string, AccountReads> accounts;
  std::vector<json> items;
  for (const ContentReads& r : scan.items) {
    json item = ContentItemWithMetrics(r);
    pv += r.pv;
    if (r.pv > 0) ++items_read;
    shares += item["shares"].get<int64_t>();
    share_events += r.share_events;
    exposure += Int(r.record, "exposure");
    reposts += Int(r.record, "media_reposts");
    readers.insert(r.readers.begin(), r.readers.end());
    target_readers.insert(r.target_readers.begin(), r.target_readers.end());
    target_accounts.insert(r.target_accounts.begin(), r.target_accounts.end());
    for (auto* groups : {&by_kind, &by_channel}) {
      Group& g = (*groups)[TextOf(r.record, groups == &by_kind ? "kind" : "channel")];
      ++g.items;
      g.pv += r.pv;
      g.shares += item["shares"].get<int64_t>();
      g.readers.insert(r.readers.begin(), r.readers.end());
      g.target_readers.insert(r.target_readers.begin(), r.target_readers.end());
    }
    for (const std::string& account : r.target_accounts) {
      AccountReads& a = accounts[account];
      a.titles.push_back(TextOf(r.record, "title"));
      auto reads = r.reads_by_account.find(account);
      if (reads != r.reads_by_account.end()) a.reads += reads->second;
    }
    items.push_back(std::move(item));
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const json& a, const json& b) { return a["pv"].get<int64_t>() > b["pv"].get<int64_t>(); });

  std::vector<json> top;
  for (const auto& [account, a] : accounts) {
    const auto info = scan.target_accounts.find(account);
    json row = {{"account", account},
                {"account_id", info != scan.target_accounts.end() ? info->second.record_id : json(nullptr)},
                {"name", info != scan.target_accounts.end() ? info->second.name : account},
                {"readers", static_cast<int64_t>(scan.target_account_readers[account].size())},
                {"reads", a.reads},
                {"items", a.titles}};
    top.push_back(std::move(row));
  }
  std::stable_sort(top.begin(), top.end(), [](const json& a, const json& b) {
    if (a["readers"] != b["readers"]) return a["readers"].get<int64_t>() > b["readers"].get<int64_t>();
    return a["reads"].get<int64_t>() > b["reads"].get<int64_t>();
  });
  if (top.size() > kTopTargetAccounts) top.resize(kTopTargetAccounts);

  json totals = {{"items", static_cast<int64_t>(items.size())},
                 {"items_read", items_read},
                 {"pv", pv},
                 {"uv", static_cast<int64_t>(readers.size())},
                 {"target_account_readers", static_cast<int64_t>(target_readers.size())},
                 {"target_accounts", static_cast<int64_t>(target_accounts.size())},
                 {"shares", shares},
                 {"share_events", share_events},
                 {"exposure", exposure},
                 {"media_reposts", reposts}};
  return json{{"month", month.name},
              {"from", month.from},
              {"to", month.to},
              {"totals", std::move(totals)},
              {"items", std::move(items)},
              {"by_kind", GroupsJson(by_kind, "kind")},
              {"by_channel", GroupsJson(by_channel, "channel")},
              {"top_target_accounts", std::move(top)}};
}

exporting::Table ContentReportToTable(const json& report) {
  exporting::Table t;
  t.columns = {"title", "kind",      "industry", "channel", "published_on", "pv",
               "uv",    "target_account_readers", "target_accounts", "shares", "exposure", "media_reposts",
               "readers_by_role"};
  auto num = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    return std::monostate{};
  };
  auto str = [](const json& o, const char* f) -> exporting::TableCell {
    auto it = o.find(f);
    if (it == o.end() || it->is_null()) return std::monostate{};
    return Text(*it);
  };
  for (const json& item : report.value("items", json::array())) {
    t.rows.push_back({str(item, "title"), str(item, "kind"), str(item, "industry"), str(item, "channel"),
                      str(item, "published_on"), num(item["pv"]), num(item["uv"]),
                      num(item["target_account_readers"]), num(item["target_accounts"]), num(item["shares"]),
                      num(item.value("exposure", json(nullptr))), num(item.value("media_reposts", json(nullptr))),
                      RolesText(item.value("readers_by_role", json::object()), false)});
  }
  const json totals = report.value("totals", json::object());
  t.rows.push_back({std::string("合计 total"), std::monostate{}, std::monostate{}, std::monostate{},
                    std::monostate{}, num(totals["pv"]), num(totals["uv"]),
                    num(totals["target_account_readers"]), num(totals["target_accounts"]),
                    num(totals["shares"]), num(totals["exposure"]), num(totals["media_reposts"]),
                    std::monostate{}});
  return t;
}

std::string ContentReportHtml(const json& report) {
  const std::string month = Escape(Text(report.value("month", json(""))));
  const json totals = report.value("totals", json::object());
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>内容运营月报 " + month + "</title>\n<style>\n";
  h += "body{font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#1f2329}"
       "h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-left:4px solid #3370ff;"
       "padding-left:8px}.sub{color:#646a73;font-size:13px}table{border-collapse:collapse;width:100%;"
       "font-size:13px}th,td{border:1px solid #dee0e3;padding:4px 8px;text-align:left}th{background:#f5f6f7}"
       "td.n{text-align:right;font-variant-numeric:tabular-nums}.kpis{display:flex;flex-wrap:wrap;gap:12px}"
       ".kpi{border:1px solid #dee0e3;border-radius:6px;padding:8px 14px;min-width:110px}"
       ".kpi b{display:block;font-size:20px}.kpi span{color:#646a73;font-size:12px}"
       "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}@page{size:A4;margin:14mm}}\n";
  h += "</style>\n</head>\n<body>\n";
  h += "<h1>内容运营月报 " + month + "</h1>\n";
  h += "<div class=\"sub\">统计区间 " + Escape(Text(report.value("from", json("")))) + " 至 " +
       Escape(Text(report.value("to", json("")))) + "（项目时区）</div>\n";
  auto kpi = [&](const char* label, const char* key) {
    h += "<div class=\"kpi\"><b>" + Escape(Text(totals.value(key, json(0)))) + "</b><span>" + label +
         "</span></div>";
  };
  h += "<h2>总览</h2>\n<div class=\"kpis\">";
  kpi("内容数", "items");
  kpi("有阅读的内容", "items_read");
  kpi("阅读量 PV", "pv");
  kpi("读者数 UV", "uv");
  kpi("目标客户读者", "target_account_readers");
  kpi("目标客户数", "target_accounts");
  kpi("分享", "shares");
  kpi("曝光", "exposure");
  kpi("媒体转载", "media_reposts");
  h += "</div>\n";

  auto kind_text = [](const std::string& kind) {
    const char* label = KindLabel(kind);
    return label != nullptr ? std::string(label) : kind;
  };
  auto cell = [](const std::string& s, bool number = false) {
    return std::string(number ? "<td class=\"n\">" : "<td>") + Escape(s) + "</td>";
  };

  h += "<h2>内容明细</h2>\n<table><thead><tr><th>标题</th><th>类型</th><th>行业</th><th>渠道</th>"
       "<th>发布日期</th><th>PV</th><th>UV</th><th>目标客户读者</th><th>分享</th><th>曝光</th>"
       "<th>读者角色</th></tr></thead><tbody>\n";
  for (const json& item : report.value("items", json::array())) {
    h += "<tr>" + cell(Text(item.value("title", json("")))) + cell(kind_text(Text(item.value("kind", json(""))))) +
         cell(Text(item.value("industry", json("")))) + cell(Text(item.value("channel", json("")))) +
         cell(Text(item.value("published_on", json("")))) + cell(Text(item["pv"]), true) +
         cell(Text(item["uv"]), true) + cell(Text(item["target_account_readers"]), true) +
         cell(Text(item["shares"]), true) + cell(Text(item.value("exposure", json(nullptr))), true) +
         cell(RolesText(item.value("readers_by_role", json::object()), true)) + "</tr>\n";
  }
  h += "</tbody></table>\n";

  auto groups = [&](const char* title, const char* key, const char* head) {
    h += std::string("<h2>") + title + "</h2>\n<table><thead><tr><th>" + head +
         "</th><th>内容数</th><th>PV</th><th>UV</th><th>目标客户读者</th><th>分享</th></tr></thead><tbody>\n";
    for (const json& g : report.value(key, json::array())) {
      std::string name = Text(g.value(std::string(key) == "by_kind" ? "kind" : "channel", json("")));
      if (std::string(key) == "by_kind") name = kind_text(name);
      if (name.empty()) name = "未设置";
      h += "<tr>" + cell(name) + cell(Text(g["items"]), true) + cell(Text(g["pv"]), true) +
           cell(Text(g["uv"]), true) + cell(Text(g["target_account_readers"]), true) +
           cell(Text(g["shares"]), true) + "</tr>\n";
    }
    h += "</tbody></table>\n";
  };
  groups("按内容类型", "by_kind", "类型");
  groups("按渠道", "by_channel", "渠道");

  h += "<h2>阅读最多的目标客户</h2>\n<table><thead><tr><th>客户</th><th>读者数</th><th>阅读量</th>"
       "<th>阅读的内容</th></tr></thead><tbody>\n";
  const json top = report.value("top_target_accounts", json::array());
  if (top.empty()) h += "<tr><td colspan=\"4\">本月没有目标客户的阅读</td></tr>\n";
  for (const json& a : top) {
    std::string titles;
    for (const json& t : a.value("items", json::array())) titles += (titles.empty() ? "" : "、") + Text(t);
    h += "<tr>" + cell(Text(a.value("name", json("")))) + cell(Text(a["readers"]), true) +
         cell(Text(a["reads"]), true) + cell(titles) + "</tr>\n";
  }
  h += "</tbody></table>\n";
  h += "<p class=\"sub\">PV：阅读事件数；UV：去重读者数；目标客户：等级为 key 的客户。"
       "分享 = 内容记录的分享数 + 本月 content_shared 事件；曝光为内容记录的累计值。</p>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace tobops::ops
