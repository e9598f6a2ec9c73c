#include "query/retention_bits.h"

#include <algorithm>

#include <xxhash.h>

#include "query/flat_id_map.h"
#include "query/timeline_scan.h"

namespace tobops::query {
namespace {

// Entities are keyed by the 64-bit XXH3 hash of their id, as EntityTimelines interns
// them (collision chance ≈ 3e-6 at 10 million ids).
uint64_t HashId(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

struct Table {
  size_t words = 0;
  FlatIdMap index;
  std::vector<std::string> ids;
  std::vector<int64_t> first_start;
  std::vector<uint64_t> start_words, return_words;

  uint32_t Intern(const std::string& id) {
    bool inserted = false;
    const uint32_t e = index.FindOrInsert(HashId(id), uint32_t(ids.size()), &inserted);
    if (inserted) {
      ids.push_back(id);
      first_start.push_back(RetentionBits::kNoStart);
      start_words.resize(start_words.size() + words, 0);
      return_words.resize(return_words.size() + words, 0);
    }
    return e;
  }
};

constexpr uint32_t kUnset = UINT32_MAX;
constexpr uint32_t kSkip = UINT32_MAX - 1;

}  // namespace

Result<RetentionBits> RetentionBits::Collect(const TimelineRequest& request, const TimeBuckets& periods,
                                             const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TimelineScan plan, TimelineScan::Make(request, ctx));
  const size_t words = (periods.size() + 63) / 64;
  struct Worker {
    Table table;
    TimelineBlock bound;
    std::vector<uint32_t> entity_of;
  };
  std::vector<Worker> workers(size_t(plan.threads()));
  for (Worker& w : workers) w.table.words = words;
  Status status = ctx.store->Scan(plan.store_request(), [&](const store::ColumnBlock& block, int wi) {
    Worker& w = workers[size_t(wi)];
    w.bound.Bind(plan, block);
    w.entity_of.assign(w.bound.entity_codes(), kUnset);
    // Rows come grouped by entity in time order, so the period of the previous row is
    // usually the period of this one: test that before searching.
    int64_t period_from = 0, period_to = 0;
    int period = -1;
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t code = w.bound.EntityCode(row);
      uint32_t& entity = w.entity_of[code];
      if (entity == kSkip) continue;
      uint32_t mask = 0;
      if (!w.bound.Keep(row, &mask) || mask == 0) continue;
      if (entity == kUnset) {
        if (!w.bound.EntityPossible(code)) {
          entity = kSkip;
          continue;
        }
        const std::string& id = w.bound.EntityId(code);
        if (request.only_entities && !request.only_entities->count(id)) {
          entity = kSkip;
          continue;
        }
        entity = w.table.Intern(id);
      }
      const int64_t ts = block.timestamp_ms[row];
      if (ts < period_from || ts >= period_to) {
        period = periods.BucketOf(ts);
        if (period < 0) continue;
        period_from = periods.start(size_t(period));
        period_to = size_t(period) + 1 < periods.size() ? periods.start(size_t(period) + 1) : periods.end_ms();
      }
      const size_t word = size_t(entity) * words + size_t(period) / 64;
      const uint64_t bit = uint64_t(1) << (period % 64);
      if (mask & 1u) {
        w.table.start_words[word] |= bit;
        int64_t& first = w.table.first_start[entity];
        first = std::min(first, ts);
      }
      if (mask & 2u) w.table.return_words[word] |= bit;
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);

  // Merge the workers' tables: the earliest start, and the union of the periods.
  RetentionBits out;
  out.periods_ = periods.size();
  out.words_ = words;
  Table& all = workers[0].table;
  for (size_t wi = 1; wi < workers.size(); ++wi) {
    Table& t = workers[wi].table;
    for (size_t e = 0; e < t.ids.size(); ++e) {
      const uint32_t g = all.Intern(t.ids[e]);
      all.first_start[g] = std::min(all.first_start[g], t.first_start[e]);
      for (size_t k = 0; k < words; ++k) {
        all.start_words[g * words + k] |= t.start_words[e * words + k];
        all.return_words[g * words + k] |= t.return_words[e * words + k];
      }
    }
    t = Table{};
  }
  out.ids_ = std::move(all.ids);
  out.first_start_ = std::move(all.first_start);
  out.start_words_ = std::move(all.start_words);
  out.return_words_ = std::move(all.return_words);
  return out;
}

}  // namespace tobops::query
