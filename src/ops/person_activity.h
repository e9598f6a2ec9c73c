// File: ops/person_activity.h
// When people were last active, for the sales views that mark a contact or a
// decision-chain role as "active": the account overview (contacts with last_seen) and
// the decision-chain map (active people per role).
//
// Rules (docs/sales/views.md): the window of `days` is today and the days − 1 calendar
// days before it in the project's time zone, up to now — the window of the coverage and
// health kinds, so "active" reads the same on the account page and in the analytics.
// Activity is any event of the person (of any account) except the identity calls
// $identify, $group and $alias, which sync traits rather than show use (the same
// exclusion as health/coverage activity), and except record changes written as events
// (property $source = "records", ops/timeline_outbox): a visit logged or a stakeholder
// added is the sales team's doing, not the person's use of the product. Persons are canonical ids (identity graph).
// Thread-safety: reentrant functions; the scan runs on the context's query threads.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"
#include "query/record_events.h"

namespace tobops::ops {

// Record changes written as events carry $source = "records" (query/record_events.h);
// they are not activity here, as they are not in the health and coverage kinds.
using query::kRecordSourceProperty;
using query::kRecordSourceValue;

// The first instant of the window of `days` days ending now (see above).
int64_t ActivityWindowStartMs(const OpsContext& ctx, int64_t days);

// The latest activity event time (UTC ms, at or before now) of each of `persons`
// (canonical ids); persons without any are absent from the answer. One scan of the
// store's person, type and time columns up to now — no properties are read, so this
// costs about as much as one small trend query even on millions of events.
[[nodiscard]] Result<std::unordered_map<std::string, int64_t>> LastSeenOfPersons(
    const OpsContext& ctx, const std::unordered_set<std::string>& persons);

// LastSeenOfPersons for the persons of contact records (their person_id, resolved to
// the canonical person); the answer is keyed by canonical person id.
[[nodiscard]] Result<std::unordered_map<std::string, int64_t>> LastSeenOfContacts(
    const OpsContext& ctx, const std::vector<nlohmann::json>& contacts);

}  // namespace tobops::ops
