// File: records/record_store.h
// RecordStore: generic persistence of one kind of operations record (a ResourceSpec)
// in its own SQLite table: create / get / update / delete / list with filters, search,
// sorting and paging, project-scoped references, unique keys, and — for records that
// are also kept up to date from events (accounts, contacts) — manual-edit protection:
// a field edited by a person is listed in `manual_fields` and a system update skips it
// until the person releases it.
//
// Table shape (see the migrations in domain/catalog_migrations.cc): id INTEGER PK,
// project_id, one column per field (lists and objects as JSON text, times as UTC ms),
// created_at_ms, updated_at_ms, and manual_fields (JSON text) when tracked.
// SQL dialect: only this file's .cc speaks SQL for records; it uses the subset that
// PostgreSQL also accepts except for the "?" placeholders and AUTOINCREMENT, which a
// PostgreSQL backend would swap (see docs/records.md).
//
// Callers: server/record_routes.cc (generic REST), ops/ services. A ChangeHook runs
// inside the writing transaction so a service can add rows atomically with the change
// (the timeline outbox does). Thread-safety: every method may be called concurrently
// (SqliteDatabase serialises).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"
#include "records/field_spec.h"

namespace tobops::records {

class ResourceCatalog;

struct RecordFilter {
  enum class Op { kEquals, kContains, kFrom, kTo };  // contains: an item of a list field
  std::string field;
  Op op = Op::kEquals;
  nlohmann::json value;  // normalized (see NormalizeValue)
};

struct RecordQuery {
  std::vector<RecordFilter> filters;
  std::string search;               // ?q=: any search field contains it
  std::string sort;                 // a field, "id", "created_at" or "updated_at"; empty = spec default
  std::optional<bool> descending;   // empty = spec default
  int64_t limit = 100;              // 1..kMaxListLimit
  int64_t offset = 0;
};

struct RecordPage {
  std::vector<nlohmann::json> records;
  int64_t total = 0;  // matching records, ignoring limit/offset
};

class RecordStore {
 public:
  static constexpr int64_t kMaxListLimit = 100'000;

  // Runs inside the transaction of every write. `before` is null on create, `after`
  // null on delete. Rows are in the stored form: every field, times as UTC ms, plus
  // id, created_at_ms, updated_at_ms. A non-OK status rolls the write back.
  using ChangeHook = std::function<Status(domain::SqliteConnection& conn, const std::string& project_id,
                                          const nlohmann::json* before, const nlohmann::json* after)>;

  RecordStore(domain::SqliteDatabase& db, const ResourceSpec& spec, const ResourceCatalog& catalog,
              domain::Clock clock = domain::SystemClock());

  const ResourceSpec& spec() const { return spec_; }
  // Adds a hook; hooks run in the order added. Add them before serving requests (the
  // list is not guarded: hooks are wiring, installed once at start).
  void AddChangeHook(ChangeHook hook) { hooks_.push_back(std::move(hook)); }

  // Validates and stores. Errors: kInvalidArgument naming every bad field (a reference
  // to a record missing from the project included); kAlreadyExists naming a unique field.
  [[nodiscard]] Result<nlohmann::json> Create(const std::string& project_id, const nlohmann::json& input);
  // Creates each input on its own terms in one transaction (a savepoint per record), so a
  // bad record is reported in its slot and never loses the good ones; far faster than
  // one Create per record (one fsync). out[i] is the record or the error of inputs[i].
  [[nodiscard]] Result<std::vector<Result<nlohmann::json>>> CreateMany(const std::string& project_id,
                                                                       const std::vector<nlohmann::json>& inputs);
  // Partial update of the members given. A person's edit (kUpdate) marks tracked fields
  // as manual. kNotFound when the record is not the project's.
  [[nodiscard]] Result<nlohmann::json> Update(const std::string& project_id, int64_t id,
                                              const nlohmann::json& patch);
  [[nodiscard]] Result<nlohmann::json> Get(const std::string& project_id, int64_t id);
  // kFailedPrecondition when other records still refer to it.
  [[nodiscard]] Status Delete(const std::string& project_id, int64_t id);
  [[nodiscard]] Result<RecordPage> List(const std::string& project_id, const RecordQuery& query);

  // The record whose `field` (a unique field) equals `value`; kNotFound when none.
  [[nodiscard]] Result<nlohmann::json> FindBy(const std::string& project_id, const std::string& field,
                                              const nlohmann::json& value);

  // System upsert keyed by the unique field `key_field` (values already trusted, as from
  // event traits): creates missing records, and on existing ones writes only the fields
  // that differ and are not manual (unless override_manual). One transaction for all.
  // Returns how many records were created or changed.
  [[nodiscard]] Result<size_t> UpsertByKey(const std::string& project_id, const std::string& key_field,
                                           const std::vector<nlohmann::json>& rows, bool override_manual);
  // Forgets that `fields` (all when empty) were edited by hand. kNotFound as Get.
  [[nodiscard]] Result<nlohmann::json> ReleaseManual(const std::string& project_id, int64_t id,
                                                     const std::vector<std::string>& fields);

  // Parses list query parameters (?stage=won&amount_from=10&q=acme&sort=amount&order=desc
  // &limit=50&offset=0) into a RecordQuery. Unknown parameters are errors naming them,
  // except the names in `ignored` (e.g. "format").
  [[nodiscard]] Result<RecordQuery> ParseQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                               const std::vector<std::string>& ignored) const;

 private:
  Result<nlohmann::json> GetLocked(domain::SqliteConnection& conn, const std::string& project_id, int64_t id);
  Status CheckReferences(domain::SqliteConnection& conn, const std::string& project_id,
                         const nlohmann::json& values);
  Status CheckUnique(domain::SqliteConnection& conn, const std::string& project_id,
                     const nlohmann::json& values, int64_t self_id);
  Result<nlohmann::json> InsertLocked(domain::SqliteConnection& conn, const std::string& project_id,
                                      const nlohmann::json& values);
  Result<nlohmann::json> UpdateLocked(domain::SqliteConnection& conn, const std::string& project_id,
                                      const nlohmann::json& before, const nlohmann::json& values,
                                      const std::vector<std::string>& manual_fields);
  void AddReferenceNames(domain::SqliteConnection& conn, const std::string& project_id,
                         std::vector<nlohmann::json>* records);

  domain::SqliteDatabase& db_;
  const ResourceSpec& spec_;
  const ResourceCatalog& catalog_;
  domain::Clock clock_;
  std::vector<ChangeHook> hooks_;
  Status RunHooks(domain::SqliteConnection& conn, const std::string& project_id, const nlohmann::json* before,
                  const nlohmann::json* after);
};

}  // namespace tobops::records
