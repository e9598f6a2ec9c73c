// File: records/field_builders.h
// Small builders so that each ResourceSpec declaration reads as a table of fields:
// Text("name", true), Money("arr"), Enum("stance", {...}, "neutral"), Ref("account_id",
// "accounts"), Objects("attendees", {...}). Callers: records/*_resources.cc.
#pragma once

#include <string>
#include <vector>

#include "records/field_spec.h"

namespace tobops::records {

inline FieldSpec Text(std::string name, bool required = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = FieldType::kText;
  f.required = required;
  return f;
}
inline FieldSpec Long(std::string name) {
  FieldSpec f = Text(std::move(name));
  f.type = FieldType::kLongText;
  return f;
}
inline FieldSpec Typed(std::string name, FieldType type, bool required = false) {
  FieldSpec f = Text(std::move(name), required);
  f.type = type;
  return f;
}
inline FieldSpec Money(std::string name) {
  FieldSpec f = Typed(std::move(name), FieldType::kNumber);
  f.min = 0;
  return f;
}
inline FieldSpec Count(std::string name) {
  FieldSpec f = Typed(std::move(name), FieldType::kInteger);
  f.min = 0;
  return f;
}
inline FieldSpec Enum(std::string name, std::vector<std::string> choices, std::string default_value = {},
               bool required = false) {
  FieldSpec f = Typed(std::move(name), FieldType::kEnum, required);
  f.choices = std::move(choices);
  f.default_value = std::move(default_value);
  return f;
}
inline FieldSpec EnumList(std::string name, std::vector<std::string> choices) {
  FieldSpec f = Typed(std::move(name), FieldType::kEnumList);
  f.choices = std::move(choices);
  return f;
}
inline FieldSpec Ref(std::string name, std::string resource, bool required = false) {
  FieldSpec f = Typed(std::move(name), FieldType::kReference, required);
  f.references = std::move(resource);
  return f;
}
inline FieldSpec Objects(std::string name, std::vector<FieldSpec> items) {
  FieldSpec f = Typed(std::move(name), FieldType::kObjectList);
  f.item_fields = std::move(items);
  return f;
}
inline FieldSpec Traits() {
  FieldSpec f = Typed("traits", FieldType::kObject);
  f.read_only = true;
  return f;
}

}  // namespace tobops::records
