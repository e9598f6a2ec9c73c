// File: store/event_store.h
// EventStore: the contract between ingest/query and an event backend. The embedded
// columnar store (store/embedded_event_store.h) implements it; a ClickHouse backend
// can implement it later. Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/event.h"

namespace tobops::store {

// What a scan reads. Time bounds are on Event::timestamp_ms, half-open [from_ms, to_ms).
struct ScanRequest {
  int64_t from_ms = std::numeric_limits<int64_t>::min();
  int64_t to_ms = std::numeric_limits<int64_t>::max();
  std::vector<std::string> events;       // only these event names; empty = all
  std::vector<MessageType> types;        // only these message types; empty = all
  std::vector<std::string> properties;   // property columns to materialize, in this order
  // When true, every property column present is materialized (ignoring `properties`),
  // and ColumnBlock::property_keys names them. Used to rebuild identity state.
  bool all_properties = false;
  bool with_identity_columns = false;    // fill anonymous_id, user_id, message_id, received_at_ms
  // With identity columns: false lets segments skip decoding message_id (then null) —
  // the largest column by far, one unique string per row, which identity passes never read.
  bool with_message_id = true;
  int max_threads = 1;                   // visit may run on up to this many threads at once
  // False for a one-off pass over most columns (identity rebuild, compaction): it reads
  // columns the decoded-column cache holds but adds none, so it neither fills the
  // cache with columns queries rarely need nor evicts the ones they use.
  bool keep_decoded = true;
};

// One property column of a block. codes[i] == 0: row i lacks the property;
// codes[i] == k > 0: the value is dict[k - 1].
struct PropertyColumn {
  const uint32_t* codes = nullptr;
  std::span<const PropertyValue> dict;
};

// A block of rows handed to a scan visitor. All pointers are valid only during the
// visit call. Within one block rows are sorted by (account, person, timestamp_ms,
// arrival order). String columns are dictionary codes into per-block dictionaries.
struct ColumnBlock {
  size_t rows = 0;
  const int64_t* timestamp_ms = nullptr;
  const MessageType* type = nullptr;
  const uint32_t* event = nullptr;     // index into event_dict
  const uint32_t* person = nullptr;    // index into person_dict
  const uint32_t* account = nullptr;   // index into account_dict ("" = no account)
  std::span<const std::string> event_dict;
  std::span<const std::string> person_dict;
  std::span<const std::string> account_dict;
  // Nonzero when person_dict and account_dict are a segment's immutable dictionaries:
  // the same for every block of that segment, never the same for two segments in this
  // process. Zero for memtable blocks, whose dictionaries are the block's own. Lets
  // queries cache per-dictionary work (query/entity_directory.h).
  uint64_t dict_key = 0;
  std::vector<PropertyColumn> properties;  // same order as ScanRequest::properties
  // The key of each entry of `properties` (filled for every scan).
  std::vector<std::string_view> property_keys;
  // Present only with ScanRequest::with_identity_columns; otherwise nullptr / empty.
  const int64_t* received_at_ms = nullptr;
  const uint32_t* anonymous_id = nullptr;  // index into id_dict
  const uint32_t* user_id = nullptr;       // index into id_dict
  const uint32_t* message_id = nullptr;    // index into id_dict
  std::span<const std::string> id_dict;
};

// Called once per block; `worker` is in [0, max_threads) and no two concurrent calls
// share a worker index, so kernels can keep per-worker state without locks.
// A non-OK status stops the scan and is returned by Scan.
using BlockVisitor = std::function<Status(const ColumnBlock& block, int worker)>;

struct AppendResult {
  size_t stored = 0;      // events newly stored
  size_t duplicates = 0;  // events skipped because their message_id was already stored
};

struct StoreStats {
  uint64_t events = 0;           // stored events, memtable included
  uint64_t segments = 0;
  uint64_t segment_bytes = 0;    // bytes of segment files on disk
  uint64_t wal_bytes = 0;
  uint64_t dedup_bytes = 0;      // bytes of the message-id index on disk
  uint64_t memtable_events = 0;
  int64_t min_timestamp_ms = 0;  // 0 when empty
  int64_t max_timestamp_ms = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores `events` durably: when OK is returned they are fsync'd (group commit) and
  // will survive kill -9. Events whose non-empty message_id was stored before (within
  // the dedup window) are skipped and counted as duplicates; so are repeats inside
  // one call. Errors: kResourceExhausted when the disk is full (then nothing of this
  // call is stored and earlier data is intact), kFailedPrecondition after Close.
  virtual Result<AppendResult> Append(std::vector<Event> events) = 0;

  // Visits every stored event that matches `request`, block by block.
  virtual Status Scan(const ScanRequest& request, const BlockVisitor& visit) const = 0;

  virtual StoreStats Stats() const = 0;

  // Writes the memtable to a segment now (normally done in the background).
  virtual Status Flush() = 0;
  // Merges small segments now (normally done in the background).
  virtual Status Compact() = 0;
  // Flushes and stops background work. Further Appends fail.
  virtual Status Close() = 0;
};

}  // namespace tobops::store
