#include "store/memtable.h"

#include <algorithm>
#include <mutex>

#include "store/event_codec.h"
#include "store/wal_reader.h"
#include "store/wal_writer.h"

namespace tobops::store {

Status Memtable::Chunk::Decode(std::vector<Event>* out) const {
  std::string scratch;
  std::string_view batch;
  if (!DecodeWalPayload(payload, &scratch, &batch) || !DecodeEventBatch(batch, out)) {
    return DataLoss("memtable chunk does not decode");
  }
  return Status::Ok();
}

size_t Memtable::View::size() const {
  size_t n = tail.size();
  for (const auto& c : chunks) n += c->count;
  return n;
}

void Memtable::Add(std::vector<Event>&& events, std::string payload) {
  if (events.empty()) return;
  int64_t lo = std::numeric_limits<int64_t>::max();
  int64_t hi = std::numeric_limits<int64_t>::min();
  for (const Event& e : events) {
    lo = std::min(lo, e.timestamp_ms);
    hi = std::max(hi, e.timestamp_ms);
  }
  bool tail_empty;
  {
    std::shared_lock lock(mu_);
    tail_empty = tail_->empty();
  }
  if (tail_empty && !payload.empty() && events.size() >= kDirectChunkEvents) {
    auto chunk = std::make_shared<Chunk>();
    chunk->payload = std::move(payload);
    chunk->payload.shrink_to_fit();
    chunk->count = events.size();
    chunk->min_timestamp_ms = lo;
    chunk->max_timestamp_ms = hi;
    std::unique_lock lock(mu_);
    chunks_.push_back(std::move(chunk));
    size_ += events.size();
    min_timestamp_ms_ = std::min(min_timestamp_ms_, lo);
    max_timestamp_ms_ = std::max(max_timestamp_ms_, hi);
    return;
  }
  {
    std::unique_lock lock(mu_);
    for (Event& e : events) tail_->push_back(std::move(e));
    size_ += events.size();
    min_timestamp_ms_ = std::min(min_timestamp_ms_, lo);
    max_timestamp_ms_ = std::max(max_timestamp_ms_, hi);
  }
  if (tail_->size() >= kSealEvents) SealTail();
}

void Memtable::SealTail() {
  // Only the writer changes the tail, so reading it here without the lock is safe.
  const std::deque<Event>& tail = *tail_;
  auto chunk = std::make_shared<Chunk>();
  chunk->count = tail.size();
  chunk->min_timestamp_ms = std::numeric_limits<int64_t>::max();
  chunk->max_timestamp_ms = std::numeric_limits<int64_t>::min();
  std::vector<const Event*> ptrs;
  ptrs.reserve(tail.size());
  for (const Event& e : tail) {
    ptrs.push_back(&e);
    chunk->min_timestamp_ms = std::min(chunk->min_timestamp_ms, e.timestamp_ms);
    chunk->max_timestamp_ms = std::max(chunk->max_timestamp_ms, e.timestamp_ms);
  }
  std::string batch;
  EncodeEventBatch(ptrs, &batch);
  EncodeWalPayload(batch, &chunk->payload);
  chunk->payload.shrink_to_fit();
  std::unique_lock lock(mu_);
  chunks_.push_back(std::move(chunk));
  tail_ = std::make_shared<std::deque<Event>>();
}

Memtable::View Memtable::Snapshot() const {
  std::shared_lock lock(mu_);
  View view;
  view.chunks = chunks_;
  view.tail_owner = tail_;
  view.tail.reserve(tail_->size());
  for (const Event& e : *tail_) view.tail.push_back(&e);
  return view;
}

Status Memtable::Materialize(std::vector<Event>* out) const {
  View view = Snapshot();
  out->reserve(out->size() + view.size());
  for (const auto& chunk : view.chunks) RETURN_IF_ERROR(chunk->Decode(out));
  for (const Event* e : view.tail) out->push_back(*e);
  return Status::Ok();
}

size_t Memtable::size() const {
  std::shared_lock lock(mu_);
  return size_;
}

int64_t Memtable::min_timestamp_ms() const {
  std::shared_lock lock(mu_);
  return min_timestamp_ms_;
}

int64_t Memtable::max_timestamp_ms() const {
  std::shared_lock lock(mu_);
  return max_timestamp_ms_;
}

}  // namespace tobops::store
