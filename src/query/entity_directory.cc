#include "query/entity_directory.h"

#include <xxhash.h>

namespace tobops::query {
namespace {

// More cached segments than a project keeps at once means most entries belong to
// segments compaction has replaced: start over rather than track segment lifetimes.
constexpr size_t kMaxCachedDictionaries = 4096;

}  // namespace

EntityDirectory::KeyTable::~KeyTable() {
  for (auto& chunk : chunks_) delete[] chunk.load(std::memory_order_relaxed);
}

uint32_t EntityDirectory::KeyTable::InternLocked(std::string_view id) {
  const uint32_t next = size_.load(std::memory_order_relaxed);
  bool inserted = false;
  const uint32_t key = index_.FindOrInsert(XXH3_64bits(id.data(), id.size()), next, &inserted);
  if (!inserted) return key;
  const size_t chunk = next >> kChunkBits;
  if (chunk >= kChunks) std::abort();  // 268 million distinct ids: far beyond one project
  std::string* block = chunks_[chunk].load(std::memory_order_relaxed);
  if (block == nullptr) {
    block = new std::string[size_t(1) << kChunkBits];
    chunks_[chunk].store(block, std::memory_order_release);
  }
  block[next & kChunkMask].assign(id);
  size_.store(next + 1, std::memory_order_release);
  return key;
}

EntityDirectory::EntityDirectory() = default;
EntityDirectory::~EntityDirectory() = default;

std::shared_ptr<const EntityDirectory::CodeMaps> EntityDirectory::Build(const store::ColumnBlock& block,
                                                                        const ingest::IdentityGraph& identity) {
  auto maps = std::make_shared<CodeMaps>();
  std::vector<std::string> canonical;
  identity.CanonicalPersons(block.person_dict, &canonical);
  maps->person_keys.resize(canonical.size());
  maps->person_ids.resize(canonical.size());
  maps->account_keys.resize(block.account_dict.size());
  std::lock_guard lock(mu_);
  for (size_t p = 0; p < canonical.size(); ++p) {
    const uint32_t key = persons_.InternLocked(canonical[p]);
    maps->person_keys[p] = key;
    maps->person_ids[p] = &persons_.At(key);
  }
  for (size_t a = 0; a < block.account_dict.size(); ++a) {
    const std::string& id = block.account_dict[a];
    maps->account_keys[a] = id.empty() ? kNoKey : accounts_.InternLocked(id);
  }
  return maps;
}

std::shared_ptr<const EntityDirectory::CodeMaps> EntityDirectory::MapsOf(const store::ColumnBlock& block,
                                                                         const ingest::IdentityGraph& identity) {
  const uint64_t generation = identity.generation();
  if (block.dict_key != 0) {
    std::lock_guard lock(mu_);
    if (generation > generation_) {
      by_dict_.clear();
      generation_ = generation;
    }
    if (generation == generation_) {
      auto it = by_dict_.find(block.dict_key);
      if (it != by_dict_.end()) return it->second;
    }
  }
  auto maps = Build(block, identity);
  if (block.dict_key != 0) {
    std::lock_guard lock(mu_);
    // Not cached when a merge happened while building: the maps may mix both states.
    if (generation == generation_ && identity.generation() == generation) {
      if (by_dict_.size() >= kMaxCachedDictionaries) by_dict_.clear();
      by_dict_.emplace(block.dict_key, maps);
    }
  }
  return maps;
}

std::shared_ptr<EntityDirectory> DirectoryOf(const QueryContext& ctx) {
  return ctx.entities ? ctx.entities : std::make_shared<EntityDirectory>();
}

}  // namespace tobops::query
