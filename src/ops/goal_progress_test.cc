// Goal progress and strategy outcome, worked by hand: calendar periods, a goal's window
// clipped to its dates, the on_track arithmetic, the query check (hook), and both
// measured on a small event set in Asia/Shanghai with events on either side of local
// midnight (UTC 16:00), so a UTC day would put them on the wrong side.
#include "ops/goal_progress.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ops/ops_test_world.h"
#include "ops/strategy_outcome.h"

namespace tobops::ops {
namespace {

using nlohmann::json;
using cctz::civil_day;

TEST(GoalPeriods, CalendarPeriodsHoldingADay) {
  // Wed 25 Nov 2026: ISO week Mon 23 – Sun 29 Nov.
  EXPECT_EQ(*PeriodHolding("week", civil_day(2026, 11, 25)),
            (DaySpan{civil_day(2026, 11, 23), civil_day(2026, 11, 29)}));
  // Thu 1 Jan 2026 lies in the week Mon 29 Dec 2025 – Sun 4 Jan 2026.
  EXPECT_EQ(*PeriodHolding("week", civil_day(2026, 1, 1)),
            (DaySpan{civil_day(2025, 12, 29), civil_day(2026, 1, 4)}));
  // February of the leap year 2028 has 29 days.
  auto feb = *PeriodHolding("month", civil_day(2028, 2, 10));
  EXPECT_EQ(feb, (DaySpan{civil_day(2028, 2, 1), civil_day(2028, 2, 29)}));
  EXPECT_EQ(feb.days(), 29);
  // 15 Nov is in Q4: 1 Oct – 31 Dec = 31 + 30 + 31 = 92 days.
  auto q4 = *PeriodHolding("quarter", civil_day(2026, 11, 15));
  EXPECT_EQ(q4, (DaySpan{civil_day(2026, 10, 1), civil_day(2026, 12, 31)}));
  EXPECT_EQ(q4.days(), 92);
  EXPECT_EQ(*PeriodHolding("quarter", civil_day(2026, 3, 31)),
            (DaySpan{civil_day(2026, 1, 1), civil_day(2026, 3, 31)}));
  EXPECT_EQ(PeriodHolding("year", civil_day(2026, 7, 1))->days(), 365);
  EXPECT_EQ(PeriodHolding("decade", civil_day(2026, 7, 1)).status().field(), "period");
}

TEST(GoalPeriods, WindowIsClippedToTheGoalsDates) {
  const std::optional<civil_day> none;
  // A month goal starting 10 Nov, seen on 15 Nov: 10 – 30 Nov (21 days), 6 days elapsed
  // (10, 11, 12, 13, 14, 15).
  auto w = *GoalWindowAt("month", civil_day(2026, 11, 10), none, civil_day(2026, 11, 15));
  EXPECT_EQ(w.span, (DaySpan{civil_day(2026, 11, 10), civil_day(2026, 11, 30)}));
  EXPECT_EQ(w.span.days(), 21);
  EXPECT_EQ(w.elapsed_days, 6);
  EXPECT_EQ(w.status, "active");
  EXPECT_EQ(w.measured, (DaySpan{civil_day(2026, 11, 10), civil_day(2026, 11, 15)}));
  // Seen before it starts: its first period, nothing elapsed, nothing to measure.
  w = *GoalWindowAt("month", civil_day(2026, 11, 10), none, civil_day(2026, 11, 5));
  EXPECT_EQ(w.status, "not_started");
  EXPECT_EQ(w.elapsed_days, 0);
  EXPECT_TRUE(w.measured_empty);
  // Ended on 20 Nov, seen on 2 Dec: its last period 10 – 20 Nov (11 days), all elapsed.
  w = *GoalWindowAt("month", civil_day(2026, 11, 10), civil_day(2026, 11, 20), civil_day(2026, 12, 2));
  EXPECT_EQ(w.status, "ended");
  EXPECT_EQ(w.span, (DaySpan{civil_day(2026, 11, 10), civil_day(2026, 11, 20)}));
  EXPECT_EQ(w.elapsed_days, 11);
  // A quarter without dates on 15 Nov: Oct (31) + 15 days of Nov = 46 of 92 days.
  w = *GoalWindowAt("quarter", none, none, civil_day(2026, 11, 15));
  EXPECT_EQ(w.elapsed_days, 46);
  EXPECT_EQ(w.span.days(), 92);
  EXPECT_EQ(GoalWindowAt("month", civil_day(2026, 11, 10), civil_day(2026, 11, 9), civil_day(2026, 11, 9))
                .status()
                .field(),
            "ends_on");
}

TEST(GoalPeriods, OnTrackIsValueAgainstTheElapsedShareOfTheTarget) {
  // Target 100 over 30 days, 15 elapsed: 100 × 15 / 30 = 50 expected by now.
  EXPECT_TRUE(OnTrack(50, 100, 15, 30));
  EXPECT_FALSE(OnTrack(49, 100, 15, 30));
  // Target 10 over 21 days, 6 elapsed: 10 × 6 / 21 = 2.857…: 3 is on track, 2 is not.
  EXPECT_TRUE(OnTrack(3, 10, 6, 21));
  EXPECT_FALSE(OnTrack(2, 10, 6, 21));
  // Nothing elapsed: nothing expected yet.
  EXPECT_TRUE(OnTrack(0, 10, 0, 30));
}

TEST(GoalQuery, ValidatesWithTheQuerysOwnParser) {
  EXPECT_TRUE(ValidateGoalQuery(nullptr).ok());
  EXPECT_TRUE(ValidateGoalQuery("").ok());
  EXPECT_TRUE(ValidateGoalQuery(R"({"kind":"trend","series":[{"event":"signup"}]})").ok());
  EXPECT_TRUE(ValidateGoalQuery(R"({"kind":"health"})").ok());  // a known kind
  for (const char* bad : {"not json", "[1]", R"({"series":[]})", R"({"kind":"nope"})",
                          R"({"kind":"trend"})", R"({"kind":"trend","series":[{"measure":"sum"}]})",
                          R"({"kind":"funnel","steps":[{"event":"a"}]})"}) {
    Status s = ValidateGoalQuery(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(s.field(), "query") << bad;
  }
  // The parser's own field is kept in the message.
  EXPECT_NE(ValidateGoalQuery(R"({"kind":"trend","series":[{"measure":"sum"}]})").message().find(
                "series[0].property"),
            std::string::npos);
}

class GoalProgressTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-11-25T12:00:00+08:00";
    InstallGoalHooks(*catalog_);
  }

  // signup: a 31 Oct 23:30 (local October), b 1 Nov 00:30 (UTC still 31 Oct), c 3 Nov,
  // d 10 Nov (+ purchase 11 Nov), e 15 Nov 23:00, f 16 Nov 01:00 (UTC still 15 Nov).
  void IngestWorld() {
    Ingest({
        Track("a", "signup", "2026-10-31T23:30:00+08:00"),
        Track("b", "signup", "2026-11-01T00:30:00+08:00"),
        Track("c", "signup", "2026-11-03T10:00:00+08:00"),
        Track("d", "signup", "2026-11-10T10:00:00+08:00"),
        Track("d", "purchase", "2026-11-11T10:00:00+08:00"),
        Track("e", "signup", "2026-11-15T23:00:00+08:00"),
        Track("f", "signup", "2026-11-16T01:00:00+08:00"),
    });
  }
};

constexpr const char* kSignups = R"({"kind":"trend","series":[{"event":"signup"}],"interval":"day"})";
constexpr const char* kFunnel =
    R"({"kind":"funnel","steps":[{"event":"signup"},{"event":"purchase"}],"window":"30d"})";

TEST_F(GoalProgressTest, HookVetoesABadQueryNamingTheField) {
  auto bad = Store("goals").Create("p1", {{"name", "g"}, {"target", 10}, {"query", R"({"kind":"trend"})"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "query");
  const int64_t id = MustCreate("goals", {{"name", "g"}, {"target", 10}, {"query", kSignups}});
  auto update = Store("goals").Update("p1", id, {{"query", "{oops"}});
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.status().field(), "query");
  EXPECT_TRUE(Store("goals").Update("p1", id, {{"target", 12}}).ok());
}

TEST_F(GoalProgressTest, MeasuresEachGoalOverItsCurrentPeriodInTheProjectZone) {
  IngestWorld();
  MustCreate("goals", {{"name", "signups"}, {"target", 10}, {"period", "month"}, {"query", kSignups}});
  MustCreate("goals", {{"name", "buyers"}, {"target", 1}, {"period", "week"}, {"query", kFunnel}});
  MustCreate("goals", {{"name", "health"}, {"target", 1}, {"query", R"({"kind":"health"})"}});
  MustCreate("goals", {{"name", "empty"}, {"target", 1}});
  MustCreate("goals", {{"name", "later"}, {"target", 5}, {"starts_on", "2026-12-01"}, {"query", kSignups}});

  auto answer = BuildGoalProgress(Context(), *ParseIso8601Ms("2026-11-15T12:00:00+08:00"));
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json& goals = (*answer)["goals"];
  ASSERT_EQ(goals.size(), 5u);

  // signups, month of 15 Nov = 1 – 30 Nov, measured 1 – 15 Nov (through the end of the
  // day): b (local 1 Nov), c, d, e (23:00 on the 15th) = 4; a is October, f the 16th.
  // elapsed 15 / 30 = 0.5, expected 10 × 0.5 = 5, progress 4 / 10 = 40 %, 4 < 5: behind.
  const json& s = goals[0];
  EXPECT_EQ(s["from"], "2026-11-01");
  EXPECT_EQ(s["to"], "2026-11-30");
  EXPECT_EQ(s["days"], 30);
  EXPECT_EQ(s["elapsed_days"], 15);
  EXPECT_DOUBLE_EQ(s["elapsed_share"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(s["value"].get<double>(), 4);
  EXPECT_DOUBLE_EQ(s["expected"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(s["progress"].get<double>(), 40);
  EXPECT_EQ(s["on_track"], false);
  EXPECT_EQ(s["status"], "active");
  EXPECT_TRUE(s["error"].is_null());

  // buyers, week of Sun 15 Nov = Mon 9 – Sun 15 Nov: signups d, e; d bought on the 11th:
  // last step 1 of target 1 = 100 %; 7 of 7 days elapsed, expected 1: on track.
  const json& b = goals[1];
  EXPECT_EQ(b["from"], "2026-11-09");
  EXPECT_EQ(b["to"], "2026-11-15");
  EXPECT_DOUBLE_EQ(b["value"].get<double>(), 1);
  EXPECT_DOUBLE_EQ(b["progress"].get<double>(), 100);
  EXPECT_EQ(b["on_track"], true);

  // A health query has no single number; a goal without a query has nothing to run.
  EXPECT_TRUE(goals[2]["value"].is_null());
  EXPECT_EQ(goals[2]["error"]["field"], "query");
  EXPECT_EQ(goals[3]["error"]["field"], "query");

  // Starts 1 Dec: not started, its first period 1 – 31 Dec, nothing measured or expected.
  const json& l = goals[4];
  EXPECT_EQ(l["status"], "not_started");
  EXPECT_EQ(l["from"], "2026-12-01");
  EXPECT_DOUBLE_EQ(l["value"].get<double>(), 0);
  EXPECT_EQ(l["elapsed_days"], 0);
  EXPECT_EQ(l["on_track"], true);
}

TEST_F(GoalProgressTest, StrategyOutcomeComparesTheSameLengthBefore) {
  IngestWorld();
  const int64_t goal = MustCreate("goals", {{"name", "signups"}, {"target", 10}, {"query", kSignups}});
  // Ran Mon 9 – Sun 15 Nov (7 days): during = d, e = 2; before = 2 – 8 Nov: c = 1
  // (b's 1 Nov is a day too early). Change +1 = +100 %.
  const int64_t done = MustCreate("strategies", {{"name", "webinar push"},
                                                 {"goal_id", goal},
                                                 {"starts_on", "2026-11-09"},
                                                 {"ends_on", "2026-11-15"}});
  auto outcome = BuildStrategyOutcome(Context(), done);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ((*outcome)["before"], json({{"from", "2026-11-02"}, {"to", "2026-11-08"}, {"days", 7}, {"value", 1.0}}));
  EXPECT_EQ((*outcome)["during"], json({{"from", "2026-11-09"}, {"to", "2026-11-15"}, {"days", 7}, {"value", 2.0}}));
  EXPECT_DOUBLE_EQ((*outcome)["change"].get<double>(), 1);
  EXPECT_DOUBLE_EQ((*outcome)["change_pct"].get<double>(), 100);
  EXPECT_EQ((*outcome)["running"], false);

  // Still running (no end) since Fri 20 Nov, today Wed 25 Nov: during 20 – 25 Nov (6 days)
  // = 0; before 14 – 19 Nov = e (15th), f (16th) = 2. Change −2 = −100 %.
  const int64_t running = MustCreate("strategies", {{"name", "ads"}, {"goal_id", goal}, {"starts_on", "2026-11-20"}});
  outcome = BuildStrategyOutcome(Context(), running);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ((*outcome)["before"]["from"], "2026-11-14");
  EXPECT_DOUBLE_EQ((*outcome)["before"]["value"].get<double>(), 2);
  EXPECT_EQ((*outcome)["during"]["to"], "2026-11-25");
  EXPECT_DOUBLE_EQ((*outcome)["during"]["value"].get<double>(), 0);
  EXPECT_DOUBLE_EQ((*outcome)["change_pct"].get<double>(), -100);
  EXPECT_EQ((*outcome)["running"], true);

  // No goal, no start, an unknown strategy.
  const int64_t orphan = MustCreate("strategies", {{"name", "x"}, {"starts_on", "2026-11-01"}});
  EXPECT_EQ(BuildStrategyOutcome(Context(), orphan).status().field(), "goal_id");
  const int64_t unstarted = MustCreate("strategies", {{"name", "y"}, {"goal_id", goal}});
  EXPECT_EQ(BuildStrategyOutcome(Context(), unstarted).status().field(), "starts_on");
  EXPECT_EQ(BuildStrategyOutcome(Context(), 999).status().code(), StatusCode::kNotFound);
  // Before is 0: no percentage.
  EXPECT_TRUE(ChangeJson(0, 3)["change_pct"].is_null());
}

}  // namespace
}  // namespace tobops::ops
