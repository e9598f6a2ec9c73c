#include "ops/milestone_progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <cctz/civil_time.h>

#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {

using nlohmann::json;

Result<json> AccountMilestones(const OpsContext& ctx, int64_t account_id) {
  ASSIGN_OR_RETURN(json account, ctx.records->Get("accounts").Get(ctx.project_id, account_id));
  ASSIGN_OR_RETURN(std::vector<json> milestones, ListAllRecords(ctx, "milestones", {{"account_id", account_id}}));
  std::stable_sort(milestones.begin(), milestones.end(), [](const json& a, const json& b) {
    const bool pa = a.value("position", json(nullptr)).is_number();
    const bool pb = b.value("position", json(nullptr)).is_number();
    if (pa != pb) return pa;  // with a position first
    if (pa && a["position"].get<int64_t>() != b["position"].get<int64_t>())
      return a["position"].get<int64_t>() < b["position"].get<int64_t>();
    const std::string da = TextOf(a, "due_date"), db = TextOf(b, "due_date");
    if (da != db) {
      if (da.empty() || db.empty()) return !da.empty();  // dated first
      return da < db;
    }
    return a["id"].get<int64_t>() < b["id"].get<int64_t>();
  });
  const std::chrono::system_clock::time_point now{std::chrono::milliseconds(ctx.now_ms)};
  const cctz::civil_day today(cctz::convert(now, ctx.zone));
  char today_text[16];
  std::snprintf(today_text, sizeof today_text, "%04d-%02d-%02d", static_cast<int>(today.year()), today.month(),
                today.day());

  int64_t done = 0;
  json next = nullptr;
  json items = json::array();
  for (auto& m : milestones) {
    const bool is_done = TextOf(m, "status") == "done";
    const std::string due = TextOf(m, "due_date");
    m["overdue"] = !is_done && !due.empty() && due < today_text;
    if (is_done) {
      ++done;
    } else if (next.is_null()) {
      next = m;
    }
    items.push_back(std::move(m));
  }
  const int64_t total = static_cast<int64_t>(items.size());
  const double progress = total == 0 ? 0.0 : std::round(1000.0 * static_cast<double>(done) / total) / 10.0;
  return json{{"account_id", account_id},
              {"account_name", account.value("name", json(nullptr))},
              {"milestones", std::move(items)},
              {"total", total},
              {"done", done},
              {"progress", progress},
              {"next", std::move(next)}};
}

}  // namespace tobops::ops
