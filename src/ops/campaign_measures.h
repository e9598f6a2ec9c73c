// File: ops/campaign_measures.h
// The measures map (GET /api/campaigns/measures-map, server/campaign_routes.cc): every
// campaign and content item placed by how wide it reached (distinct people, accounts)
// and how long its influence lasted (days from the first to the last event attributed
// to it), for the console's scatter of wide/narrow × long/short measures.
// Attribution (docs/growth/campaigns_and_leads.md): a campaign's events have
// utm_campaign = its utm_campaign within its window (ops/campaign_reach.h), plus its
// attended members for reach; a content item's events have content_id = its
// content_key, from its published_on on. Records without a key have only members.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// {"items":[{"kind":"campaign"|"content","id","name","type","reach","accounts",
// "influence_days","events","first_at","last_at" (ISO or null)}]} — campaigns first,
// then content, each by id. Errors: record and store errors.
[[nodiscard]] Result<nlohmann::json> BuildMeasuresMap(const OpsContext& ctx);

}  // namespace tobops::ops
