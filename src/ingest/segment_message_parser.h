// File: ingest/segment_message_parser.h
// Parses request bodies of the Segment HTTP tracking API (/v1/batch, /v1/track, ...)
// into IngestMessages: flattens properties and traits, maps context (utm campaign,
// page, ip, user agent) into properties, parses timestamps and corrects clock skew
// from sentAt. Each message is validated on its own so one bad message never loses
// its neighbours. See docs/http_api.md "Ingest".
// Thread-safety: a parser instance is single-threaded; use one per request/thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "common/status.h"
#include "ingest/ingest_message.h"
#include "store/event.h"

namespace tobops::ingest {

struct ParserLimits {
  size_t max_message_bytes = 32 * 1024;
  size_t max_event_name_bytes = 200;
  size_t max_id_bytes = 256;
  size_t max_property_depth = 4;
  size_t max_properties = 256;
  // Segment's clock-skew correction (timestamp + receivedAt − sentAt) is right for live
  // traffic and wrong for files of history: `tobops import` turns it off, or every
  // imported event would move to the import day.
  bool correct_clock_skew = true;
};

class SegmentMessageParser {
 public:
  explicit SegmentMessageParser(ParserLimits limits = {});
  ~SegmentMessageParser();

  // Parses `body`. For /v1/batch pass `route_type` = nullopt-like empty and each element
  // carries its own "type"; for single-message routes pass the route's type, which
  // wins over a "type" field in the body. `received_at_ms` is the server receive time.
  // Errors (whole request): kInvalidArgument when the body is not a JSON object or
  // "batch" is not an array. Per-message problems are reported in ParsedMessage::status.
  Result<ParsedRequest> Parse(std::string_view body, bool is_batch, store::MessageType route_type,
                              int64_t received_at_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tobops::ingest
