// File: store/decoded_column_cache.h
// DecodedColumnCache: decoded columns of segment row groups, kept in memory up to a byte
// budget and evicted least recently used first. Reading a segment column costs a pread,
// a checksum, zstd and a varint loop — most of a query's time on warm data (a 10M-event
// retention spent 60% there). A cached column costs nothing, and a row group whose rows
// all match is handed to the kernels without a copy (segment_reader.cc).
//
// One cache serves every segment of every store its owner (the workspace) opens. Keys
// are (segment, row group, column); a segment's key is its ColumnBlock::dict_key, which
// is never reused in a process, so an entry can never be read for another file. A
// SegmentReader erases its entries when it is destroyed (a compacted-away segment), so
// their memory returns at once instead of waiting for eviction.
//
// The budget counts the decoded vectors' bytes. An evicted column that a running scan
// still holds lives until that scan drops it, so memory can briefly exceed the budget by
// what the running scans hold.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>
#include <vector>

#include "store/event.h"

namespace tobops::store {

class DecodedColumnCache {
 public:
  // Timestamps and received_at; dictionary codes; message types.
  using Column = std::variant<std::vector<int64_t>, std::vector<uint32_t>, std::vector<MessageType>>;

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t bytes = 0;
  };

  // budget_bytes 0 caches nothing (Find always misses, Insert drops).
  explicit DecodedColumnCache(size_t budget_bytes) : budget_(budget_bytes) {}

  DecodedColumnCache(const DecodedColumnCache&) = delete;
  DecodedColumnCache& operator=(const DecodedColumnCache&) = delete;

  // The cached column, or nullptr (counted as a miss).
  std::shared_ptr<const Column> Find(uint64_t segment, uint32_t group, uint32_t column);

  // Caches `value` (replacing an entry of the same key), then evicts least recently used
  // entries until the total fits the budget. A column larger than the budget is not kept.
  void Insert(uint64_t segment, uint32_t group, uint32_t column, std::shared_ptr<const Column> value);

  // Drops every entry of `segment`.
  void EraseSegment(uint64_t segment);

  Stats stats() const;
  size_t budget() const { return budget_; }

  // Bytes a decoded column occupies (its elements).
  static size_t BytesOf(const Column& column);

 private:
  struct Key {
    uint64_t segment;
    uint64_t group_and_column;  // group << 32 | column
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.segment * 0x9E3779B97F4A7C15ull ^ k.group_and_column);
    }
  };
  struct Entry {
    Key key;
    std::shared_ptr<const Column> value;
    size_t bytes;
  };

  void EraseLocked(std::list<Entry>::iterator it);

  const size_t budget_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
  size_t bytes_ = 0;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace tobops::store
