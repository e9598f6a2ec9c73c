#include "records/record_csv.h"

#include <sstream>

#include "common/csv_record.h"

namespace tobops::records {
namespace {

using nlohmann::json;

bool IsExportOnlyColumn(const ResourceSpec& spec, const std::string& column) {
  if (column == "id" || column == "created_at" || column == "updated_at" || column == "manual_fields") return true;
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kReference && f.type != FieldType::kReferenceList) continue;
    const std::string& n = f.name;
    if (n.ends_with("_id") && column == n.substr(0, n.size() - 3) + "_name") return true;
    if (n.ends_with("_ids") && column == n.substr(0, n.size() - 4) + "_names") return true;
  }
  return false;
}

json SplitList(const std::string& cell) {
  json out = json::array();
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    std::string item = cell.substr(start, end - start);
    const size_t b = item.find_first_not_of(" \t");
    const size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<CsvRecordInput>> CsvToRecordInputs(const ResourceSpec& spec, std::string_view csv) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::istringstream in{std::string(csv)};
  std::vector<std::string> header;
  size_t lines = 0;
  if (!ParseCsvRecord(in, &header, &lines) || (header.size() == 1 && header[0].empty())) {
    return InvalidArgument("the CSV file is empty; its first row must name the fields", "body");
  }
  std::vector<const FieldSpec*> columns;
  for (const auto& name : header) {
    const FieldSpec* f = spec.Find(name);
    if (f == nullptr && IsExportOnlyColumn(spec, name)) {
      columns.push_back(nullptr);
      continue;
    }
    if (f == nullptr) return InvalidArgument("\"" + name + "\" is not a field of " + spec.singular, "header." + name);
    if (f->type == FieldType::kObject || f->type == FieldType::kObjectList || f->read_only) {
      return InvalidArgument("\"" + name + "\" cannot be imported from CSV", "header." + name);
    }
    columns.push_back(f);
  }
  std::vector<CsvRecordInput> rows;
  size_t line = lines + 1;
  std::vector<std::string> cells;
  while (ParseCsvRecord(in, &cells, &lines)) {
    const size_t row_line = line;
    line += lines;
    if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
    CsvRecordInput row{row_line, json::object()};
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      if (columns[i] == nullptr || cells[i].empty()) continue;
      row.input[columns[i]->name] = columns[i]->IsList() ? SplitList(cells[i]) : json(cells[i]);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tobops::records
