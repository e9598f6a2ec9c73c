// File: store/event.h
// Event: one normalized message as the store keeps it. Ingest turns every Segment
// message (track, page, screen, identify, group, alias) into one Event; the WAL and
// the columnar segments persist exactly these fields. Value type; no thread rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tobops::store {

enum class MessageType : uint8_t {
  kTrack = 0,
  kPage = 1,
  kScreen = 2,
  kIdentify = 3,
  kGroup = 4,
  kAlias = 5,
};

// Lower-case Segment name: "track", "page", ...; "unknown" for out-of-range values.
const char* MessageTypeName(MessageType type);
// Parses a Segment type name; false when it is not one of the six.
bool ParseMessageType(std::string_view name, MessageType* type);

// The event names the store uses for non-track messages, so every message is an
// event that funnels and the live stream can see.
inline constexpr std::string_view kPageEvent = "$pageview";
inline constexpr std::string_view kScreenEvent = "$screen";
inline constexpr std::string_view kIdentifyEvent = "$identify";
inline constexpr std::string_view kGroupEvent = "$group";
inline constexpr std::string_view kAliasEvent = "$alias";

// A property value: absent (null), boolean, number or string. Nested objects and
// arrays are flattened by ingest ("a.b" keys; arrays as JSON text strings).
using PropertyValue = std::variant<std::monostate, bool, double, std::string>;

// Text form used for breakdown labels, search and string comparison: strings as is,
// booleans "true"/"false", integral numbers without a fraction ("42"), others with
// up to 15 significant digits; "" for absent.
std::string PropertyValueToString(const PropertyValue& value);
// Identity of a value: its type tag, then PropertyValueToString, so that 1 (number),
// "1" (string) and true / "true" stay apart; "0" for absent.
std::string PropertyValueKey(const PropertyValue& value);

struct Property {
  std::string key;
  PropertyValue value;
  bool operator==(const Property&) const = default;
};

struct Event {
  int64_t timestamp_ms = 0;    // event time in UTC ms, after clock-skew correction
  int64_t received_at_ms = 0;  // server receive time in UTC ms
  MessageType type = MessageType::kTrack;
  std::string event;           // track name, or kPageEvent / kIdentifyEvent / ...
  // The person as known at ingest: the userId when given, otherwise "anon:" + anonymousId.
  // Queries re-resolve it through the identity graph, so later identify/alias calls
  // merge earlier anonymous events into the same person.
  std::string person;
  std::string anonymous_id;    // may be empty
  std::string user_id;         // may be empty
  std::string account;         // account (Segment group) id; empty when none is known
  std::string message_id;      // may be empty (then the message is not deduplicated)
  std::vector<Property> properties;  // flattened, keys unique, sorted by key

  bool operator==(const Event&) const = default;
};

// Prefix that marks a person id derived from an anonymousId.
inline constexpr std::string_view kAnonymousPrefix = "anon:";

}  // namespace tobops::store
