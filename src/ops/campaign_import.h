// File: ops/campaign_import.h
// CSV attendee import for a campaign (POST /api/campaigns/ID/members/import, server/
// campaign_routes.cc): each CSV row becomes a campaign_members record matched to the
// CRM — the contact by email (case-insensitive), else by phone (digits only); the
// account by the matched contact's account, else by company = account name
// (case-insensitive, trimmed). See docs/growth/campaigns_and_leads.md.
// Thread-safety: reentrant; the records are written in one transaction (CreateMany).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// `csv`: a header line naming columns among name, email, phone, company, title, role,
// status (any order; name required; unknown columns are an error naming the column),
// then one member per line. Rows are imported on their own terms: a bad row is
// reported and the good ones are stored.
// Answer: {"accepted","rejected","matched_contacts","matched_accounts" (accepted members
// matched to a contact / an account), "errors":[{line (1-based physical line of the
// file), field, message}], "members":[created records]}.
// Errors: kNotFound when the campaign is not the project's; kInvalidArgument naming
// "csv" for an empty file or a bad header.
[[nodiscard]] Result<nlohmann::json> ImportCampaignMembers(const OpsContext& ctx, int64_t campaign_id,
                                                          const std::string& csv);

}  // namespace tobops::ops
