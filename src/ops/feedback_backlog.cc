#include "ops/feedback_backlog.h"

#include <algorithm>
#include <map>
#include <set>

#include "ops/pipeline_board.h"
#include "records/record_store.h"
#include "records/record_table.h"

namespace tobops::ops {

using nlohmann::json;

Result<json> BuildFeedbackBacklog(const OpsContext& ctx, const std::string& status) {
  records::RecordStore& feedback = ctx.records->Get("feedback");
  std::vector<std::pair<std::string, std::string>> params;
  if (!status.empty()) params.emplace_back("status", status);
  ASSIGN_OR_RETURN(records::RecordQuery query, feedback.ParseQuery(params, {}));
  query.limit = records::RecordStore::kMaxListLimit;
  ASSIGN_OR_RETURN(records::RecordPage page, feedback.List(ctx.project_id, query));

  records::RecordStore& accounts = ctx.records->Get("accounts");
  std::map<int64_t, json> account_cache;  // id → {id,name,arr}; null when gone
  auto account = [&](int64_t id) -> const json& {
    auto it = account_cache.find(id);
    if (it != account_cache.end()) return it->second;
    auto got = accounts.Get(ctx.project_id, id);
    json brief = nullptr;
    if (got.ok()) {
      brief = {{"id", id}, {"name", (*got)["name"]}, {"arr", (*got).value("arr", json(nullptr))}};
    }
    return account_cache.emplace(id, std::move(brief)).first->second;
  };

  std::vector<json> items;
  for (auto& item : page.records) {
    json listed = json::array();
    std::set<int64_t> seen;  // an account named twice counts once
    double arr_behind = 0;
    if (item["account_ids"].is_array()) {
      for (const auto& id_json : item["account_ids"]) {
        if (!id_json.is_number_integer()) continue;
        const int64_t id = id_json.get<int64_t>();
        if (!seen.insert(id).second) continue;
        const json& a = account(id);
        if (a.is_null()) continue;
        listed.push_back(a);
        if (a["arr"].is_number()) arr_behind = RoundCents(arr_behind + a["arr"].get<double>());
      }
    }
    item["accounts"] = std::move(listed);
    item["arr_behind"] = arr_behind;
    item["weight"] = arr_behind;
    items.push_back(std::move(item));
  }
  std::stable_sort(items.begin(), items.end(), [](const json& a, const json& b) {
    const double wa = a["weight"].get<double>(), wb = b["weight"].get<double>();
    if (wa != wb) return wa > wb;
    if (a["accounts"].size() != b["accounts"].size())
      return a["accounts"].size() > b["accounts"].size();
    // Newest first: created_at is ISO UTC text of one fixed format, so text order is time order.
    const std::string ca = a.value("created_at", std::string()),
                      cb = b.value("created_at", std::string());
    if (ca != cb) return ca > cb;
    return a["id"].get<int64_t>() > b["id"].get<int64_t>();
  });
  return json{{"items", std::move(items)}};
}

exporting::Table BacklogToTable(const OpsContext& ctx, const json& backlog) {
  std::vector<json> items = backlog["items"].get<std::vector<json>>();
  exporting::Table table = records::RecordsToTable(ctx.records->Get("feedback").spec(), items);
  for (const char* column : {"account_names", "accounts", "arr_behind", "weight"})
    table.columns.push_back(column);
  for (size_t i = 0; i < items.size(); ++i) {
    std::string names;
    for (const auto& a : items[i]["accounts"]) {
      names += (names.empty() ? "" : "; ") +
               (a["name"].is_string() ? a["name"].get<std::string>() : std::string());
    }
    table.rows[i].push_back(names);
    table.rows[i].push_back(static_cast<double>(items[i]["accounts"].size()));
    table.rows[i].push_back(items[i]["arr_behind"].get<double>());
    table.rows[i].push_back(items[i]["weight"].get<double>());
  }
  return table;
}

}  // namespace tobops::ops
