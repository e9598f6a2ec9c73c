#include "query/retention_bits.h"

#include <algorithm>

#include "query/timeline_scan.h"

namespace tobops::query {
namespace {

constexpr uint32_t kUnset = UINT32_MAX;
constexpr uint32_t kSkip = UINT32_MAX - 1;

// One worker's entities: a slot per entity it saw, found through the entity's directory
// key (a plain array lookup: no hashing of ids per row or per block).
struct Table {
  size_t words = 0;
  std::vector<uint32_t> slot_of_key;  // directory key → slot, kUnset or kSkip
  std::vector<uint32_t> keys;         // slot → directory key
  std::vector<int64_t> first_start;
  std::vector<uint64_t> start_words, return_words;

  uint32_t& SlotOf(uint32_t key) {
    if (key >= slot_of_key.size()) slot_of_key.resize(std::max<size_t>(size_t(key) + 1, slot_of_key.size() * 2), kUnset);
    return slot_of_key[key];
  }
  uint32_t Add(uint32_t key) {
    keys.push_back(key);
    first_start.push_back(RetentionBits::kNoStart);
    start_words.resize(start_words.size() + words, 0);
    return_words.resize(return_words.size() + words, 0);
    return uint32_t(keys.size() - 1);
  }
};

}  // namespace

Result<RetentionBits> RetentionBits::Collect(const TimelineRequest& request, const TimeBuckets& periods,
                                             const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TimelineScan plan, TimelineScan::Make(request, ctx));
  const size_t words = (periods.size() + 63) / 64;
  struct Worker {
    Table table;
    TimelineBlock bound;
  };
  std::vector<Worker> workers(size_t(plan.threads()));
  for (Worker& w : workers) w.table.words = words;
  Status status = ctx.store->Scan(plan.store_request(), [&](const store::ColumnBlock& block, int wi) {
    Worker& w = workers[size_t(wi)];
    w.bound.Bind(plan, block);
    Table& t = w.table;
    // Rows come grouped by entity in time order, so the period of the previous row is
    // usually the period of this one, and its entity that of this one: test that first.
    int64_t period_from = 0, period_to = 0;
    int period = -1;
    uint32_t last_code = kUnset, key = EntityDirectory::kNoKey;
    uint32_t* slot = nullptr;  // into t.slot_of_key; valid until the next SlotOf
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t code = w.bound.EntityCode(row);
      if (code != last_code) {
        last_code = code;
        key = w.bound.EntityKey(code);
        slot = key == EntityDirectory::kNoKey ? nullptr : &t.SlotOf(key);
        if (slot && *slot == kUnset && request.only_entities &&
            !request.only_entities->count(w.bound.EntityId(code))) {
          *slot = kSkip;
        }
      }
      if (slot == nullptr || *slot == kSkip) continue;
      uint32_t mask = 0;
      if (!w.bound.Keep(row, &mask) || mask == 0) continue;
      // An entity exists once a row of it is kept.
      if (*slot == kUnset) *slot = t.Add(key);
      const size_t entity = *slot;
      const int64_t ts = block.timestamp_ms[row];
      if (ts < period_from || ts >= period_to) {
        period = periods.BucketOf(ts);
        if (period < 0) {
          period_from = period_to = 0;  // so that the next row looks its period up again
          continue;
        }
        period_from = periods.start(size_t(period));
        period_to = size_t(period) + 1 < periods.size() ? periods.start(size_t(period) + 1) : periods.end_ms();
      }
      const size_t word = entity * words + size_t(period) / 64;
      const uint64_t bit = uint64_t(1) << (period % 64);
      if (mask & 1u) {
        t.start_words[word] |= bit;
        int64_t& first = t.first_start[entity];
        first = std::min(first, ts);
      }
      if (mask & 2u) t.return_words[word] |= bit;
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);

  // Merge the workers' tables: the earliest start, and the union of the periods.
  Table& all = workers[0].table;
  for (size_t wi = 1; wi < workers.size(); ++wi) {
    Table& t = workers[wi].table;
    for (size_t e = 0; e < t.keys.size(); ++e) {
      uint32_t& g = all.SlotOf(t.keys[e]);
      if (g == kUnset || g == kSkip) g = all.Add(t.keys[e]);
      all.first_start[g] = std::min(all.first_start[g], t.first_start[e]);
      for (size_t k = 0; k < words; ++k) {
        all.start_words[g * words + k] |= t.start_words[e * words + k];
        all.return_words[g * words + k] |= t.return_words[e * words + k];
      }
    }
    t = Table{};
  }
  RetentionBits out;
  out.periods_ = periods.size();
  out.words_ = words;
  out.by_account_ = request.entity == EntityKind::kAccount;
  out.directory_ = plan.shared_directory();
  out.keys_ = std::move(all.keys);
  out.first_start_ = std::move(all.first_start);
  out.start_words_ = std::move(all.start_words);
  out.return_words_ = std::move(all.return_words);
  return out;
}

}  // namespace tobops::query
