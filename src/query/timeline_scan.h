// File: query/timeline_scan.h
// TimelineScan: the scan half of EntityTimelines::Collect — which store rows a
// TimelineRequest keeps, with which condition bits, for which entity — shared with
// kernels that fold rows straight into per-entity state instead of collecting and
// sorting them (retention's period bitsets, query/retention_bits.h). Both therefore tag
// rows by exactly the same rules (filters, conditions, entities, ranges).
// Callers: EntityTimelines::Collect and RetentionBits::Collect.
// Thread-safety: a TimelineScan is immutable once made and may be shared by the scan's
// workers; a TimelineBlock belongs to one worker.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/block_filters.h"
#include "query/entity_timeline.h"
#include "query/flat_id_map.h"
#include "store/event_store.h"

namespace tobops::query {

class TimelineScan {
 public:
  // Validates `request` (which must outlive the scan) and plans the store scan.
  // Errors: kInvalidArgument for more than 32 conditions, an empty range, or neither a
  // condition nor keep_unmatched.
  static Result<TimelineScan> Make(const TimelineRequest& request, const QueryContext& ctx);

  const TimelineRequest& request() const { return *request_; }
  const QueryContext& ctx() const { return *ctx_; }
  const store::ScanRequest& store_request() const { return scan_; }
  int threads() const { return scan_.max_threads; }
  // Index in ColumnBlock::properties of value slot v's event property, or -1.
  int value_column(int v) const { return value_column_[v]; }

 private:
  friend class TimelineBlock;
  const TimelineRequest* request_ = nullptr;
  const QueryContext* ctx_ = nullptr;
  store::ScanRequest scan_;
  // [0] the global filters, [1 + i] condition i's filters, and their property columns.
  std::vector<std::vector<const PropertyFilter*>> filter_sets_;
  std::vector<std::vector<int>> filter_columns_;
  int value_column_[2] = {-1, -1};
  bool need_person_traits_ = false;
  bool need_account_traits_ = false;
};

// One block bound to a TimelineScan: per dictionary entry the entity, the condition
// bits an event name allows and the bound filters, so that each row costs a few table
// lookups. Reuse one instance per worker across blocks.
class TimelineBlock {
 public:
  static constexpr uint32_t kNoEntity = UINT32_MAX;

  void Bind(const TimelineScan& scan, const store::ColumnBlock& block);

  // The entity dictionary code of `row` (an index into account_dict or person_dict).
  uint32_t EntityCode(size_t row) const {
    return by_account_ ? block_->account[row] : block_->person[row];
  }
  // False for codes that are never an entity (rows without an account).
  bool EntityPossible(uint32_t code) const { return !by_account_ || !block_->account_dict[code].empty(); }
  // The entity id of a code: the canonical person id, or the account id.
  const std::string& EntityId(uint32_t code) const {
    return by_account_ ? block_->account_dict[code] : *canonical_[code];
  }
  size_t entity_codes() const { return by_account_ ? block_->account_dict.size() : canonical_.size(); }
  // Whether the row is kept, and its condition bits: false when a global filter fails,
  // or when no condition holds and the request does not keep unmatched rows.
  bool Keep(size_t row, uint32_t* mask) const {
    if (!filters_[0].Pass(*block_, row)) return false;
    uint32_t m = event_mask_[block_->event[row]];
    for (uint32_t bits = m; bits != 0; bits &= bits - 1) {
      const int c = __builtin_ctz(bits);
      if (!filters_[size_t(c) + 1].Pass(*block_, row)) m &= ~(1u << c);
    }
    *mask = m;
    return m != 0 || keep_unmatched_;
  }

  const store::ColumnBlock& block() const { return *block_; }
  const BlockUsage& usage() const { return usage_; }
  const BlockTraits& traits() const { return traits_; }
  // The canonical id of block.person_dict[code]; only for codes some row uses.
  const std::string& Canonical(uint32_t code) const { return *canonical_[code]; }

 private:
  const store::ColumnBlock* block_ = nullptr;
  bool by_account_ = false;
  bool keep_unmatched_ = false;
  BlockUsage usage_;
  // Per person code: its canonical id, in resolved_ (nullptr for unused codes).
  std::vector<const std::string*> canonical_;
  // Stored person id (by XXH3 hash) → canonical id, kept across the blocks a worker
  // binds: a person's rows lie in one row group per segment and in memtable chunks, so
  // one query would otherwise ask the identity graph about it several times. A deque,
  // so that canonical_ may point into it.
  FlatIdMap resolved_index_;
  std::deque<std::string> resolved_;
  std::vector<std::string> block_canonical_;  // with person traits: every used entry
  std::vector<std::string> missing_, missing_canonical_;
  std::vector<std::pair<uint32_t, uint64_t>> missing_codes_;
  BlockTraits traits_;
  std::vector<BlockFilters> filters_;
  std::vector<uint32_t> event_mask_;
};

}  // namespace tobops::query
