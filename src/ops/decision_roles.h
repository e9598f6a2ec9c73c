// File: ops/decision_roles.h
// DecisionRoles: the decision-chain roles of a project, in chain order — the default
// five (user, evaluator, budget_holder, decision_maker, signer) and then any other role
// that contacts carry, alphabetically. Callers: the decision-chain map, the account
// page and the weekly report. Thread-safety: reads the record store (thread-safe).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

[[nodiscard]] Result<std::vector<std::string>> DecisionRoles(const OpsContext& ctx);

}  // namespace tobops::ops
