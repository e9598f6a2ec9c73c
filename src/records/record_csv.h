// File: records/record_csv.h
// CsvToRecordInputs: a CSV file (header row of field names, UTF-8, optional BOM) turned
// into one create-input per row, for POST /api/<resource>/import — e.g. a visit's
// attendee list or accounts from a spreadsheet. Cells are given as strings (validation
// accepts numeric strings), list fields are split on ";", empty cells are left out.
// The columns an export adds (id, created_at, updated_at, manual_fields, "<ref>_name")
// are ignored, so an exported file imports again. Callers: server/record_routes.cc.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "common/status.h"
#include "records/field_spec.h"

namespace tobops::records {

struct CsvRecordInput {
  size_t line = 0;  // 1-based line of the row in the file (the header is line 1)
  nlohmann::json input;
};

// Errors: kInvalidArgument naming the column ("header.colour") for an unknown column or a
// column that cannot be imported (objects, object lists), or "body" for an empty file.
[[nodiscard]] Result<std::vector<CsvRecordInput>> CsvToRecordInputs(const ResourceSpec& spec, std::string_view csv);

}  // namespace tobops::records
