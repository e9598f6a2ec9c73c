#include "export/xlsx_writer.h"

#include <atomic>
#include <fstream>
#include <sstream>

#include <unistd.h>
#include <xlsxwriter.h>

namespace tobops::exporting {
namespace {

std::string SheetName(const std::string& wanted) {
  std::string out;
  for (char c : wanted) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) out.push_back(c);
  }
  // Cut at 31 UTF-8 characters, not bytes, so a Chinese name is not split.
  size_t chars = 0, i = 0;
  while (i < out.size() && chars < 31) {
    const unsigned char lead = static_cast<unsigned char>(out[i]);
    i += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    ++chars;
  }
  out.resize(std::min(i, out.size()));
  return out.empty() ? "Sheet1" : out;
}

}  // namespace

Result<std::string> WriteXlsx(const Table& table, const std::string& sheet_name,
                              const std::filesystem::path& temp_dir) {
  static std::atomic<uint64_t> counter{0};
  const std::filesystem::path file =
      temp_dir / ("export-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".xlsx");
  lxw_workbook* workbook = workbook_new(file.c_str());
  if (!workbook) return Internal("cannot create the XLSX workbook in " + temp_dir.string());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, SheetName(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(sheet, 0, lxw_col_t(c), table.columns[c].c_str(), bold);
    worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), 14, nullptr);
  }
  worksheet_freeze_panes(sheet, 1, 0);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    for (size_t c = 0; c < row.size(); ++c) {
      const lxw_row_t xr = lxw_row_t(r + 1);
      if (const auto* d = std::get_if<double>(&row[c])) {
        worksheet_write_number(sheet, xr, lxw_col_t(c), *d, nullptr);
      } else if (const auto* s = std::get_if<std::string>(&row[c])) {
        worksheet_write_string(sheet, xr, lxw_col_t(c), s->c_str(), nullptr);
      }
    }
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    std::filesystem::remove(file);
    return Internal(std::string("writing the XLSX workbook failed: ") + lxw_strerror(error));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (!in) return Internal("cannot read back the XLSX workbook");
  return bytes.str();
}

}  // namespace tobops::exporting
