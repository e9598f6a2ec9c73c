#include "records/record_validation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "common/time_format.h"

namespace tobops::records {
namespace {

using nlohmann::json;

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return std::string(s.substr(b, e - b));
}

std::string ChoicesText(const FieldSpec& field) {
  std::string out;
  for (const auto& c : field.choices) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

// A number from a JSON number or a numeric string (CSV imports give strings).
std::optional<double> AsNumber(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string text = Trim(value.get<std::string>());
  if (text.empty()) return std::nullopt;
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out)) return std::nullopt;
  return out;
}

bool InRange(const FieldSpec& field, double v, const std::string& path, std::vector<FieldError>* errors) {
  if (field.min && v < *field.min) {
    errors->push_back({path, "must be at least " + json(*field.min).dump()});
    return false;
  }
  if (field.max && v > *field.max) {
    errors->push_back({path, "must be at most " + json(*field.max).dump()});
    return false;
  }
  return true;
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

json NormalizeText(const FieldSpec& field, const json& value, const std::string& path,
                   std::vector<FieldError>* errors) {
  if (!value.is_string()) {
    errors->push_back({path, "must be a string"});
    return nullptr;
  }
  std::string text = field.type == FieldType::kLongText ? value.get<std::string>() : Trim(value.get<std::string>());
  if (!ValidUtf8(text)) {
    errors->push_back({path, "must be valid UTF-8"});
    return nullptr;
  }
  if (text.size() > field.MaxBytes()) {
    errors->push_back({path, "must be at most " + std::to_string(field.MaxBytes()) + " bytes"});
    return nullptr;
  }
  if (field.type != FieldType::kLongText && text.find_first_of("\r\n") != std::string::npos) {
    errors->push_back({path, "must be one line"});
    return nullptr;
  }
  if (Trim(text).empty()) return nullptr;
  return text;
}

json NormalizeDate(const json& value, const std::string& path, std::vector<FieldError>* errors) {
  if (!value.is_string()) {
    errors->push_back({path, "must be a date YYYY-MM-DD"});
    return nullptr;
  }
  const std::string text = Trim(value.get<std::string>());
  if (text.empty()) return nullptr;
  auto day = ParseCivilDay(text);
  if (text.size() != 10 || !day.ok()) {
    errors->push_back({path, "must be a date YYYY-MM-DD, got \"" + text.substr(0, 40) + "\""});
    return nullptr;
  }
  return text;
}

json NormalizeTime(const json& value, const std::string& path, std::vector<FieldError>* errors) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) {
    const std::string text = Trim(value.get<std::string>());
    if (text.empty()) return nullptr;
    auto ms = ParseIso8601Ms(text);
    if (ms.ok()) return *ms;
    // A plain day means its start in UTC: convenient for CSV and hand-typed values.
    auto day = ParseCivilDay(text);
    if (text.size() == 10 && day.ok()) {
      return int64_t{cctz::convert(cctz::civil_second(*day), cctz::utc_time_zone()).time_since_epoch() /
                     std::chrono::milliseconds(1)};
    }
  }
  errors->push_back({path, "must be an ISO-8601 time with offset (2026-03-01T09:30:00+08:00) or epoch ms"});
  return nullptr;
}

json NormalizeEnum(const FieldSpec& field, const json& value, const std::string& path,
                   std::vector<FieldError>* errors) {
  if (!value.is_string()) {
    errors->push_back({path, "must be one of: " + ChoicesText(field)});
    return nullptr;
  }
  const std::string text = Trim(value.get<std::string>());
  if (text.empty()) return nullptr;
  if (std::find(field.choices.begin(), field.choices.end(), text) == field.choices.end()) {
    errors->push_back({path, "must be one of: " + ChoicesText(field) + " (got \"" + text.substr(0, 40) + "\")"});
    return nullptr;
  }
  return text;
}

json NormalizeId(const json& value, const std::string& path, std::vector<FieldError>* errors) {
  auto number = AsNumber(value);
  if (!number || *number < 1 || std::floor(*number) != *number || *number > 9e15) {
    errors->push_back({path, "must be a record id (a positive integer)"});
    return nullptr;
  }
  return static_cast<int64_t>(*number);
}

json NormalizeList(const FieldSpec& field, const json& value, const std::string& path,
                   std::vector<FieldError>* errors) {
  if (!value.is_array()) {
    errors->push_back({path, "must be a list"});
    return nullptr;
  }
  if (value.size() > field.max_items) {
    errors->push_back({path, "must have at most " + std::to_string(field.max_items) + " items"});
    return nullptr;
  }
  json out = json::array();
  std::set<std::string> seen;
  const size_t errors_before = errors->size();
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    json item;
    switch (field.type) {
      case FieldType::kEnumList: {
        FieldSpec as_enum = field;
        as_enum.type = FieldType::kEnum;
        item = NormalizeEnum(as_enum, value[i], item_path, errors);
        break;
      }
      case FieldType::kReferenceList: item = NormalizeId(value[i], item_path, errors); break;
      case FieldType::kTextList: {
        FieldSpec as_text;
        as_text.type = FieldType::kText;
        item = NormalizeText(as_text, value[i], item_path, errors);
        break;
      }
      case FieldType::kObjectList: {
        if (!value[i].is_object()) {
          errors->push_back({item_path, "must be an object"});
          break;
        }
        json object = json::object();
        for (const auto& [key, member] : value[i].items()) {
          if (std::none_of(field.item_fields.begin(), field.item_fields.end(),
                           [&](const FieldSpec& f) { return f.name == key; })) {
            errors->push_back({item_path + "." + key, "is not a field here"});
          }
        }
        for (const auto& sub : field.item_fields) {
          const std::string sub_path = item_path + "." + sub.name;
          const size_t before_sub = errors->size();
          json v = value[i].contains(sub.name) ? NormalizeValue(sub, value[i][sub.name], sub_path, errors) : json();
          if (v.is_null() && sub.required && errors->size() == before_sub) errors->push_back({sub_path, "is required"});
          if (!v.is_null()) object[sub.name] = std::move(v);
        }
        item = std::move(object);
        break;
      }
      default: break;
    }
    if (item.is_null()) continue;  // empty items are dropped; bad ones reported above
    if (field.type != FieldType::kObjectList && !seen.insert(item.dump()).second) continue;  // distinct
    out.push_back(std::move(item));
  }
  if (errors->size() != errors_before) return nullptr;
  return out;
}

}  // namespace

Status ErrorsToStatus(const std::vector<FieldError>& errors) {
  if (errors.empty()) return Status::Ok();
  if (errors.size() == 1) return InvalidArgument(errors[0].reason, errors[0].field);
  std::string message;
  for (const auto& e : errors) {
    if (!message.empty()) message += "; ";
    message += e.field + ": " + e.reason;
  }
  return InvalidArgument(message, errors[0].field);
}

json NormalizeValue(const FieldSpec& field, const json& value, const std::string& path,
                    std::vector<FieldError>* errors) {
  if (value.is_null()) return nullptr;
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kLongText: return NormalizeText(field, value, path, errors);
    case FieldType::kInteger: {
      if (value.is_string() && Trim(value.get<std::string>()).empty()) return nullptr;
      auto number = AsNumber(value);
      if (!number || std::floor(*number) != *number || std::fabs(*number) > 9e15) {
        errors->push_back({path, "must be a whole number"});
        return nullptr;
      }
      if (!InRange(field, *number, path, errors)) return nullptr;
      return static_cast<int64_t>(*number);
    }
    case FieldType::kNumber: {
      if (value.is_string() && Trim(value.get<std::string>()).empty()) return nullptr;
      auto number = AsNumber(value);
      if (!number) {
        errors->push_back({path, "must be a number"});
        return nullptr;
      }
      if (!InRange(field, *number, path, errors)) return nullptr;
      return *number;
    }
    case FieldType::kDate: return NormalizeDate(value, path, errors);
    case FieldType::kTime: return NormalizeTime(value, path, errors);
    case FieldType::kEnum: return NormalizeEnum(field, value, path, errors);
    case FieldType::kBool:
      if (value.is_boolean()) return value;
      if (value.is_string() && (value == "true" || value == "false")) return value == "true";
      errors->push_back({path, "must be true or false"});
      return nullptr;
    case FieldType::kReference:
      if (value.is_string() && Trim(value.get<std::string>()).empty()) return nullptr;
      return NormalizeId(value, path, errors);
    case FieldType::kEnumList:
    case FieldType::kReferenceList:
    case FieldType::kTextList:
    case FieldType::kObjectList: return NormalizeList(field, value, path, errors);
    case FieldType::kObject:
      if (!value.is_object()) {
        errors->push_back({path, "must be an object"});
        return nullptr;
      }
      return value;
  }
  return nullptr;
}

Result<json> ValidateRecord(const ResourceSpec& spec, const json& input, ValidationMode mode) {
  if (!input.is_object()) return InvalidArgument("the body must be a JSON object of " + spec.singular + " fields");
  std::vector<FieldError> errors;
  json out = json::object();
  for (const auto& [key, value] : input.items()) {
    const FieldSpec* field = spec.Find(key);
    if (key == "id" || key == "created_at" || key == "updated_at") {
      errors.push_back({key, "is set by tobops and cannot be written"});
      continue;
    }
    if (field == nullptr) {
      errors.push_back({key, "is not a field of " + spec.singular});
      continue;
    }
    if (field->read_only && mode != ValidationMode::kSystem) {
      errors.push_back({key, "is maintained by tobops and cannot be written"});
      continue;
    }
    const size_t before = errors.size();
    json normalized = NormalizeValue(*field, value, key, &errors);
    if (errors.size() != before) continue;
    if (normalized.is_null() && field->required) {
      errors.push_back({key, "is required"});
      continue;
    }
    out[key] = std::move(normalized);
  }
  if (mode == ValidationMode::kCreate) {
    for (const auto& field : spec.fields) {
      if (input.contains(field.name)) continue;
      if (!field.default_value.empty()) {
        out[field.name] = field.default_value;
      } else if (field.required) {
        errors.push_back({field.name, "is required"});
      }
    }
  }
  RETURN_IF_ERROR(ErrorsToStatus(errors));
  return out;
}

}  // namespace tobops::records
