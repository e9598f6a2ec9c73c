// File: ops/playbook_rules.h
// The customer-success playbook rules: what each rule measures on the events of an
// account and when it matches (docs/growth/customer_success.md, "Playbooks"). The
// runner (ops/playbook_runner.h) opens a task per matching account.
//
// Windows are calendar days in the project's time zone, as the health and coverage
// kinds count them: the window of W days is today and the W − 1 days before it, up to
// now; "the window before" is the W days just before that. Activity is any track /
// page / screen event of a person except record changes written as events
// ($source = "records"): the same activity as the account page and health.
//   active_seats_drop         distinct active persons of the account in the window
//                             (now) vs the window before (before); matches when
//                             before > 0 and (before − now) / before × 100 ≥ threshold.
//                             Defaults: threshold 30, window 30.
//   no_decision_maker_active  no contact of the account with role decision_maker is
//                             active in the account in the window. Accounts with
//                             lifecycle_stage "churned" are left out. Default window 30.
//   trial_low_feature_use     the account's lifecycle_stage is "trial" and the distinct
//                             values of feature_used.feature in the window < threshold.
//                             Defaults: threshold 3, window 14.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// What the rules read of one account over a window (keyed by analytics account id).
struct AccountWindowFacts {
  std::unordered_set<std::string> active_now;     // canonical persons active in the window
  std::unordered_set<std::string> active_before;  // ... in the window before it
  std::unordered_set<std::string> features;       // feature_used.feature values in the window
};

// The facts of every account with events in the window or the window before, for a
// window of `window_days` (1 – 3650) ending now. One scan of the store.
[[nodiscard]] Result<std::unordered_map<std::string, AccountWindowFacts>> ScanAccountWindows(
    const OpsContext& ctx, int64_t window_days);

// A playbook's rule settings with the defaults applied.
struct PlaybookRule {
  std::string rule;
  double threshold = 0;
  int64_t window_days = 0;
};
// From a playbook record. kInvalidArgument naming "rule", "threshold" (< 0, or a drop
// over 100 %) or "window_days" (1 – 3650).
[[nodiscard]] Result<PlaybookRule> RuleOf(const nlohmann::json& playbook);

// Why `account` (an account record) matches `rule`, as a sentence with the numbers,
// or nullopt when it does not. `facts` is the account's (null: no events at all);
// `decision_makers` the canonical persons of its contacts with role decision_maker.
std::optional<std::string> EvaluateRule(const PlaybookRule& rule, const nlohmann::json& account,
                                        const AccountWindowFacts* facts,
                                        const std::unordered_set<std::string>& decision_makers);

}  // namespace tobops::ops
