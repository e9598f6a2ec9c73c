// File: store/dedup_index.h
// DedupIndex: 64-bit XXH3 hashes of the message ids stored within the dedup window,
// each with the received_at_ms of its event. Persisted as dedup-N.idx at each flush and
// rebuilt on Open from that file plus WAL replay. Format: docs/wal_format.md ("Dedup index").
// Callers: EmbeddedEventStore (under its mutex). Thread-safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace tobops::store {

class DedupIndex {
 public:
  static uint64_t Hash(std::string_view message_id);

  // True when `hash` was stored with a received_at no older than window_ms before
  // `received_at_ms`.
  bool Contains(uint64_t hash, int64_t received_at_ms, int64_t window_ms) const;
  void Insert(uint64_t hash, int64_t received_at_ms);
  // Drops entries received more than window_ms before the newest entry.
  void Prune(int64_t window_ms);
  size_t size() const { return entries_.size(); }

  std::string Encode() const;
  // Errors: kDataLoss on a bad magic or checksum.
  static Result<DedupIndex> Decode(std::string_view bytes);

 private:
  std::unordered_map<uint64_t, int64_t> entries_;
  int64_t newest_received_at_ms_ = INT64_MIN;
};

}  // namespace tobops::store
