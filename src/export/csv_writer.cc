#include "export/csv_writer.h"

#include <fmt/format.h>

namespace tobops::exporting {
namespace {

void AppendField(std::string_view text, std::string* out) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string WriteCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (c) out.push_back(',');
    AppendField(table.columns[c], &out);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) out.push_back(',');
      if (const auto* d = std::get_if<double>(&row[c])) {
        out += fmt::format("{}", *d);
      } else if (const auto* s = std::get_if<std::string>(&row[c])) {
        AppendField(*s, &out);
      }
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace tobops::exporting
