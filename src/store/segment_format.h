// File: store/segment_format.h
// Constants and small records shared by SegmentWriter and SegmentReader; the byte
// layout is specified in docs/segment_format.md. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/coding.h"

namespace tobops::store {

inline constexpr std::string_view kSegmentMagic = "TOBSEG1\n";
inline constexpr uint32_t kSegmentFormatVersion = 1;
// fixed64 footer offset + fixed32 footer size + fixed64 footer checksum + magic.
inline constexpr size_t kSegmentTrailerBytes = 8 + 4 + 8 + 8;
// Rows per row group: the unit of a scan block and of parallelism.
inline constexpr size_t kRowGroupRows = 65536;

// The fixed columns of every row group, in footer order.
enum class SegmentColumn : uint8_t {
  kTimestamp = 0,
  kType,
  kEvent,
  kPerson,
  kAccount,
  kReceivedAt,
  kAnonymousId,
  kUserId,
  kMessageId,
};
inline constexpr size_t kFixedColumnCount = 9;

// Where a zstd-compressed block lives in the file.
struct BlockHandle {
  uint64_t offset = 0;
  uint64_t stored_bytes = 0;  // compressed size on disk
  uint64_t raw_bytes = 0;     // size after decompression
  uint64_t checksum = 0;      // XXH3-64 of the stored bytes

  void EncodeTo(std::string* dst) const {
    PutVarint64(dst, offset);
    PutVarint64(dst, stored_bytes);
    PutVarint64(dst, raw_bytes);
    PutFixed64(dst, checksum);
  }
  bool DecodeFrom(Decoder* in) {
    return in->GetVarint64(&offset) && in->GetVarint64(&stored_bytes) && in->GetVarint64(&raw_bytes) &&
           in->GetFixed64(&checksum);
  }
};

}  // namespace tobops::store
