// File: query/answer_table.h
// AnswerTable: turns the JSON answer of any analysis kind into one rectangular table
// for CSV / XLSX export (POST /api/query/export). Each kind's main list becomes the
// rows: trend points pivoted to one column per series; funnel steps (per breakdown
// value, or the listed entities when the spec asked for them); retention cohorts with
// one column per period; top paths; lifecycle buckets; and so on. Nested objects are
// flattened into dotted column names ("parts.activity.score"), arrays of numbers into
// numbered columns ("values.0", "values.1", ...). Unknown kinds fall back to their
// first top-level array of objects.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "export/table.h"

namespace tobops::query {

// kInvalidArgument when the answer has nothing tabular.
Result<exporting::Table> AnswerToTable(const nlohmann::json& answer);

}  // namespace tobops::query
