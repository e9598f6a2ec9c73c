// File: store/memtable.h
// Memtable: the events appended since the last flush, in arrival order, kept in memory
// so scans see them before they reach a segment.
//
// Compact: most events are kept as sealed chunks, each the zstd-framed WAL payload of
// a run of events (~40 bytes an event on the demo data, against ~1.5 KB as Event objects); only the
// newest few thousand events stay as Events in a tail. A large append brings its WAL
// payload and becomes a chunk as is; small appends collect in the tail, which is
// sealed (encoded and compressed) once it holds kSealEvents. Readers decode chunks
// on demand: a flush decodes everything once, a scan decodes each chunk in its own
// work unit, in parallel, and skips chunks outside the scan's time range.
//
// Callers: EmbeddedEventStore (adds under its write leadership; scans and flushes read).
// Thread-safety: one writer (Add) and any number of readers may run concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/event.h"

namespace tobops::store {

class Memtable {
 public:
  // Tail size at which the tail is sealed into a chunk.
  static constexpr size_t kSealEvents = 8192;
  // An append at least this large (with its payload, onto an empty tail) becomes a chunk as is.
  static constexpr size_t kDirectChunkEvents = 1024;

  // A sealed run of events: a format-2 WAL payload (docs/wal_format.md).
  struct Chunk {
    std::string payload;
    size_t count = 0;
    int64_t min_timestamp_ms = 0;
    int64_t max_timestamp_ms = 0;
    // Decodes the chunk's events, appending them to `*out` in arrival order.
    // Errors: kDataLoss (bytes this process encoded do not decode: memory damage).
    Status Decode(std::vector<Event>* out) const;
  };

  // What a reader sees: the chunks, then the tail events, in arrival order. The tail
  // pointers stay valid while the view lives.
  struct View {
    std::vector<std::shared_ptr<const Chunk>> chunks;
    std::shared_ptr<const std::deque<Event>> tail_owner;
    std::vector<const Event*> tail;
    size_t size() const;
  };

  // Appends `events` (arrival order). `payload` is empty, or the events' format-2 WAL
  // payload (EncodeWalPayload of EncodeEventBatch), kept instead of the events when
  // the append is large.
  void Add(std::vector<Event>&& events, std::string payload = {});
  View Snapshot() const;
  // Every event, decoded, in arrival order. Errors: as Chunk::Decode.
  Status Materialize(std::vector<Event>* out) const;

  size_t size() const;
  int64_t min_timestamp_ms() const;
  int64_t max_timestamp_ms() const;

 private:
  // Encodes the tail into a chunk and starts a new tail. Writer only.
  void SealTail();

  mutable std::shared_mutex mu_;  // guards the members below (contents of tail_: see Add)
  std::vector<std::shared_ptr<const Chunk>> chunks_;
  // Events never move once added (std::deque), so readers keep pointers to the first
  // n while the writer appends; a sealed tail is replaced, not cleared.
  std::shared_ptr<std::deque<Event>> tail_ = std::make_shared<std::deque<Event>>();
  size_t size_ = 0;
  int64_t min_timestamp_ms_ = std::numeric_limits<int64_t>::max();
  int64_t max_timestamp_ms_ = std::numeric_limits<int64_t>::min();
};

}  // namespace tobops::store
