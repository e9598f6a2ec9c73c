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
// Version 2 (written now) changes the encoding of received_at, anonymous_id, user_id and
// message_id blocks; version 1 files are still read (docs/segment_format.md).
inline constexpr uint32_t kSegmentFormatVersion = 2;
inline constexpr uint32_t kSegmentFormatVersionV1 = 1;
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

// Version 2 received_at block: a mode byte, then one svarint per row.
enum class ReceivedAtMode : uint8_t {
  kFromTimestamp = 0,  // received_at_ms - timestamp_ms (live ingest: small latencies)
  kFromPrevious = 1,   // received_at_ms - previous row's received_at_ms (first: from 0; bulk loads)
};

// Version 2 anonymous_id / user_id codes (svarint-delta coded per row like v1):
// 0 = "", 1 = derived from the row's person (user_id: the person itself; anonymous_id:
// the person without kAnonymousPrefix), k >= 2 = id_dict entry k - 1 (entry 0 is "").
inline constexpr uint32_t kIdCodeEmpty = 0;
inline constexpr uint32_t kIdCodeFromPerson = 1;

// Version 2 message_id block: each id is split into a shape and a value.
enum class MessageIdKind : uint8_t {
  kEmpty = 0,  // ""
  kHex = 1,    // prefix + `width` lower-case hex digits (width 1..16): value in the number stream
  kUuid = 2,   // prefix + canonical lower-case UUID (8-4-4-4-12): 16 bytes in the uuid stream
  kRaw = 3,    // any other string: lp-string in the raw stream
};
inline constexpr size_t kMaxHexIdWidth = 16;

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
