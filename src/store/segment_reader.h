// File: store/segment_reader.h
// SegmentReader: reads one immutable segment file (docs/segment_format.md). Open reads
// and verifies only the footer; a scan reads just the column blocks it needs, checking
// each block's XXH3 checksum (kDataLoss names the file and block on a mismatch).
// Dictionaries are decoded once and cached; decoded columns go to the DecodedColumnCache
// given to Open, if any (a scan then reuses them, see decoded_column_cache.h).
// Callers: EmbeddedEventStore (scan, compaction, recovery), tests.
// Thread-safety: all methods may be called concurrently; the object is immutable
// apart from its internal, mutex-guarded dictionary cache.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/status.h"
#include "store/decoded_column_cache.h"
#include "store/event.h"
#include "store/event_store.h"
#include "store/segment_format.h"

namespace tobops::store {

class SegmentReader {
 public:
  // Every property key present in the segment, sorted.
  const std::vector<std::string>& property_keys() const { return property_keys_; }
  // Opens `path` and verifies its trailer and footer. `cache` (may be null) keeps the
  // columns scans decode. Errors: kNotFound, kDataLoss.
  static Result<std::shared_ptr<SegmentReader>> Open(FileSystem* fs, const std::string& path,
                                                     std::shared_ptr<DecodedColumnCache> cache = nullptr);
  // Drops this segment's columns from the cache.
  ~SegmentReader();

  const std::string& path() const { return path_; }
  uint64_t row_count() const { return row_count_; }
  uint64_t file_bytes() const { return file_bytes_; }
  int64_t min_timestamp_ms() const { return min_ts_; }
  int64_t max_timestamp_ms() const { return max_ts_; }
  // Sorted distinct event names in the segment.
  const std::vector<std::string>& event_names() const { return event_dict_; }
  size_t row_group_count() const { return groups_.size(); }

  // False when no row of the segment can match the time and event filters.
  bool MayMatch(const ScanRequest& request) const;
  bool RowGroupMayMatch(size_t group, const ScanRequest& request) const;

  // Builds the block of matching rows of row group `group` and calls `visit` with it
  // (not at all when no row matches). Errors: kDataLoss, I/O errors, visit's status.
  Status ScanRowGroup(size_t group, const ScanRequest& request, const BlockVisitor& visit, int worker) const;

  // Appends every row, in segment order, as Events (compaction, tests).
  Status ReadAllEvents(std::vector<Event>* out) const;

  // Format version of the file (1 or 2).
  uint32_t format_version() const { return version_; }
  // Stored (compressed) bytes by column: the nine fixed columns, "property:<key>",
  // the dictionaries and "footer" (footer + trailer); they sum to file_bytes() minus
  // the 8-byte magic. For measuring the encoding (tests, bench scripts).
  std::map<std::string, uint64_t> ColumnBytes() const;

  // Reads and checks every block of the file.
  Status VerifyAllBlocks() const;

 private:
  struct RowGroup {
    uint64_t rows = 0;
    int64_t min_ts = 0, max_ts = 0;
    BlockHandle fixed[kFixedColumnCount];
    std::vector<BlockHandle> properties;  // one per property key
  };
  using StringDict = std::vector<std::string>;
  using ValueDict = std::vector<PropertyValue>;

  SegmentReader() = default;
  Result<std::string> ReadBlock(const BlockHandle& handle, const std::string& what) const;
  Result<std::shared_ptr<const StringDict>> LoadStringDict(int which) const;  // 0 person, 1 account, 2 id
  Result<std::shared_ptr<const ValueDict>> LoadValueDict(size_t key_index) const;
  using Column = DecodedColumnCache::Column;
  // Column `column` (a SegmentColumn, or kFixedColumnCount + property key index) of row
  // group `group`: from the cache, else made by `decode` (which also validates it) and
  // cached when `keep` (ScanRequest::keep_decoded).
  template <typename T, typename Decode>
  Result<std::shared_ptr<const Column>> Cached(size_t group, uint32_t column, bool keep, Decode decode) const;
  // The scan columns, decoded and checked against their dictionaries.
  Result<std::shared_ptr<const Column>> Timestamps(size_t group, bool keep) const;
  Result<std::shared_ptr<const Column>> Types(size_t group, bool keep) const;
  Result<std::shared_ptr<const Column>> Codes(size_t group, SegmentColumn column, size_t dict_size, bool keep) const;
  Result<std::shared_ptr<const Column>> PropertyCodes(size_t group, size_t key_index, size_t dict_size,
                                                      bool keep) const;
  Status DecodeColumn(const RowGroup& g, size_t group, SegmentColumn column, bool delta, std::vector<uint32_t>* out) const;
  Status DecodeInt64Column(const RowGroup& g, size_t group, SegmentColumn column, std::vector<int64_t>* out) const;
  // received_at of every row of the group; `ts` are the group's timestamps.
  Status DecodeReceivedAt(const RowGroup& g, size_t group, const std::vector<int64_t>& ts,
                          std::vector<int64_t>* out) const;
  // Version 2: the message ids of every row of the group ("" when absent or not stored).
  Status DecodeMessageIds(const RowGroup& g, size_t group, std::vector<std::string>* out) const;
  Status DecodePropertyCodes(const RowGroup& g, size_t group, size_t key_index, std::vector<uint32_t>* out) const;
  Status Corrupt(const std::string& what) const;

  std::string path_;
  uint64_t dict_key_ = 0;  // ColumnBlock::dict_key of this segment's blocks
  std::unique_ptr<RandomAccessFile> file_;
  std::shared_ptr<DecodedColumnCache> cache_;  // may be null
  uint64_t file_bytes_ = 0;
  uint32_t version_ = kSegmentFormatVersion;
  uint64_t row_count_ = 0;
  int64_t min_ts_ = 0, max_ts_ = 0;
  StringDict event_dict_;
  BlockHandle string_dicts_[3];
  std::vector<std::string> property_keys_;  // sorted
  std::vector<BlockHandle> property_dicts_;
  std::vector<RowGroup> groups_;

  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const StringDict> string_dict_cache_[3];
  mutable std::map<size_t, std::shared_ptr<const ValueDict>> value_dict_cache_;
};

}  // namespace tobops::store
