// File: export/table.h
// Table: a rectangular result (named columns, rows of text / number / empty cells),
// the common form every exportable list and analysis answer is turned into before it
// is written as CSV or XLSX (export/csv_writer.h, export/xlsx_writer.h).
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace tobops::exporting {

using TableCell = std::variant<std::monostate, double, std::string>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<TableCell>> rows;  // each row has columns.size() cells
};

}  // namespace tobops::exporting
