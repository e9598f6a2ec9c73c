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
#include <memory>
#include <utility>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/block_filters.h"
#include "query/entity_directory.h"
#include "query/entity_timeline.h"
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
  // The context's entity directory, or the scan's own when the context has none.
  EntityDirectory& directory() const { return *directory_; }
  const std::shared_ptr<EntityDirectory>& shared_directory() const { return directory_; }
  int threads() const { return scan_.max_threads; }
  // Index in ColumnBlock::properties of value slot v's event property, or -1.
  int value_column(int v) const { return value_column_[v]; }

 private:
  friend class TimelineBlock;
  const TimelineRequest* request_ = nullptr;
  const QueryContext* ctx_ = nullptr;
  std::shared_ptr<EntityDirectory> directory_;
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
  void Bind(const TimelineScan& scan, const store::ColumnBlock& block);

  // The entity dictionary code of `row` (an index into account_dict or person_dict).
  uint32_t EntityCode(size_t row) const {
    return by_account_ ? block_->account[row] : block_->person[row];
  }
  // The entity's directory key (canonical person or account; EntityDirectory::kNoKey
  // for the "" account), the same in every block and query while the identity graph
  // makes no merge: kernels index per-entity state by it.
  uint32_t EntityKey(uint32_t code) const {
    return by_account_ ? maps_->account_keys[code] : maps_->person_keys[code];
  }
  // The directory key of block.person_dict[code]'s canonical person.
  uint32_t PersonKey(uint32_t code) const { return maps_->person_keys[code]; }
  // The entity id of a code: the canonical person id, or the account id.
  const std::string& EntityId(uint32_t code) const {
    return by_account_ ? block_->account_dict[code] : *maps_->person_ids[code];
  }
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
  // Which codes rows use: computed only when traits are needed (otherwise every code
  // counts as used).
  const BlockUsage& usage() const { return usage_; }
  const BlockTraits& traits() const { return traits_; }

 private:
  const store::ColumnBlock* block_ = nullptr;
  bool by_account_ = false;
  bool keep_unmatched_ = false;
  BlockUsage usage_;
  // The block's codes → directory keys and canonical ids (shared by every block of a
  // segment, and by later queries: query/entity_directory.h).
  std::shared_ptr<const EntityDirectory::CodeMaps> maps_;
  std::vector<std::string> block_canonical_;  // with person traits: every used entry
  BlockTraits traits_;
  std::vector<BlockFilters> filters_;
  std::vector<uint32_t> event_mask_;
};

}  // namespace tobops::query
