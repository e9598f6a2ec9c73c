// File: ops/partner_points.h
// PartnerPoints: the points ledger of partners (records of the append-only
// `point_entries` resource) — recording an entry with an idempotency key, the balance
// rule that no request (repeated, concurrent, or the generic POST /api/point_entries)
// can break, and the ledger with its running balance.
//
// The balance of a partner is the sum of its entries' points. Earn kinds (quote,
// presales, delivery_rating, reward) are stored positive; penalty and redemption are
// stored negative. A redemption larger than the balance is refused. A penalty is not:
// it is a sanction, so it may take the balance below zero (redemptions are then
// refused until the partner earns it back).
//
// Callers: server/workspace.cc (InstallPartnerPointsHooks once at Open),
// server/partner_routes.cc, the demo. Thread-safety: free functions over the
// thread-safe record stores. The balance check runs in a change hook inside the
// writing transaction, which SqliteDatabase serialises, so check and append are one
// atomic step: two concurrent redemptions can never both spend the same points.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

// true for quote, presales, delivery_rating, reward (entries that add points).
bool IsEarnKind(const std::string& kind);

// Adds the hook on point_entries creates (every path: the partner route, the generic
// record routes, imports, the demo):
//  - earn kinds need points > 0, penalty / redemption points < 0: kInvalidArgument
//    naming "points";
//  - a redemption that would take the balance below zero: kFailedPrecondition
//    "redemption of X points refused: balance N" (N the balance before it).
// Call once per catalog, before serving requests.
void InstallPartnerPointsHooks(records::ResourceCatalog& catalog);

struct PointsRequest {
  std::string kind;
  int64_t points = 0;          // as given: penalty / redemption may be given positive
  std::string reason;
  std::string idempotency_key;
  std::string recorded_by;     // the user's name; not part of the replay comparison
};

// Reads {kind, points, reason?, idempotency_key} (no other members). Errors:
// kInvalidArgument naming the field (missing key, bad kind, points not a non-zero
// integer, an unknown member).
[[nodiscard]] Result<PointsRequest> ParsePointsRequest(const nlohmann::json& body);

struct PointsOutcome {
  nlohmann::json entry;  // the record (API form)
  bool replayed = false; // the key was used before with the same entry
  int64_t balance = 0;   // the partner's balance right after this entry (its id included)
};

// Appends one entry to the partner's ledger, stored sign-normalised (penalty and
// redemption negative). When an entry with the same idempotency key exists: the same
// partner, kind, stored points and reason → that entry with replayed = true; anything
// else → kAlreadyExists naming "idempotency_key". Errors: kNotFound (no such partner in
// the project), the hook's errors (kFailedPrecondition "… balance N"), record errors.
[[nodiscard]] Result<PointsOutcome> RecordPoints(records::ResourceCatalog& catalog,
                                                 const std::string& project_id, int64_t partner_id,
                                                 const PointsRequest& request);

// GET /api/partners/ID/ledger: {"partner":record, "entries":[entry + "balance" (running,
// oldest first)], "balance", "earned" (sum of earn entries), "penalties" and
// "redeemed" (positive sums)}. Errors: kNotFound, record errors.
[[nodiscard]] Result<nlohmann::json> BuildPartnerLedger(const OpsContext& ctx, int64_t partner_id);
exporting::Table LedgerToTable(const nlohmann::json& ledger);

}  // namespace tobops::ops
