#include "ops/pipeline_forecast.h"

#include <map>
#include <optional>

namespace tobops::ops {

using nlohmann::json;

Result<json> BuildPipelineForecast(const OpsContext& ctx, const PipelineFilter& filter) {
  // The board already groups by stage with the same sums; the forecast reuses it.
  ASSIGN_OR_RETURN(json board, BuildPipelineBoard(ctx, filter));
  json by_stage = json::array();
  struct MonthSum {
    int64_t count = 0;
    double amount = 0;
    double weighted = 0;
  };
  // "" sorts first in a std::map; months without a date go last, so keep them apart.
  std::map<std::string, MonthSum> months;
  MonthSum undated;
  double open_amount = 0, weighted = 0, won = 0, lost = 0;
  for (const auto& column : board["stages"]) {
    by_stage.push_back({{"key", column["key"]},
                        {"label", column["label"]},
                        {"probability", column["probability"]},
                        {"outcome", column["outcome"]},
                        {"count", column["count"]},
                        {"amount", column["amount"]},
                        {"weighted_amount", column["weighted_amount"]}});
    const std::string outcome = column["outcome"].get<std::string>();
    const double probability = column["probability"].get<double>();
    if (outcome == "won") won = RoundCents(won + column["amount"].get<double>());
    if (outcome == "lost") lost = RoundCents(lost + column["amount"].get<double>());
    if (outcome != "open") continue;
    open_amount = RoundCents(open_amount + column["amount"].get<double>());
    weighted = RoundCents(weighted + column["weighted_amount"].get<double>());
    for (const auto& card : column["opportunities"]) {
      const double amount = OpportunityAmount(card);
      // expected_close is YYYY-MM-DD; its first 7 characters are the month.
      MonthSum& sum = card["expected_close"].is_string()
                          ? months[card["expected_close"].get<std::string>().substr(0, 7)]
                          : undated;
      sum.count += 1;
      sum.amount = RoundCents(sum.amount + amount);
      sum.weighted = RoundCents(sum.weighted + WeightedAmount(amount, probability));
    }
  }
  json by_month = json::array();
  for (const auto& [month, sum] : months) {
    by_month.push_back({{"month", month},
                        {"count", sum.count},
                        {"amount", sum.amount},
                        {"weighted_amount", sum.weighted}});
  }
  if (undated.count > 0) {
    by_month.push_back({{"month", nullptr},
                        {"count", undated.count},
                        {"amount", undated.amount},
                        {"weighted_amount", undated.weighted}});
  }
  return json{{"by_stage", std::move(by_stage)},
              {"by_month", std::move(by_month)},
              {"totals",
               {{"open_amount", open_amount},
                {"weighted_amount", weighted},
                {"won_amount", won},
                {"lost_amount", lost}}}};
}

exporting::Table ForecastToTable(const json& forecast) {
  exporting::Table table;
  table.columns = {"group", "key", "count", "amount", "weighted_amount"};
  auto number = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    return std::monostate{};
  };
  for (const auto& s : forecast["by_stage"]) {
    table.rows.push_back({std::string("stage"), s["key"].get<std::string>(), number(s["count"]),
                          number(s["amount"]), number(s["weighted_amount"])});
  }
  for (const auto& m : forecast["by_month"]) {
    table.rows.push_back({std::string("month"),
                          m["month"].is_string() ? m["month"].get<std::string>() : std::string(),
                          number(m["count"]), number(m["amount"]), number(m["weighted_amount"])});
  }
  const json& t = forecast["totals"];
  table.rows.push_back({std::string("total"), std::string("open"), std::monostate{},
                        number(t["open_amount"]), number(t["weighted_amount"])});
  table.rows.push_back({std::string("total"), std::string("won"), std::monostate{},
                        number(t["won_amount"]), std::monostate{}});
  table.rows.push_back({std::string("total"), std::string("lost"), std::monostate{},
                        number(t["lost_amount"]), std::monostate{}});
  return table;
}

}  // namespace tobops::ops
