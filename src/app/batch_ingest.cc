#include "app/batch_ingest.h"

#include <algorithm>

#include "common/time_format.h"

namespace tobops::app {

namespace {
// Parsed messages the worker may be behind by; the parser waits beyond this. Bounds
// the ingester's memory to a few batches of parsed messages.
constexpr size_t kMinQueuedMessages = 20'000;
// At most this many messages go into one merged pipeline call (one WAL record group).
constexpr size_t kMaxMergedMessages = 50'000;
}  // namespace

BatchIngester::BatchIngester(ingest::IngestPipeline* pipeline, size_t batch_size)
    : pipeline_(pipeline), batch_size_(std::max<size_t>(1, batch_size)) {
  worker_ = std::thread([this] { WorkerLoop(); });
}

BatchIngester::~BatchIngester() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void BatchIngester::NoteErrorLocked(uint64_t line, const Status& status) {
  if (totals_.first_errors.size() >= 20) return;
  std::string text = "line " + std::to_string(line) + ": " + status.message();
  if (!status.field().empty() && status.field().rfind("line ", 0) != 0) {
    text += " (" + status.field() + ")";
  }
  totals_.first_errors.push_back(std::move(text));
}

IngestTotals BatchIngester::totals() const {
  std::lock_guard lock(mu_);
  IngestTotals t = totals_;
  t.read = read_;
  return t;
}

Status BatchIngester::Add(std::string message_json, uint64_t line) {
  texts_.push_back(std::move(message_json));
  lines_.push_back(line);
  ++read_;
  if (texts_.size() >= batch_size_) return HandOver();
  return Status::Ok();
}

Status BatchIngester::AddRejected(std::string raw, uint64_t line, Status reason) {
  rejected_.emplace_back(texts_.size(), std::move(reason));
  return Add(std::move(raw), line);
}

Status BatchIngester::Flush() {
  RETURN_IF_ERROR(HandOver());
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return (queue_.empty() && !worker_busy_) || !error_.ok(); });
  return error_;
}

BatchIngester::Parsed BatchIngester::ParseQueued() {
  Parsed out;
  out.received_at_ms = NowMs();
  const int64_t received_at = out.received_at_ms;
  std::vector<bool> known_bad(texts_.size(), false);
  for (const auto& [index, reason] : rejected_) known_bad[index] = true;

  size_t body_bytes = 16;
  for (const std::string& t : texts_) body_bytes += t.size() + 1;
  std::string body;
  body.reserve(body_bytes);
  body = "{\"batch\":[";
  bool first = true;
  std::vector<size_t> batch_index;  // position in body → index in texts_
  batch_index.reserve(texts_.size());
  for (size_t i = 0; i < texts_.size(); ++i) {
    if (known_bad[i]) continue;
    if (!first) body.push_back(',');
    body += texts_[i];
    first = false;
    batch_index.push_back(i);
  }
  body += "]}";

  ingest::ParsedRequest& request = out.request;
  auto parsed = parser_.Parse(body, true, store::MessageType::kTrack, received_at);
  if (parsed.ok() && parsed->messages.size() == batch_index.size()) {
    request = std::move(*parsed);
    for (auto& m : request.messages) {
      m.index = batch_index[m.index];
      if (!m.status.ok()) {
        m.status = Status(m.status.code(), m.status.message(),
                          "line " + std::to_string(lines_[m.index]) +
                              (m.status.field().empty() ? "" : " " + m.status.field()));
      }
    }
  } else {
    // Some text is not JSON (or holds several values): parse one by one so only the
    // broken ones are quarantined.
    for (size_t i : batch_index) {
      auto one = parser_.Parse("{\"batch\":[" + texts_[i] + "]}", true, store::MessageType::kTrack,
                               received_at);
      if (one.ok() && one->messages.size() == 1) {
        ingest::ParsedMessage m = std::move(one->messages[0]);
        m.index = i;
        if (!m.status.ok()) {
          m.status = Status(m.status.code(), m.status.message(),
                            "line " + std::to_string(lines_[i]));
        }
        request.messages.push_back(std::move(m));
      } else {
        ingest::ParsedMessage m;
        m.index = i;
        m.raw = texts_[i];
        m.status = InvalidArgument("not a JSON object: " +
                                       (one.ok() ? std::string("several values on one line")
                                                 : one.status().message()),
                                   "line " + std::to_string(lines_[i]));
        request.messages.push_back(std::move(m));
      }
    }
  }
  for (auto& [index, reason] : rejected_) {
    ingest::ParsedMessage m;
    m.index = index;
    m.raw = std::move(texts_[index]);
    m.status = std::move(reason);
    request.messages.push_back(std::move(m));
  }
  out.lines = std::move(lines_);
  texts_.clear();
  lines_.clear();
  rejected_.clear();
  return out;
}

Status BatchIngester::HandOver() {
  {
    std::lock_guard lock(mu_);
    if (!error_.ok()) return error_;
  }
  if (texts_.empty()) return Status::Ok();
  Parsed parsed = ParseQueued();
  const size_t n = parsed.lines.size();
  const size_t max_queued = std::max(kMinQueuedMessages, 4 * batch_size_);
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queued_messages_ == 0 || queued_messages_ + n <= max_queued || !error_.ok(); });
  if (!error_.ok()) return error_;
  queue_.push_back(std::move(parsed));
  queued_messages_ += n;
  cv_.notify_all();
  return Status::Ok();
}

void BatchIngester::WorkerLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    // Merge what is waiting into one pipeline call: one durable group instead of several.
    Parsed merged = std::move(queue_.front());
    queue_.pop_front();
    while (!queue_.empty() && merged.lines.size() + queue_.front().lines.size() <= kMaxMergedMessages) {
      Parsed& next = queue_.front();
      const size_t offset = merged.lines.size();
      for (auto& m : next.request.messages) {
        m.index += offset;
        merged.request.messages.push_back(std::move(m));
      }
      merged.lines.insert(merged.lines.end(), next.lines.begin(), next.lines.end());
      queue_.pop_front();
    }
    const size_t n = merged.lines.size();
    worker_busy_ = true;
    const bool skip = !error_.ok();  // after a failure nothing more is stored
    lock.unlock();
    cv_.notify_all();  // the parser may queue more while this batch is ingested

    Result<ingest::IngestOutcome> outcome = skip ? Result<ingest::IngestOutcome>(error_)
                                                 : pipeline_->Ingest(std::move(merged.request),
                                                                     merged.received_at_ms);
    lock.lock();
    worker_busy_ = false;
    queued_messages_ -= n;
    if (!outcome.ok()) {
      if (error_.ok()) error_ = outcome.status();
    } else {
      totals_.accepted += outcome->accepted;
      totals_.duplicates += outcome->duplicates;
      totals_.rejected += outcome->rejected;
      for (const auto& e : outcome->errors) NoteErrorLocked(merged.lines[e.index], e.status);
    }
    cv_.notify_all();
  }
}

}  // namespace tobops::app
