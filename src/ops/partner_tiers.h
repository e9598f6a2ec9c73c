// File: ops/partner_tiers.h
// PartnerTiers: partner tiers and the priority ranking. A partner's tier points are
// the points earned in the last 12 months (earn entries: quote, presales,
// delivery_rating, reward) minus the penalties of the same 12 months, never below 0;
// redemptions do not lower them (spending points is not a step down).
// Tiers: bronze < 500 ≤ silver < 2000 ≤ gold < 5000 ≤ platinum. The ranking orders
// partners by tier points (more first, then name) and gives each its priority rank
// (equal points share a rank: 1, 1, 3), next tier and the points still to go.
// Callers: server/partner_routes.cc, the console (via the route).
// Thread-safety: pure functions; BuildPartnerRanking reads the thread-safe stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The window of the tier points: entries created at or after now − 365 days.
constexpr int64_t kTierWindowMs = 365LL * 24 * 3600 * 1000;

struct TierStanding {
  std::string tier;                  // bronze | silver | gold | platinum
  std::optional<std::string> next;   // none for platinum
  int64_t points_to_next = 0;        // 0 for platinum
  double progress = 100;             // % of the way from this tier's floor to the next, 1 decimal
};

// The standing of `points` tier points (negative counts as 0).
TierStanding TierFor(int64_t points);

// GET /api/partners/ranking: {"window":{"from","to"} (ISO), "tiers":[{"tier","min"}],
// "items":[{"rank","partner_id","name","kind","certification","region","owner",
// "earned_12m","penalties_12m","points_12m" (the tier points),"balance" (all time),
// "tier","next_tier"|null,"points_to_next","progress"}]}. Errors: record errors.
[[nodiscard]] Result<nlohmann::json> BuildPartnerRanking(const OpsContext& ctx);
exporting::Table RankingToTable(const nlohmann::json& ranking);

}  // namespace tobops::ops
