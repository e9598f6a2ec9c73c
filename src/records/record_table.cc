#include "records/record_table.h"

namespace tobops::records {
namespace {

using nlohmann::json;

std::string ItemText(const json& item) {
  if (item.is_string()) return item.get<std::string>();
  if (item.is_null()) return "";
  if (item.is_object()) {
    std::string out;
    for (const auto& [key, value] : item.items()) {
      if (!out.empty()) out += ", ";
      out += key + ": " + ItemText(value);
    }
    return out;
  }
  if (item.is_array()) {
    std::string out;
    for (const auto& v : item) out += (out.empty() ? "" : "; ") + ItemText(v);
    return out;
  }
  return item.dump();
}

std::string NameColumn(const FieldSpec& field) {
  const std::string& n = field.name;
  if (field.type == FieldType::kReference && n.ends_with("_id")) return n.substr(0, n.size() - 3) + "_name";
  if (field.type == FieldType::kReferenceList && n.ends_with("_ids")) return n.substr(0, n.size() - 4) + "_names";
  return n + "_name";
}

}  // namespace

exporting::TableCell JsonToCell(const json& value) {
  if (value.is_null()) return std::monostate{};
  if (value.is_number()) return value.get<double>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && !value.empty() && value[0].is_object()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : " | ") + ItemText(item);
    return out;
  }
  return ItemText(value);
}

exporting::Table RecordsToTable(const ResourceSpec& spec, const std::vector<json>& records) {
  exporting::Table table;
  std::vector<std::string> keys = {"id"};
  for (const auto& f : spec.fields) {
    if (f.type == FieldType::kObject) continue;  // raw synced traits: shown in the console, not a column
    keys.push_back(f.name);
    if (f.type == FieldType::kReference || f.type == FieldType::kReferenceList) keys.push_back(NameColumn(f));
  }
  keys.push_back("created_at");
  keys.push_back("updated_at");
  table.columns = keys;
  for (const auto& record : records) {
    std::vector<exporting::TableCell> row;
    row.reserve(keys.size());
    for (const auto& key : keys) row.push_back(record.contains(key) ? JsonToCell(record[key]) : std::monostate{});
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tobops::records
