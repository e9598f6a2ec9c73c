// File: ops/playbook_runner.h
// Runs customer-success playbooks: evaluates each playbook's rule (ops/playbook_rules.h)
// on every account record of the project and opens a task per matching account —
// owner the playbook's owner, else the account's owner, else "unassigned"; due in 3
// days (project zone); title the playbook's task_title, else its name; source
// "playbook"; reason the rule's sentence with its numbers. Never a second open task
// (status open or in_progress) for the same playbook and account: such a match is
// counted in skipped_open. Callers: server/success_routes.cc (POST /api/playbooks/run)
// and server/workspace.cc (on project open).
// Thread-safety: runs are serialised process-wide (a mutex), so an on-demand run and
// the run at start cannot both open a task for the same playbook and account.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// Runs every enabled playbook (enabled true or unset), or only playbook `id` (enabled
// or not: asked for by name). → {"runs":[{playbook_id, name, rule, matched, opened,
// skipped_open, "matches":[{account_id, account_name, reason, task_id, opened}]}]}.
// Errors: kNotFound for an unknown id; kInvalidArgument naming "window_days" /
// "threshold" of a playbook with bad settings (a run of all playbooks skips such a
// playbook and reports it as {"playbook_id","error"} instead); store/scan errors.
[[nodiscard]] Result<nlohmann::json> RunPlaybooks(const OpsContext& ctx, std::optional<int64_t> id);

}  // namespace tobops::ops
