// File: ops/presales_brief.h
// PresalesBrief: what to know and bring before the next customer meeting of an
// opportunity — the customer's profile, the brief record (process, needs, fit, our
// team), who is expected to attend, and the materials that fit the stage, those roles
// and the industry. Answer shape and the matching rule: docs/sales/views.md
// ("GET /api/opportunities/ID/brief"). Caller: server/sales_view_routes.cc.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// True when `material` fits: its `stages` are empty or contain `stage`, its `roles`
// are empty or share a value with `roles`, and its `industries` are empty or contain
// `industry`. Values compare exactly (case-sensitive).
bool MaterialMatches(const nlohmann::json& material, const std::string& stage, const std::vector<std::string>& roles,
                     const std::string& industry);

// The brief of opportunity `opportunity_id`. Errors: kNotFound for an opportunity not
// of the project; record store errors.
[[nodiscard]] Result<nlohmann::json> PresalesBrief(const OpsContext& ctx, int64_t opportunity_id);

}  // namespace tobops::ops
