// File: store/segment_writer.h
// SegmentWriter: writes an immutable columnar segment file from a set of events.
// Rows are sorted by (account, person, timestamp_ms, arrival order), split into row
// groups, each column zstd-compressed with an XXH3 checksum. Byte format:
// docs/segment_format.md. Callers: EmbeddedEventStore flush and compaction, tests.
// Thread-safety: stateless; concurrent Writes to different paths are fine.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"
#include "store/event.h"

namespace tobops::store {

struct SegmentWriteOptions {
  int zstd_level = 3;
  // false leaves the message_id column empty (all ""). Ids are kept by default: the
  // event stream shows and searches them. Version 2 stores a prefix + counter id in
  // 1-2 bytes, a random UUID in 16 (docs/segment_format.md); dedup keeps only hashes.
  bool store_message_ids = true;
};

struct SegmentInfo {
  uint64_t rows = 0;
  uint64_t file_bytes = 0;
  // Stored (compressed) bytes by column name ("timestamp", ..., "id_dict",
  // "properties"), to measure what each column costs.
  std::map<std::string, uint64_t> column_bytes;
};

class SegmentWriter {
 public:
  // Writes `rows` (given in arrival order; the writer sorts them) to `path` durably:
  // `path`.tmp is written and fsync'd, renamed to `path`, and the directory fsync'd.
  // Errors: kResourceExhausted when the disk is full (no file is left behind), I/O errors.
  static Result<SegmentInfo> Write(FileSystem* fs, const std::string& path, std::vector<const Event*> rows,
                                   const SegmentWriteOptions& options);
};

}  // namespace tobops::store
