// File: store/wal_writer.h
// WalWriter: appends checksummed records to one write-ahead-log file and fsyncs them.
// Byte format: docs/wal_format.md. The group-commit queue lives in
// EmbeddedEventStore::Append, which hands one leader's combined records to AddRecords.
// Thread-safety: not thread-safe; the store lets only the current write leader call it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/file_system.h"
#include "common/status.h"

namespace tobops::store {

// First 8 bytes of every WAL file written now (format 2: framed, compressed payloads).
inline constexpr std::string_view kWalMagic = "TOBWAL2\n";
// Format 1 (payload = the event batch as is); still read, never written.
inline constexpr std::string_view kWalMagicV1 = "TOBWAL1\n";
// Payload codecs of format 2 (first payload byte).
enum class WalCodec : uint8_t { kRaw = 0, kZstd = 1 };
// Record header: fixed32 payload length + fixed64 XXH3 checksum of the payload (seed = length).
inline constexpr size_t kWalRecordHeaderBytes = 12;

class WalWriter {
 public:
  // Creates `path` (truncating it), writes the file header and fsyncs file and directory.
  static Result<std::unique_ptr<WalWriter>> Create(FileSystem* fs, const std::string& path);

  // Appends one record per payload with a single write, then fsyncs. Payloads are
  // format-2 framed (EncodeWalPayload); the writer stores them as given. On OK every record
  // is durable. On failure (kResourceExhausted for a full disk) the file is truncated
  // back to its size before the call so no partial record remains; if even that fails
  // the writer is marked broken() and the caller must switch to a new file.
  Status AddRecords(std::span<const std::string> payloads);

  bool broken() const { return broken_; }
  uint64_t size_bytes() const { return good_size_bytes_; }
  const std::string& path() const { return path_; }
  Status Close() { return file_->Close(); }

 private:
  WalWriter(std::string path, std::unique_ptr<WritableFile> file, uint64_t size)
      : path_(std::move(path)), file_(std::move(file)), good_size_bytes_(size) {}

  std::string path_;
  std::unique_ptr<WritableFile> file_;
  uint64_t good_size_bytes_;  // end of the last fsync'd record
  bool broken_ = false;
  std::string buffer_;
};

// Appends the encoding of one record (header + payload) to `dst`.
void EncodeWalRecord(std::string_view payload, std::string* dst);

// Frames `batch` (an EncodeEventBatch result) as a format-2 payload into `*dst`
// (replacing it): zstd (level 1) when that is smaller, else raw. Compression is the
// point: the WAL is written at ingest speed and disks here are slow (docs/wal_format.md).
// Thread-safe (a thread-local compression context per thread).
void EncodeWalPayload(std::string_view batch, std::string* dst);

}  // namespace tobops::store
