// File: ops/pipeline_board.h
// PipelineBoard: the kanban view of a project's opportunities — one column per
// pipeline stage (position order) with its cards, count, amount and weighted amount
// (amount × the stage's probability ÷ 100). Moving a card is an ordinary PATCH of the
// opportunity's stage (validated by the pipeline hooks, ops/pipeline_stages.h).
// Callers: server/pipeline_routes.cc (GET /api/pipeline/board), the forecast.
// Thread-safety: free functions over the thread-safe record stores.
// See docs/sales/pipeline_and_reports.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// Which opportunities a pipeline view covers: `owner` exact (empty = all), `q` the
// opportunities' search (name, owner, partner contain it; empty = all).
struct PipelineFilter {
  std::string owner;
  std::string q;
};

// The project's opportunities (API form) passing `filter`, newest update first.
[[nodiscard]] Result<std::vector<nlohmann::json>> ListPipelineOpportunities(
    const OpsContext& ctx, const PipelineFilter& filter);

// An opportunity's amount (0 when absent) and amount × probability ÷ 100, rounded to cents.
double OpportunityAmount(const nlohmann::json& opportunity);
double WeightedAmount(double amount, double probability);
// Money sums are kept to cents so repeated additions do not show binary noise.
double RoundCents(double value);

// {"stages":[{key,label,probability,outcome,count,amount,weighted_amount,
//   "opportunities":[{id,name,account_id,account_name,amount,owner,expected_close,stage,
//   updated_at}]}]}. Opportunities on a stage that is no longer configured get a column
// of their own after the configured ones (probability 0, outcome "open"), so no card
// disappears. Seeds the default stages when the project has none. Errors: records.
[[nodiscard]] Result<nlohmann::json> BuildPipelineBoard(const OpsContext& ctx,
                                                        const PipelineFilter& filter);

}  // namespace tobops::ops
