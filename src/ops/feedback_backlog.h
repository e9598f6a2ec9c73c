// File: ops/feedback_backlog.h
// FeedbackBacklog: the product-feedback items of a project ranked by the revenue behind
// them — each item with its accounts (id, name, arr), `arr_behind` = the sum of the arr
// of its distinct accounts (an account without arr adds 0) and `weight` = arr_behind;
// sorted by weight descending, ties by number of accounts descending, then newest
// (created_at, then id) first. Callers: server/pipeline_routes.cc
// (GET /api/feedback/backlog[/export]). Thread-safety: free functions over the
// thread-safe record stores. See docs/sales/pipeline_and_reports.md "Feedback backlog".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// {"items":[feedback record (API form) + "accounts":[{id,name,arr}], "arr_behind",
// "weight"]}. `status` (empty = all) must be a feedback status: kInvalidArgument naming
// "status" otherwise. Errors: records.
[[nodiscard]] Result<nlohmann::json> BuildFeedbackBacklog(const OpsContext& ctx,
                                                          const std::string& status);

// The backlog as a table: the feedback fields (records::RecordsToTable), then
// account_names ("; "-joined), accounts (count), arr_behind and weight.
exporting::Table BacklogToTable(const OpsContext& ctx, const nlohmann::json& backlog);

}  // namespace tobops::ops
