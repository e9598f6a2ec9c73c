// File: ops/milestone_progress.h
// An account's milestones (onboarding / adoption steps) in order, with progress:
// GET /api/accounts/ID/milestones. Caller: server/success_routes.cc.
// Rules (docs/growth/customer_success.md): order by position (milestones without a
// position last), then due_date, then id; a milestone is done when its status is
// "done"; progress = done / all × 100, rounded to one decimal (0 with no milestones);
// a milestone is overdue when not done and its due_date is before today (project zone).
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// → {"account_id","account_name","milestones":[record + "overdue"],"total","done",
// "progress" (percent), "next": the first milestone not done | null}.
// Errors: kNotFound when the account is not the project's; store errors.
[[nodiscard]] Result<nlohmann::json> AccountMilestones(const OpsContext& ctx, int64_t account_id);

}  // namespace tobops::ops
