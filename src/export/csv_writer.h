// File: export/csv_writer.h
// CSV as RFC 4180 describes it (CRLF line ends, quotes doubled, fields with commas,
// quotes or line breaks quoted), UTF-8 with a byte-order mark so that Excel opens
// Chinese text correctly. Numbers print in the shortest form that round-trips.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "export/table.h"

namespace tobops::exporting {

std::string WriteCsv(const Table& table);

}  // namespace tobops::exporting
