#include "app/batch_ingest.h"

#include "common/time_format.h"

namespace tobops::app {

void BatchIngester::NoteError(uint64_t line, const Status& status) {
  if (totals_.first_errors.size() >= 20) return;
  std::string text = "line " + std::to_string(line) + ": " + status.message();
  if (!status.field().empty() && status.field().rfind("line ", 0) != 0) {
    text += " (" + status.field() + ")";
  }
  totals_.first_errors.push_back(std::move(text));
}

Status BatchIngester::Add(std::string message_json, uint64_t line) {
  texts_.push_back(std::move(message_json));
  lines_.push_back(line);
  ++totals_.read;
  if (texts_.size() >= batch_size_) return Flush();
  return Status::Ok();
}

Status BatchIngester::AddRejected(std::string raw, uint64_t line, Status reason) {
  rejected_.emplace_back(texts_.size(), std::move(reason));
  return Add(std::move(raw), line);
}

Status BatchIngester::Flush() {
  if (texts_.empty()) return Status::Ok();
  const int64_t received_at = NowMs();
  std::vector<bool> known_bad(texts_.size(), false);
  for (const auto& [index, reason] : rejected_) known_bad[index] = true;

  std::string body = "{\"batch\":[";
  bool first = true;
  std::vector<size_t> batch_index;  // position in body → index in texts_
  for (size_t i = 0; i < texts_.size(); ++i) {
    if (known_bad[i]) continue;
    if (!first) body.push_back(',');
    body += texts_[i];
    first = false;
    batch_index.push_back(i);
  }
  body += "]}";

  ingest::ParsedRequest request;
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
    m.raw = texts_[index];
    m.status = reason;
    request.messages.push_back(std::move(m));
  }
  auto outcome = pipeline_->Ingest(std::move(request), received_at);
  if (!outcome.ok()) return outcome.status();
  totals_.accepted += outcome->accepted;
  totals_.duplicates += outcome->duplicates;
  totals_.rejected += outcome->rejected;
  for (const auto& e : outcome->errors) NoteError(lines_[e.index], e.status);
  texts_.clear();
  lines_.clear();
  rejected_.clear();
  return Status::Ok();
}

}  // namespace tobops::app
