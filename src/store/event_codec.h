// File: store/event_codec.h
// EventCodec: the byte encoding of Events and PropertyValues shared by WAL record
// payloads (docs/wal_format.md) and segment property dictionaries
// (docs/segment_format.md). Callers: wal_*, segment_*, embedded_event_store.
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/coding.h"
#include "store/event.h"

namespace tobops::store {

// Property value tags on disk.
enum class ValueTag : uint8_t { kNull = 0, kFalse = 1, kTrue = 2, kDouble = 3, kString = 4 };

// Appends the tagged encoding of `value` to `dst`.
void EncodePropertyValue(const PropertyValue& value, std::string* dst);
// Reads one tagged value; false on malformed input.
bool DecodePropertyValue(Decoder* in, PropertyValue* value);

// Appends one batch: varint count, then each event (docs/wal_format.md).
void EncodeEventBatch(std::span<const Event* const> events, std::string* dst);
// Decodes a whole batch payload, appending to `*out`; false on malformed input
// (callers report kDataLoss naming the file).
bool DecodeEventBatch(std::string_view payload, std::vector<Event>* out);

}  // namespace tobops::store
