// File: store/wal_reader.h
// WalReader: reads the records of one WAL file during recovery (docs/wal_format.md).
// A torn or corrupt record at the end of the file was never acknowledged: it is
// ignored and reported through valid_bytes so the caller can truncate it. A corrupt
// record followed by more data is real damage and yields kDataLoss.
// Callers: EmbeddedEventStore::Open, tests. Thread-safety: one thread per reader.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/file_system.h"
#include "common/status.h"

namespace tobops::store {

struct WalReadSummary {
  uint64_t records = 0;
  uint64_t valid_bytes = 0;    // end of the last intact record (the file header counts)
  uint64_t file_bytes = 0;
  bool dropped_tail = false;   // true when bytes after valid_bytes were ignored
};

class WalReader {
 public:
  // Calls `record` with each intact record's event batch in file order: format-2
  // payloads are unframed (decompressed) first, format-1 payloads are passed as is. Errors: kDataLoss for
  // mid-file corruption or a bad header (message names file and offset), the status of
  // `record` when it fails, I/O errors from `fs`.
  static Result<WalReadSummary> ReadAll(FileSystem* fs, const std::string& path,
                                        const std::function<Status(std::string_view payload)>& record);
};

// Unframes a format-2 payload: `*batch` views the event batch, backed by `stored` (raw)
// or `*scratch` (decompressed). False on a malformed frame. Thread-safe.
bool DecodeWalPayload(std::string_view stored, std::string* scratch, std::string_view* batch);

}  // namespace tobops::store
