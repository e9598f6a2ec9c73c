#include "ingest/csv_message_reader.h"

#include "common/csv_record.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace tobops::ingest {
namespace {

const char* kTopLevelFields[] = {"type", "event", "userId", "anonymousId", "groupId", "messageId",
                                 "timestamp", "sentAt", "name", "previousId"};

std::string DefaultPath(const std::string& column) {
  for (const char* f : kTopLevelFields) {
    if (column == f) return column;
  }
  if (column.rfind("context.", 0) == 0 || column.rfind("traits.", 0) == 0 ||
      column.rfind("properties.", 0) == 0) {
    return column;
  }
  return "properties." + column;
}

nlohmann::json TypedValue(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (!text.empty()) {
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && text.find_first_of("xXnN") == std::string::npos) {
      return d;
    }
  }
  return text;
}

}  // namespace

CsvMessageReader::CsvMessageReader(std::istream* in, std::map<std::string, std::string> mapping,
                                   std::string default_type)
    : in_(in), mapping_(std::move(mapping)), default_type_(std::move(default_type)) {}

bool CsvMessageReader::ReadRecord(std::vector<std::string>* fields) {
  size_t lines = 0;
  bool ok = ParseCsvRecord(*in_, fields, &lines);
  line_ += lines;
  return ok;
}

Status CsvMessageReader::Start() {
  if (!ReadRecord(&header_) || header_.empty() || (header_.size() == 1 && header_[0].empty())) {
    return InvalidArgument("the CSV file is empty; its first row must name the columns");
  }
  if (!header_[0].empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);  // BOM
  for (const auto& [column, path] : mapping_) {
    bool found = false;
    for (const auto& h : header_) found |= h == column;
    if (!found) return InvalidArgument("mapped column '" + column + "' is not in the CSV header", "map");
  }
  paths_.clear();
  for (const auto& h : header_) {
    auto it = mapping_.find(h);
    paths_.push_back(it != mapping_.end() ? it->second : DefaultPath(h));
  }
  return Status::Ok();
}

bool CsvMessageReader::Next(std::string* message_json, size_t* line_number, Status* row_status) {
  std::vector<std::string> fields;
  do {
    if (!ReadRecord(&fields)) return false;
  } while (fields.size() == 1 && fields[0].empty());  // blank line
  *line_number = line_;
  *row_status = Status::Ok();
  if (fields.size() != header_.size()) {
    *row_status = InvalidArgument("the row has " + std::to_string(fields.size()) +
                                      " fields; the header has " + std::to_string(header_.size()),
                                  "line " + std::to_string(line_));
    message_json->clear();
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) message_json->push_back(',');
      *message_json += fields[i];
    }
    return true;
  }
  nlohmann::json msg = nlohmann::json::object();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty() || paths_[i].empty() || paths_[i] == "-") continue;
    const std::string& path = paths_[i];
    const bool nested_value = path.rfind("properties.", 0) == 0 || path.rfind("traits.", 0) == 0 ||
                              path.rfind("context.", 0) == 0;
    nlohmann::json::json_pointer pointer("/" + [&] {
      std::string p = path;
      for (auto& ch : p) {
        if (ch == '.') ch = '/';
      }
      return p;
    }());
    msg[pointer] = nested_value ? TypedValue(fields[i]) : nlohmann::json(fields[i]);
  }
  if (!msg.contains("type")) msg["type"] = default_type_;
  if (msg.contains("timestamp") && msg["timestamp"].is_string()) {
    // Epoch milliseconds in a CSV column arrive as text.
    const std::string t = msg["timestamp"].get<std::string>();
    if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos) {
      msg["timestamp"] = std::stoll(t);
    }
  }
  *message_json = msg.dump();
  return true;
}

}  // namespace tobops::ingest
