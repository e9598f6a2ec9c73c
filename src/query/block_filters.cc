#include "query/block_filters.h"

#include <algorithm>
#include <iterator>

namespace tobops::query {

store::PropertyValue FindTrait(const ingest::Traits& traits, std::string_view key) {
  const store::PropertyValue* value = FindTraitIn(traits, key);
  return value != nullptr ? *value : store::PropertyValue(std::monostate{});
}

namespace {

// Adds the entity's cohort traits (sorted) to its sorted traits.
void AddCohortTraits(const std::unordered_map<std::string, ingest::Traits>& overlay, const std::string& id,
                     ingest::Traits* traits) {
  auto it = overlay.find(id);
  if (it == overlay.end()) return;
  ingest::Traits merged;
  merged.reserve(traits->size() + it->second.size());
  std::merge(traits->begin(), traits->end(), it->second.begin(), it->second.end(), std::back_inserter(merged),
             [](const store::Property& a, const store::Property& b) { return a.key < b.key; });
  *traits = std::move(merged);
}

}  // namespace

ingest::Traits PersonTraitsOf(const QueryContext& ctx, const std::string& canonical) {
  ingest::Traits traits = ctx.identity->PersonTraits(canonical);
  if (ctx.cohorts) AddCohortTraits(ctx.cohorts->persons, canonical, &traits);
  return traits;
}

ingest::Traits AccountTraitsOf(const QueryContext& ctx, const std::string& account) {
  ingest::Traits traits = ctx.identity->AccountTraits(account);
  AddAccountCohortTraits(ctx, account, &traits);
  return traits;
}

void AddAccountCohortTraits(const QueryContext& ctx, const std::string& account, ingest::Traits* traits) {
  if (ctx.cohorts) AddCohortTraits(ctx.cohorts->accounts, account, traits);
}

void BlockUsage::Compute(const store::ColumnBlock& block) {
  persons.assign(block.person_dict.size(), 0);
  accounts.assign(block.account_dict.size(), 0);
  for (size_t row = 0; row < block.rows; ++row) {
    persons[block.person[row]] = 1;
    accounts[block.account[row]] = 1;
  }
}

void BlockTraits::Reset(const store::ColumnBlock& block, const std::vector<std::string>& canonical,
                        const ingest::IdentityGraph& identity, bool persons, bool accounts,
                        const CohortTraits* cohorts, const BlockUsage* usage) {
  persons_.clear();
  if (persons) {
    persons_.resize(canonical.size());
    for (size_t p = 0; p < canonical.size(); ++p) {
      if (usage && !usage->person(p)) continue;
      persons_[p] = identity.PersonTraits(canonical[p]);
      if (cohorts) AddCohortTraits(cohorts->persons, canonical[p], &persons_[p]);
    }
  }
  accounts_ = &block_accounts_;
  block_accounts_.clear();
  if (!accounts) return;
  if (block.dict_key != 0) {
    auto it = accounts_by_dict_.find(block.dict_key);
    if (it != accounts_by_dict_.end()) {
      accounts_ = &it->second;
      return;
    }
  }
  if (book_ == nullptr) book_ = identity.Book();
  static const ingest::Traits kNone;
  std::vector<const ingest::Traits*> traits(block.account_dict.size(), &kNone);
  for (size_t a = 0; a < block.account_dict.size(); ++a) {
    const std::string& id = block.account_dict[a];
    if (id.empty()) continue;
    if (const ingest::Traits* known = book_->FindAccount(id)) traits[a] = known;
    if (cohorts && cohorts->accounts.count(id) != 0) {
      ingest::Traits merged = *traits[a];
      AddCohortTraits(cohorts->accounts, id, &merged);
      traits[a] = &merged_.emplace_back(std::move(merged));
    }
  }
  if (block.dict_key == 0) {
    block_accounts_ = std::move(traits);
  } else {
    accounts_ = &(accounts_by_dict_[block.dict_key] = std::move(traits));
  }
}

void BlockFilters::Bind(const std::vector<const PropertyFilter*>& filters,
                        const std::vector<int>& columns, const store::ColumnBlock& block,
                        const BlockTraits& traits, const BlockUsage* usage) {
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
        table.assign(traits.persons().size(), 0);
        for (size_t p = 0; p < table.size(); ++p) {
          if (usage && !usage->person(p)) continue;
          table[p] = f.Matches(FindTrait(traits.persons()[p], f.property));
        }
        break;
      case PropertySource::kAccount:
        table.assign(traits.accounts().size(), 0);
        for (size_t a = 0; a < table.size(); ++a) {
          if (usage && !usage->account(a)) continue;
          table[a] = f.Matches(FindTrait(*traits.accounts()[a], f.property));
        }
        break;
    }
    bound_.push_back(Bound{table.data(), codes, f.source});
  }
}

}  // namespace tobops::query
