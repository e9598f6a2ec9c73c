// File: query/flat_id_map.h
// FlatIdMap: 64-bit hash → 32-bit dense id, open addressing with linear probing. Kernels
// use it to intern persons and accounts (keyed by the XXH3 hash of their id) once per
// worker, where std::unordered_map's node per entry costs an allocation on insert, a
// cache miss on lookup and a slow teardown. Keys are expected to be hashes already, so
// their low bits pick the slot.
// Thread-safety: none; one instance per worker.
#pragma once

#include <cstdint>
#include <vector>

namespace tobops::query {

class FlatIdMap {
 public:
  // The id stored for `key`; when absent, stores `id_if_new` and sets *inserted.
  // `id_if_new` must not be UINT32_MAX (the empty-slot marker).
  uint32_t FindOrInsert(uint64_t key, uint32_t id_if_new, bool* inserted) {
    if ((size_ + 1) * 2 > ids_.size()) Grow();
    const size_t mask = ids_.size() - 1;
    for (size_t slot = size_t(key) & mask;; slot = (slot + 1) & mask) {
      if (ids_[slot] == kEmpty) {
        keys_[slot] = key;
        ids_[slot] = id_if_new;
        ++size_;
        *inserted = true;
        return id_if_new;
      }
      if (keys_[slot] == key) {
        *inserted = false;
        return ids_[slot];
      }
    }
  }
  // The id stored for `key`, or kAbsent.
  static constexpr uint32_t kAbsent = UINT32_MAX;
  uint32_t Find(uint64_t key) const {
    if (ids_.empty()) return kAbsent;
    const size_t mask = ids_.size() - 1;
    for (size_t slot = size_t(key) & mask;; slot = (slot + 1) & mask) {
      if (ids_[slot] == kEmpty) return kAbsent;
      if (keys_[slot] == key) return ids_[slot];
    }
  }
  size_t size() const { return size_; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  // Doubles the table (at least 1024 slots), keeping the load at or below one half.
  void Grow() {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<uint32_t> ids = std::move(ids_);
    const size_t capacity = ids.empty() ? 1024 : ids.size() * 2;
    keys_.assign(capacity, 0);
    ids_.assign(capacity, kEmpty);
    const size_t mask = capacity - 1;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == kEmpty) continue;
      size_t slot = size_t(keys[i]) & mask;
      while (ids_[slot] != kEmpty) slot = (slot + 1) & mask;
      keys_[slot] = keys[i];
      ids_[slot] = ids[i];
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> ids_;
  size_t size_ = 0;
};

}  // namespace tobops::query
