// File: ops/account_timeline.h
// AccountTimeline: the one activity timeline of an account — every event stored with
// the account (product use, identify/group calls, and record changes, which the
// timeline outbox writes as events), newest first, each linked to its contact and, for
// a record change, to the record. Answer shape and paging rule: docs/sales/views.md
// ("GET /api/accounts/ID/timeline"). Caller: server/sales_view_routes.cc.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

inline constexpr int64_t kTimelineMaxLimit = 500;

// One page of account `account_id`'s events strictly before `before_ms` (all when
// empty), at least `limit` (1 – 500) events when there are that many, plus any more
// events sharing the last one's millisecond, so that `next_before` (that
// millisecond) starts the next page without skipping or repeating events.
// Errors: kInvalidArgument naming "limit"; kNotFound for an account not of the project.
[[nodiscard]] Result<nlohmann::json> AccountTimeline(const OpsContext& ctx, int64_t account_id, int64_t limit,
                                                     std::optional<int64_t> before_ms);

}  // namespace tobops::ops
