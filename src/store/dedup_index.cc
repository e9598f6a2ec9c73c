#include "store/dedup_index.h"

#include <algorithm>
#include <vector>

#include "common/checksum.h"
#include "common/coding.h"

namespace tobops::store {

namespace {
constexpr std::string_view kDedupMagic = "TOBDUP1\n";
}

uint64_t DedupIndex::Hash(std::string_view message_id) { return Checksum64(message_id); }

bool DedupIndex::Contains(uint64_t hash, int64_t received_at_ms, int64_t window_ms) const {
  auto it = entries_.find(hash);
  return it != entries_.end() && it->second >= received_at_ms - window_ms;
}

void DedupIndex::Insert(uint64_t hash, int64_t received_at_ms) {
  auto [it, inserted] = entries_.try_emplace(hash, received_at_ms);
  if (!inserted) it->second = std::max(it->second, received_at_ms);
  newest_received_at_ms_ = std::max(newest_received_at_ms_, received_at_ms);
}

void DedupIndex::Prune(int64_t window_ms) {
  if (entries_.empty()) return;
  const int64_t cutoff = newest_received_at_ms_ - window_ms;
  std::erase_if(entries_, [&](const auto& entry) { return entry.second < cutoff; });
}

std::string DedupIndex::Encode() const {
  // Sorted by hash so equal contents give equal files.
  std::vector<std::pair<uint64_t, int64_t>> sorted(entries_.begin(), entries_.end());
  std::sort(sorted.begin(), sorted.end());
  std::string body;
  PutVarint64(&body, sorted.size());
  for (const auto& [hash, received] : sorted) {
    PutFixed64(&body, hash);
    PutVarsint64(&body, received);
  }
  std::string out(kDedupMagic);
  PutFixed64(&out, Checksum64(body));
  out += body;
  return out;
}

Result<DedupIndex> DedupIndex::Decode(std::string_view bytes) {
  if (bytes.size() < kDedupMagic.size() + 8 || bytes.substr(0, kDedupMagic.size()) != kDedupMagic) {
    return DataLoss("dedup index: bad header");
  }
  const uint64_t checksum = DecodeFixed64(bytes.data() + kDedupMagic.size());
  std::string_view body = bytes.substr(kDedupMagic.size() + 8);
  if (Checksum64(body) != checksum) return DataLoss("dedup index: checksum mismatch");
  Decoder in(body);
  uint64_t count;
  if (!in.GetVarint64(&count) || count > body.size()) return DataLoss("dedup index: malformed");
  DedupIndex index;
  index.entries_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t hash;
    int64_t received;
    if (!in.GetFixed64(&hash) || !in.GetVarsint64(&received)) return DataLoss("dedup index: malformed entry");
    index.Insert(hash, received);
  }
  return index;
}

}  // namespace tobops::store
