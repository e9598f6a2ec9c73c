// File: app/batch_ingest.h
// BatchIngester: feeds message texts (NDJSON lines, CSV rows, demo messages) to a
// project's IngestPipeline in batches, exactly as /v1/batch would, so files and the
// demo take the same validation, identity and durability path as HTTP. A line that
// is not JSON is quarantined on its own; its neighbours are still stored.
// Thread-safety: single-threaded (one per import).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/segment_message_parser.h"

namespace tobops::app {

struct IngestTotals {
  uint64_t read = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  std::vector<std::string> first_errors;  // "line 12: timestamp is ..." (at most 20)
};

class BatchIngester {
 public:
  explicit BatchIngester(ingest::IngestPipeline* pipeline, size_t batch_size = 2000)
      : pipeline_(pipeline), batch_size_(batch_size) {}

  // Queues one message (a JSON object's text) read at `line`; ingests when the batch
  // is full. Errors: the pipeline's (e.g. disk full) — then stop.
  Status Add(std::string message_json, uint64_t line);
  // Queues a message already known to be invalid (e.g. a CSV row with a wrong field
  // count); it is quarantined with `reason`.
  Status AddRejected(std::string raw, uint64_t line, Status reason);
  // Ingests what is queued.
  Status Flush();

  const IngestTotals& totals() const { return totals_; }

 private:
  void NoteError(uint64_t line, const Status& status);

  ingest::IngestPipeline* pipeline_;
  size_t batch_size_;
  // Files are history: their sentAt says when they were first sent, not now.
  ingest::SegmentMessageParser parser_{ingest::ParserLimits{.correct_clock_skew = false}};
  std::vector<std::string> texts_;
  std::vector<uint64_t> lines_;
  std::vector<std::pair<size_t, Status>> rejected_;  // index in texts_ → reason
  IngestTotals totals_;
};

}  // namespace tobops::app
