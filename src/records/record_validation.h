// File: records/record_validation.h
// ValidateRecord: turns a request's JSON members into the normalized values a record
// stores, checking each against its FieldSpec. Every bad member is reported, each
// named by its path ("amount", "attendees[2].role"), so a person fixes all at once.
// Normalized forms: trimmed text (an empty optional text becomes null), integers and
// doubles (numeric strings accepted, for CSV), dates "YYYY-MM-DD", times as UTC ms,
// lists as JSON arrays. Callers: records/record_store.cc and services that validate
// before composing writes. Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/status.h"
#include "records/field_spec.h"

namespace tobops::records {

enum class ValidationMode {
  kCreate,  // required fields must be present; read-only fields rejected
  kUpdate,  // only the members given are checked; read-only fields rejected
  kSystem,  // like kUpdate, but read-only fields may be written (sync from events)
};

struct FieldError {
  std::string field;   // path of the member
  std::string reason;  // "must be one of: lead, qualified, ..."
};

// The errors as one Status: kInvalidArgument whose field is the first bad member and
// whose message lists every "field: reason" (just the reason when there is one).
Status ErrorsToStatus(const std::vector<FieldError>& errors);

// Validates `input` (must be an object) against `spec`. Unknown members and the system
// members (id, created_at, updated_at) are errors. Returns an object with the
// normalized value of each given member (null clears an optional field on update).
[[nodiscard]] Result<nlohmann::json> ValidateRecord(const ResourceSpec& spec, const nlohmann::json& input,
                                                    ValidationMode mode);

// Validates one value against one field; appends errors naming `path`. Exposed for
// services that check a value outside a record (e.g. a stage against the pipeline).
nlohmann::json NormalizeValue(const FieldSpec& field, const nlohmann::json& value, const std::string& path,
                              std::vector<FieldError>* errors);

}  // namespace tobops::records
