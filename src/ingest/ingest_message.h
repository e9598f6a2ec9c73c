// File: ingest/ingest_message.h
// IngestMessage: one Segment message after parsing, before identity resolution.
// Produced by SegmentMessageParser, consumed by IngestPipeline. Value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/event.h"

namespace tobops::ingest {

struct IngestMessage {
  // The event as it will be stored, except `account` (resolved by the identity graph
  // when the message carries no context.groupId) and `received_at_ms`.
  store::Event event;
  std::string context_group_id;  // context.groupId, or the groupId of a group call
  std::string previous_id;       // alias calls: the id being merged into user_id
  // identify: the person's traits; group: the account's traits (also in event.properties).
  std::vector<store::Property> traits;
};

// One element of a request: either a parsed message or the reason it was rejected.
struct ParsedMessage {
  size_t index = 0;         // position in the batch (0 for single-message routes)
  std::string message_id;   // as sent, even when invalid (for the error report)
  std::string raw;          // the message text as received, for quarantine
  Status status;            // OK, or why the message is rejected (field names the path)
  IngestMessage message;    // valid only when status.ok()
};

struct ParsedRequest {
  std::string write_key;    // "writeKey" from the body, empty when absent
  std::vector<ParsedMessage> messages;
};

}  // namespace tobops::ingest
