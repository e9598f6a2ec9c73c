// File: records/field_spec.h
// FieldSpec and ResourceSpec: the declared shape of an operations record (an account,
// an opportunity, a visit, ...). One ResourceSpec drives everything generic about a
// record kind: validation with field-named errors (records/record_validation.h), the
// SQLite columns it is stored in (records/record_store.h), list filters and sorting,
// CSV/XLSX export (records/record_table.h) and the console's forms and tables
// (GET /api/records/schema).
// Callers: records/sales_resources.cc declares the specs; everything above reads them.
// Thread-safety: specs are immutable after construction.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tobops::records {

enum class FieldType {
  kText,           // one line, ≤ max_bytes (default 200)
  kLongText,       // free text, ≤ max_bytes (default 20000)
  kInteger,        // int64, optional min/max
  kNumber,         // double (money is a kNumber with min 0), optional min/max
  kDate,           // "YYYY-MM-DD" (a calendar day, no zone)
  kTime,           // ISO-8601 with offset or epoch ms in; stored as UTC ms; ISO UTC out
  kEnum,           // one of choices
  kEnumList,       // array of distinct choices
  kBool,           // true / false
  kReference,      // id of another record of the same project (references = resource name)
  kReferenceList,  // array of such ids
  kTextList,       // array of short strings
  kObjectList,     // array of objects whose members are item_fields
  kObject,         // free JSON object, written only by the system (e.g. synced traits)
};

// The JSON name of a type, as the schema endpoint shows it ("text", "enum_list", ...).
std::string_view FieldTypeName(FieldType type);

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  bool required = false;   // on create; an update may not clear it
  bool read_only = false;  // written by the system, never from a request
  std::vector<std::string> choices;     // kEnum, kEnumList
  std::string references;               // kReference, kReferenceList: resource name
  size_t max_bytes = 0;                 // text kinds; 0 = the type's default
  std::optional<double> min, max;       // kInteger, kNumber
  size_t max_items = 100;               // list kinds
  std::vector<FieldSpec> item_fields;   // kObjectList
  std::string default_value;            // kText / kEnum: stored when a create omits the field

  size_t MaxBytes() const;
  bool IsList() const;  // stored as JSON text
};

struct ResourceSpec {
  std::string name;      // plural, URL segment and table name: "opportunities"
  std::string singular;  // "opportunity"
  std::vector<FieldSpec> fields;
  std::string display_field = "name";        // shown for references to this resource
  std::vector<std::string> search_fields;    // matched by ?q= (LIKE, case-insensitive ASCII)
  std::string default_sort = "id";
  bool default_descending = true;
  // Fields unique within a project (besides id): a clash is kAlreadyExists naming the field.
  std::vector<std::string> unique_fields;
  // Kept up to date from events too (accounts, contacts): fields a person wrote are
  // listed in manual_fields and system updates leave them alone (records/record_store.h).
  bool tracks_manual_edits = false;
  // A ledger: records are only ever added (update and delete are refused), so history
  // and any balance summed from it cannot be rewritten; corrections are new records.
  bool append_only = false;

  const FieldSpec* Find(std::string_view field) const;
};

}  // namespace tobops::records
