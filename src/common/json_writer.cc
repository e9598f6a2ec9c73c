#include "common/json_writer.h"

#include <charconv>
#include <cmath>

namespace tobops {
namespace {

// Printable ASCII other than '"' and '\\': nlohmann writes these bytes as they are.
bool IsPlain(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
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
    // Escapes, non-ASCII and invalid UTF-8 (replaced by U+FFFD): nlohmann's own rules.
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
