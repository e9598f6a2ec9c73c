// File: ops/record_sync.h
// RecordSync: keeps the accounts and contacts records up to date from the identity
// graph — a group call's account (keyed by group_id) becomes an account record, an
// identified person (keyed by the canonical person id) a contact linked to the account
// record of the person's current account. Writes go through RecordStore::UpsertByKey,
// so fields a person edited by hand (manual_fields) are never overwritten, and a
// record whose traits did not change is not written at all.
//
// Trait → field mapping (docs/sales/sync_and_timeline.md):
//   account: group_id; name (else group_id); industry, size, region, level, owner, plan,
//            arr, seats, lifecycle_stage, renewal_date; traits = every trait.
//   contact: person_id; name (else first_name + last_name, else email, else person_id);
//            email, phone, title, role; account_id; traits = every trait.
// A trait that does not fit its field (arr "lots", a 60-byte role) is left out of that
// field only; the rest of the record still syncs, and the value stays in `traits`.
//
// Callers: server/workspace.cc (SyncAll when a project opens, SyncTouched after each
// ingest request that carried identify / group / alias), app/ (SyncAll after import),
// server/sync_routes.cc (Release). Thread-safety: stateless; every function may run
// concurrently (the record stores serialise their transactions).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

struct SyncCounts {
  size_t accounts_written = 0;  // records created or changed
  size_t contacts_written = 0;
};

class RecordSync {
 public:
  // Reconciles every account and every identified person of ctx.identity (one upsert
  // transaction for the accounts, one for the contacts). Idempotent: a second run
  // writes nothing. Errors: the record store's (catalog I/O).
  [[nodiscard]] static Result<SyncCounts> SyncAll(const OpsContext& ctx);

  // Syncs just these persons (any of their ids; resolved to canonical persons) and
  // accounts (group ids); a person's account that has no record yet gets one. Does
  // nothing when both lists are empty. Errors as SyncAll.
  [[nodiscard]] static Result<SyncCounts> SyncTouched(const OpsContext& ctx, const std::vector<std::string>& person_ids,
                                                      const std::vector<std::string>& account_ids);

  // Forgets the manual edits of `fields` (all when empty) of an account or contact
  // (`resource` "accounts" or "contacts"), then writes the record's current traits
  // into the released fields. Returns the record in API form. Errors: kNotFound for
  // an unknown id, kInvalidArgument naming "fields" for an unknown field.
  [[nodiscard]] static Result<nlohmann::json> Release(const OpsContext& ctx, const std::string& resource, int64_t id,
                                                      const std::vector<std::string>& fields);

  // The record values for one account / person from its traits (exposed for tests).
  // Fields whose trait is absent or invalid are not in the result.
  static nlohmann::json AccountRow(const std::string& group_id, const ingest::Traits& traits);
  static nlohmann::json ContactRow(const std::string& person_id, const ingest::Traits& traits);

  // True for a person that gets a contact: a known user id (not "anon:…") with traits
  // or an account.
  static bool IsIdentified(const std::string& person_id, const ingest::Traits& traits, const std::string& account);
};

}  // namespace tobops::ops
