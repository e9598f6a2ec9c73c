// File: records/record_table.h
// RecordsToTable: a list of records (API form, as RecordStore::List returns them) as
// an export table — one column per field in spec order, a "<ref>_name" column beside
// every reference, lists joined with "; ", object lists as "key: value" items joined
// with " | ", numbers as numbers. Callers: server/record_routes.cc and the ops
// reports' exports. Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "export/table.h"
#include "records/field_spec.h"

namespace tobops::records {

exporting::Table RecordsToTable(const ResourceSpec& spec, const std::vector<nlohmann::json>& records);

// One value as a cell: numbers stay numbers, null is empty, lists and objects as text.
exporting::TableCell JsonToCell(const nlohmann::json& value);

}  // namespace tobops::records
