#include "store/wal_reader.h"

#include <algorithm>

#include <zstd.h>

#include "common/checksum.h"
#include "common/coding.h"
#include "store/wal_writer.h"

namespace tobops::store {

bool DecodeWalPayload(std::string_view stored, std::string* scratch, std::string_view* batch) {
  if (stored.empty()) return false;
  const auto codec = static_cast<WalCodec>(static_cast<uint8_t>(stored[0]));
  if (codec == WalCodec::kRaw) {
    *batch = stored.substr(1);
    return true;
  }
  if (codec != WalCodec::kZstd) return false;
  Decoder in(stored.substr(1));
  uint64_t raw_size;
  // A record is at most 4 GiB; zstd at level 1 never expands more than ~1000x.
  if (!in.GetVarint64(&raw_size) || raw_size > (uint64_t{1} << 32)) return false;
  const std::string_view frame = stored.substr(stored.size() - in.remaining());
  scratch->resize(raw_size);
  const size_t n = ZSTD_decompress(scratch->data(), raw_size, frame.data(), frame.size());
  if (ZSTD_isError(n) || n != raw_size) return false;
  *batch = *scratch;
  return true;
}

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
  const std::string_view magic = std::string_view(data).substr(0, kWalMagic.size());
  const bool framed = magic == kWalMagic;
  if (!framed && magic != kWalMagicV1) return DataLoss("WAL " + path + ": bad file header");
  std::string scratch;
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
    std::string_view batch(payload, length);
    if (framed && !DecodeWalPayload(batch, &scratch, &batch)) {
      return DataLoss("WAL " + path + ": malformed record payload at offset " + std::to_string(offset));
    }
    RETURN_IF_ERROR(record(batch));
    ++summary.records;
    offset = end;
  }
  summary.valid_bytes = offset;
  summary.dropped_tail = offset < data.size();
  return summary;
}

}  // namespace tobops::store
