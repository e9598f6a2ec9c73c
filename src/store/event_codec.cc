#include "store/event_codec.h"

namespace tobops::store {

void EncodePropertyValue(const PropertyValue& value, std::string* dst) {
  if (std::holds_alternative<std::monostate>(value)) {
    dst->push_back(static_cast<char>(ValueTag::kNull));
  } else if (const bool* b = std::get_if<bool>(&value)) {
    dst->push_back(static_cast<char>(*b ? ValueTag::kTrue : ValueTag::kFalse));
  } else if (const double* d = std::get_if<double>(&value)) {
    dst->push_back(static_cast<char>(ValueTag::kDouble));
    PutDouble(dst, *d);
  } else {
    dst->push_back(static_cast<char>(ValueTag::kString));
    PutLengthPrefixed(dst, std::get<std::string>(value));
  }
}

bool DecodePropertyValue(Decoder* in, PropertyValue* value) {
  uint8_t tag;
  if (!in->GetByte(&tag)) return false;
  switch (static_cast<ValueTag>(tag)) {
    case ValueTag::kNull: *value = std::monostate{}; return true;
    case ValueTag::kFalse: *value = false; return true;
    case ValueTag::kTrue: *value = true; return true;
    case ValueTag::kDouble: {
      double d;
      if (!in->GetDouble(&d)) return false;
      *value = d;
      return true;
    }
    case ValueTag::kString: {
      std::string_view s;
      if (!in->GetLengthPrefixed(&s)) return false;
      *value = std::string(s);
      return true;
    }
  }
  return false;
}

void EncodeEventBatch(std::span<const Event* const> events, std::string* dst) {
  PutVarint64(dst, events.size());
  for (const Event* e : events) {
    dst->push_back(static_cast<char>(e->type));
    PutVarsint64(dst, e->timestamp_ms);
    PutVarsint64(dst, e->received_at_ms - e->timestamp_ms);
    PutLengthPrefixed(dst, e->event);
    PutLengthPrefixed(dst, e->person);
    PutLengthPrefixed(dst, e->anonymous_id);
    PutLengthPrefixed(dst, e->user_id);
    PutLengthPrefixed(dst, e->account);
    PutLengthPrefixed(dst, e->message_id);
    PutVarint64(dst, e->properties.size());
    for (const Property& p : e->properties) {
      PutLengthPrefixed(dst, p.key);
      EncodePropertyValue(p.value, dst);
    }
  }
}

bool DecodeEventBatch(std::string_view payload, std::vector<Event>* out) {
  Decoder in(payload);
  uint64_t count;
  if (!in.GetVarint64(&count) || count > payload.size()) return false;
  out->reserve(out->size() + count);
  for (uint64_t i = 0; i < count; ++i) {
    Event e;
    uint8_t type;
    int64_t received_delta;
    std::string_view event, person, anonymous_id, user_id, account, message_id;
    uint64_t props;
    if (!in.GetByte(&type) || type > static_cast<uint8_t>(MessageType::kAlias) ||
        !in.GetVarsint64(&e.timestamp_ms) || !in.GetVarsint64(&received_delta) ||
        !in.GetLengthPrefixed(&event) || !in.GetLengthPrefixed(&person) ||
        !in.GetLengthPrefixed(&anonymous_id) || !in.GetLengthPrefixed(&user_id) ||
        !in.GetLengthPrefixed(&account) || !in.GetLengthPrefixed(&message_id) || !in.GetVarint64(&props) ||
        props > in.remaining()) {
      return false;
    }
    e.type = static_cast<MessageType>(type);
    e.received_at_ms = e.timestamp_ms + received_delta;
    e.event = event;
    e.person = person;
    e.anonymous_id = anonymous_id;
    e.user_id = user_id;
    e.account = account;
    e.message_id = message_id;
    e.properties.resize(props);
    for (Property& p : e.properties) {
      std::string_view key;
      if (!in.GetLengthPrefixed(&key) || !DecodePropertyValue(&in, &p.value)) return false;
      p.key = key;
    }
    out->push_back(std::move(e));
  }
  return in.empty();
}

}  // namespace tobops::store
