// File: ops/account_overview.h
// AccountOverview: the account page's one answer — the account record, its people
// grouped by decision-chain role (active or not lately), its opportunities, latest
// visits, open follow-ups, renewal, onboarding milestones with their progress
// (ops/milestone_progress.h), and the health and role-coverage rows the
// analytics compute for it. Answer shape and rules: docs/sales/views.md
// ("GET /api/accounts/ID/overview"). Caller: server/sales_view_routes.cc.
// Thread-safety: reentrant (reads records and runs analytics through the context).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The overview of account `account_id` over a window of `days` days (1 – 3650).
// Errors: kInvalidArgument naming "days"; kNotFound when the account is not the
// project's; errors of the record store or the analytics engine.
[[nodiscard]] Result<nlohmann::json> AccountOverview(const OpsContext& ctx, int64_t account_id, int64_t days);

}  // namespace tobops::ops
