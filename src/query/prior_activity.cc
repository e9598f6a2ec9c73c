#include "query/prior_activity.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>

#include "query/block_filters.h"

namespace tobops::query {
namespace {

uint64_t HashId(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

}  // namespace

Result<PriorActivity> PriorActivity::Collect(EntityKind entity, const TimelineCondition& condition,
                                             const std::vector<PropertyFilter>& filters,
                                             int64_t before_ms, const QueryContext& ctx) {
  PriorActivity out;
  if (before_ms == std::numeric_limits<int64_t>::min()) return out;
  store::ScanRequest scan;
  scan.to_ms = before_ms;
  scan.max_threads = std::max(1, ctx.threads);
  if (!condition.event.empty()) scan.events.push_back(condition.event);
  std::vector<const PropertyFilter*> all_filters;
  std::vector<int> columns;
  bool need_person_traits = false, need_account_traits = false;
  auto add_filter = [&](const PropertyFilter& f) {
    all_filters.push_back(&f);
    int column = -1;
    if (f.source == PropertySource::kEvent) {
      auto it = std::find(scan.properties.begin(), scan.properties.end(), f.property);
      column = int(it - scan.properties.begin());
      if (it == scan.properties.end()) scan.properties.push_back(f.property);
    }
    columns.push_back(column);
    need_person_traits |= f.source == PropertySource::kPerson;
    need_account_traits |= f.source == PropertySource::kAccount;
  };
  for (const auto& f : filters) add_filter(f);
  for (const auto& f : condition.filters) add_filter(f);
  const bool by_account = entity == EntityKind::kAccount;

  std::vector<std::vector<uint64_t>> found(scan.max_threads);
  Status status = ctx.store->Scan(scan, [&](const store::ColumnBlock& block, int w) {
    // Canonical ids are resolved up front only when person filters need traits; else
    // only for the persons that turn out to have a matching row (a block's dictionary
    // holds every person of the block, most of whom may not match).
    std::vector<std::string> canonical;
    if (need_person_traits) ctx.identity->CanonicalPersons(block.person_dict, &canonical);
    BlockTraits traits;
    BlockFilters bound;
    if (!all_filters.empty()) {
      traits.Reset(block, canonical, *ctx.identity, need_person_traits, need_account_traits,
                   ctx.cohorts.get());
      bound.Bind(all_filters, columns, block, traits);
    }
    std::vector<char> event_ok(block.event_dict.size());
    for (size_t e = 0; e < block.event_dict.size(); ++e) {
      event_ok[e] = condition.event.empty() || condition.event == block.event_dict[e];
    }
    // seen[code]: the entity's dictionary entry already has a matching row in this block.
    std::vector<char> seen(by_account ? block.account_dict.size() : block.person_dict.size(), 0);
    const uint32_t* entity_codes = by_account ? block.account : block.person;
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t code = entity_codes[row];
      if (seen[code] || !event_ok[block.event[row]]) continue;
      if (!all_filters.empty() && !bound.Pass(block, row)) continue;
      seen[code] = 1;
    }
    if (by_account) {
      for (size_t code = 0; code < seen.size(); ++code) {
        if (seen[code] && !block.account_dict[code].empty())
          found[w].push_back(HashId(block.account_dict[code]));
      }
    } else if (!canonical.empty()) {
      for (size_t code = 0; code < seen.size(); ++code) {
        if (seen[code]) found[w].push_back(HashId(canonical[code]));
      }
    } else {
      std::vector<std::string> ids, resolved;
      for (size_t code = 0; code < seen.size(); ++code) {
        if (seen[code]) ids.push_back(block.person_dict[code]);
      }
      ctx.identity->CanonicalPersons(ids, &resolved);
      for (const auto& id : resolved) found[w].push_back(HashId(id));
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);
  for (auto& f : found) out.hashes_.insert(out.hashes_.end(), f.begin(), f.end());
  std::sort(out.hashes_.begin(), out.hashes_.end());
  out.hashes_.erase(std::unique(out.hashes_.begin(), out.hashes_.end()), out.hashes_.end());
  return out;
}

bool PriorActivity::Contains(std::string_view entity_id) const {
  return std::binary_search(hashes_.begin(), hashes_.end(), HashId(entity_id));
}

}  // namespace tobops::query
