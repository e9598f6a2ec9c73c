#include "ingest/segment_message_parser.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <simdjson.h>

#include "common/time_format.h"

namespace tobops::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;
using store::MessageType;
using store::Property;
using store::PropertyValue;

// Reads an optional member; returns false when it is absent.
bool Member(const object& obj, std::string_view key, element* out) {
  return obj.at_key(key).get(*out) == simdjson::SUCCESS;
}

std::string NumberToString(const element& el) {
  switch (el.type()) {
    case element_type::INT64: return std::to_string(int64_t(el));
    case element_type::UINT64: return std::to_string(uint64_t(el));
    default: {
      double d = double(el);
      if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(int64_t(d));
      return simdjson::minify(el);
    }
  }
}

bool IsNumber(const element& el) {
  auto t = el.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

double ToDouble(const element& el) {
  switch (el.type()) {
    case element_type::INT64: return double(int64_t(el));
    case element_type::UINT64: return double(uint64_t(el));
    default: return double(el);
  }
}

// An id (userId, anonymousId, groupId, previousId, messageId): a non-empty string or a
// number. Absent or null → empty with OK.
Status ReadId(const object& obj, std::string_view key, const std::string& path, size_t max_bytes,
              std::string* out) {
  element el;
  out->clear();
  if (!Member(obj, key, &el) || el.is_null()) return Status::Ok();
  if (el.is_string()) {
    *out = std::string(std::string_view(el));
  } else if (IsNumber(el)) {
    *out = NumberToString(el);
  } else {
    return InvalidArgument(std::string(key) + " must be a string or a number",
                           path + "." + std::string(key));
  }
  if (out->size() > max_bytes) {
    return InvalidArgument(std::string(key) + " is longer than " + std::to_string(max_bytes) +
                               " bytes",
                           path + "." + std::string(key));
  }
  return Status::Ok();
}

// A timestamp: ISO-8601 string or epoch milliseconds. Absent → *present = false.
Status ReadTime(const object& obj, std::string_view key, const std::string& path, int64_t* out,
                bool* present) {
  element el;
  *present = false;
  if (!Member(obj, key, &el) || el.is_null()) return Status::Ok();
  const std::string field = path + "." + std::string(key);
  if (el.is_string()) {
    auto parsed = ParseIso8601Ms(std::string_view(el));
    if (!parsed.ok()) {
      return InvalidArgument(std::string(key) + " is not ISO-8601 or epoch milliseconds: " +
                                 parsed.status().message(),
                             field);
    }
    *out = *parsed;
  } else if (IsNumber(el)) {
    double ms = ToDouble(el);
    // Epoch ms for years 1970..2200; seconds would land in January 1970 and are refused.
    if (!(ms >= 1e11 && ms < 7.3e12)) {
      return InvalidArgument(std::string(key) + " as a number must be epoch milliseconds",
                             field);
    }
    *out = static_cast<int64_t>(ms);
  } else {
    return InvalidArgument(std::string(key) + " must be an ISO-8601 string or epoch milliseconds",
                           field);
  }
  *present = true;
  return Status::Ok();
}

class Flattener {
 public:
  Flattener(const ParserLimits& limits, std::vector<Property>* out) : limits_(limits), out_(out) {}

  Status Flatten(const object& obj, const std::string& prefix, const std::string& path,
                 size_t depth) {
    for (auto [key, value] : obj) {
      std::string name = prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
      if (name.empty()) return InvalidArgument("property names must not be empty", path);
      switch (value.type()) {
        case element_type::OBJECT:
          if (depth + 1 >= limits_.max_property_depth) {
            Add(std::move(name), PropertyValue(simdjson::minify(value)));
          } else {
            RETURN_IF_ERROR(Flatten(object(value), name, path, depth + 1));
          }
          break;
        case element_type::ARRAY:
          Add(std::move(name), PropertyValue(simdjson::minify(value)));
          break;
        case element_type::STRING:
          Add(std::move(name), PropertyValue(std::string(std::string_view(value))));
          break;
        case element_type::BOOL:
          Add(std::move(name), PropertyValue(bool(value)));
          break;
        case element_type::NULL_VALUE:
          break;  // null means "no value": the property is absent
        default:
          Add(std::move(name), PropertyValue(ToDouble(value)));
          break;
      }
      if (out_->size() > limits_.max_properties) {
        return InvalidArgument("more than " + std::to_string(limits_.max_properties) +
                                   " properties",
                               path);
      }
    }
    return Status::Ok();
  }

 private:
  void Add(std::string key, PropertyValue value) {
    out_->push_back(Property{std::move(key), std::move(value)});
  }

  const ParserLimits& limits_;
  std::vector<Property>* out_;
};

// Sorts by key and keeps the first of equal keys (explicit properties are added
// before the ones derived from context, so they win).
void Normalize(std::vector<Property>* props) {
  std::stable_sort(props->begin(), props->end(),
                   [](const Property& a, const Property& b) { return a.key < b.key; });
  props->erase(std::unique(props->begin(), props->end(),
                           [](const Property& a, const Property& b) { return a.key == b.key; }),
               props->end());
}

void AddStringFrom(const object& obj, std::string_view key, std::string name,
                   std::vector<Property>* props) {
  element el;
  if (Member(obj, key, &el) && el.is_string() && !std::string_view(el).empty()) {
    props->push_back(Property{std::move(name), std::string(std::string_view(el))});
  }
}

// Maps the Segment context into properties that analyses break down by.
void AddContextProperties(const object& context, std::vector<Property>* props) {
  element el;
  if (Member(context, "campaign", &el) && el.is_object()) {
    object campaign(el);
    AddStringFrom(campaign, "source", "utm_source", props);
    AddStringFrom(campaign, "medium", "utm_medium", props);
    AddStringFrom(campaign, "name", "utm_campaign", props);
    AddStringFrom(campaign, "term", "utm_term", props);
    AddStringFrom(campaign, "content", "utm_content", props);
  }
  if (Member(context, "page", &el) && el.is_object()) {
    object page(el);
    AddStringFrom(page, "url", "url", props);
    AddStringFrom(page, "path", "path", props);
    AddStringFrom(page, "referrer", "referrer", props);
    AddStringFrom(page, "title", "title", props);
  }
  AddStringFrom(context, "ip", "$ip", props);
  AddStringFrom(context, "userAgent", "$user_agent", props);
  AddStringFrom(context, "locale", "$locale", props);
  if (Member(context, "library", &el) && el.is_object()) {
    AddStringFrom(object(el), "name", "$lib", props);
  }
}

}  // namespace

struct SegmentMessageParser::Impl {
  ParserLimits limits;
  simdjson::dom::parser parser;

  Status ParseMessage(const element& el, const std::string& path, bool is_batch,
                      MessageType route_type, int64_t received_at_ms, int64_t batch_sent_at,
                      bool has_batch_sent_at, ParsedMessage* out);
};

SegmentMessageParser::SegmentMessageParser(ParserLimits limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
}

SegmentMessageParser::~SegmentMessageParser() = default;

Result<ParsedRequest> SegmentMessageParser::Parse(std::string_view body, bool is_batch,
                                                  MessageType route_type,
                                                  int64_t received_at_ms) {
  element root;
  auto error = impl_->parser.parse(body.data(), body.size()).get(root);
  if (error) {
    return InvalidArgument(std::string("request body is not valid JSON: ") +
                           simdjson::error_message(error));
  }
  if (!root.is_object()) return InvalidArgument("request body must be a JSON object");
  object top(root);
  ParsedRequest request;
  element el;
  if (Member(top, "writeKey", &el) && el.is_string()) request.write_key = std::string(std::string_view(el));

  int64_t batch_sent_at = 0;
  bool has_batch_sent_at = false;
  if (is_batch) {
    Status sent = ReadTime(top, "sentAt", "", &batch_sent_at, &has_batch_sent_at);
    if (!sent.ok()) has_batch_sent_at = false;  // a bad batch sentAt only disables skew correction
    if (!Member(top, "batch", &el)) return InvalidArgument("missing \"batch\" array", "batch");
    if (!el.is_array()) return InvalidArgument("\"batch\" must be an array", "batch");
    size_t index = 0;
    for (element item : simdjson::dom::array(el)) {
      ParsedMessage parsed;
      parsed.index = index;
      std::string path = "batch[" + std::to_string(index) + "]";
      parsed.status = impl_->ParseMessage(item, path, true, route_type, received_at_ms,
                                          batch_sent_at, has_batch_sent_at, &parsed);
      request.messages.push_back(std::move(parsed));
      ++index;
    }
  } else {
    ParsedMessage parsed;
    parsed.status = impl_->ParseMessage(root, "", false, route_type, received_at_ms, 0, false,
                                        &parsed);
    request.messages.push_back(std::move(parsed));
  }
  return request;
}

Status SegmentMessageParser::Impl::ParseMessage(const element& el, const std::string& path,
                                                bool is_batch, MessageType route_type,
                                                int64_t received_at_ms, int64_t batch_sent_at,
                                                bool has_batch_sent_at, ParsedMessage* out) {
  out->raw = simdjson::minify(el);
  auto field = [&](std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
  };
  if (!el.is_object()) return InvalidArgument("a message must be a JSON object", path);
  object msg(el);
  const std::string& p = path;
  RETURN_IF_ERROR(ReadId(msg, "messageId", p, limits.max_id_bytes, &out->message_id));
  if (out->raw.size() > limits.max_message_bytes) {
    return InvalidArgument("message is larger than " + std::to_string(limits.max_message_bytes) +
                               " bytes",
                           path);
  }

  MessageType type = route_type;
  element el_type;
  if (is_batch) {
    if (!Member(msg, "type", &el_type)) return InvalidArgument("missing \"type\"", field("type"));
    if (!el_type.is_string() || !store::ParseMessageType(std::string_view(el_type), &type)) {
      return InvalidArgument(
          "type must be one of track, page, screen, identify, group, alias", field("type"));
    }
  }

  IngestMessage& m = out->message;
  store::Event& ev = m.event;
  ev.type = type;
  ev.message_id = out->message_id;
  ev.received_at_ms = received_at_ms;
  RETURN_IF_ERROR(ReadId(msg, "userId", p, limits.max_id_bytes, &ev.user_id));
  RETURN_IF_ERROR(ReadId(msg, "anonymousId", p, limits.max_id_bytes, &ev.anonymous_id));
  if (ev.user_id.empty() && ev.anonymous_id.empty()) {
    return InvalidArgument("a message needs userId or anonymousId", field("userId"));
  }
  ev.person = ev.user_id.empty() ? std::string(store::kAnonymousPrefix) + ev.anonymous_id
                                  : ev.user_id;

  // Time: timestamp (or originalTimestamp), corrected by sentAt as Segment does.
  int64_t timestamp = received_at_ms;
  bool has_timestamp = false;
  RETURN_IF_ERROR(ReadTime(msg, "timestamp", p, &timestamp, &has_timestamp));
  if (!has_timestamp) {
    RETURN_IF_ERROR(ReadTime(msg, "originalTimestamp", p, &timestamp, &has_timestamp));
  }
  int64_t sent_at = batch_sent_at;
  bool has_sent_at = has_batch_sent_at;
  bool own_sent_at = false;
  int64_t own_sent = 0;
  RETURN_IF_ERROR(ReadTime(msg, "sentAt", p, &own_sent, &own_sent_at));
  if (own_sent_at) {
    sent_at = own_sent;
    has_sent_at = true;
  }
  if (has_timestamp && has_sent_at && limits.correct_clock_skew) timestamp += received_at_ms - sent_at;
  ev.timestamp_ms = timestamp;

  element context_el;
  bool has_context = Member(msg, "context", &context_el) && context_el.is_object();
  if (Member(msg, "context", &context_el) && !context_el.is_null() && !context_el.is_object()) {
    return InvalidArgument("context must be an object", field("context"));
  }
  if (has_context) {
    RETURN_IF_ERROR(ReadId(object(context_el), "groupId", field("context"), limits.max_id_bytes,
                           &m.context_group_id));
  }

  Flattener properties(limits, &ev.properties);
  element el_props;
  auto flatten_member = [&](std::string_view key, std::vector<Property>* target) -> Status {
    element value;
    if (!Member(msg, key, &value) || value.is_null()) return Status::Ok();
    if (!value.is_object()) return InvalidArgument(std::string(key) + " must be an object", field(key));
    Flattener f(limits, target);
    return f.Flatten(object(value), "", field(key), 0);
  };

  switch (type) {
    case MessageType::kTrack: {
      element name;
      if (!Member(msg, "event", &name) || !name.is_string()) {
        return InvalidArgument("track calls need \"event\" as a string", field("event"));
      }
      ev.event = std::string(std::string_view(name));
      if (ev.event.empty()) return InvalidArgument("event must not be empty", field("event"));
      if (ev.event.size() > limits.max_event_name_bytes) {
        return InvalidArgument("event is longer than " +
                                   std::to_string(limits.max_event_name_bytes) + " bytes",
                               field("event"));
      }
      if (!ev.event.empty() && ev.event[0] == '$') {
        return InvalidArgument("event names starting with '$' are reserved", field("event"));
      }
      RETURN_IF_ERROR(flatten_member("properties", &ev.properties));
      break;
    }
    case MessageType::kPage:
    case MessageType::kScreen: {
      ev.event = std::string(type == MessageType::kPage ? store::kPageEvent : store::kScreenEvent);
      RETURN_IF_ERROR(flatten_member("properties", &ev.properties));
      AddStringFrom(msg, "name", "name", &ev.properties);
      AddStringFrom(msg, "category", "category", &ev.properties);
      break;
    }
    case MessageType::kIdentify: {
      ev.event = std::string(store::kIdentifyEvent);
      RETURN_IF_ERROR(flatten_member("traits", &m.traits));
      if (m.traits.empty() && has_context) {
        element ctx_traits;
        if (Member(object(context_el), "traits", &ctx_traits) && ctx_traits.is_object()) {
          Flattener f(limits, &m.traits);
          RETURN_IF_ERROR(f.Flatten(object(ctx_traits), "", field("context.traits"), 0));
        }
      }
      Normalize(&m.traits);
      ev.properties = m.traits;
      break;
    }
    case MessageType::kGroup: {
      ev.event = std::string(store::kGroupEvent);
      std::string group_id;
      RETURN_IF_ERROR(ReadId(msg, "groupId", p, limits.max_id_bytes, &group_id));
      if (group_id.empty()) return InvalidArgument("group calls need \"groupId\"", field("groupId"));
      m.context_group_id = group_id;
      RETURN_IF_ERROR(flatten_member("traits", &m.traits));
      Normalize(&m.traits);
      ev.properties = m.traits;
      break;
    }
    case MessageType::kAlias: {
      ev.event = std::string(store::kAliasEvent);
      RETURN_IF_ERROR(ReadId(msg, "previousId", p, limits.max_id_bytes, &m.previous_id));
      if (m.previous_id.empty()) {
        return InvalidArgument("alias calls need \"previousId\"", field("previousId"));
      }
      if (ev.user_id.empty()) return InvalidArgument("alias calls need \"userId\"", field("userId"));
      ev.properties.push_back(Property{"previous_id", m.previous_id});
      break;
    }
  }
  if (has_context && type != MessageType::kIdentify && type != MessageType::kGroup) {
    AddContextProperties(object(context_el), &ev.properties);
  }
  Normalize(&ev.properties);
  return Status::Ok();
}

}  // namespace tobops::ingest
