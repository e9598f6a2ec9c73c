#include "store/memtable.h"

#include <algorithm>

namespace tobops::store {

void Memtable::Add(std::vector<Event>&& events) {
  std::unique_lock lock(mu_);
  for (Event& e : events) {
    min_timestamp_ms_ = std::min(min_timestamp_ms_, e.timestamp_ms);
    max_timestamp_ms_ = std::max(max_timestamp_ms_, e.timestamp_ms);
    events_.push_back(std::move(e));
  }
}

std::vector<const Event*> Memtable::Snapshot() const {
  std::shared_lock lock(mu_);
  std::vector<const Event*> out;
  out.reserve(events_.size());
  for (const Event& e : events_) out.push_back(&e);
  return out;
}

size_t Memtable::size() const {
  std::shared_lock lock(mu_);
  return events_.size();
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
