// File: common/json_writer.h
// JsonWriter: appends compact JSON text to a string without building a json tree first,
// byte for byte what nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes for
// the same value: numbers with nlohmann's own shortest round-trip formatting (1.0, not 1;
// NaN and infinities as null), strings copied when they are well-formed UTF-8 needing
// no escape, else escaped by nlohmann. For answers whose rows are too many to build as json objects first
// (the health of every account: query/health_query.cc).
//
// Contract: the caller writes each object's keys in sorted (byte) order, as nlohmann's
// std::map-backed objects print them; json_writer_test and the users' tests compare the
// text with dump() of its parse.
// Thread-safety: one writer per string; distinct writers are independent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tobops {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // The next value's key.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view text);
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Null();
  JsonWriter& Bool(bool value);
  // Any json value, dumped as it is (for the rare members not worth writing by hand).
  JsonWriter& Value(const nlohmann::json& value);
  // Text already in this form (an element rendered by another writer).
  JsonWriter& Raw(std::string_view text);

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void BeforeValue() {
    if (need_comma_) out_->push_back(',');
  }

  std::string* out_;
  bool need_comma_ = false;  // a value or member came before, in the same container
};

}  // namespace tobops
