#include "ops/renewal_health.h"

#include "query/query_json.h"

namespace tobops::ops {

using nlohmann::json;

Result<std::unordered_map<std::string, json>> HealthByAccount(const OpsContext& ctx) {
  constexpr int64_t kPage = 10000;  // the largest page the health kind answers
  std::unordered_map<std::string, json> rows;
  const query::QueryContext qc = ctx.query_context();
  for (int64_t offset = 0;; offset += kPage) {
    json spec = {{"kind", "health"},
                 {"days", kRenewalHealthDays},
                 {"sort", "account"},
                 {"limit", kPage},
                 {"offset", offset},
                 {"filters", json::array({{{"source", "event"},
                                           {"property", "$source"},
                                           {"op", "neq"},
                                           {"value", "records"}}})}};
    ASSIGN_OR_RETURN(json answer, query::RunQueryJson(spec, qc));
    for (auto& row : answer["accounts"]) {
      std::string id = row.value("account", "");
      rows.emplace(std::move(id), std::move(row));
    }
    if (offset + kPage >= answer.value("total", int64_t{0})) break;
  }
  return rows;
}

std::string RiskBand(double score) {
  if (score < 50) return "high";
  if (score < 70) return "medium";
  return "low";
}

}  // namespace tobops::ops
