// File: query/account_activity.h
// AccountActivity: what each account did over the last N calendar days — active persons,
// active person-days, last activity, distinct features used — next to what the identity
// graph knows of it: its current traits, its persons (members) and their roles. The input
// of the per-account views "health" (health_query.h) and "coverage" (coverage_query.h),
// which turn these counts into scores; docs/analytics/health.md defines the counts.
//
// Activity is every event attributed to the account (the rows TimelineScan keeps by
// account) except the identity calls $identify, $group and $alias, which sync state
// rather than show use. One pass folds rows straight into per-account counts and
// compact (person, day) and feature tuples, deduplicated per account afterwards.
// Thread-safety: CollectAccountActivity is reentrant; it scans with ctx.threads workers.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ingest/identity_graph.h"
#include "query/property_filter.h"
#include "query/query_context.h"

namespace tobops::query {

struct AccountActivityRequest {
  int days = 30;                        // the window: today and the days - 1 before it
  // Event and person filters choose the events that count; account filters also choose
  // the accounts listed. All must hold.
  std::vector<PropertyFilter> filters;
  std::vector<std::string> roles;       // person trait `role` values to count
  std::string feature_event;            // empty: features are not counted
  std::string feature_property;         // event property naming the feature
};

struct RoleActivity {
  int64_t known = 0;   // members (current account) whose current role is this one
  int64_t active = 0;  // of those, members with an activity event of the account in the window
};

struct AccountActivity {
  std::string account;
  const ingest::Traits* traits = nullptr;  // current traits (empty when only events name it); never null,
                                           // owned by the AccountActivityResult
  int64_t events = 0;               // activity events in the window
  int64_t active_persons = 0;       // distinct canonical persons with an activity event
  int64_t active_person_days = 0;   // distinct (person, calendar day) pairs of those events
  int64_t known_persons = 0;        // members: persons whose current account this is
  std::optional<int64_t> last_active_ms;  // latest activity event in the window
  int64_t features_used = 0;        // distinct feature values in the window
  std::vector<RoleActivity> roles;  // one per request.roles
};

struct AccountActivityResult {
  int64_t from_ms = 0;              // start of the first day of the window
  int64_t to_ms = 0;                // now + 1 ms (events up to and including now)
  int64_t today_start_ms = 0;       // start of today, for "days since"
  int64_t features_any = 0;         // distinct features used by any listed account
  std::vector<AccountActivity> accounts;  // sorted by account id
  // What AccountActivity::traits point into: the graph's account book, and copies of
  // the traits of accounts that account cohorts add to.
  std::shared_ptr<const ingest::AccountBook> book;
  std::deque<ingest::Traits> merged_traits;
};

// Lists every account that has an activity event in the window or is known to the
// identity graph (a `group` call) and passes the account filters, with its counts.
// Errors: kInvalidArgument for days outside 1..3650; store errors pass through.
Result<AccountActivityResult> CollectAccountActivity(const AccountActivityRequest& request,
                                                     const QueryContext& ctx);

// The "roles" member of a spec: 1 to 20 distinct non-empty role names; `fallback` when
// absent. Errors name "roles" or "roles[i]".
Result<std::vector<std::string>> ParseRoles(const nlohmann::json& spec,
                                            const std::vector<std::string>& fallback);

// Calendar days from the day holding `utc_ms` to today (0 = today), in ctx.zone.
int64_t DaysBefore(int64_t today_start_ms, int64_t utc_ms, const cctz::time_zone& zone);

}  // namespace tobops::query
