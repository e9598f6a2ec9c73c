// File: ops/pipeline_forecast.h
// PipelineForecast: what the pipeline is worth — per stage (count, amount, weighted
// amount), the open opportunities per expected-close month, and the totals (open,
// weighted open, won, lost amounts), plus the same as one export table.
// Callers: server/pipeline_routes.cc (GET /api/pipeline/forecast[/export]).
// Thread-safety: free functions over the thread-safe record stores.
// See docs/sales/pipeline_and_reports.md "Forecast".
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"
#include "ops/pipeline_board.h"

namespace tobops::ops {

// {"by_stage":[{key,label,probability,outcome,count,amount,weighted_amount}] (every
//  configured stage in position order, then unconfigured stages in use),
//  "by_month":[{month:"2026-12"|null,count,amount,weighted_amount}] (open-outcome
//  opportunities by expected_close month ascending; those without a date last, month
//  null), "totals":{open_amount,weighted_amount (open only),won_amount,lost_amount}}.
// Errors: records.
[[nodiscard]] Result<nlohmann::json> BuildPipelineForecast(const OpsContext& ctx,
                                                           const PipelineFilter& filter);

// The forecast as one table: columns group (stage | month | total), key, count, amount,
// weighted_amount; one row per stage, per month, and per total.
exporting::Table ForecastToTable(const nlohmann::json& forecast);

}  // namespace tobops::ops
