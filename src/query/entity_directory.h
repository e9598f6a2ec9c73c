// File: query/entity_directory.h
// EntityDirectory: dense, long-lived keys for canonical persons and accounts, and per
// segment the map from a block's dictionary codes to those keys — so that a query does
// not ask the identity graph about every person of every segment again, and kernels can
// index per-entity state by key instead of hashing id strings.
//
// A segment's dictionaries never change, so its code maps are built once (by the first
// query that scans it) and reused by every later query while the identity graph's
// generation (how many merges it has made) is the same; a merge drops them all, since it
// may change any person's canonical id. Memtable blocks (ColumnBlock::dict_key == 0)
// have per-block dictionaries: their maps are built for each block and not kept.
// Keys are never reused or removed: a person who is merged away keeps a key that no new
// map names. Ids are keyed by their 64-bit XXH3 hash, as the kernels interned them
// before: the chance of any collision is about 3e-6 at 10 million ids, and one would
// count two ids as one, never crash. One directory per project (ProjectRuntime); a QueryContext without one gets
// a private one per query (TimelineScan::Make).
// Thread-safety: all methods may be called concurrently. Key → id lookups are lock-free
// and valid for every key the caller got from a map.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/identity_graph.h"
#include "query/flat_id_map.h"
#include "query/query_context.h"
#include "store/event_store.h"

namespace tobops::query {

class EntityDirectory {
 public:
  static constexpr uint32_t kNoKey = UINT32_MAX;

  // A block's dictionary codes → keys. Immutable once returned.
  struct CodeMaps {
    std::vector<uint32_t> person_keys;                // person_dict code → canonical person key
    std::vector<const std::string*> person_ids;       // person_dict code → canonical person id
    std::vector<uint32_t> account_keys;               // account_dict code → account key; kNoKey for ""
  };

  EntityDirectory();
  ~EntityDirectory();
  EntityDirectory(const EntityDirectory&) = delete;
  EntityDirectory& operator=(const EntityDirectory&) = delete;

  // The maps of `block`'s person and account dictionaries under `identity`'s current
  // canonical ids: cached for segment blocks, built afresh for memtable blocks.
  std::shared_ptr<const CodeMaps> MapsOf(const store::ColumnBlock& block, const ingest::IdentityGraph& identity);

  const std::string& PersonId(uint32_t key) const { return persons_.At(key); }
  const std::string& AccountId(uint32_t key) const { return accounts_.At(key); }
  // How many keys exist so far; every key a map names is below it.
  uint32_t person_key_count() const { return persons_.size(); }
  uint32_t account_key_count() const { return accounts_.size(); }

 private:
  // Append-only strings with stable addresses, readable without a lock: fixed-size
  // chunks behind a fixed array of chunk pointers (2^14 × 2^14 = 268 million keys).
  class KeyTable {
   public:
    ~KeyTable();
    const std::string& At(uint32_t key) const {
      return chunks_[key >> kChunkBits].load(std::memory_order_acquire)[key & kChunkMask];
    }
    uint32_t size() const { return size_.load(std::memory_order_acquire); }
    // Requires the directory's mutex held.
    uint32_t InternLocked(std::string_view id);

   private:
    static constexpr uint32_t kChunkBits = 14;
    static constexpr uint32_t kChunkMask = (1u << kChunkBits) - 1;
    static constexpr size_t kChunks = size_t(1) << 14;
    std::array<std::atomic<std::string*>, kChunks> chunks_{};
    std::atomic<uint32_t> size_{0};
    FlatIdMap index_;  // XXH3 of the id → key
  };

  std::shared_ptr<const CodeMaps> Build(const store::ColumnBlock& block, const ingest::IdentityGraph& identity);

  std::mutex mu_;
  KeyTable persons_, accounts_;
  uint64_t generation_ = 0;  // the identity generation the cached maps were built for
  std::map<uint64_t, std::shared_ptr<const CodeMaps>> by_dict_;  // ColumnBlock::dict_key → maps
};

// The context's directory, or a new one for this query when it has none.
std::shared_ptr<EntityDirectory> DirectoryOf(const QueryContext& ctx);

}  // namespace tobops::query
