#include "common/json_writer.h"

#include <charconv>
#include <cmath>

namespace tobops {
namespace {

// Text nlohmann writes unchanged: well-formed UTF-8 (Unicode table 3-7: no overlong
// forms, surrogates or code points above U+10FFFF) without control characters, '"' or
// '\\'. Anything else goes to nlohmann itself (escapes, U+FFFD for invalid bytes).
bool IsPlain(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  auto continuation = [&](const unsigned char* at, unsigned char low, unsigned char high) {
    return at < end && *at >= low && *at <= high;
  };
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) return false;
      ++p;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (!continuation(p + 1, 0x80, 0xbf)) return false;
      p += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      const unsigned char low = c == 0xe0 ? 0xa0 : 0x80, high = c == 0xed ? 0x9f : 0xbf;
      if (!continuation(p + 1, low, high) || !continuation(p + 2, 0x80, 0xbf)) return false;
      p += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const unsigned char low = c == 0xf0 ? 0x90 : 0x80, high = c == 0xf4 ? 0x8f : 0xbf;
      if (!continuation(p + 1, low, high) || !continuation(p + 2, 0x80, 0xbf) ||
          !continuation(p + 3, 0x80, 0xbf)) {
        return false;
      }
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

JsonWriter& JsonWriter::Open(char bracket) {
  BeforeValue();
  out_->push_back(bracket);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_->push_back(bracket);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  String(key);
  out_->push_back(':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  BeforeValue();
  if (IsPlain(text)) {
    out_->push_back('"');
    out_->append(text);
    out_->push_back('"');
  } else {
    // Escapes and invalid UTF-8 (replaced by U+FFFD): nlohmann's own rules.
    out_->append(nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();
  BeforeValue();
  // nlohmann's serializer formats every double with this function (shortest text that
  // reads back to the same double, ".0" added to integral values).
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out_->append(buffer, end);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_->append(buffer, end);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Null() { return Raw("null"); }

JsonWriter& JsonWriter::Bool(bool value) { return Raw(value ? "true" : "false"); }

JsonWriter& JsonWriter::Value(const nlohmann::json& value) {
  return Raw(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

JsonWriter& JsonWriter::Raw(std::string_view text) {
  BeforeValue();
  out_->append(text);
  need_comma_ = true;
  return *this;
}

}  // namespace tobops
