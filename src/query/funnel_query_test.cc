// Hand-worked funnel cases: every expected number below is derived by hand, in a
// comment, from the messages each test sends (times are Asia/Shanghai, +08:00). Each
// case runs on the memtable and again after a flush to segments.
#include "query/funnel_query.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using Counts = std::vector<int64_t>;
using Ids = std::vector<std::string>;

constexpr int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;

// A track message for `user` at local time "MM-DDTHH:MM[:SS.mmm]" in October 2026.
json Track(const std::string& user, const std::string& event, const std::string& when,
           json properties = json::object()) {
  return {{"type", "track"}, {"userId", user}, {"event", event},
          {"timestamp", "2026-" + when + (when.size() > 11 ? "" : ":00") + "+08:00"},
          {"properties", std::move(properties)}};
}

json Group(const std::string& user, const std::string& account, json traits = json::object()) {
  return {{"type", "group"}, {"userId", user}, {"groupId", account}, {"traits", std::move(traits)},
          {"timestamp", "2026-09-20T09:00:00+08:00"}};
}

json Identify(const std::string& user, const std::string& role) {
  return {{"type", "identify"}, {"userId", user}, {"traits", {{"role", role}}},
          {"timestamp", "2026-09-20T09:00:00+08:00"}};
}

class FunnelQueryTest : public QueryTest {
 protected:
  FunnelQueryTest() { now_ = "2026-11-15T12:00:00+08:00"; }

  void Send(const std::vector<json>& messages) { Ingest(json{{"batch", messages}}.dump()); }

  // Runs a funnel over October 2026 with `steps`, plus any extra members.
  json Run(json steps, json extra = json::object()) {
    json spec = {{"kind", "funnel"}, {"steps", std::move(steps)},
                 {"range", {{"from", "2026-10-01"}, {"to", "2026-10-31"}}}};
    for (auto& [key, value] : extra.items()) spec[key] = value;
    auto answer = RunQueryJson(spec, Context());
    EXPECT_TRUE(answer.ok()) << answer.status().ToString() << " for " << spec.dump();
    return answer.ok() ? *answer : json();
  }

  static Counts StepCounts(const json& steps) {
    Counts out;
    for (const auto& s : steps) out.push_back(s["count"].get<int64_t>());
    return out;
  }

  static json Steps(std::initializer_list<const char*> events) {
    json out = json::array();
    for (const char* e : events) out.push_back({{"event", e}});
    return out;
  }

  ingest::TestProject project_;
};

TEST_P(FunnelQueryTest, EachOrderModeGivesItsOwnAnswer) {
  Send({Track("p1", "signup", "10-02T10:00"), Track("p1", "login", "10-02T10:30"),
        Track("p1", "trial_started", "10-02T11:00"),
        Track("p2", "trial_started", "10-02T09:00"), Track("p2", "signup", "10-02T10:00"),
        Track("p3", "signup", "10-02T10:00"), Track("p3", "trial_started", "10-02T10:05")});
  const json steps = Steps({"signup", "trial_started"});
  // ordered: p1 (login between is fine) and p3 convert; p2's trial precedes its signup.
  json ordered = Run(steps, {{"window", "1d"}});
  EXPECT_EQ(StepCounts(ordered["steps"]), (Counts{3, 2}));
  EXPECT_EQ(ordered["order"], "ordered");
  EXPECT_EQ(ordered["window_ms"], kDay);
  // Time to convert: p1 1h, p3 5min → median = mean = (3 600 000 + 300 000) / 2.
  EXPECT_EQ(ordered["steps"][1]["time_to_convert"]["median_ms"], 1'950'000);
  EXPECT_EQ(ordered["steps"][1]["time_to_convert"]["average_ms"], 1'950'000);
  EXPECT_DOUBLE_EQ(ordered["steps"][1]["conversion_from_previous"].get<double>(), 2.0 / 3);
  EXPECT_EQ(ordered["steps"][1]["dropped"], 1);
  EXPECT_EQ(ordered["steps"][0]["time_to_convert"], nullptr);
  EXPECT_EQ(ordered["steps"][0]["conversion_from_previous"], 1.0);
  // strict: p1's login breaks the sequence; only p3 converts.
  json strict = Run(steps, {{"window", "1d"}, {"order", "strict"}});
  EXPECT_EQ(StepCounts(strict["steps"]), (Counts{3, 1}));
  // unordered: p2's trial an hour before its signup is within the day → all three.
  json unordered = Run(steps, {{"window", "1d"}, {"order", "unordered"}});
  EXPECT_EQ(StepCounts(unordered["steps"]), (Counts{3, 3}));
  // p2 in unordered: prefix {signup} complete at 10:00, {signup, trial} also at 10:00
  // (the trial was already there) → 0; p1 1h, p3 5min → sorted 0, 5min, 1h → median 5min.
  EXPECT_EQ(unordered["steps"][1]["time_to_convert"]["median_ms"], 5 * kMin);
}

TEST_P(FunnelQueryTest, WindowIncludesItsBoundAndNotOneMsMore) {
  // p1's trial is exactly 14 days after its signup; p2's 14 days and 1 ms.
  Send({Track("p1", "signup", "10-01T10:00"), Track("p1", "trial_started", "10-15T10:00"),
        Track("p2", "signup", "10-01T10:00"), Track("p2", "trial_started", "10-15T10:00:00.001")});
  json a = Run(Steps({"signup", "trial_started"}), {{"window", "14d"}});
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{2, 1}));
  const json& t = a["steps"][1]["time_to_convert"];
  EXPECT_EQ(t["median_ms"], 14 * kDay);
  // Bins below 14d end at 10d; the last bin [10d, 14d] includes the window itself.
  const json& last = t["histogram"].back();
  EXPECT_EQ(last["from_ms"], 10 * kDay);
  EXPECT_EQ(last["to_ms"], 14 * kDay);
  EXPECT_EQ(last["count"], 1);
  EXPECT_EQ(t["histogram"][0]["from_ms"], 0);
  EXPECT_EQ(t["histogram"][0]["to_ms"], kMin);
}

TEST_P(FunnelQueryTest, EventsOfTheSameMillisecond) {
  // Funnel trial_started → purchase. The timeline sorts equal times by event name, so
  // "purchase" comes before "trial_started"; the tie rule takes them in step order.
  // p1: trial and purchase at the same ms → the purchase counts as after the trial.
  // p2: one trial only. p3: trial, feature_used at the same ms, purchase a minute later.
  Send({Track("p1", "purchase", "10-02T10:00"), Track("p1", "trial_started", "10-02T10:00"),
        Track("p2", "trial_started", "10-02T10:00"),
        Track("p3", "trial_started", "10-02T10:00"), Track("p3", "feature_used", "10-02T10:00"),
        Track("p3", "purchase", "10-02T10:01")});
  json a = Run(Steps({"trial_started", "purchase"}));
  // p1 (0 ms) and p3 (1 min) convert → median 30 s.
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{3, 2}));
  EXPECT_EQ(a["steps"][1]["time_to_convert"]["median_ms"], 30'000);
  // One event satisfies one step: p2's trial also matches "$any" but cannot be both
  // steps; p1's purchase and p3's feature_used are the second step.
  json any = Run(Steps({"trial_started", "$any"}));
  EXPECT_EQ(StepCounts(any["steps"]), (Counts{3, 2}));
  EXPECT_EQ(any["steps"][1]["event"], "$any");
  // strict: p3's feature_used at the trial's ms counts as after it and breaks p3.
  json strict = Run(Steps({"trial_started", "purchase"}), {{"order", "strict"}});
  EXPECT_EQ(StepCounts(strict["steps"]), (Counts{3, 1}));
}

TEST_P(FunnelQueryTest, StepRoleForPersonsAndAccounts) {
  // acc-A: u1 decision_maker, u2 user. acc-B: u3 user.
  // u2: signup 10:00, demo 11:00 (a user's demo); u1: demo 12:00. u3: signup, demo.
  Send({Group("u1", "acc-A"), Group("u2", "acc-A"), Group("u3", "acc-B"),
        Identify("u1", "decision_maker"), Identify("u2", "user"), Identify("u3", "user"),
        Track("u2", "signup", "10-02T10:00"), Track("u2", "demo_requested", "10-02T11:00"),
        Track("u1", "demo_requested", "10-02T12:00"),
        Track("u3", "signup", "10-02T10:00"), Track("u3", "demo_requested", "10-02T11:00")});
  json steps = {{{"event", "signup"}}, {{"event", "demo_requested"}, {"role", "decision_maker"}}};
  // Persons: u2 and u3 sign up; neither is a decision maker; u1 never signs up.
  json persons = Run(steps);
  EXPECT_EQ(StepCounts(persons["steps"]), (Counts{2, 0}));
  // Accounts: acc-A reaches step 1 through u1's demo at 12:00, 2h after u2's signup;
  // u2's own demo at 11:00 does not count. acc-B's demo is by a user.
  json accounts = Run(steps, {{"aggregate_by", "account"}});
  EXPECT_EQ(accounts["aggregate_by"], "account");
  EXPECT_EQ(StepCounts(accounts["steps"]), (Counts{2, 1}));
  EXPECT_EQ(accounts["steps"][1]["time_to_convert"]["median_ms"], 2 * kHour);
  // An array of roles: user or decision_maker → both accounts, acc-A by u2 at 11:00.
  steps[1]["role"] = {"user", "decision_maker"};
  json either = Run(steps, {{"aggregate_by", "account"}});
  EXPECT_EQ(StepCounts(either["steps"]), (Counts{2, 2}));
  EXPECT_EQ(either["steps"][1]["time_to_convert"]["median_ms"], kHour);
}

TEST_P(FunnelQueryTest, AccountFunnelOrdersEventsAcrossPeople) {
  // acc-A: u1 signup 10:00, then u2 trial 11:00. acc-B: u3 trial 09:00, u4 signup 10:00.
  Send({Group("u1", "acc-A"), Group("u2", "acc-A"), Group("u3", "acc-B"), Group("u4", "acc-B"),
        Track("u1", "signup", "10-02T10:00"), Track("u2", "trial_started", "10-02T11:00"),
        Track("u3", "trial_started", "10-02T09:00"), Track("u4", "signup", "10-02T10:00")});
  const json steps = Steps({"signup", "trial_started"});
  // Accounts: acc-A converts across two people; acc-B's trial came first.
  EXPECT_EQ(StepCounts(Run(steps, {{"aggregate_by", "account"}})["steps"]), (Counts{2, 1}));
  // Persons: u1 and u4 sign up; nobody who signed up started a trial.
  EXPECT_EQ(StepCounts(Run(steps)["steps"]), (Counts{2, 0}));
}

TEST_P(FunnelQueryTest, ExclusionsStopTheAttemptBetweenItsSteps) {
  // Funnel signup → trial → purchase; "churned" excluded between step 1 and step 2.
  // p1: signup, trial, churned, purchase              → stops at trial (1).
  // p2: signup, churned (before reaching trial), trial, purchase → 2.
  // p3: signup, trial, purchase, churned (after)        → 2.
  // p4: signup, trial, churned; signup, trial, purchase → the second attempt: 2.
  // p5: signup, trial 10:00, churned 10:00 (same ms, counts as after the trial),
  //     purchase 11:00                                    → 1.
  // p6: signup, trial, then churned and purchase at the same ms (the step first) → 2.
  Send({Track("p1", "signup", "10-01T10:00"), Track("p1", "trial_started", "10-02T10:00"),
        Track("p1", "churned", "10-03T10:00"), Track("p1", "purchase", "10-04T10:00"),
        Track("p2", "signup", "10-01T10:00"), Track("p2", "churned", "10-01T12:00"),
        Track("p2", "trial_started", "10-02T10:00"), Track("p2", "purchase", "10-03T10:00"),
        Track("p3", "signup", "10-01T10:00"), Track("p3", "trial_started", "10-02T10:00"),
        Track("p3", "purchase", "10-03T10:00"), Track("p3", "churned", "10-04T10:00"),
        Track("p4", "signup", "10-01T10:00"), Track("p4", "trial_started", "10-02T10:00"),
        Track("p4", "churned", "10-03T10:00"), Track("p4", "signup", "10-05T10:00"),
        Track("p4", "trial_started", "10-06T10:00"), Track("p4", "purchase", "10-07T10:00"),
        Track("p5", "signup", "10-01T10:00"), Track("p5", "trial_started", "10-02T10:00"),
        Track("p5", "churned", "10-02T10:00"), Track("p5", "purchase", "10-02T11:00"),
        Track("p6", "signup", "10-01T10:00"), Track("p6", "trial_started", "10-02T10:00"),
        Track("p6", "churned", "10-03T10:00"), Track("p6", "purchase", "10-03T10:00")});
  json exclusions = {{{"event", "churned"}, {"from_step", 1}, {"to_step", 2}}};
  json a = Run(Steps({"signup", "trial_started", "purchase"}), {{"exclusions", exclusions}});
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{6, 6, 4}));
  // Entities that dropped after the trial: p1 and p5.
  json dropped = Run(Steps({"signup", "trial_started", "purchase"}),
                     {{"exclusions", exclusions}, {"entities", {{"step", 1}, {"status", "dropped"}}}});
  EXPECT_EQ(dropped["entities"]["ids"], (Ids{"p1", "p5"}));
  // The default interval (from step 0 to the last step): p2's churn before its trial
  // now stops it at the signup; p1 and p5 still stop at the trial; p4's second attempt,
  // p3 and p6 purchase → [6, 5, 3].
  json whole = Run(Steps({"signup", "trial_started", "purchase"}), {{"exclusions", {{{"event", "churned"}}}}});
  EXPECT_EQ(StepCounts(whole["steps"]), (Counts{6, 5, 3}));
}

TEST_P(FunnelQueryTest, OptionalStepMayBeSkipped) {
  // p1: signup d1 10:00, demo d1 12:00, purchase d2 10:00 → all three.
  // p2: signup d1 10:00, purchase d1 11:00 (skips the demo).
  // p3: signup, demo. p4: signup only.
  Send({Track("p1", "signup", "10-01T10:00"), Track("p1", "demo_requested", "10-01T12:00"),
        Track("p1", "purchase", "10-02T10:00"),
        Track("p2", "signup", "10-01T10:00"), Track("p2", "purchase", "10-01T11:00"),
        Track("p3", "signup", "10-01T10:00"), Track("p3", "demo_requested", "10-01T12:00"),
        Track("p4", "signup", "10-01T10:00")});
  json steps = {{{"event", "signup"}}, {{"event", "demo_requested"}, {"optional", true}}, {{"event", "purchase"}}};
  json a = Run(steps);
  // Demo: p1, p3 (2). Purchase: p1, p2 (2), compared with signup (the previous
  // required step): 2 / 4 = 0.5, dropped 4 − 2 = 2.
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{4, 2, 2}));
  EXPECT_EQ(a["steps"][1]["optional"], true);
  EXPECT_EQ(a["steps"][2]["conversion_from_previous"], 0.5);
  EXPECT_EQ(a["steps"][2]["dropped"], 2);
  // Time to purchase from the previous done step: p1 22h (from the demo), p2 1h (from
  // the signup) → median = mean = 11.5h.
  EXPECT_EQ(a["steps"][2]["time_to_convert"]["median_ms"], 23 * kHour / 2);
  EXPECT_EQ(a["steps"][2]["time_to_convert"]["average_ms"], 23 * kHour / 2);
  // Without optional, p2 never purchases after a demo → purchase only p1.
  steps[1].erase("optional");
  EXPECT_EQ(StepCounts(Run(steps)["steps"]), (Counts{4, 2, 1}));
}

TEST_P(FunnelQueryTest, PerStepWithinIsInclusive) {
  // trial within 1h of the signup, then purchase (global window 14d).
  // p1: signup 10:00, trial 10:30, purchase next day → 3.
  // p2: signup 10:00, trial 11:00 (exactly 1h)        → 2.
  // p3: signup 10:00, trial 11:00:00.001 (1h + 1ms)   → 1.
  // p4: signup 10:00, signup 10:45, trial 11:30 (45 min after the second signup) → 2.
  Send({Track("p1", "signup", "10-01T10:00"), Track("p1", "trial_started", "10-01T10:30"),
        Track("p1", "purchase", "10-02T10:00"),
        Track("p2", "signup", "10-01T10:00"), Track("p2", "trial_started", "10-01T11:00"),
        Track("p3", "signup", "10-01T10:00"), Track("p3", "trial_started", "10-01T11:00:00.001"),
        Track("p4", "signup", "10-01T10:00"), Track("p4", "signup", "10-01T10:45"),
        Track("p4", "trial_started", "10-01T11:30")});
  json steps = {{{"event", "signup"}}, {{"event", "trial_started"}, {"within", "1h"}}, {{"event", "purchase"}}};
  json a = Run(steps);
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{4, 3, 1}));
  // Times to trial: 30min, 60min, 45min → median 45min.
  EXPECT_EQ(a["steps"][1]["time_to_convert"]["median_ms"], 45 * kMin);
}

TEST_P(FunnelQueryTest, HoldConstantKeepsOneProductThroughTheSteps) {
  // demo → quote → purchase, all with the event property product.
  // p1: demo A d1, quote B d2, quote A d3, purchase A d4 → 3 (all A).
  // p2: demo A d1, quote B d2, purchase B d3             → 1 (no B demo).
  // p3: demo A d1, demo B d2, quote B d3                 → 2 (B).
  // p4: demo, quote without product (absent = absent)    → 2.
  auto p = [](const char* product) { return json{{"product", product}}; };
  Send({Track("p1", "demo_requested", "10-01T10:00", p("A")), Track("p1", "quote_requested", "10-02T10:00", p("B")),
        Track("p1", "quote_requested", "10-03T10:00", p("A")), Track("p1", "purchase", "10-04T10:00", p("A")),
        Track("p2", "demo_requested", "10-01T10:00", p("A")), Track("p2", "quote_requested", "10-02T10:00", p("B")),
        Track("p2", "purchase", "10-03T10:00", p("B")),
        Track("p3", "demo_requested", "10-01T10:00", p("A")), Track("p3", "demo_requested", "10-02T10:00", p("B")),
        Track("p3", "quote_requested", "10-03T10:00", p("B")),
        Track("p4", "demo_requested", "10-01T10:00"), Track("p4", "quote_requested", "10-02T10:00")});
  const json steps = Steps({"demo_requested", "quote_requested", "purchase"});
  json held = Run(steps, {{"hold_constant", {{{"source", "event"}, {"property", "product"}}}}});
  EXPECT_EQ(StepCounts(held["steps"]), (Counts{4, 3, 1}));
  // Without holding: p1 3, p2 3, p3 2, p4 2.
  EXPECT_EQ(StepCounts(Run(steps)["steps"]), (Counts{4, 4, 2}));
  // Held and broken down by the same property: p1 and p2 start with A, p3 with B,
  // p4 with null. Order: A (2), then null (id 0) and B tied at 1.
  json both = Run(steps, {{"hold_constant", {"product"}}, {"breakdown", "product"}});
  ASSERT_EQ(both["breakdown"].size(), 3u);
  EXPECT_EQ(both["breakdown"][0]["value"], "A");
  EXPECT_EQ(StepCounts(both["breakdown"][0]["steps"]), (Counts{2, 1, 1}));
  EXPECT_EQ(both["breakdown"][1]["value"], nullptr);
  EXPECT_EQ(both["breakdown"][2]["value"], "B");
  EXPECT_EQ(StepCounts(both["breakdown"][2]["steps"]), (Counts{1, 1, 0}));
}

TEST_P(FunnelQueryTest, TotalCountsEveryAttemptUniqueTheBest) {
  // Window 7d.
  // p1: signup d1 10:00 → trial d2 10:00 (24h, complete); signup d5 10:00 → trial d5
  //     12:00 (2h): two complete attempts.
  // p2: signup d1 10:00, signup d3 10:00 (a re-entry while the first attempt is still
  //     open: ignored), trial d4 10:00 → one attempt, 72h from the first signup.
  // p3: signup d1 10:00, signup d9 10:00 (after the first window closed) → two
  //     attempts that never reach the trial.
  Send({Track("p1", "signup", "10-01T10:00"), Track("p1", "trial_started", "10-02T10:00"),
        Track("p1", "signup", "10-05T10:00"), Track("p1", "trial_started", "10-05T12:00"),
        Track("p2", "signup", "10-01T10:00"), Track("p2", "signup", "10-03T10:00"),
        Track("p2", "trial_started", "10-04T10:00"),
        Track("p3", "signup", "10-01T10:00"), Track("p3", "signup", "10-09T10:00")});
  const json steps = Steps({"signup", "trial_started"});
  // Unique: 3 entities, 2 convert. p1's best attempt is its first to get there (24h);
  // p2's is the one from its latest signup, d3 → d4 (24h). Median 24h.
  json unique = Run(steps, {{"window", "7d"}});
  EXPECT_EQ(unique["count"], "unique");
  EXPECT_EQ(StepCounts(unique["steps"]), (Counts{3, 2}));
  EXPECT_EQ(unique["steps"][1]["time_to_convert"]["median_ms"], 24 * kHour);
  // Total: attempts 2 + 1 + 2 = 5; conversions 2 + 1 + 0 = 3, taking 24h, 2h, 72h →
  // median 24h, average 98h / 3 = 32h40min.
  json total = Run(steps, {{"window", "7d"}, {"count", "total"}});
  EXPECT_EQ(StepCounts(total["steps"]), (Counts{5, 3}));
  EXPECT_EQ(total["steps"][1]["time_to_convert"]["median_ms"], 24 * kHour);
  EXPECT_EQ(total["steps"][1]["time_to_convert"]["average_ms"], 98 * kHour / 3);
}

TEST_P(FunnelQueryTest, BreakdownTakesTheFirstStepValueWithNullAndLimit) {
  // Breakdown by the signup's channel.
  // p1 sem → trial; p2 sem; p3 video → trial; p4 no channel → trial; p5 website;
  // p6 video d1, sem d3, trial d4: the attempt from the latest signup (sem) converts.
  auto c = [](const char* channel) { return json{{"channel", channel}}; };
  Send({Track("p1", "signup", "10-01T10:00", c("sem")), Track("p1", "trial_started", "10-01T11:00"),
        Track("p2", "signup", "10-01T10:00", c("sem")),
        Track("p3", "signup", "10-01T10:00", c("video")), Track("p3", "trial_started", "10-01T11:00"),
        Track("p4", "signup", "10-01T10:00"), Track("p4", "trial_started", "10-01T11:00"),
        Track("p5", "signup", "10-01T10:00", c("website")),
        Track("p6", "signup", "10-01T10:00", c("video")), Track("p6", "signup", "10-03T10:00", c("sem")),
        Track("p6", "trial_started", "10-04T10:00")});
  const json steps = Steps({"signup", "trial_started"});
  // sem: p1, p2, p6 → [3, 2]; then ties at 1: null (p4) [1, 1], video (p3) [1, 1],
  // website (p5) [1, 0]. Limit 2 keeps sem and null. Totals stay [6, 4].
  json a = Run(steps, {{"breakdown", "channel"}, {"limit", 2}});
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{6, 4}));
  ASSERT_EQ(a["breakdown"].size(), 2u);
  EXPECT_EQ(a["breakdown"][0]["value"], "sem");
  EXPECT_EQ(StepCounts(a["breakdown"][0]["steps"]), (Counts{3, 2}));
  EXPECT_EQ(a["breakdown"][1]["value"], nullptr);
  EXPECT_EQ(StepCounts(a["breakdown"][1]["steps"]), (Counts{1, 1}));
  json all = Run(steps, {{"breakdown", "channel"}});
  ASSERT_EQ(all["breakdown"].size(), 4u);
  EXPECT_EQ(all["breakdown"][2]["value"], "video");
  EXPECT_EQ(all["breakdown"][3]["value"], "website");
  EXPECT_EQ(StepCounts(all["breakdown"][3]["steps"]), (Counts{1, 0}));
}

TEST_P(FunnelQueryTest, BreakdownByTraitsOfTheFirstStep) {
  // acc-A (制造业): u1 decision_maker signs up, u2 user starts the trial.
  // acc-B (no industry): u3 user signs up. u4 has no account: signs up, trial.
  Send({Group("u1", "acc-A", {{"industry", "制造业"}}), Group("u2", "acc-A"), Group("u3", "acc-B"),
        Identify("u1", "decision_maker"), Identify("u2", "user"), Identify("u3", "user"),
        Track("u1", "signup", "10-02T10:00"), Track("u2", "trial_started", "10-02T11:00"),
        Track("u3", "signup", "10-02T10:00"),
        Track("u4", "signup", "10-02T10:00"), Track("u4", "trial_started", "10-02T11:00")});
  const json steps = Steps({"signup", "trial_started"});
  // Persons by account industry: u1 制造业 [1, 0]; u3 and u4 null [2, 1] → null first.
  json persons = Run(steps, {{"breakdown", {{"source", "account"}, {"property", "industry"}}}});
  ASSERT_EQ(persons["breakdown"].size(), 2u);
  EXPECT_EQ(persons["breakdown"][0]["value"], nullptr);
  EXPECT_EQ(StepCounts(persons["breakdown"][0]["steps"]), (Counts{2, 1}));
  EXPECT_EQ(persons["breakdown"][1]["value"], "制造业");
  // Accounts by the role of the person who did the first step: acc-A (u1 →
  // decision_maker) converts through u2; acc-B (u3 → user) does not. u4 has no account.
  json accounts = Run(steps, {{"aggregate_by", "account"}, {"breakdown", {{"source", "person"}, {"property", "role"}}}});
  EXPECT_EQ(StepCounts(accounts["steps"]), (Counts{2, 1}));
  ASSERT_EQ(accounts["breakdown"].size(), 2u);
  EXPECT_EQ(accounts["breakdown"][0]["value"], "decision_maker");
  EXPECT_EQ(StepCounts(accounts["breakdown"][0]["steps"]), (Counts{1, 1}));
  EXPECT_EQ(accounts["breakdown"][1]["value"], "user");
  EXPECT_EQ(StepCounts(accounts["breakdown"][1]["steps"]), (Counts{1, 0}));
}

TEST_P(FunnelQueryTest, OverTimeGroupsAttemptsByTheirStartWeek) {
  // 2026-10-01 is a Thursday: weeks start 09-28, 10-05, 10-12, 10-19, 10-26.
  // p1 signup 10-02 → trial; p2 signup 10-06; p3 signup 10-07 → trial 10-13 (a later
  // week, still the cohort of 10-05).
  Send({Track("p1", "signup", "10-02T10:00"), Track("p1", "trial_started", "10-02T11:00"),
        Track("p2", "signup", "10-06T10:00"),
        Track("p3", "signup", "10-07T10:00"), Track("p3", "trial_started", "10-13T10:00")});
  json a = Run(Steps({"signup", "trial_started"}), {{"over_time", "week"}});
  const json& points = a["over_time"];
  ASSERT_EQ(points.size(), 5u);
  EXPECT_EQ(points[0]["t"], "2026-09-28T00:00:00+08:00");
  EXPECT_EQ(points[0]["entered"], 1);
  EXPECT_EQ(points[0]["converted"], 1);
  EXPECT_EQ(points[0]["rate"], 1.0);
  EXPECT_EQ(points[1]["t"], "2026-10-05T00:00:00+08:00");
  EXPECT_EQ(points[1]["entered"], 2);
  EXPECT_EQ(points[1]["converted"], 1);
  EXPECT_EQ(points[1]["rate"], 0.5);
  EXPECT_EQ(points[2]["entered"], 0);
  EXPECT_EQ(points[2]["rate"], 0.0);
}

TEST_P(FunnelQueryTest, EntitiesReachedAndDroppedArePagedById) {
  // Three steps. p3 and p1 complete; p2 stops after signup; p4 stops after trial.
  Send({Track("p3", "signup", "10-02T10:00"), Track("p3", "trial_started", "10-02T11:00"),
        Track("p3", "purchase", "10-02T12:00"),
        Track("p1", "signup", "10-02T10:00"), Track("p1", "trial_started", "10-02T11:00"),
        Track("p1", "purchase", "10-02T12:00"),
        Track("p2", "signup", "10-02T10:00"),
        Track("p4", "signup", "10-02T10:00"), Track("p4", "trial_started", "10-02T11:00")});
  const json steps = Steps({"signup", "trial_started", "purchase"});
  auto entities = [&](int step, const char* status, int limit, int offset) {
    return Run(steps, {{"entities", {{"step", step}, {"status", status}, {"limit", limit}, {"offset", offset}}}})["entities"];
  };
  json reached = entities(1, "reached", 100, 0);
  EXPECT_EQ(reached["total"], 3);
  EXPECT_EQ(reached["ids"], (Ids{"p1", "p3", "p4"}));
  EXPECT_EQ(entities(0, "dropped", 100, 0)["ids"], (Ids{"p2"}));
  EXPECT_EQ(entities(1, "dropped", 100, 0)["ids"], (Ids{"p4"}));
  // Page 2 of size 2 of the 4 that reached step 0.
  json page = entities(0, "reached", 2, 2);
  EXPECT_EQ(page["total"], 4);
  EXPECT_EQ(page["ids"], (Ids{"p3", "p4"}));
}

TEST_P(FunnelQueryTest, ChineseEventsLabelsAndProperties) {
  // 注册 → 试用 with label 开始试用, broken down by 渠道.
  Send({Track("张三", "注册", "10-02T10:00", {{"渠道", "线下活动"}}), Track("张三", "试用", "10-03T10:00"),
        Track("李四", "注册", "10-02T10:00", {{"渠道", "线下活动"}})});
  json steps = {{{"event", "注册"}, {"label", "注册"}}, {{"event", "试用"}, {"label", "开始试用"}}};
  json a = Run(steps, {{"breakdown", "渠道"}, {"entities", {{"step", 0}, {"status", "dropped"}}}});
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{2, 1}));
  EXPECT_EQ(a["steps"][1]["name"], "开始试用");
  EXPECT_EQ(a["steps"][1]["event"], "试用");
  EXPECT_EQ(a["breakdown"][0]["value"], "线下活动");
  EXPECT_EQ(a["entities"]["ids"], (Ids{"李四"}));
}

TEST_P(FunnelQueryTest, NobodyEntersButEveryStepIsListed) {
  // Data in September only; October is empty.
  Send({{{"type", "track"}, {"userId", "p1"}, {"event", "signup"}, {"timestamp", "2026-09-15T10:00:00+08:00"}}});
  json a = Run(Steps({"signup", "trial_started", "purchase"}),
               {{"breakdown", "channel"}, {"over_time", "month"}, {"entities", {{"step", 0}}}});
  EXPECT_EQ(StepCounts(a["steps"]), (Counts{0, 0, 0}));
  for (const auto& s : a["steps"]) {
    EXPECT_EQ(s["conversion_from_previous"], 0.0);
    EXPECT_EQ(s["conversion_from_first"], 0.0);
    EXPECT_EQ(s["dropped"], 0);
    EXPECT_EQ(s["time_to_convert"], nullptr);
  }
  EXPECT_EQ(a["steps"][2]["name"], "purchase");
  EXPECT_EQ(a["breakdown"], json::array());
  ASSERT_EQ(a["over_time"].size(), 1u);
  EXPECT_EQ(a["over_time"][0]["entered"], 0);
  EXPECT_EQ(a["entities"]["total"], 0);
  EXPECT_EQ(a["from"], "2026-10-01T00:00:00+08:00");
  EXPECT_EQ(a["to"], "2026-11-01T00:00:00+08:00");
}

TEST_P(FunnelQueryTest, StepFiltersAndGlobalFilters) {
  // p1: signup (sem), purchase pro. p2: signup (sem), purchase basic. p3: signup (video),
  // purchase pro.
  Send({Track("p1", "signup", "10-02T10:00", {{"channel", "sem"}}), Track("p1", "purchase", "10-03T10:00", {{"plan", "pro"}}),
        Track("p2", "signup", "10-02T10:00", {{"channel", "sem"}}), Track("p2", "purchase", "10-03T10:00", {{"plan", "basic"}}),
        Track("p3", "signup", "10-02T10:00", {{"channel", "video"}}), Track("p3", "purchase", "10-03T10:00", {{"plan", "pro"}})});
  json steps = {{{"event", "signup"}, {"filters", {{{"property", "channel"}, {"value", "sem"}}}}},
                {{"event", "purchase"}, {"filters", {{{"property", "plan"}, {"value", "pro"}}}}}};
  // Signups from sem: p1, p2; of those, a pro purchase: p1.
  EXPECT_EQ(StepCounts(Run(steps)["steps"]), (Counts{2, 1}));
  // Global filter plan is_not_set drops every purchase row → nobody purchases.
  json global = Run(Steps({"signup", "purchase"}),
                    {{"filters", {{{"property", "plan"}, {"op", "is_not_set"}}}}});
  EXPECT_EQ(StepCounts(global["steps"]), (Counts{3, 0}));
}

TEST_P(FunnelQueryTest, DriversCompareConvertersWithDropped) {
  // c0..c9 (acc-A, 制造业): signup, demo_requested, purchase. d0..d9 (acc-B, 金融):
  // signup only. Every feature splits the groups completely: a = 10, b = 0, c = 0,
  // d = 10. Odds ratio with 0.5 added to each cell: 10.5² / 0.5² = 441 (金融: 1/441).
  // Yates: n = 20, |ad − bc| − n/2 = 90, chi² = 20·90² / 10⁴ = 16.2, p = erfc(√8.1).
  std::vector<json> messages;
  for (int i = 0; i < 10; ++i) {
    const std::string c = "c" + std::to_string(i), d = "d" + std::to_string(i);
    messages.push_back(Group(c, "acc-A", {{"industry", "制造业"}}));
    messages.push_back(Group(d, "acc-B", {{"industry", "金融"}}));
    messages.push_back(Track(c, "signup", "10-02T10:00"));
    messages.push_back(Track(c, "demo_requested", "10-03T10:00"));
    messages.push_back(Track(c, "purchase", "10-04T10:00"));
    messages.push_back(Track(d, "signup", "10-02T10:00"));
  }
  Send(messages);
  json a = Run(Steps({"signup", "purchase"}), {{"drivers", true}});
  const json& drivers = a["drivers"];
  // Ties in |log odds| are ordered by kind, name, value: account industry 制造业, 金融,
  // then the event. signup and purchase are steps, not drivers.
  ASSERT_EQ(drivers.size(), 3u) << drivers.dump();
  EXPECT_EQ(drivers[0]["kind"], "account");
  EXPECT_EQ(drivers[0]["name"], "industry");
  EXPECT_EQ(drivers[0]["value"], "制造业");
  EXPECT_EQ(drivers[0]["converters"], 10);
  EXPECT_EQ(drivers[0]["dropped"], 0);
  EXPECT_NEAR(drivers[0]["odds_ratio"].get<double>(), 441.0, 1e-9);
  EXPECT_NEAR(drivers[0]["p_value"].get<double>(), 5.69941162333184e-05, 1e-12);
  EXPECT_EQ(drivers[1]["value"], "金融");
  EXPECT_NEAR(drivers[1]["odds_ratio"].get<double>(), 1.0 / 441, 1e-12);
  EXPECT_EQ(drivers[2]["kind"], "event");
  EXPECT_EQ(drivers[2]["name"], "demo_requested");
  EXPECT_EQ(drivers[2]["value"], nullptr);
  // Without "drivers" the member is absent.
  EXPECT_FALSE(Run(Steps({"signup", "purchase"})).contains("drivers"));
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(FunnelQueryTest);

TEST(FunnelDriverStatistics, OddsRatioAndYatesPValue) {
  // 10/5/5/10: no zero cell → (10·10)/(5·5) = 4. n = 30, |100 − 25| − 15 = 60,
  // chi² = 30·60² / 15⁴ = 2.1333, p = erfc(√1.0667) = 0.14413.
  EXPECT_DOUBLE_EQ(OddsRatio(10, 5, 5, 10), 4.0);
  EXPECT_NEAR(YatesChiSquarePValue(10, 5, 5, 10), 0.1441270348160153, 1e-12);
  // 20/0/0/20: Haldane → 20.5² / 0.5² = 1681; chi² = 40·380² / 20⁴ = 36.1.
  EXPECT_DOUBLE_EQ(OddsRatio(20, 0, 0, 20), 1681.0);
  EXPECT_NEAR(YatesChiSquarePValue(20, 0, 0, 20), 1.8744684504065414e-09, 1e-18);
  // A zero margin (nobody dropped) tells nothing.
  EXPECT_EQ(YatesChiSquarePValue(5, 0, 5, 0), 1.0);
  // |ad − bc| below n/2: the correction floors chi² at 0 → p = 1.
  EXPECT_EQ(YatesChiSquarePValue(5, 5, 5, 6), 1.0);
}

TEST(FunnelSpecErrors, NameTheField) {
  ingest::TestProject project;
  const QueryContext ctx = MakeTestContext(project, 1772590500000, cctz::utc_time_zone());
  const json two = {{{"event", "a"}}, {{"event", "b"}}};
  auto with = [&](json extra) {
    json spec = {{"kind", "funnel"}, {"steps", two}};
    for (auto& [k, v] : extra.items()) spec[k] = v;
    return spec;
  };
  ExpectSpecErrors(nullptr, {
      {{{"kind", "funnel"}}, "steps"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}}}}, "steps"},
      {{{"kind", "funnel"}, {"steps", json::array({"a", "b"})}}, "steps[0]"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}, {{"label", "x"}}}}}, "steps[1].event"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}, {{"event", "b"}, {"role", 7}}}}}, "steps[1].role"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}, {{"event", "b"}, {"role", {"x", 1}}}}}}, "steps[1].role"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}, {"optional", true}}, {{"event", "b"}}}}}, "steps[0].optional"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}, {"within", "1h"}}, {{"event", "b"}}}}}, "steps[0].within"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}, {{"event", "b"}, {"within", "1y"}}}}}, "steps[1].within"},
      {{{"kind", "funnel"}, {"steps", {{{"event", "a"}}, {{"event", "b"}, {"filters", {{{"op", "eq"}}}}}}}}, "steps[1].filters[0].property"},
      {with({{"window", "14 days"}}), "window"},
      {with({{"window", 14}}), "window"},
      {with({{"order", "sideways"}}), "order"},
      {with({{"aggregate_by", "team"}}), "aggregate_by"},
      {with({{"count", "all"}}), "count"},
      {with({{"exclusions", {{{"event", "x"}, {"from_step", 1}, {"to_step", 1}}}}}), "exclusions[0].from_step"},
      {with({{"exclusions", {{{"from_step", 0}}}}}), "exclusions[0].event"},
      {with({{"exclusions", {{{"event", "x"}}}}, {"order", "unordered"}}), "exclusions"},
      {with({{"breakdown", {{"source", "planet"}, {"property", "p"}}}}), "breakdown.source"},
      {with({{"breakdown", "a"}, {"hold_constant", {"b", "c"}}}), "hold_constant"},
      {with({{"hold_constant", {{{"source", "event"}}}}}), "hold_constant[0].property"},
      {with({{"range", {{"from", "2026-02-30"}, {"to", "2026-03-01"}}}}), "range.from"},
      {with({{"limit", 0}}), "limit"},
      {with({{"over_time", "fortnight"}}), "over_time"},
      {with({{"over_time", "hour"}, {"range", {{"from", "2000-01-01"}, {"to", "2026-01-01"}}}}), "over_time"},
      {with({{"entities", {{"step", 2}}}}), "entities.step"},
      {with({{"entities", {{"step", 1}, {"status", "dropped"}}}}), "entities.step"},
      {with({{"entities", {{"status", "gone"}}}}), "entities.status"},
      {with({{"entities", {{"limit", 0}}}}), "entities.limit"},
      {with({{"drivers", "yes"}}), "drivers"},
      {with({{"filters", {{{"property", "p"}, {"op", "like"}}}}}), "filters[0].op"},
  });
  // 21 steps, and 20 steps with 13 exclusions (33 conditions).
  json many = json::array();
  for (int i = 0; i < 21; ++i) many.push_back({{"event", "e" + std::to_string(i)}});
  EXPECT_EQ(RunQueryJson({{"kind", "funnel"}, {"steps", many}}, ctx).status().field(), "steps");
  many.erase(many.size() - 1);
  json exclusions = json::array();
  for (int i = 0; i < 13; ++i) exclusions.push_back({{"event", "x"}});
  EXPECT_EQ(RunQueryJson({{"kind", "funnel"}, {"steps", many}, {"exclusions", exclusions}}, ctx).status().field(),
            "exclusions");
}

}  // namespace
}  // namespace tobops::query
