// File: ops/lead_scoring.h
// Lead scoring (0 – 100) with its explanation, and first-response time. Callers:
// server/campaign_routes.cc (POST /api/leads/score, GET /api/leads/ID/score, and the
// recompute after a lead is created or updated through the record routes).
//
// score = fit (0 – 60) + behaviour (0 – 40), docs/growth/campaigns_and_leads.md:
//  fit — targets are the lead's campaign's target_industries / target_roles when set,
//        else the union over the project's campaigns ("the project's targets"):
//   industry 25 when the lead's account industry is a target (case-insensitive);
//   size     15 for 1000+ employees, 10 for 201 – 999, 5 for 51 – 200, else 0 (the
//            account's employees, else the lower bound of its size band "201-1000");
//   role     20 when the lead's contact role is a target role.
//  behaviour — events in the last 30 days (ActivityWindowStartMs; identity calls and
//   record changes excluded, as for activity):
//   person   4 per event of the lead's person, at most 28;
//   account  1 per event of other people of the lead's account, at most 12.
// The lead's account: account_id, else its contact's account. Its person: the
// contact's person_id (canonical).
// first_response_hours = (first_response_at − created_at) in hours, one decimal; null
// when not yet answered.
// Thread-safety: reentrant; the score is written with one UPDATE per lead (score is a
// read-only field: no record hook or timeline event, updated_at unchanged, since the
// score is derived data rather than an edit).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The explanation of one lead's score: {"lead_id","score","fit":{"points","industry":
// {points,max,value,targets,matched},"size":{points,max,value,employees},"role":{points,
// max,value,targets,matched}},"behaviour":{"points","days":30,"person":{points,max,
// events},"account":{points,max,events}},"targets_from":"campaign"|"project",
// "first_response_hours"}. Does not write. Errors: kNotFound for another project's lead.
[[nodiscard]] Result<nlohmann::json> ExplainLeadScore(const OpsContext& ctx, int64_t lead_id);

// Recomputes and stores the score of the given leads (all of the project when `ids` is
// empty) → {"scored":N,"leads":[{"id","score"}]}. Errors: kNotFound for an id not the
// project's; record and store errors.
[[nodiscard]] Result<nlohmann::json> RecomputeLeadScores(const OpsContext& ctx, const std::vector<int64_t>& ids);

// Hours from created_at to first_response_at of a lead in API form, one decimal;
// nullopt when either is missing.
std::optional<double> FirstResponseHours(const nlohmann::json& lead);

}  // namespace tobops::ops
