#include "records/field_spec.h"

namespace tobops::records {

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText: return "text";
    case FieldType::kLongText: return "long_text";
    case FieldType::kInteger: return "integer";
    case FieldType::kNumber: return "number";
    case FieldType::kDate: return "date";
    case FieldType::kTime: return "time";
    case FieldType::kEnum: return "enum";
    case FieldType::kEnumList: return "enum_list";
    case FieldType::kBool: return "bool";
    case FieldType::kReference: return "reference";
    case FieldType::kReferenceList: return "reference_list";
    case FieldType::kTextList: return "text_list";
    case FieldType::kObjectList: return "object_list";
    case FieldType::kObject: return "object";
  }
  return "text";
}

size_t FieldSpec::MaxBytes() const {
  if (max_bytes > 0) return max_bytes;
  return type == FieldType::kLongText ? 20000 : 200;
}

bool FieldSpec::IsList() const {
  return type == FieldType::kEnumList || type == FieldType::kReferenceList || type == FieldType::kTextList ||
         type == FieldType::kObjectList || type == FieldType::kObject;
}

const FieldSpec* ResourceSpec::Find(std::string_view field) const {
  for (const auto& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

}  // namespace tobops::records
