#include "store/wal_reader.h"

#include <algorithm>

#include "common/checksum.h"
#include "common/coding.h"
#include "store/wal_writer.h"

namespace tobops::store {

Result<WalReadSummary> WalReader::ReadAll(FileSystem* fs, const std::string& path,
                                           const std::function<Status(std::string_view payload)>& record) {
  ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
  WalReadSummary summary;
  summary.file_bytes = data.size();
  if (data.size() < kWalMagic.size()) {
    // The file was created but its header never became durable.
    summary.dropped_tail = !data.empty();
    return summary;
  }
  if (std::string_view(data).substr(0, kWalMagic.size()) != kWalMagic) {
    return DataLoss("WAL " + path + ": bad file header");
  }
  size_t offset = kWalMagic.size();
  auto rest_is_zero = [&](size_t from) {
    return std::all_of(data.begin() + static_cast<std::ptrdiff_t>(from), data.end(), [](char c) { return c == 0; });
  };
  while (offset < data.size()) {
    size_t remaining = data.size() - offset;
    if (remaining < kWalRecordHeaderBytes) break;  // torn header
    uint32_t length = DecodeFixed32(data.data() + offset);
    uint64_t checksum = DecodeFixed64(data.data() + offset + 4);
    if (length > remaining - kWalRecordHeaderBytes) break;  // torn payload
    const char* payload = data.data() + offset + kWalRecordHeaderBytes;
    size_t end = offset + kWalRecordHeaderBytes + length;
    if (XXH3_64bits_withSeed(payload, length, length) != checksum) {
      // A bad last record (or one followed only by zero fill) is a write that never
      // completed; anything else means acknowledged data was damaged.
      if (end == data.size() || rest_is_zero(offset)) break;
      return DataLoss("WAL " + path + ": corrupt record at offset " + std::to_string(offset) + " with " +
                      std::to_string(data.size() - end) + " bytes after it");
    }
    RETURN_IF_ERROR(record(std::string_view(payload, length)));
    ++summary.records;
    offset = end;
  }
  summary.valid_bytes = offset;
  summary.dropped_tail = offset < data.size();
  return summary;
}

}  // namespace tobops::store
