// File: query/block_filters.h
// BlockFilters: a list of PropertyFilters bound to one ColumnBlock, so that the row
// loop of a kernel tests a row with table lookups only. Binding evaluates each filter
// once per dictionary entry (event property values, the block's persons, its accounts)
// rather than once per row. Person and account traits come from the identity graph as
// they are now (docs/analytics.md "Filters").
// Thread-safety: one instance per worker; Bind then Pass from the same thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/identity_graph.h"
#include "query/query_context.h"
#include "query/property_filter.h"
#include "store/event_store.h"

namespace tobops::query {

// The value of `key` in sorted `traits`; monostate when absent.
store::PropertyValue FindTrait(const ingest::Traits& traits, std::string_view key);
// The same without copies, for loops over many entities: nullptr when absent.
using ingest::FindTraitIn;

// A person's (canonical id) or an account's current traits plus the virtual cohort
// traits of the query (QueryContext::cohorts), for kernels that read traits directly.
ingest::Traits PersonTraitsOf(const QueryContext& ctx, const std::string& canonical);
ingest::Traits AccountTraitsOf(const QueryContext& ctx, const std::string& account);
// Adds the query's cohort traits of an account to `traits` (sorted).
void AddAccountCohortTraits(const QueryContext& ctx, const std::string& account, ingest::Traits* traits);

// Which entries of a block's person and account dictionaries its rows use. Segment
// blocks share their segment's whole dictionaries (tens of thousands of ids) while a
// row group touches a small slice of them, so per-entry work is done for used entries
// only. Empty vectors mean "all entries".
struct BlockUsage {
  std::vector<char> persons;
  std::vector<char> accounts;
  // Marks the codes of every row of `block`.
  void Compute(const store::ColumnBlock& block);
  bool person(size_t code) const { return persons.empty() || persons[code]; }
  bool account(size_t code) const { return accounts.empty() || accounts[code]; }
};

// Per-block traits of the block's persons (by canonical id) and accounts, computed only
// when some filter or value needs them, and (with `usage`) only for used persons.
// One instance serves one query: account traits point into the identity graph's account
// book taken at the first Reset, so every block sees the same state, and are resolved
// once per segment dictionary (its row groups share one), not per block.
class BlockTraits {
 public:
  // `canonical` are the canonical ids of block.person_dict, in the same order.
  // `cohorts` (may be null; the same for every call) adds the virtual "$cohort:<key>"
  // traits of the query's cohorts (query/cohort_resolution.h).
  void Reset(const store::ColumnBlock& block, const std::vector<std::string>& canonical,
             const ingest::IdentityGraph& identity, bool persons, bool accounts,
             const CohortTraits* cohorts = nullptr, const BlockUsage* usage = nullptr);
  const std::vector<ingest::Traits>& persons() const { return persons_; }
  // By account_dict code; never null (empty traits for "" and accounts without any).
  const std::vector<const ingest::Traits*>& accounts() const { return *accounts_; }

 private:
  std::vector<ingest::Traits> persons_;
  std::shared_ptr<const ingest::AccountBook> book_;
  std::unordered_map<uint64_t, std::vector<const ingest::Traits*>> accounts_by_dict_;  // dict_key → traits
  std::vector<const ingest::Traits*> block_accounts_;  // memtable blocks (dict_key 0): per block
  const std::vector<const ingest::Traits*>* accounts_ = &block_accounts_;
  std::deque<ingest::Traits> merged_;  // account traits with cohort traits added
};

class BlockFilters {
 public:
  // `columns[i]` is the index in block.properties of filters[i]'s event property (or -1
  // for person/account filters). The filters must outlive this object.
  // With `usage`, person/account entries no row uses are not evaluated (they fail).
  void Bind(const std::vector<const PropertyFilter*>& filters, const std::vector<int>& columns,
            const store::ColumnBlock& block, const BlockTraits& traits, const BlockUsage* usage = nullptr);

  // True when row passes every bound filter.
  bool Pass(const store::ColumnBlock& block, size_t row) const {
    for (const Bound& f : bound_) {
      uint32_t code = 0;
      switch (f.source) {
        case PropertySource::kEvent: code = f.codes[row]; break;
        case PropertySource::kPerson: code = block.person[row]; break;
        case PropertySource::kAccount: code = block.account[row]; break;
      }
      if (!f.pass[code]) return false;
    }
    return true;
  }
  bool empty() const { return bound_.empty(); }

 private:
  struct Bound {
    const char* pass;
    const uint32_t* codes;  // event property codes; nullptr for person/account
    PropertySource source;
  };
  std::vector<std::vector<char>> tables_;
  std::vector<Bound> bound_;
};

}  // namespace tobops::query
