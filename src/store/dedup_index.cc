#include "store/dedup_index.h"

#include <algorithm>
#include <vector>

#include "common/checksum.h"
#include "common/coding.h"

namespace tobops::store {

namespace {
constexpr std::string_view kDedupMagicV1 = "TOBDUP1\n";
constexpr std::string_view kDedupMagic = "TOBDUP2\n";
}

uint64_t DedupIndex::Hash(std::string_view message_id) { return Checksum64(message_id); }

size_t DedupIndex::Find(uint64_t key) const {
  const size_t mask = slots_.size() - 1;
  // The key is already a well-mixed XXH3 hash: its low bits index directly.
  size_t i = static_cast<size_t>(key) & mask;
  while (slots_[i].hash != 0 && slots_[i].hash != key) i = (i + 1) & mask;
  return i;
}

void DedupIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
  for (const Slot& slot : old) {
    if (slot.hash != 0) slots_[Find(slot.hash)] = slot;
  }
}

bool DedupIndex::Contains(uint64_t hash, int64_t received_at_ms, int64_t window_ms) const {
  if (slots_.empty()) return false;
  const Slot& slot = slots_[Find(Key(hash))];
  return slot.hash != 0 && slot.received_at_ms >= received_at_ms - window_ms;
}

void DedupIndex::InsertSlot(uint64_t hash, int64_t received_at_ms) {
  // Load factor at most 3/4 keeps probe runs short (XXH3 keys spread evenly).
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  const uint64_t key = Key(hash);
  Slot& slot = slots_[Find(key)];
  if (slot.hash == 0) {
    slot = Slot{key, received_at_ms};
    ++size_;
  } else {
    slot.received_at_ms = std::max(slot.received_at_ms, received_at_ms);
  }
  newest_received_at_ms_ = std::max(newest_received_at_ms_, received_at_ms);
}

void DedupIndex::Insert(uint64_t hash, int64_t received_at_ms) {
  InsertSlot(hash, received_at_ms);
  unsaved_.emplace_back(hash, received_at_ms);
}

void DedupIndex::Prune(int64_t window_ms) {
  if (size_ == 0) return;
  const int64_t cutoff = newest_received_at_ms_ - window_ms;
  bool any = false;
  for (const Slot& slot : slots_) any = any || (slot.hash != 0 && slot.received_at_ms < cutoff);
  if (!any) return;
  // Rebuild: deleting in place from a linear-probing table would break probe runs.
  std::vector<Slot> old = std::move(slots_);
  slots_.clear();
  size_ = 0;
  const int64_t newest = newest_received_at_ms_;
  for (const Slot& slot : old) {
    if (slot.hash != 0 && slot.received_at_ms >= cutoff) InsertSlot(slot.hash, slot.received_at_ms);
  }
  newest_received_at_ms_ = newest;
}

std::string DedupIndex::EncodeEntries(std::vector<std::pair<uint64_t, int64_t>> entries, uint64_t previous) {
  // Sorted by hash so equal contents give equal files, and so hashes delta-code well.
  std::sort(entries.begin(), entries.end());
  int64_t base = entries.empty() ? 0 : entries[0].second;
  for (const auto& e : entries) base = std::min(base, e.second);
  std::string body;
  PutVarint64(&body, previous);
  PutVarint64(&body, entries.size());
  PutVarsint64(&body, base);
  uint64_t last = 0;
  for (const auto& [hash, received] : entries) {
    PutVarint64(&body, hash - last);
    PutVarint64(&body, static_cast<uint64_t>(received - base));
    last = hash;
  }
  std::string out(kDedupMagic);
  PutFixed64(&out, Checksum64(body));
  out += body;
  return out;
}

std::string DedupIndex::Encode() {
  std::vector<std::pair<uint64_t, int64_t>> entries;
  entries.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.hash != 0) entries.emplace_back(slot.hash, slot.received_at_ms);
  }
  delta_taken_ = unsaved_.size();
  return EncodeEntries(std::move(entries), 0);
}

std::string DedupIndex::EncodeDelta(uint64_t previous) {
  delta_taken_ = unsaved_.size();
  // Later inserts of one hash only raise its time, so per hash the newest wins on load.
  return EncodeEntries(unsaved_, previous);
}

void DedupIndex::CommitDelta() {
  unsaved_.erase(unsaved_.begin(), unsaved_.begin() + static_cast<std::ptrdiff_t>(delta_taken_));
  delta_taken_ = 0;
}

Status DedupIndex::Load(std::string_view bytes, uint64_t* previous) {
  *previous = 0;
  const std::string_view magic = bytes.substr(0, kDedupMagic.size());
  const bool v2 = magic == kDedupMagic;
  if (bytes.size() < kDedupMagic.size() + 8 || (!v2 && magic != kDedupMagicV1)) {
    return DataLoss("dedup index: bad header");
  }
  const uint64_t checksum = DecodeFixed64(bytes.data() + kDedupMagic.size());
  std::string_view body = bytes.substr(kDedupMagic.size() + 8);
  if (Checksum64(body) != checksum) return DataLoss("dedup index: checksum mismatch");
  Decoder in(body);
  uint64_t count;
  int64_t base = 0;
  if (v2 && !in.GetVarint64(previous)) return DataLoss("dedup index: malformed");
  if (!in.GetVarint64(&count) || count > body.size()) return DataLoss("dedup index: malformed");
  if (v2 && !in.GetVarsint64(&base)) return DataLoss("dedup index: malformed");
  if (slots_.empty()) {
    size_t capacity = 1024;
    while (capacity * 3 < (count + 1) * 4) capacity *= 2;
    slots_.assign(capacity, Slot{});
  }
  uint64_t hash = 0;
  for (uint64_t i = 0; i < count; ++i) {
    int64_t received;
    if (v2) {
      uint64_t delta, offset;
      if (!in.GetVarint64(&delta) || !in.GetVarint64(&offset)) return DataLoss("dedup index: malformed entry");
      hash += delta;
      received = base + static_cast<int64_t>(offset);
    } else if (!in.GetFixed64(&hash) || !in.GetVarsint64(&received)) {
      return DataLoss("dedup index: malformed entry");
    }
    InsertSlot(hash, received);
  }
  return Status::Ok();
}

Result<DedupIndex> DedupIndex::Decode(std::string_view bytes) {
  DedupIndex index;
  uint64_t previous;
  RETURN_IF_ERROR(index.Load(bytes, &previous));
  if (previous != 0) return DataLoss("dedup index: a delta file where a full one was expected");
  return index;
}

}  // namespace tobops::store
