#include "query/block_filters.h"

#include <algorithm>

namespace tobops::query {

store::PropertyValue FindTrait(const ingest::Traits& traits, const std::string& key) {
  auto it = std::lower_bound(traits.begin(), traits.end(), key,
                             [](const store::Property& p, const std::string& k) { return p.key < k; });
  if (it != traits.end() && it->key == key) return it->value;
  return std::monostate{};
}

void BlockTraits::Reset(const store::ColumnBlock& block, const std::vector<std::string>& canonical,
                        const ingest::IdentityGraph& identity, bool persons, bool accounts) {
  persons_.clear();
  accounts_.clear();
  if (persons) {
    persons_.reserve(canonical.size());
    for (const auto& p : canonical) persons_.push_back(identity.PersonTraits(p));
  }
  if (accounts) {
    accounts_.reserve(block.account_dict.size());
    for (const auto& a : block.account_dict) {
      accounts_.push_back(a.empty() ? ingest::Traits{} : identity.AccountTraits(a));
    }
  }
}

void BlockFilters::Bind(const std::vector<const PropertyFilter*>& filters,
                        const std::vector<int>& columns, const store::ColumnBlock& block,
                        const BlockTraits& traits) {
  tables_.resize(filters.size());
  bound_.clear();
  for (size_t i = 0; i < filters.size(); ++i) {
    const PropertyFilter& f = *filters[i];
    std::vector<char>& table = tables_[i];
    const uint32_t* codes = nullptr;
    switch (f.source) {
      case PropertySource::kEvent: {
        const store::PropertyColumn& col = block.properties[columns[i]];
        table.resize(col.dict.size() + 1);
        table[0] = f.Matches(std::monostate{});
        for (size_t c = 0; c < col.dict.size(); ++c) table[c + 1] = f.Matches(col.dict[c]);
        codes = col.codes;
        break;
      }
      case PropertySource::kPerson:
        table.resize(traits.persons().size());
        for (size_t p = 0; p < table.size(); ++p) {
          table[p] = f.Matches(FindTrait(traits.persons()[p], f.property));
        }
        break;
      case PropertySource::kAccount:
        table.resize(traits.accounts().size());
        for (size_t a = 0; a < table.size(); ++a) {
          table[a] = f.Matches(FindTrait(traits.accounts()[a], f.property));
        }
        break;
    }
    bound_.push_back(Bound{table.data(), codes, f.source});
  }
}

}  // namespace tobops::query
