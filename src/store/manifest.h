// File: store/manifest.h
// Manifest: the catalog of a store directory — which segment files are live, which
// WAL files still matter, which dedup index is current. Replaced atomically (write
// MANIFEST.tmp, fsync, rename, fsync directory). Format: docs/segment_format.md
// ("Manifest"). Callers: EmbeddedEventStore. Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"

namespace tobops::store {

inline constexpr std::string_view kManifestFileName = "MANIFEST";

struct Manifest {
  uint64_t next_file_number = 1;
  uint64_t wal_floor = 0;            // WAL files numbered below this are obsolete
  uint64_t dedup_file_number = 0;    // 0 = no persisted dedup index
  std::vector<uint64_t> segments;    // live segment file numbers, oldest data first

  std::string Encode() const;
  // Errors: kDataLoss on a bad magic, checksum or structure.
  static Result<Manifest> Decode(std::string_view bytes);
};

// File names inside the store directory.
std::string WalFileName(uint64_t number);      // "wal-000007.log"
std::string SegmentFileName(uint64_t number);  // "seg-000007.tseg"
std::string DedupFileName(uint64_t number);    // "dedup-000007.idx"
// Parses a name produced above; false for any other name. `kind` is "wal", "seg" or "dedup".
bool ParseFileName(std::string_view name, std::string* kind, uint64_t* number);

}  // namespace tobops::store
