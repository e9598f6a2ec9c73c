// File: ops/campaign_reach.h
// Who a campaign or a content item reached, from the events: the people and accounts
// of events whose property (utm_campaign for a campaign, content_id for a content item)
// equals the key, within a time window, and the first and last such event. Shared by
// the campaign post-mortem (ops/campaign_postmortem.h) and the measures map
// (ops/campaign_measures.h); also the day arithmetic of a campaign's window.
// Activity rules: identity calls ($identify, $group, $alias) and record changes
// written as events ($source = "records") are not reach. Persons are canonical ids.
// Thread-safety: reentrant functions; the scan runs on the context's query threads.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// What the events attributed to one key reached.
struct Reach {
  std::unordered_set<std::string> persons;   // canonical person ids
  std::unordered_set<std::string> accounts;  // analytics account ids (never "")
  int64_t first_ms = std::numeric_limits<int64_t>::max();  // max when no event
  int64_t last_ms = std::numeric_limits<int64_t>::min();
  int64_t events = 0;
};

// A window [from_ms, to_ms) per key.
struct ReachWindow {
  int64_t from_ms = std::numeric_limits<int64_t>::min();
  int64_t to_ms = std::numeric_limits<int64_t>::max();
};

// One scan: for every key of `windows`, the events (at or before now) whose `property`
// is that text value and whose time is in the key's window. Keys without events are
// present with an empty Reach. Errors: the store's scan errors.
[[nodiscard]] Result<std::map<std::string, Reach>> ReachByProperty(const OpsContext& ctx,
                                                                   const std::string& property,
                                                                   const std::map<std::string, ReachWindow>& windows);

// A campaign's attribution window: from the start of starts_on (project zone) to the
// end of ends_on + 30 days (ends_on absent: starts_on; starts_on absent: unbounded on
// that side). `campaign` is a record in API form.
ReachWindow CampaignWindow(const OpsContext& ctx, const nlohmann::json& campaign);

// The first instant (UTC ms) of a YYYY-MM-DD day in the project zone; nullopt when
// the text is not a date.
std::optional<int64_t> DayStartMs(const OpsContext& ctx, const std::string& day);

}  // namespace tobops::ops
