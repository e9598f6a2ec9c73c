// File: common/file_system.h
// FileSystem: the seam between durable storage code (store/) and the operating
// system. PosixFileSystem talks to the kernel; FaultInjectionFileSystem keeps files in
// memory and can simulate a full disk, a crash that drops bytes not yet fsync'd, failed
// fsyncs, and corrupt bytes, so recovery and corruption paths get unit tests.
// Callers: store/ (WAL, segments, manifest); tests.
// Thread-safety: FileSystem methods may be called from any thread. One WritableFile or
// RandomAccessFile object is used by one thread at a time (RandomAccessFile::Read is
// safe concurrently).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tobops {

// An append-only file being written.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends `data` at the end. kResourceExhausted when the disk is full; then a prefix
  // of `data` may have been written (callers Truncate back to a known size).
  virtual Status Append(std::string_view data) = 0;
  // Makes every appended byte durable (fsync). kResourceExhausted / kInternal on failure.
  virtual Status Sync() = 0;
  // Cuts the file to `size_bytes`; later Appends continue from there.
  virtual Status Truncate(uint64_t size_bytes) = 0;
  // Current size in bytes, as far as this handle knows.
  virtual uint64_t Size() const = 0;
  virtual Status Close() = 0;
};

// A file read at arbitrary offsets.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads exactly `n` bytes at `offset` into `*out`. kDataLoss when the file is shorter.
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual uint64_t Size() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Creates (or truncates) `path` for appending.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens an existing `path` for appending at its end. kNotFound when missing.
  virtual Result<std::unique_ptr<WritableFile>> OpenAppendableFile(const std::string& path) = 0;
  // Opens `path` for reading. kNotFound when missing.
  virtual Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  // File names (not paths) directly inside `dir`.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& dir) = 0;
  virtual Status CreateDirectories(const std::string& dir) = 0;
  // Makes creations, renames and deletions inside `dir` durable (fsync of the directory).
  virtual Status SyncDirectory(const std::string& dir) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  // Size of `path` in bytes; kNotFound when missing.
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;

  // Reads a whole file.
  Result<std::string> ReadFile(const std::string& path);
  // Writes `contents` to `path` + ".tmp", fsyncs it, renames it over `path`, fsyncs the
  // directory: afterwards `path` holds either the old or the new contents, never a mix.
  Status WriteFileDurably(const std::string& path, std::string_view contents);
};

// The process-wide POSIX file system. Never null; not owned by the caller.
FileSystem* DefaultFileSystem();

// "dir/name", tolerating a trailing slash on dir.
std::string JoinPath(const std::string& dir, const std::string& name);
// The directory part of a path ("." when none).
std::string DirName(const std::string& path);

// An in-memory file system for tests, with fault injection. Each file keeps its bytes
// and how many of them were fsync'd. Creations and renames are modelled as durable at
// once (directory fsyncs are counted but not needed).
class FaultInjectionFileSystem : public FileSystem {
 public:
  FaultInjectionFileSystem() = default;

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenAppendableFile(const std::string& path) override;
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status DeleteFile(const std::string& path) override;
  Result<std::vector<std::string>> ListDirectory(const std::string& dir) override;
  Status CreateDirectories(const std::string& dir) override;
  Status SyncDirectory(const std::string& dir) override;
  bool FileExists(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;

  // (a) The disk holds at most `limit_bytes` of file contents in total: an Append that
  // would cross it writes what fits and fails with kResourceExhausted (ENOSPC).
  void SetSpaceLimitBytes(uint64_t limit_bytes);
  void ClearSpaceLimit();
  // Makes every Sync fail with kResourceExhausted while `fail` is true.
  void SetFailSyncs(bool fail);
  // Makes every file Sync take at least `delay_us` microseconds, like a real disk.
  void SetSyncDelayMicros(uint64_t delay_us);
  // (b) Simulates power loss: every file loses the bytes appended since its last Sync,
  // and every later operation fails with kUnavailable until Restart().
  void SimulateCrash();
  void Restart();
  // (c) Flips all bits of the byte at `offset` of `path`.
  Status CorruptByte(const std::string& path, uint64_t offset);
  // Appends raw bytes without a sync (to build torn tails in tests).
  Status AppendUnsynced(const std::string& path, std::string_view data);

  uint64_t sync_count() const;
  uint64_t used_bytes() const;

 private:
  struct MemFile {
    std::string data;
    uint64_t synced_bytes = 0;
  };
  class MemWritableFile;
  class MemRandomAccessFile;

  Status CheckAlive() const;  // requires mu_

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<MemFile>> files_;
  std::set<std::string> directories_;
  uint64_t space_limit_bytes_ = UINT64_MAX;
  bool fail_syncs_ = false;
  uint64_t sync_delay_us_ = 0;
  bool crashed_ = false;
  uint64_t sync_count_ = 0;
};

}  // namespace tobops
