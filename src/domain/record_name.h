// File: domain/record_name.h
// The name or title a person types for a record (dashboard, chart, cohort, ...):
// surrounding blanks are dropped; it must then be non-empty and at most `max_bytes`.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tobops::domain {

// Errors: kInvalidArgument naming `field` ("name", "title").
inline Result<std::string> CleanRecordName(std::string_view text, const std::string& field, size_t max_bytes) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  if (text.empty()) return InvalidArgument(field + " must not be empty", field);
  if (text.size() > max_bytes) {
    return InvalidArgument(field + " is longer than " + std::to_string(max_bytes) + " bytes", field);
  }
  return std::string(text);
}

}  // namespace tobops::domain
