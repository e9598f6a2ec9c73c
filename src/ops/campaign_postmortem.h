// File: ops/campaign_postmortem.h
// The campaign post-mortem (GET /api/campaigns/ID/postmortem and its export, server/
// campaign_routes.cc): cost, reach, who was reached (roles, account levels and
// industries), the leads and how they were followed up, and what came of it
// (opportunities, deals, ROI). Rules in docs/growth/campaigns_and_leads.md:
//  - reached people = attended members (by their contact's person, else the member
//    itself) ∪ persons of events with utm_campaign = the campaign's utm_campaign within
//    CampaignWindow (starts_on .. ends_on + 30 days); reached accounts likewise
//    (members' accounts ∪ the events' accounts);
//  - a person's role: the contact record's (by person_id), else the identity trait
//    "role", else the member's role; an account's level/industry: the account record's
//    (by group_id), else the group traits;
//  - opportunities / deals: of reached accounts (account records), created at or after
//    the start of starts_on; deals = those on a won stage; roi = (won amount − actual
//    cost) / actual cost, null without a cost.
// Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// Errors: kNotFound when the campaign is not the project's; store and record errors.
[[nodiscard]] Result<nlohmann::json> BuildCampaignPostmortem(const OpsContext& ctx, int64_t campaign_id);

// The post-mortem as rows of (section, item, value) for CSV/XLSX.
exporting::Table PostmortemToTable(const nlohmann::json& postmortem);

}  // namespace tobops::ops
