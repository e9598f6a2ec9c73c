// File: store/dedup_index.h
// DedupIndex: 64-bit XXH3 hashes of the message ids stored within the dedup window,
// each with the received_at_ms of its event. Persisted as dedup-N.idx at each flush and
// rebuilt on Open from those files plus WAL replay. A flush writes a small delta file
// (the ids added since the previous file, naming it) and only now and then a full one,
// so persisting stays linear in the ids ingested instead of quadratic.
// Format: docs/wal_format.md ("Dedup index").
// Callers: EmbeddedEventStore (under its mutex). Thread-safety: not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
  size_t size() const { return size_; }

  // A full file (format 2, no predecessor) of every entry.
  std::string Encode();
  // A delta file (format 2) of the entries inserted since the last committed file,
  // naming `previous` (the file it extends).
  std::string EncodeDelta(uint64_t previous);
  // Marks the entries covered by the last Encode / EncodeDelta as saved; call once
  // that file is durable and named by the manifest. Without it (a failed write) they
  // go into the next file, so nothing is lost.
  void CommitDelta();
  size_t unsaved() const { return unsaved_.size(); }

  // Adds the entries of one file (format 1 or 2); *previous = the file number it
  // extends (0 for a full file, and always for format 1). Loaded entries count as saved.
  // Errors: kDataLoss on a bad magic, checksum or body.
  Status Load(std::string_view bytes, uint64_t* previous);
  // Decodes one full file. Errors: as Load, and kDataLoss for a delta file.
  static Result<DedupIndex> Decode(std::string_view bytes);

 private:
  // Open addressing with linear probing: 16 bytes a slot, no per-entry allocation
  // (a node map took ~40 bytes an entry and dominated ingest profiles). Hash 0 marks
  // an empty slot, so a message id hashing to 0 is stored as 1 (Slot below).
  struct Slot {
    uint64_t hash = 0;
    int64_t received_at_ms = 0;
  };
  static uint64_t Key(uint64_t hash) { return hash == 0 ? 1 : hash; }
  size_t Find(uint64_t key) const;  // slot holding key, or the empty slot where it would go
  void Grow();

  void InsertSlot(uint64_t key, int64_t received_at_ms);  // no unsaved_ bookkeeping
  static std::string EncodeEntries(std::vector<std::pair<uint64_t, int64_t>> entries, uint64_t previous);

  std::vector<Slot> slots_;  // size a power of two (or 0)
  // Inserted since the last persisted file (hash as given, received_at_ms), in order.
  std::vector<std::pair<uint64_t, int64_t>> unsaved_;
  size_t delta_taken_ = 0;  // unsaved_ entries covered by the last EncodeDelta
  size_t size_ = 0;
  int64_t newest_received_at_ms_ = INT64_MIN;
};

}  // namespace tobops::store
