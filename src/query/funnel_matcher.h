// File: query/funnel_matcher.h
// FunnelMatcher: the per-entity kernel of the funnel analysis. Given one entity's
// timeline rows (EntityTimelines: bit i of the mask = funnel step i, bit steps + e =
// exclusion e), it finds the entity's attempts through the funnel: the best one
// ("unique" counting) or every one ("total" counting). Semantics, including the tie
// rule at equal timestamps, are specified in docs/analytics/funnel.md; the comments in
// funnel_matcher.cc say how each rule is implemented and why the DP is exact.
//
// Cost: ordered and strict orders walk the rows once (once per distinct hold_constant
// value of the entity's first-step events); unordered slides a window over the rows
// once. No heap allocation per row: buffers are reused across entities.
// Thread-safety: a FunnelMatcher holds scratch buffers; use one per worker thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "query/entity_timeline.h"

namespace tobops::query {

inline constexpr int kMaxFunnelSteps = 20;

enum class FunnelOrder { kOrdered, kStrict, kUnordered };

struct FunnelRules {
  struct Step {
    bool optional = false;   // the attempt may skip it (never step 0)
    int64_t within_ms = 0;   // > 0: at most this long after the previous reached step
  };
  struct Exclusion {
    int from_step = 0;       // an excluded event after reaching from_step and before
    int to_step = 1;         // reaching to_step stops the attempt at its current step
  };
  FunnelOrder order = FunnelOrder::kOrdered;
  int64_t window_ms = 0;     // a step counts when its time − the first step's time ≤ window
  std::vector<Step> steps;   // 2..kMaxFunnelSteps; step i is mask bit i
  std::vector<Exclusion> exclusions;  // exclusion e is mask bit steps.size() + e
  std::vector<int> hold_slots;        // TimelineEvent::value slots held constant (≤ 2)
  bool total = false;        // every attempt (true) or the best one (false)
};

// One attempt through the funnel.
struct FunnelAttempt {
  uint32_t start_row = 0;    // index (in the entity's rows) of the step-0 event
  int64_t start_ms = 0;
  int furthest = -1;         // the furthest step reached (its index)
  uint32_t done = 0;         // bit i: the attempt did step i (skipped optional steps: 0)
  std::array<int64_t, kMaxFunnelSteps> step_ms{};  // when each done step happened

  // Time from the previous done step to step `step` (which must be done, step > 0).
  int64_t DurationToMs(int step) const;
};

class FunnelMatcher {
 public:
  explicit FunnelMatcher(FunnelRules rules);

  // Appends the entity's attempts to `out`: at most one (the best) when !rules.total,
  // else every attempt in time order. Rows must be in EntityTimelines order.
  void Match(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out);

 private:
  // One attempt in progress; whether it is live is a bit of Walk's `live` mask.
  struct Chain {
    int64_t start_ms = 0;
    int64_t last_ms = 0;
    uint32_t start_row = 0;
    uint32_t last_pos = 0;   // processing position of the row that last advanced it
    uint32_t done = 0;
    std::array<int64_t, kMaxFunnelSteps> step_ms{};
  };
  using HoldKey = std::array<uint32_t, 2>;

  void BuildOrder(std::span<const TimelineEvent> rows);
  uint32_t StepBits(const TimelineEvent& row, const HoldKey* hold) const;
  HoldKey HoldOf(const TimelineEvent& row) const;

  // Ordered / strict walk over processing positions [pos, end). anchor < 0: every
  // step-0 event may start a chain and the walk runs to the end; otherwise only the
  // event at position `anchor` starts, and the walk stops once the attempt can no
  // longer advance. Returns the best attempt (furthest < 0: none) and, for anchored
  // walks, the position where the next attempt may start.
  FunnelAttempt Walk(std::span<const TimelineEvent> rows, uint32_t pos, int64_t anchor,
                     const HoldKey* hold, uint32_t* next_pos);
  void MatchSequential(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out);

  // Unordered: windows [t, t + window] over the rows carrying step bits.
  void MatchUnordered(std::span<const TimelineEvent> rows, std::vector<FunnelAttempt>* out);
  void MatchUnorderedFor(std::span<const TimelineEvent> rows, const HoldKey* hold,
                         std::vector<FunnelAttempt>* out);
  void WindowAdd(uint32_t bits, int delta);
  bool PrefixCovered(int last_step);
  bool Augment(int step);
  FunnelAttempt Complete(std::span<const TimelineEvent> rows, size_t first, int64_t end_ms,
                         int level, const HoldKey* hold, size_t* end_index);

  FunnelRules rules_;
  int steps_ = 0;
  uint32_t step_mask_ = 0;
  uint32_t exclusion_mask_ = 0;
  std::vector<uint32_t> exclusion_kill_;  // per exclusion: levels it stops

  // Scratch, reused across entities.
  std::vector<uint32_t> order_;           // processing order of the rows (tie rule)
  std::array<Chain, kMaxFunnelSteps> chains_;
  std::vector<HoldKey> holds_;
  std::vector<uint32_t> unordered_rows_;  // rows with step bits (after the hold filter)
  std::array<int, kMaxFunnelSteps> step_count_{};
  std::vector<std::pair<uint32_t, int>> mask_count_;  // distinct multi-step masks in window
  int multi_rows_ = 0;
  std::vector<uint32_t> slot_mask_;       // matching scratch (PrefixCovered)
  std::vector<int> slot_owner_;
  std::vector<char> slot_seen_;
};

}  // namespace tobops::query
