// File: common/csv_record.h
// ParseCsvRecord: reads one RFC 4180 record (quoted fields may hold commas, quotes and
// newlines; CRLF or LF line ends). Used by CSV event import (ingest/csv_message_reader.h)
// and CSV record import (records/record_csv.h). Thread-safety: pure function on the stream.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace tobops {

// Reads the next record into `fields`; `lines_read` counts the physical lines it took.
// Returns false at end of input (no record).
bool ParseCsvRecord(std::istream& in, std::vector<std::string>* fields, size_t* lines_read);

}  // namespace tobops
