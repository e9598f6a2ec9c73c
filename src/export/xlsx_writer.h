// File: export/xlsx_writer.h
// XLSX (Office Open XML) via libxlsxwriter: one worksheet, a bold frozen header row,
// numbers as numbers, text as text. libxlsxwriter 1.1.4 (Debian 12) writes only to a
// file, so the workbook is built in `temp_dir` and read back.
// Thread-safety: reentrant (each call uses its own temp file).
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "export/table.h"

namespace tobops::exporting {

// Returns the .xlsx bytes. `sheet_name` is cut to Excel's 31 characters and cleaned of
// []:*?/\ characters. Errors: kInternal when the library or the temp file fails.
Result<std::string> WriteXlsx(const Table& table, const std::string& sheet_name,
                              const std::filesystem::path& temp_dir);

}  // namespace tobops::exporting
