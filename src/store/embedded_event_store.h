// File: store/embedded_event_store.h
// EmbeddedEventStore: tobops' own durable columnar event store, implementing
// EventStore. Appends go through a group-committed WAL (docs/wal_format.md) into a
// memtable; flushes turn the memtable into immutable sorted segments
// (docs/segment_format.md); compaction merges small segments; a MANIFEST names the
// live files. Message ids are deduplicated within a window that survives restarts.
// Callers: app/ wiring, ingest (Append), query (Scan), tests.
// Thread-safety: every public method may be called concurrently (EventStore contract).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/file_system.h"
#include "store/dedup_index.h"
#include "store/event_store.h"
#include "store/memtable.h"
#include "store/segment_reader.h"
#include "store/segment_writer.h"
#include "store/wal_writer.h"

namespace tobops::store {

struct EmbeddedStoreOptions {
  std::string directory;                 // created when missing
  FileSystem* file_system = nullptr;     // nullptr = DefaultFileSystem(); not owned, must outlive the store
  size_t memtable_max_events = 1'000'000;  // flush (in the background) when the memtable holds this many
  std::chrono::milliseconds flush_interval{60'000};  // background flush of a non-empty memtable this often
  int64_t dedup_window_ms = 7LL * 24 * 3600 * 1000;
  bool background_thread = true;         // tests turn it off and call Flush/Compact
  size_t compaction_trigger_segments = 4;   // background compaction when this many small segments exist
  uint64_t compaction_max_rows = 4'000'000; // a merged segment holds at most this many rows
  SegmentWriteOptions segment;           // zstd level, whether to keep message ids in segments
  // Decoded segment columns kept for later scans; may be shared by several stores.
  // nullptr: every scan decodes (import, tests).
  std::shared_ptr<DecodedColumnCache> column_cache;
};

class EmbeddedEventStore : public EventStore {
 public:
  // Opens (or creates) the store in options.directory: loads the MANIFEST, opens and
  // verifies each segment's footer, loads the dedup index, replays live WAL files into
  // the memtable (truncating a torn tail) and starts the background thread.
  // Errors: kInvalidArgument (empty directory), kDataLoss (corrupt manifest, segment
  // footer or mid-WAL record; the message names the file), I/O errors.
  static Result<std::unique_ptr<EmbeddedEventStore>> Open(const EmbeddedStoreOptions& options);

  // Stops background work without flushing (the WAL keeps unflushed events).
  ~EmbeddedEventStore() override;

  Result<AppendResult> Append(std::vector<Event> events) override;
  Status Scan(const ScanRequest& request, const BlockVisitor& visit) const override;
  StoreStats Stats() const override;
  Status Flush() override;
  Status Compact() override;
  Status Close() override;

  // Reads every block of every live segment and checks its checksum.
  Status VerifyAllSegments() const;

 private:
  // One Append (or a memtable rotation request) waiting in the group-commit queue.
  struct Writer {
    std::vector<Event>* events = nullptr;
    // The events' format-2 WAL payload, encoded and compressed by the appending thread
    // before it queues (in parallel with other appenders); the leader re-encodes only
    // when deduplication dropped some of the events.
    std::string payload;
    bool rotate = false;
    bool done = false;
    Status status;
    AppendResult result;
    std::condition_variable cv;
  };
  using SegmentList = std::vector<std::shared_ptr<SegmentReader>>;

  explicit EmbeddedEventStore(EmbeddedStoreOptions options);
  Status Recover();
  Status ReplayWal(uint64_t number);

  // Group commit: queues `w`, returns when it has been written by some leader.
  void RunWriter(Writer* w);
  // Leader work; requires mu_ held via `lock`.
  void LeadGroup(std::unique_lock<std::mutex>& lock);
  // Starts a new WAL + memtable; the old memtable becomes imm_. Requires mu_, and the
  // caller is the write leader. Fails if imm_ is still unflushed.
  Status RotateLocked();
  Status OpenNewWalLocked();

  // Writes imm_ to a segment and installs it. Requires maintenance_mu_.
  Status FlushImmutable();
  // Flush() body. Requires maintenance_mu_.
  Status FlushLocked();
  Status CompactOnce(size_t min_segments, bool* did_work);
  // Writes the manifest for `segments`. Requires maintenance_mu_.
  Status WriteManifest(const SegmentList& segments, uint64_t wal_floor, uint64_t dedup_number);
  void DeleteObsoleteFiles();
  void BackgroundLoop();
  void StopBackground();

  const EmbeddedStoreOptions options_;
  FileSystem* const fs_;

  mutable std::mutex mu_;  // guards everything below up to maintenance_mu_
  std::condition_variable imm_cv_;  // signalled when imm_ is flushed
  std::deque<Writer*> writers_;
  std::shared_ptr<Memtable> mem_;
  std::shared_ptr<Memtable> imm_;
  uint64_t imm_wal_floor_ = 0;  // WAL number that holds everything after imm_
  std::shared_ptr<const SegmentList> segments_;
  std::unique_ptr<WalWriter> wal_;
  uint64_t wal_number_ = 0;
  uint64_t current_wal_bytes_ = 0;
  std::map<uint64_t, uint64_t> older_wal_bytes_;  // live WAL files other than the current one
  DedupIndex dedup_;
  uint64_t dedup_file_number_ = 0;  // newest file of the dedup chain (named by the manifest)
  uint64_t dedup_file_bytes_ = 0;   // bytes of every file in the chain
  // The dedup chain: a full file, then the delta files extending it, oldest first.
  std::vector<uint64_t> dedup_chain_;
  uint64_t dedup_base_bytes_ = 0;   // the full file's bytes
  uint64_t dedup_delta_bytes_ = 0;  // the delta files' bytes
  uint64_t next_file_number_ = 1;
  std::chrono::steady_clock::time_point mem_created_;
  bool closed_ = false;

  std::mutex maintenance_mu_;  // serializes flush, compaction and manifest writes
  uint64_t manifest_wal_floor_ = 0;  // guarded by maintenance_mu_

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool bg_stop_ = false;
  bool bg_wake_ = false;
  std::thread bg_thread_;
};

}  // namespace tobops::store
