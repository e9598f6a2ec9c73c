// FunnelMatcher on hand-made timeline rows: the corners of the kernel that are awkward
// to reach through the store (rows matching several steps, strict re-entries, an event
// that is both a step and an excluded event). Masks: bit i = step i, then exclusions.
#include "query/funnel_matcher.h"

#include <algorithm>
#include <functional>
#include <random>

#include <gtest/gtest.h>

namespace tobops::query {
namespace {

constexpr int64_t kMin = 60'000;

TimelineEvent Row(int64_t minute, uint32_t mask, uint32_t value = 0) {
  TimelineEvent row;
  row.timestamp_ms = minute * kMin;
  row.mask = mask;
  row.value[0] = value;
  return row;
}

FunnelRules Rules(int steps, FunnelOrder order = FunnelOrder::kOrdered, int64_t window_min = 60) {
  FunnelRules rules;
  rules.order = order;
  rules.window_ms = window_min * kMin;
  rules.steps.resize(steps);
  return rules;
}

std::vector<FunnelAttempt> Match(const FunnelRules& rules, const std::vector<TimelineEvent>& rows) {
  FunnelMatcher matcher(rules);
  std::vector<FunnelAttempt> out;
  matcher.Match(rows, &out);
  return out;
}

std::vector<int> Furthest(const std::vector<FunnelAttempt>& attempts) {
  std::vector<int> out;
  for (const auto& a : attempts) out.push_back(a.furthest);
  return out;
}

TEST(FunnelMatcher, OrderedKeepsTheLatestStartAndItsStepTimes) {
  // A(0) at 0, A at 30, B(1) at 70, C(2) at 80; window 60 min. The start at 0 is too
  // old for B at 70; the one at 30 reaches C at 80.
  auto a = Match(Rules(3), {Row(0, 1), Row(30, 1), Row(70, 2), Row(80, 4)});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].furthest, 2);
  EXPECT_EQ(a[0].start_row, 1u);
  EXPECT_EQ(a[0].DurationToMs(1), 40 * kMin);
  EXPECT_EQ(a[0].DurationToMs(2), 10 * kMin);
}

TEST(FunnelMatcher, UnorderedMatchesEventsToDistinctSteps) {
  // Steps A, B, C. Rows: {A,B} at 0, {A,B} at 1, C at 2. Two events that each match A
  // or B cover both (one each), so C completes the funnel.
  auto rules = Rules(3, FunnelOrder::kUnordered);
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 3), Row(1, 3), Row(2, 4)})), (std::vector<int>{2}));
  // One {A,B} event cannot be both: A is covered, B is not → level 0.
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 3), Row(2, 4)})), (std::vector<int>{0}));
  // {A,B} and {A} → the {A,B} event takes B; C at 2 → level 2.
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 3), Row(1, 1), Row(2, 4)})), (std::vector<int>{2}));
  // Window 60, C at 61: the window from 0 holds both {A,B} events (A and B: level 1)
  // but not C; the window from 1 holds C but only one {A,B} event → best level 1.
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 3), Row(1, 3), Row(61, 4)})), (std::vector<int>{1}));
}

TEST(FunnelMatcher, StrictTotalRestartsAtTheEventThatBrokeTheSequence) {
  // A, A, B: the second A breaks the first attempt (it is not B) and starts the next.
  auto rules = Rules(2, FunnelOrder::kStrict);
  rules.total = true;
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(1, 1), Row(2, 2)})), (std::vector<int>{0, 1}));
  // An unrelated event (mask 0) between A and B: the attempt stops at A; B alone is no start.
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(1, 0), Row(2, 2)})), (std::vector<int>{0}));
  // Unique: the best of the same rows is the second A → B.
  rules.total = false;
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(1, 1), Row(2, 2)})), (std::vector<int>{1}));
}

TEST(FunnelMatcher, OrderedTotalIgnoresReentriesWhileAnAttemptIsOpen) {
  // Window 60. A at 0, A at 30 (inside the first attempt's window: ignored), A at 60
  // (exactly the window: still inside), A at 61 (a new attempt), B at 62.
  auto rules = Rules(2);
  rules.total = true;
  auto a = Match(rules, {Row(0, 1), Row(30, 1), Row(60, 1), Row(61, 1), Row(62, 2)});
  EXPECT_EQ(Furthest(a), (std::vector<int>{0, 1}));
  EXPECT_EQ(a[1].start_ms, 61 * kMin);
}

TEST(FunnelMatcher, AnEventThatIsAStepAndExcludedStopsTheAttempt) {
  // Steps A, B; exclusion (bit 2) between 0 and 1. B's event also matches the
  // exclusion: the exclusion acts first, so the attempt stays at A.
  auto rules = Rules(2);
  rules.exclusions.push_back({0, 1});
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(5, 2 | 4)})), (std::vector<int>{0}));
  // A plain B afterwards does not help: the attempt from A at 0 is void; a new A is.
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(5, 4), Row(6, 2), Row(7, 1), Row(8, 2)})),
            (std::vector<int>{1}));
  // Total: the exclusion ends the first attempt; the next starts at A at 7.
  rules.total = true;
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(5, 4), Row(6, 2), Row(7, 1), Row(8, 2)})),
            (std::vector<int>{0, 1}));
}

TEST(FunnelMatcher, StrictWithAnOptionalStep) {
  // A → B (optional) → C, strict. A, C: C directly follows A (B skipped) → level 2 with
  // B not done. A, X, C: X breaks it.
  auto rules = Rules(3, FunnelOrder::kStrict);
  rules.steps[1].optional = true;
  auto a = Match(rules, {Row(0, 1), Row(1, 4)});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].furthest, 2);
  EXPECT_EQ(a[0].done, 5u);
  EXPECT_EQ(a[0].DurationToMs(2), kMin);
  EXPECT_EQ(Furthest(Match(rules, {Row(0, 1), Row(1, 0), Row(2, 4)})), (std::vector<int>{0}));
}

TEST(FunnelMatcher, HoldConstantAttemptsPerValueInTotalMode) {
  // Value slot 0 held. A(v1) 0, A(v2) 1, B(v2) 2, B(v1) 3: each value is its own
  // sequence of attempts → two attempts, both complete, ordered by start.
  auto rules = Rules(2);
  rules.hold_slots = {0};
  rules.total = true;
  auto a = Match(rules, {Row(0, 1, 1), Row(1, 1, 2), Row(2, 2, 2), Row(3, 2, 1)});
  EXPECT_EQ(Furthest(a), (std::vector<int>{1, 1}));
  EXPECT_EQ(a[0].start_ms, 0);
  EXPECT_EQ(a[0].DurationToMs(1), 3 * kMin);
  EXPECT_EQ(a[1].DurationToMs(1), kMin);
}

TEST(FunnelMatcher, NoFirstStepNoAttempt) {
  EXPECT_TRUE(Match(Rules(2), {Row(0, 2), Row(1, 2)}).empty());
  EXPECT_TRUE(Match(Rules(2, FunnelOrder::kUnordered), {Row(0, 2)}).empty());
  auto total = Rules(2, FunnelOrder::kUnordered);
  total.total = true;
  // B at 0, A at 100 (window 60): the window from B holds no A; the one from A does.
  EXPECT_EQ(Furthest(Match(total, {Row(0, 2), Row(100, 1)})), (std::vector<int>{0}));
  EXPECT_TRUE(Match(Rules(2), {}).empty());
}

// ---- the kernel against a brute-force search of every attempt -------------------

// The processing order of the tie rule (docs/analytics/funnel.md, "Equal timestamps").
std::vector<size_t> TieOrder(const std::vector<TimelineEvent>& rows, int steps) {
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const uint32_t step_mask = (1u << steps) - 1;
  auto key = [&](size_t i) {
    const uint32_t bits = rows[i].mask & step_mask;
    if (bits != 0) return __builtin_ctz(bits);
    return rows[i].mask != 0 ? steps : steps + 1;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rows[a].timestamp_ms != rows[b].timestamp_ms) return rows[a].timestamp_ms < rows[b].timestamp_ms;
    return key(a) < key(b);
  });
  return order;
}

// The furthest step of any chain of rows obeying the rules, by trying every chain.
int BruteForceFurthest(const FunnelRules& rules, const std::vector<TimelineEvent>& rows) {
  const int steps = int(rules.steps.size());
  const std::vector<size_t> order = TieOrder(rows, steps);
  const bool strict = rules.order == FunnelOrder::kStrict;
  auto step_bit = [&](size_t pos, int step, uint32_t hold) {
    const TimelineEvent& r = rows[order[pos]];
    return (r.mask >> step & 1u) && (rules.hold_slots.empty() || r.value[0] == hold);
  };
  // No exclusion stops the move from step a (row at pos_a) to a later step (row pos_b).
  auto clear = [&](size_t pos_a, int a, size_t pos_b) {
    for (size_t e = 0; e < rules.exclusions.size(); ++e) {
      const auto& x = rules.exclusions[e];
      if (a < x.from_step || a >= x.to_step) continue;
      for (size_t p = pos_a + 1; p <= pos_b; ++p) {
        if (rows[order[p]].mask >> (steps + e) & 1u) return false;
      }
    }
    return true;
  };
  int best = -1;
  std::function<void(size_t, int, int64_t, uint32_t)> extend = [&](size_t pos, int level, int64_t start, uint32_t hold) {
    best = std::max(best, level);
    const int64_t t_prev = rows[order[pos]].timestamp_ms;
    for (size_t next = pos + 1; next < order.size() && (!strict || next == pos + 1); ++next) {
      const int64_t t = rows[order[next]].timestamp_ms;
      if (t - start > rules.window_ms) break;
      for (int j = level + 1; j < steps; ++j) {
        const int64_t within = rules.steps[j].within_ms;
        if (step_bit(next, j, hold) && (within == 0 || t - t_prev <= within) && clear(pos, level, next)) {
          extend(next, j, start, hold);
        }
        if (!rules.steps[j].optional) break;
      }
    }
  };
  for (size_t pos = 0; pos < order.size(); ++pos) {
    const TimelineEvent& r = rows[order[pos]];
    if (r.mask & 1u) extend(pos, 0, r.timestamp_ms, r.value[0]);
  }
  return best;
}

TEST(FunnelMatcher, AgreesWithBruteForceOnRandomTimelines) {
  std::mt19937 rng(20261124);
  auto pick = [&](int n) { return int(rng() % uint32_t(n)); };
  for (int round = 0; round < 4000; ++round) {
    const int steps = 2 + pick(3);
    FunnelRules rules = Rules(steps, pick(2) ? FunnelOrder::kStrict : FunnelOrder::kOrdered, 3 + pick(6));
    const bool optional = pick(3) == 0;
    for (int j = 1; j < steps; ++j) {
      // Optional steps and `within` together are the documented approximation.
      if (optional) rules.steps[j].optional = j < steps - 1 && pick(2);
      else if (pick(3) == 0) rules.steps[j].within_ms = (1 + pick(3)) * kMin;
    }
    const int exclusions = pick(3);
    for (int e = 0; e < exclusions; ++e) {
      const int from = pick(steps - 1);
      rules.exclusions.push_back({from, from + 1 + pick(steps - 1 - from)});
    }
    if (pick(4) == 0) rules.hold_slots = {0};
    const int bits = steps + exclusions;
    std::vector<TimelineEvent> rows;
    int64_t minute = 0;
    for (int i = 0, n = pick(11); i < n; ++i) {
      minute += pick(3);  // many equal timestamps
      uint32_t mask = 1u << pick(bits + 1) >> 1;  // one bit or none
      if (pick(5) == 0) mask |= 1u << pick(bits);  // sometimes two
      rows.push_back(Row(minute, mask, uint32_t(pick(2))));
    }
    // EntityTimelines order: time, then (here) mask as the name stand-in.
    std::stable_sort(rows.begin(), rows.end(), [](const TimelineEvent& a, const TimelineEvent& b) {
      return a.timestamp_ms != b.timestamp_ms ? a.timestamp_ms < b.timestamp_ms : a.mask < b.mask;
    });
    auto found = Match(rules, rows);
    const int kernel = found.empty() ? -1 : found[0].furthest;
    ASSERT_EQ(kernel, BruteForceFurthest(rules, rows)) << "round " << round;
  }
}

// Unordered: the largest k such that some window [t, t + window] starting at a row holds
// distinct rows for steps 0..k (same held value), by trying every assignment.
int BruteForceUnordered(const FunnelRules& rules, const std::vector<TimelineEvent>& rows) {
  const int steps = int(rules.steps.size());
  int best = -1;
  for (size_t a = 0; a < rows.size(); ++a) {
    for (uint32_t hold = 0; hold < 2; ++hold) {
      std::vector<size_t> in;
      for (size_t i = 0; i < rows.size(); ++i) {
        const int64_t dt = rows[i].timestamp_ms - rows[a].timestamp_ms;
        if (dt >= 0 && dt <= rules.window_ms && (rules.hold_slots.empty() || rows[i].value[0] == hold)) in.push_back(i);
      }
      std::vector<char> used(rows.size(), 0);
      std::function<bool(int, int)> assign = [&](int step, int last) {
        if (step > last) return true;
        for (size_t i : in) {
          if (used[i] || !(rows[i].mask >> step & 1u)) continue;
          used[i] = 1;
          const bool ok = assign(step + 1, last);
          used[i] = 0;
          if (ok) return true;
        }
        return false;
      };
      for (int k = steps - 1; k > best; --k) {
        if (assign(0, k)) {
          best = k;
          break;
        }
      }
    }
  }
  return best;
}

TEST(FunnelMatcher, UnorderedAgreesWithBruteForceOnRandomTimelines) {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return int(rng() % uint32_t(n)); };
  for (int round = 0; round < 3000; ++round) {
    const int steps = 2 + pick(3);
    FunnelRules rules = Rules(steps, FunnelOrder::kUnordered, 2 + pick(6));
    if (pick(3) == 0) rules.hold_slots = {0};
    std::vector<TimelineEvent> rows;
    int64_t minute = 0;
    for (int i = 0, n = pick(10); i < n; ++i) {
      minute += pick(3);
      uint32_t mask = 1u << pick(steps);
      if (pick(3) == 0) mask |= 1u << pick(steps);
      rows.push_back(Row(minute, mask, uint32_t(pick(2))));
    }
    auto found = Match(rules, rows);
    const int kernel = found.empty() ? -1 : found[0].furthest;
    ASSERT_EQ(kernel, BruteForceUnordered(rules, rows)) << "round " << round;
  }
}

}  // namespace
}  // namespace tobops::query
