#include "ops/pipeline_board.h"

#include <cmath>
#include <map>

#include "ops/pipeline_stages.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

json Card(const json& o) {
  json card = json::object();
  for (const char* field : {"id", "name", "account_id", "account_name", "amount", "owner",
                            "expected_close", "stage", "updated_at"}) {
    card[field] = o.contains(field) ? o[field] : json(nullptr);
  }
  return card;
}

}  // namespace

Result<std::vector<json>> ListPipelineOpportunities(const OpsContext& ctx,
                                                    const PipelineFilter& filter) {
  records::RecordStore& store = ctx.records->Get("opportunities");
  std::vector<std::pair<std::string, std::string>> params;
  if (!filter.owner.empty()) params.emplace_back("owner", filter.owner);
  if (!filter.q.empty()) params.emplace_back("q", filter.q);
  ASSIGN_OR_RETURN(records::RecordQuery query, store.ParseQuery(params, {}));
  query.limit = records::RecordStore::kMaxListLimit;
  query.sort = "updated_at";
  query.descending = true;
  ASSIGN_OR_RETURN(records::RecordPage page, store.List(ctx.project_id, query));
  return std::move(page.records);
}

double OpportunityAmount(const json& opportunity) {
  auto it = opportunity.find("amount");
  return it != opportunity.end() && it->is_number() ? it->get<double>() : 0.0;
}

double WeightedAmount(double amount, double probability) {
  return std::round(amount * probability) / 100.0;  // amount × p ÷ 100, to cents
}

double RoundCents(double value) { return std::round(value * 100.0) / 100.0; }

Result<json> BuildPipelineBoard(const OpsContext& ctx, const PipelineFilter& filter) {
  RETURN_IF_ERROR(EnsureDefaultStages(ctx));
  ASSIGN_OR_RETURN(std::vector<PipelineStage> stages, LoadStages(*ctx.records, ctx.project_id));
  ASSIGN_OR_RETURN(std::vector<json> opportunities, ListPipelineOpportunities(ctx, filter));

  std::map<std::string, size_t> column_of;
  json columns = json::array();
  auto add_column = [&](const PipelineStage& s) {
    column_of[s.key] = columns.size();
    columns.push_back({{"key", s.key},
                       {"label", s.label},
                       {"probability", s.probability},
                       {"outcome", s.outcome},
                       {"count", 0},
                       {"amount", 0.0},
                       {"weighted_amount", 0.0},
                       {"opportunities", json::array()}});
  };
  for (const auto& s : stages) add_column(s);
  for (const auto& o : opportunities) {
    const std::string stage = o.value("stage", std::string());
    if (!column_of.count(stage)) add_column({stage, stage, 0, 0, "open"});
    json& column = columns[column_of[stage]];
    const double amount = OpportunityAmount(o);
    column["count"] = column["count"].get<int64_t>() + 1;
    column["amount"] = RoundCents(column["amount"].get<double>() + amount);
    column["weighted_amount"] =
        RoundCents(column["weighted_amount"].get<double>() +
                   WeightedAmount(amount, column["probability"].get<double>()));
    column["opportunities"].push_back(Card(o));
  }
  return json{{"stages", std::move(columns)}};
}

}  // namespace tobops::ops
