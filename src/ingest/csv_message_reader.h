// File: ingest/csv_message_reader.h
// Turns CSV rows into Segment messages (JSON text) using a column mapping, so CSV
// files take the same validation path as NDJSON and HTTP. RFC 4180 quoting;
// the first row is the header. Written here because no Debian library offers a
// streaming RFC 4180 reader we could lean on.
//
// Mapping: each header column maps to a message field path. By default a column
// named type, event, userId, anonymousId, groupId, messageId, timestamp, sentAt or
// name maps to that field, a column "context.x" / "traits.x" / "properties.x" to that
// path, and any other column to "properties.<column>". `--map column=path` overrides.
// Values of properties/traits that parse as numbers become numbers; "true"/"false"
// become booleans.
// Thread-safety: one reader per file, single-threaded.
#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

#include "common/csv_record.h"
#include "common/status.h"

namespace tobops::ingest {

class CsvMessageReader {
 public:
  // `mapping`: column name → message field path (overrides the defaults).
  // `default_type`: the message type for rows without a "type" column.
  CsvMessageReader(std::istream* in, std::map<std::string, std::string> mapping,
                   std::string default_type = "track");

  // Reads the header row. kInvalidArgument when the file is empty or a mapped
  // column does not exist.
  Status Start();
  // Next row as a JSON message; false at end of file. A row with the wrong number of
  // fields sets *row_status to kInvalidArgument (and *message_json to the raw fields
  // joined by commas) so the caller can quarantine it; otherwise *row_status is OK.
  bool Next(std::string* message_json, size_t* line_number, Status* row_status);

 private:
  bool ReadRecord(std::vector<std::string>* fields);

  std::istream* in_;
  std::map<std::string, std::string> mapping_;
  std::string default_type_;
  std::vector<std::string> header_;
  std::vector<std::string> paths_;
  size_t line_ = 0;
};

using tobops::ParseCsvRecord;  // common/csv_record.h

}  // namespace tobops::ingest
