#include "records/resource_catalog.h"

#include <cassert>
#include <cstdlib>

#include "records/record_store.h"
#include "records/growth_resources.h"
#include "records/sales_resources.h"

namespace tobops::records {

ResourceCatalog::ResourceCatalog(domain::SqliteDatabase& db, std::vector<ResourceSpec> specs, domain::Clock clock)
    : db_(db), specs_(std::move(specs)) {
  // specs_ never changes size after this point, so the stores may keep references.
  for (const auto& spec : specs_) stores_.emplace(spec.name, std::make_unique<RecordStore>(db, spec, *this, clock));
}

ResourceCatalog::~ResourceCatalog() = default;

const ResourceSpec* ResourceCatalog::FindSpec(std::string_view name) const {
  for (const auto& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

RecordStore* ResourceCatalog::Find(std::string_view name) const {
  auto it = stores_.find(name);
  return it == stores_.end() ? nullptr : it->second.get();
}

RecordStore& ResourceCatalog::Get(std::string_view name) const {
  RecordStore* store = Find(name);
  if (store == nullptr) std::abort();  // a resource name fixed in code must exist
  return *store;
}

std::vector<ResourceSpec> AllResources() {
  std::vector<ResourceSpec> all = SalesResources();
  for (auto& spec : GrowthResources()) all.push_back(std::move(spec));
  return all;
}

}  // namespace tobops::records
