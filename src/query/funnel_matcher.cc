#include "query/funnel_matcher.h"

#include <algorithm>
#include <cassert>

namespace tobops::query {
namespace {

int HighestBit(uint32_t bits) { return 31 - __builtin_clz(bits); }
int LowestBit(uint32_t bits) { return __builtin_ctz(bits); }

// Best of two attempts of one entity: the furthest step, then the one that got there
// first, then the later start (the DP's own preference), then the earlier start row.
bool Better(const FunnelAttempt& a, const FunnelAttempt& b) {
  if (a.furthest != b.furthest) return a.furthest > b.furthest;
  if (a.furthest < 0) return false;
  const int64_t ra = a.step_ms[a.furthest], rb = b.step_ms[b.furthest];
  if (ra != rb) return ra < rb;
  if (a.start_ms != b.start_ms) return a.start_ms > b.start_ms;
  return a.start_row < b.start_row;
}

}  // namespace

int64_t FunnelAttempt::DurationToMs(int step) const {
  assert(step > 0 && (done >> step & 1u));
  const uint32_t below = done & ((1u << step) - 1);
  assert(below != 0);  // step 0 is always done
  return step_ms[step] - step_ms[HighestBit(below)];
}

FunnelMatcher::FunnelMatcher(FunnelRules rules) : rules_(std::move(rules)) {
  steps_ = int(rules_.steps.size());
  assert(steps_ >= 1 && steps_ <= kMaxFunnelSteps);
  assert(steps_ + rules_.exclusions.size() <= kMaxTimelineConditions);
  assert(rules_.hold_slots.size() <= 2);
  step_mask_ = steps_ == 32 ? ~0u : (1u << steps_) - 1;
  for (size_t e = 0; e < rules_.exclusions.size(); ++e) {
    exclusion_mask_ |= 1u << (steps_ + e);
    const auto& x = rules_.exclusions[e];
    // Levels from_step .. to_step-1: attempts that passed from_step, not yet to_step.
    exclusion_kill_.push_back(((1u << x.to_step) - 1) & ~((1u << x.from_step) - 1));
  }
}

uint32_t FunnelMatcher::StepBits(const TimelineEvent& row, const HoldKey* hold) const {
  const uint32_t bits = row.mask & step_mask_;
  if (hold == nullptr || bits == 0) return bits;
  for (size_t k = 0; k < rules_.hold_slots.size(); ++k) {
    if (row.value[rules_.hold_slots[k]] != (*hold)[k]) return 0;
  }
  return bits;
}

FunnelMatcher::HoldKey FunnelMatcher::HoldOf(const TimelineEvent& row) const {
  HoldKey key{0, 0};
  for (size_t k = 0; k < rules_.hold_slots.size(); ++k) key[k] = row.value[rules_.hold_slots[k]];
  return key;
}

// The tie rule: rows of one millisecond are taken in step order (a row by the first
// step it matches), then rows that only match exclusions, then all others. So an event
// at the same ms as the previous step counts as after it, whatever its name, and an
// excluded event at the same ms as a step counts as after that step.
void FunnelMatcher::BuildOrder(std::span<const TimelineEvent> rows) {
  order_.resize(rows.size());
  for (uint32_t i = 0; i < rows.size(); ++i) order_[i] = i;
  auto key = [&](uint32_t i) {
    const uint32_t bits = rows[i].mask & step_mask_;
    if (bits != 0) return LowestBit(bits);
    return (rows[i].mask & exclusion_mask_) != 0 ? steps_ : steps_ + 1;
  };
  size_t begin = 0;
  while (begin < rows.size()) {
    size_t end = begin + 1;
    while (end < rows.size() && rows[end].timestamp_ms == rows[begin].timestamp_ms) ++end;
    if (end - begin > 1) {
      std::stable_sort(order_.begin() + begin, order_.begin() + end,
                       [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
    }
    begin = end;
  }
}

void FunnelMatcher::Match(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out) {
  if (rows.empty()) return;
  if (rules_.order == FunnelOrder::kUnordered) {
    MatchUnordered(rows, out);
  } else {
    MatchSequential(rows, out);
  }
}

// ---- ordered and strict ----------------------------------------------------------
//
// The DP (as ClickHouse's windowFunnel): chains_[k] is the attempt whose furthest step
// is k that started last. A later start dominates: it leaves at least as much of the
// window, and because rows come in time order its steps are no earlier either (so per
// step `within` is no harder). Hence keeping one chain per level loses no attempt that
// could go further, and the furthest level ever reached is the entity's best attempt.
// The one exception is a step after optional steps that carries `within`: two chains
// may then be incomparable (one started later, the other reached its step later); the
// one that started later is kept (docs/analytics/funnel.md, "Optional steps").
FunnelAttempt FunnelMatcher::Walk(std::span<const TimelineEvent> rows, uint32_t pos, int64_t anchor,
                                  const HoldKey* hold, uint32_t* next_pos) {
  const bool strict = rules_.order == FunnelOrder::kStrict;
  const int64_t window = rules_.window_ms;
  const int64_t anchor_ms = anchor >= 0 ? rows[order_[anchor]].timestamp_ms : 0;
  FunnelAttempt best;
  uint32_t live = 0;  // bit k: chains_[k] is live
  const uint32_t n = uint32_t(order_.size());
  for (; pos < n; ++pos) {
    const uint32_t row_index = order_[pos];
    const TimelineEvent& row = rows[row_index];
    const int64_t t = row.timestamp_ms;
    // An anchored attempt is over once an event falls outside its window; that event
    // may start the next attempt.
    if (anchor >= 0 && t - anchor_ms > window) {
      *next_pos = pos;
      return best;
    }
    // Exclusions act before the row's own steps: an event that is both excluded and
    // the next step stops the attempt instead of advancing it.
    for (uint32_t ex = row.mask & exclusion_mask_; ex != 0; ex &= ex - 1) {
      live &= ~exclusion_kill_[LowestBit(ex) - steps_];
    }
    uint32_t bits = StepBits(row, hold);
    if (anchor >= 0 && pos != uint32_t(anchor)) bits &= ~1u;
    // Highest step first, so that one event never advances a chain it just advanced:
    // one event satisfies at most one step of an attempt.
    while (bits != 0) {
      const int j = HighestBit(bits);
      bits &= ~(1u << j);
      Chain& target = chains_[j];
      if (j == 0) {
        // A new start is the latest start: it replaces the level-0 chain.
        target.start_ms = t;
        target.last_ms = t;
        target.start_row = row_index;
        target.last_pos = pos;
        target.done = 1;
        target.step_ms[0] = t;
        live |= 1;
      } else {
        const int64_t within = rules_.steps[j].within_ms;
        int from = -1;
        // Candidates: the previous step, and further back over optional steps.
        for (int k = j - 1; k >= 0; --k) {
          const Chain& c = chains_[k];
          if ((live >> k & 1u) && t - c.start_ms <= window && (within == 0 || t - c.last_ms <= within) &&
              (!strict || c.last_pos + 1 == pos) && (from < 0 || c.start_ms > chains_[from].start_ms)) {
            from = k;
          }
          if (!rules_.steps[k].optional) break;
        }
        if (from < 0) continue;
        // In strict order a live chain that this row does not advance dies anyway.
        if (!(live >> j & 1u) || strict || chains_[from].start_ms >= target.start_ms) {
          if (&target != &chains_[from]) target = chains_[from];
          target.last_ms = t;
          target.last_pos = pos;
          target.done |= 1u << j;
          target.step_ms[j] = t;
          live |= 1u << j;
        } else {
          continue;
        }
      }
      if (j > best.furthest) {
        best.furthest = j;
        best.start_row = target.start_row;
        best.start_ms = target.start_ms;
        best.done = target.done;
        best.step_ms = target.step_ms;
      }
    }
    if (strict) {
      // "No other event between consecutive steps": chains not advanced by this row end.
      for (uint32_t l = live; l != 0; l &= l - 1) {
        const int k = LowestBit(l);
        if (chains_[k].last_pos != pos) live &= ~(1u << k);
      }
    }
    if (anchor >= 0) {
      if (best.furthest == steps_ - 1) {
        *next_pos = pos + 1;
        return best;
      }
      if (live == 0) {
        // Broken (strict) or excluded: the row that ended it may start the next attempt.
        *next_pos = pos == uint32_t(anchor) ? pos + 1 : pos;
        return best;
      }
    }
  }
  *next_pos = n;
  return best;
}

void FunnelMatcher::MatchSequential(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out) {
  BuildOrder(rows);
  const bool hold = !rules_.hold_slots.empty();
  holds_.clear();
  if (hold) {
    for (const auto& row : rows) {
      if (row.mask & 1u) holds_.push_back(HoldOf(row));
    }
    std::sort(holds_.begin(), holds_.end());
    holds_.erase(std::unique(holds_.begin(), holds_.end()), holds_.end());
  } else {
    holds_.push_back({0, 0});
  }
  const size_t first_out = out->size();
  FunnelAttempt best;
  for (const HoldKey& key : holds_) {
    const HoldKey* filter = hold ? &key : nullptr;
    uint32_t next = 0;
    if (!rules_.total) {
      FunnelAttempt a = Walk(rows, 0, -1, filter, &next);
      if (Better(a, best)) best = a;
      continue;
    }
    // Total: attempts one after another; an attempt ends when it completes, when its
    // window has passed, or when it can no longer advance.
    uint32_t pos = 0;
    while (pos < order_.size()) {
      if ((StepBits(rows[order_[pos]], filter) & 1u) == 0) {
        ++pos;
        continue;
      }
      FunnelAttempt a = Walk(rows, pos, pos, filter, &next);
      assert(a.furthest >= 0 && next > pos);
      out->push_back(a);
      pos = next;
    }
  }
  if (!rules_.total) {
    if (best.furthest >= 0) out->push_back(best);
  } else if (hold && holds_.size() > 1) {
    std::sort(out->begin() + first_out, out->end(), [](const FunnelAttempt& a, const FunnelAttempt& b) {
      return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.start_row < b.start_row;
    });
  }
}

// ---- unordered --------------------------------------------------------------------
//
// An attempt is a window [t, t + window] starting at its first funnel event; it reaches
// step k when the window holds distinct events for each of steps 0..k, in any order.

void FunnelMatcher::WindowAdd(uint32_t bits, int delta) {
  if (bits == 0) return;
  if ((bits & (bits - 1)) == 0) {
    step_count_[LowestBit(bits)] += delta;
    return;
  }
  multi_rows_ += delta;
  for (auto& [mask, count] : mask_count_) {
    if (mask == bits) {
      count += delta;
      return;
    }
  }
  mask_count_.push_back({bits, delta});
}

// Steps 0..last_step can each take a distinct event of the window. Events matching one
// step serve it directly; the steps they leave uncovered are matched to events matching
// several steps (bipartite matching, augmenting paths; a handful of nodes).
bool FunnelMatcher::PrefixCovered(int last_step) {
  uint32_t need = 0;
  for (int j = 0; j <= last_step; ++j) {
    if (step_count_[j] == 0) need |= 1u << j;
  }
  if (need == 0) return true;
  if (multi_rows_ == 0) return false;
  // Slots: each multi mask with count c offers min(c, |need|) interchangeable events.
  const int needed = __builtin_popcount(need);
  slot_mask_.clear();
  for (const auto& [mask, count] : mask_count_) {
    if ((mask & need) == 0) continue;
    for (int c = 0; c < std::min(count, needed); ++c) slot_mask_.push_back(mask & need);
  }
  if (int(slot_mask_.size()) < needed) return false;
  slot_owner_.assign(slot_mask_.size(), -1);
  for (uint32_t b = need; b != 0; b &= b - 1) {
    slot_seen_.assign(slot_mask_.size(), 0);
    if (!Augment(LowestBit(b))) return false;
  }
  return true;
}

// Kuhn's augmenting path: gives `step` a slot, moving other steps to free slots.
bool FunnelMatcher::Augment(int step) {
  for (size_t s = 0; s < slot_mask_.size(); ++s) {
    if (!(slot_mask_[s] >> step & 1u) || slot_seen_[s]) continue;
    slot_seen_[s] = 1;
    if (slot_owner_[s] < 0 || Augment(slot_owner_[s])) {
      slot_owner_[s] = step;
      return true;
    }
  }
  return false;
}

// Walks unordered_rows_ from `first` while rows are within end_ms, adding them to a
// fresh window until steps 0..level are covered (level < 0: as far as possible).
// Returns the attempt with each step's completion time: the moment the prefix 0..k
// was first covered. *end_index: the index after the completing row, or the first
// row beyond end_ms.
FunnelAttempt FunnelMatcher::Complete(std::span<const TimelineEvent> rows, size_t first, int64_t end_ms,
                                      int level, const HoldKey* hold, size_t* end_index) {
  step_count_.fill(0);
  mask_count_.clear();
  multi_rows_ = 0;
  const int target = level < 0 ? steps_ - 1 : level;
  FunnelAttempt a;
  bool have_start = false;
  size_t i = first;
  for (; i < unordered_rows_.size(); ++i) {
    const TimelineEvent& row = rows[unordered_rows_[i]];
    if (row.timestamp_ms > end_ms) break;
    const uint32_t bits = StepBits(row, hold);
    WindowAdd(bits, 1);
    if (!have_start && (bits & 1u)) {
      have_start = true;
      a.start_row = unordered_rows_[i];
      a.start_ms = row.timestamp_ms;
    }
    while (a.furthest < target && PrefixCovered(a.furthest + 1)) {
      ++a.furthest;
      a.done |= 1u << a.furthest;
      a.step_ms[a.furthest] = row.timestamp_ms;
    }
    if (a.furthest == target) {
      ++i;
      break;
    }
  }
  *end_index = i;
  return a;
}

void FunnelMatcher::MatchUnorderedFor(std::span<const TimelineEvent> rows, const HoldKey* hold,
                                      std::vector<FunnelAttempt>* out) {
  unordered_rows_.clear();
  for (uint32_t i = 0; i < rows.size(); ++i) {
    if (StepBits(rows[i], hold) != 0) unordered_rows_.push_back(i);
  }
  const size_t m = unordered_rows_.size();
  const int64_t window = rules_.window_ms;
  auto time_of = [&](size_t i) { return rows[unordered_rows_[i]].timestamp_ms; };
  if (rules_.total) {
    // next_start[i]: the first index ≥ i whose row matches step 0.
    std::vector<size_t> next_start(m + 1, m);
    for (size_t i = m; i-- > 0;) {
      next_start[i] = (StepBits(rows[unordered_rows_[i]], hold) & 1u) ? i : next_start[i + 1];
    }
    size_t i = 0;
    while (i < m) {
      const int64_t end_ms = time_of(i) + window;
      if (next_start[i] == m || time_of(next_start[i]) > end_ms) {
        ++i;  // no first step within this window: the attempt never enters
        continue;
      }
      size_t end_index = i;
      FunnelAttempt a = Complete(rows, i, end_ms, -1, hold, &end_index);
      assert(a.furthest >= 0 && end_index > i);
      out->push_back(a);
      i = end_index;
    }
    return;
  }
  // Unique: slide the window start over the rows; the level only ever grows, so each
  // window tests just the next level. A new level is recorded from the first window
  // that reaches it (the earliest such attempt).
  step_count_.fill(0);
  mask_count_.clear();
  multi_rows_ = 0;
  int best_level = -1;
  size_t best_first = 0;
  size_t right = 0;
  for (size_t left = 0; left < m; ++left) {
    while (right < m && time_of(right) - time_of(left) <= window) {
      WindowAdd(StepBits(rows[unordered_rows_[right]], hold), 1);
      ++right;
    }
    bool grew = false;
    while (best_level + 1 < steps_ && PrefixCovered(best_level + 1)) {
      ++best_level;
      grew = true;
    }
    if (grew) best_first = left;
    WindowAdd(StepBits(rows[unordered_rows_[left]], hold), -1);
  }
  if (best_level < 0) return;
  size_t end_index = 0;
  out->push_back(Complete(rows, best_first, time_of(best_first) + window, best_level, hold, &end_index));
}

void FunnelMatcher::MatchUnordered(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out) {
  if (rules_.hold_slots.empty()) {
    MatchUnorderedFor(rows, nullptr, out);
    return;
  }
  holds_.clear();
  for (const auto& row : rows) {
    if (row.mask & 1u) holds_.push_back(HoldOf(row));
  }
  std::sort(holds_.begin(), holds_.end());
  holds_.erase(std::unique(holds_.begin(), holds_.end()), holds_.end());
  const size_t first_out = out->size();
  std::vector<FunnelAttempt> found;
  FunnelAttempt best;
  for (const HoldKey& key : holds_) {
    found.clear();
    MatchUnorderedFor(rows, &key, &found);
    if (rules_.total) {
      out->insert(out->end(), found.begin(), found.end());
    } else if (!found.empty() && Better(found[0], best)) {
      best = found[0];
    }
  }
  if (!rules_.total) {
    if (best.furthest >= 0) out->push_back(best);
  } else {
    std::sort(out->begin() + first_out, out->end(), [](const FunnelAttempt& a, const FunnelAttempt& b) {
      return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.start_row < b.start_row;
    });
  }
}

}  // namespace tobops::query
