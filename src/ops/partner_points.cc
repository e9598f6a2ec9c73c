#include "ops/partner_points.h"

#include <cstdlib>
#include <vector>

#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

const char* const kKinds[] = {"quote", "presales", "delivery_rating", "reward", "penalty", "redemption"};

// The partner's balance without the entry `except_id`, read with the writing
// transaction's connection (the hook cannot go through RecordStore: it holds the lock).
Result<int64_t> BalanceExcept(domain::SqliteConnection& conn, const std::string& project_id,
                              int64_t partner_id, int64_t except_id) {
  ASSIGN_OR_RETURN(domain::SqliteStatement stmt,
                   conn.Prepare("SELECT COALESCE(SUM(points), 0) FROM point_entries "
                                "WHERE project_id = ? AND partner_id = ? AND id <> ?"));
  RETURN_IF_ERROR(stmt.BindText(1, project_id));
  RETURN_IF_ERROR(stmt.BindInt64(2, partner_id));
  RETURN_IF_ERROR(stmt.BindInt64(3, except_id));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

Status CheckEntry(domain::SqliteConnection& conn, const std::string& project_id, const json* before,
                  const json* after) {
  // The generic update and delete refuse append-only records before any hook runs; a
  // system path that still changes an entry (UpsertByKey on idempotency_key) is refused
  // here, so the ledger's history can never be rewritten.
  if (before != nullptr) {
    return FailedPrecondition("point_entries are append-only: add a correcting points entry instead");
  }
  if (after == nullptr) return Status::Ok();
  const std::string kind = TextOf(*after, "kind");
  const int64_t points = IntegerOf(*after, "points");
  if (IsEarnKind(kind)) {
    if (points <= 0)
      return InvalidArgument("a " + kind + " entry adds points: points must be above 0", "points");
    return Status::Ok();
  }
  if (points >= 0) {
    return InvalidArgument("a " + kind +
                               " entry is stored negative: points must be below 0 "
                               "(POST /api/partners/ID/points takes the positive amount)",
                           "points");
  }
  if (kind != "redemption") return Status::Ok();  // a penalty may overdraw (see the header)
  ASSIGN_OR_RETURN(int64_t balance,
                   BalanceExcept(conn, project_id, IntegerOf(*after, "partner_id"), IntegerOf(*after, "id")));
  if (balance + points >= 0) return Status::Ok();
  return Status(StatusCode::kFailedPrecondition,
                "redemption of " + std::to_string(-points) + " points refused: balance " +
                    std::to_string(balance),
                "points");
}

// The partner's entries oldest first (record API form).
Result<std::vector<json>> EntriesOf(records::ResourceCatalog& catalog, const std::string& project_id,
                                    int64_t partner_id) {
  records::RecordStore& store = catalog.Get("point_entries");
  ASSIGN_OR_RETURN(records::RecordQuery query,
                   store.ParseQuery({{"partner_id", std::to_string(partner_id)},
                                     {"sort", "id"},
                                     {"order", "asc"},
                                     {"limit", std::to_string(records::RecordStore::kMaxListLimit)}},
                                    {}));
  ASSIGN_OR_RETURN(records::RecordPage page, store.List(project_id, query));
  return std::move(page.records);
}

// Sum of the partner's points over entries with id <= up_to_id.
Result<int64_t> BalanceUpTo(records::ResourceCatalog& catalog, const std::string& project_id,
                            int64_t partner_id, int64_t up_to_id) {
  ASSIGN_OR_RETURN(std::vector<json> entries, EntriesOf(catalog, project_id, partner_id));
  int64_t sum = 0;
  for (const auto& e : entries) {
    if (IntegerOf(e, "id") <= up_to_id) sum += IntegerOf(e, "points");
  }
  return sum;
}

int64_t StoredPoints(const PointsRequest& r) {
  return IsEarnKind(r.kind) ? r.points : -std::llabs(r.points);
}

bool SameEntry(const json& entry, int64_t partner_id, const PointsRequest& r) {
  return IntegerOf(entry, "partner_id") == partner_id && TextOf(entry, "kind") == r.kind &&
         IntegerOf(entry, "points") == StoredPoints(r) && TextOf(entry, "reason") == r.reason;
}

Result<PointsOutcome> Replay(records::ResourceCatalog& catalog, const std::string& project_id,
                             int64_t partner_id, const PointsRequest& r, const json& existing) {
  if (!SameEntry(existing, partner_id, r)) {
    return Status(StatusCode::kAlreadyExists,
                  "idempotency_key '" + r.idempotency_key + "' was already used for another entry (id " +
                      std::to_string(IntegerOf(existing, "id")) + "); use a new key for a new entry",
                  "idempotency_key");
  }
  PointsOutcome out;
  out.entry = existing;
  out.replayed = true;
  ASSIGN_OR_RETURN(out.balance, BalanceUpTo(catalog, project_id, partner_id, IntegerOf(existing, "id")));
  return out;
}

}  // namespace

bool IsEarnKind(const std::string& kind) {
  return kind == "quote" || kind == "presales" || kind == "delivery_rating" || kind == "reward";
}

void InstallPartnerPointsHooks(records::ResourceCatalog& catalog) {
  catalog.Get("point_entries").AddChangeHook(CheckEntry);
}

Result<PointsRequest> ParsePointsRequest(const json& body) {
  if (!body.is_object()) return InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (key != "kind" && key != "points" && key != "reason" && key != "idempotency_key")
      return InvalidArgument("unknown member '" + key + "'; expected kind, points, reason, idempotency_key",
                             key);
  }
  PointsRequest r;
  if (!body.contains("idempotency_key") || !body["idempotency_key"].is_string() ||
      body["idempotency_key"].get<std::string>().empty()) {
    return InvalidArgument("idempotency_key is required (a string unique to this entry, reused on retries)",
                           "idempotency_key");
  }
  r.idempotency_key = body["idempotency_key"].get<std::string>();
  if (r.idempotency_key.size() > 200) return InvalidArgument("idempotency_key is longer than 200 bytes", "idempotency_key");
  r.kind = TextOf(body, "kind");
  bool known = false;
  for (const char* k : kKinds) known = known || r.kind == k;
  if (!known) {
    return InvalidArgument(
        "kind must be one of quote, presales, delivery_rating, reward, penalty, redemption", "kind");
  }
  if (!body.contains("points") || !body["points"].is_number_integer())
    return InvalidArgument("points must be an integer", "points");
  r.points = body["points"].get<int64_t>();
  if (r.points == 0 || r.points > 1'000'000 || r.points < -1'000'000)
    return InvalidArgument("points must be a non-zero integer from -1000000 to 1000000", "points");
  if (IsEarnKind(r.kind) && r.points < 0)
    return InvalidArgument("a " + r.kind + " entry adds points: points must be above 0", "points");
  if (body.contains("reason") && !body["reason"].is_null()) {
    if (!body["reason"].is_string()) return InvalidArgument("reason must be a string", "reason");
    r.reason = body["reason"].get<std::string>();
  }
  return r;
}

Result<PointsOutcome> RecordPoints(records::ResourceCatalog& catalog, const std::string& project_id,
                                   int64_t partner_id, const PointsRequest& r) {
  records::RecordStore& entries = catalog.Get("point_entries");
  RETURN_IF_ERROR(catalog.Get("partners").Get(project_id, partner_id).status());
  auto existing = entries.FindBy(project_id, "idempotency_key", r.idempotency_key);
  if (existing.ok()) return Replay(catalog, project_id, partner_id, r, *existing);
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();

  json input = {{"partner_id", partner_id},
                {"kind", r.kind},
                {"points", StoredPoints(r)},
                {"idempotency_key", r.idempotency_key}};
  if (!r.reason.empty()) input["reason"] = r.reason;
  if (!r.recorded_by.empty()) input["recorded_by"] = r.recorded_by;
  auto created = entries.Create(project_id, input);
  if (!created.ok()) {
    // A concurrent request with the same key stored it first: answer as a replay.
    if (created.status().code() == StatusCode::kAlreadyExists) {
      auto winner = entries.FindBy(project_id, "idempotency_key", r.idempotency_key);
      if (winner.ok()) return Replay(catalog, project_id, partner_id, r, *winner);
    }
    return created.status();
  }
  PointsOutcome out;
  out.entry = std::move(*created);
  ASSIGN_OR_RETURN(out.balance, BalanceUpTo(catalog, project_id, partner_id, IntegerOf(out.entry, "id")));
  return out;
}

Result<json> BuildPartnerLedger(const OpsContext& ctx, int64_t partner_id) {
  ASSIGN_OR_RETURN(json partner, ctx.records->Get("partners").Get(ctx.project_id, partner_id));
  ASSIGN_OR_RETURN(std::vector<json> entries, EntriesOf(*ctx.records, ctx.project_id, partner_id));
  int64_t balance = 0, earned = 0, penalties = 0, redeemed = 0;
  json items = json::array();
  for (auto& e : entries) {
    const int64_t points = IntegerOf(e, "points");
    balance += points;
    const std::string kind = TextOf(e, "kind");
    if (IsEarnKind(kind)) earned += points;
    else if (kind == "penalty") penalties -= points;
    else if (kind == "redemption") redeemed -= points;
    e["balance"] = balance;
    items.push_back(std::move(e));
  }
  return json{{"partner", std::move(partner)}, {"entries", std::move(items)}, {"balance", balance},
              {"earned", earned}, {"penalties", penalties}, {"redeemed", redeemed}};
}

exporting::Table LedgerToTable(const json& ledger) {
  exporting::Table table;
  table.columns = {"id", "created_at", "kind", "points", "balance", "reason", "idempotency_key", "recorded_by"};
  auto text = [](const json& e, const char* f) -> exporting::TableCell {
    auto it = e.find(f);
    if (it == e.end() || !it->is_string()) return std::monostate{};
    return it->get<std::string>();
  };
  for (const auto& e : ledger["entries"]) {
    table.rows.push_back({static_cast<double>(IntegerOf(e, "id")), text(e, "created_at"), text(e, "kind"),
                          static_cast<double>(IntegerOf(e, "points")), static_cast<double>(IntegerOf(e, "balance")),
                          text(e, "reason"), text(e, "idempotency_key"), text(e, "recorded_by")});
  }
  return table;
}

}  // namespace tobops::ops
