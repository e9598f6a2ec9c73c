#include "ops/content_cases.h"

#include <algorithm>
#include <map>

#include "ops/content_metrics.h"

namespace tobops::ops {

using nlohmann::json;

Result<json> BuildCaseLibrary(const OpsContext& ctx, const CaseLibraryOptions& options) {
  ASSIGN_OR_RETURN(std::vector<json> all, ListContentItems(ctx));
  std::vector<json> cases;
  for (json& r : all) {
    if (r.value("kind", json("")) != "case_study") continue;
    const json industry = r.value("industry", json(nullptr));
    const std::string name = industry.is_string() ? industry.get<std::string>() : std::string();
    if (!options.industry.empty() && name != options.industry) continue;
    cases.push_back(std::move(r));
  }
  const int64_t to_ms = options.to_ms < 0 ? ctx.now_ms + 1 : options.to_ms;
  ASSIGN_OR_RETURN(ContentScan scan, ScanContentReads(ctx, cases, options.from_ms, to_ms));
  std::map<std::string, std::vector<json>> by_industry;
  for (const ContentReads& r : scan.items) {
    const json industry = r.record.value("industry", json(nullptr));
    by_industry[industry.is_string() ? industry.get<std::string>() : std::string()].push_back(
        ContentItemWithMetrics(r));
  }
  json industries = json::array();
  auto add = [&](const std::string& name, std::vector<json>& items) {
    std::stable_sort(items.begin(), items.end(),
                     [](const json& a, const json& b) { return a["pv"].get<int64_t>() > b["pv"].get<int64_t>(); });
    industries.push_back({{"industry", name}, {"items", std::move(items)}});
  };
  for (auto& [name, items] : by_industry) {
    if (!name.empty()) add(name, items);
  }
  if (by_industry.count("")) add("", by_industry[""]);
  return json{{"industry", options.industry.empty() ? json(nullptr) : json(options.industry)},
              {"industries", std::move(industries)}};
}

}  // namespace tobops::ops
