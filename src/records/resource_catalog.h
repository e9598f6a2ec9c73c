// File: records/resource_catalog.h
// ResourceCatalog: every kind of operations record tobops knows (its ResourceSpec), by
// name, and one RecordStore per kind on a catalog database. Built once per Workspace.
// Callers: server/ (generic routes, schema endpoint), ops/ services.
// Thread-safety: immutable after construction; the stores are thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/clock.h"
#include "domain/sqlite_database.h"
#include "records/field_spec.h"

namespace tobops::records {

class RecordStore;

class ResourceCatalog {
 public:
  ResourceCatalog(domain::SqliteDatabase& db, std::vector<ResourceSpec> specs,
                  domain::Clock clock = domain::SystemClock());
  ~ResourceCatalog();

  const std::vector<ResourceSpec>& specs() const { return specs_; }
  // The catalog database the records live in (for services that add their own rows in
  // a record's transaction, such as the timeline outbox).
  domain::SqliteDatabase& database() const { return db_; }
  // Null when no such resource.
  const ResourceSpec* FindSpec(std::string_view name) const;
  RecordStore* Find(std::string_view name) const;
  // CHECKs that the resource exists (for names fixed in code).
  RecordStore& Get(std::string_view name) const;

 private:
  domain::SqliteDatabase& db_;
  std::vector<ResourceSpec> specs_;
  std::map<std::string, std::unique_ptr<RecordStore>, std::less<>> stores_;
};

// Every record kind of the product: the sales workspace (records/sales_resources.h) and
// the marketing, success and partner workspace (records/growth_resources.h).
std::vector<ResourceSpec> AllResources();

}  // namespace tobops::records
