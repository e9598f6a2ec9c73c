// File: ops/decision_chain.h
// DecisionChain: the decision-chain map of an opportunity — for each role of the chain,
// whether we have met someone in it (a stakeholder of the opportunity, or a customer
// attendee of one of its held visits), whether people in it are active in the product
// lately (events), and so its status; plus the drivers and frictions noted per
// decision step. Answer shape and rules: docs/sales/views.md
// ("GET /api/opportunities/ID/decision-chain"). Caller: server/sales_view_routes.cc.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The map of opportunity `opportunity_id` with activity over `days` days (1 – 3650).
// Errors: kInvalidArgument naming "days"; kNotFound for an opportunity not of the
// project; record store and scan errors.
[[nodiscard]] Result<nlohmann::json> DecisionChain(const OpsContext& ctx, int64_t opportunity_id, int64_t days);

}  // namespace tobops::ops
