#include "store/decoded_column_cache.h"

namespace tobops::store {

size_t DecodedColumnCache::BytesOf(const Column& column) {
  return std::visit([](const auto& v) { return v.size() * sizeof(v[0]); }, column);
}

std::shared_ptr<const DecodedColumnCache::Column> DecodedColumnCache::Find(uint64_t segment, uint32_t group,
                                                                           uint32_t column) {
  std::lock_guard lock(mu_);
  auto it = index_.find(Key{segment, uint64_t(group) << 32 | column});
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->value;
}

void DecodedColumnCache::Insert(uint64_t segment, uint32_t group, uint32_t column,
                                std::shared_ptr<const Column> value) {
  const size_t bytes = BytesOf(*value);
  if (bytes > budget_) return;
  const Key key{segment, uint64_t(group) << 32 | column};
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) EraseLocked(it->second);
  lru_.push_front(Entry{key, std::move(value), bytes});
  index_.emplace(key, lru_.begin());
  bytes_ += bytes;
  while (bytes_ > budget_) EraseLocked(std::prev(lru_.end()));
}

void DecodedColumnCache::EraseSegment(uint64_t segment) {
  std::lock_guard lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto next = std::next(it);
    if (it->key.segment == segment) EraseLocked(it);
    it = next;
  }
}

void DecodedColumnCache::EraseLocked(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

DecodedColumnCache::Stats DecodedColumnCache::stats() const {
  std::lock_guard lock(mu_);
  return Stats{hits_, misses_, uint64_t(index_.size()), uint64_t(bytes_)};
}

}  // namespace tobops::store
