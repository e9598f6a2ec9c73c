#include "store/event.h"

#include <cmath>
#include <cstdio>

namespace tobops::store {

std::string PropertyValueKey(const PropertyValue& value) {
  return std::string(1, char('0' + value.index())) + PropertyValueToString(value);
}

std::string PropertyValueToString(const PropertyValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&value)) {
    char buf[32];
    if (std::floor(*d) == *d && std::fabs(*d) < 1e15) {
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(*d));
    } else {
      std::snprintf(buf, sizeof buf, "%.15g", *d);
    }
    return buf;
  }
  return {};
}

const char* MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kTrack: return "track";
    case MessageType::kPage: return "page";
    case MessageType::kScreen: return "screen";
    case MessageType::kIdentify: return "identify";
    case MessageType::kGroup: return "group";
    case MessageType::kAlias: return "alias";
  }
  return "unknown";
}

bool ParseMessageType(std::string_view name, MessageType* type) {
  static constexpr std::pair<std::string_view, MessageType> kNames[] = {
      {"track", MessageType::kTrack}, {"page", MessageType::kPage},
      {"screen", MessageType::kScreen}, {"identify", MessageType::kIdentify},
      {"group", MessageType::kGroup}, {"alias", MessageType::kAlias},
  };
  for (const auto& [n, t] : kNames) {
    if (n == name) {
      *type = t;
      return true;
    }
  }
  return false;
}

}  // namespace tobops::store
