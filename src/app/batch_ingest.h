// File: app/batch_ingest.h
// BatchIngester: feeds message texts (NDJSON lines, CSV rows, demo messages) to a
// project's IngestPipeline in batches, exactly as /v1/batch would, so files and the
// demo take the same validation, identity and durability path as HTTP. A line that
// is not JSON is quarantined on its own; its neighbours are still stored.
//
// Two stages: the caller's thread parses batch N+1 while a worker thread runs batch N
// through the pipeline (identity, WAL write, fsync). When the worker falls behind
// (fsync latency), the parsed batches waiting for it are merged into one pipeline call,
// so a slow disk means fewer, larger WAL records instead of a stalled parser.
// Durability: Flush() returns only when every message added before it is durable.
// Thread-safety: Add / AddRejected / Flush from one thread (one ingester per import);
// totals() may be called from that thread at any time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
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
  explicit BatchIngester(ingest::IngestPipeline* pipeline, size_t batch_size = 2000);
  // Waits for the batches already handed to the worker (they are ingested, not dropped).
  ~BatchIngester();
  BatchIngester(const BatchIngester&) = delete;
  BatchIngester& operator=(const BatchIngester&) = delete;

  // Queues one message (a JSON object's text) read at `line`; parses and hands over
  // the batch when it is full. Errors: the pipeline's (e.g. disk full), from this or
  // an earlier batch — then stop.
  Status Add(std::string message_json, uint64_t line);
  // Queues a message already known to be invalid (e.g. a CSV row with a wrong field
  // count); it is quarantined with `reason`.
  Status AddRejected(std::string raw, uint64_t line, Status reason);
  // Ingests what is queued and waits until everything added so far is durable.
  Status Flush();

  // `read` counts every message added; the others count what the worker has finished.
  IngestTotals totals() const;
  // Messages added so far (cheap; for progress lines).
  uint64_t read() const { return read_; }

 private:
  // One parsed batch on its way to the worker.
  struct Parsed {
    ingest::ParsedRequest request;  // message index = position in `lines`
    std::vector<uint64_t> lines;
    int64_t received_at_ms = 0;
  };

  // Parses texts_ into a Parsed and queues it for the worker (waits while the queue is full).
  Status HandOver();
  Parsed ParseQueued();
  void WorkerLoop();
  void NoteErrorLocked(uint64_t line, const Status& status);

  ingest::IngestPipeline* pipeline_;
  size_t batch_size_;
  // Files are history: their sentAt says when they were first sent, not now.
  ingest::SegmentMessageParser parser_{ingest::ParserLimits{.correct_clock_skew = false}};
  std::vector<std::string> texts_;
  std::vector<uint64_t> lines_;
  std::vector<std::pair<size_t, Status>> rejected_;  // index in texts_ → reason
  uint64_t read_ = 0;

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::deque<Parsed> queue_;
  size_t queued_messages_ = 0;
  bool worker_busy_ = false;
  bool stop_ = false;
  Status error_;  // first pipeline error; sticky
  IngestTotals totals_;  // all but `read`
  std::thread worker_;
};

}  // namespace tobops::app
