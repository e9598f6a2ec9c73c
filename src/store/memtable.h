// File: store/memtable.h
// Memtable: the events appended since the last flush, in arrival order, kept in memory
// so scans see them before they reach a segment. Events never move once added
// (std::deque), so a reader may keep pointers to the first size() events while the
// write leader appends more.
// Callers: EmbeddedEventStore (adds under its write leadership; scans and flushes read).
// Thread-safety: Add and the readers may run concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "store/event.h"

namespace tobops::store {

class Memtable {
 public:
  // Appends `events` (arrival order).
  void Add(std::vector<Event>&& events);
  // Pointers to every event added so far, in arrival order. They stay valid while
  // this Memtable lives.
  std::vector<const Event*> Snapshot() const;

  size_t size() const;
  int64_t min_timestamp_ms() const;
  int64_t max_timestamp_ms() const;

 private:
  mutable std::shared_mutex mu_;
  std::deque<Event> events_;
  int64_t min_timestamp_ms_ = std::numeric_limits<int64_t>::max();
  int64_t max_timestamp_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace tobops::store
