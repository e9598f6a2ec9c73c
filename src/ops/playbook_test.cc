// Playbook rules and runner (ops/playbook_rules.h, ops/playbook_runner.h) on a small
// hand-checked world. Zone Asia/Shanghai (+08:00), now = 2026-03-20T12:00+08:00.
// With window 7: the window is 2026-03-14T00:00+08:00 .. now; the window before is
// 2026-03-07T00:00+08:00 .. 2026-03-13T23:59:59.999+08:00. (In UTC the window would
// start at 2026-03-13T16:00Z: events at 23:59 and 00:00 +08:00 on the 13th/14th are
// the same UTC day, so a UTC window would put them on the same side.)
//   acc-1 A1 "Acme" (owner Li, customer): login by u1 u2 u3 u4 on 03-10 (before);
//     login by u1 u2 u3 on 03-15 (now); a record-change event by u4 on 03-16 ($source
//     records: not activity). Contact u3 decision_maker. before 4, now 3 → drop 25 %.
//   acc-2 A2 "Beta" (no owner, trial): u5 login 03-13T23:59 (before);
//     u6 feature_used alerts 03-13T23:59:30 (before), reports 03-14T00:00 (now),
//     export 03-15 (now). Contact u5 decision_maker. before {u5,u6}=2, now {u6}=1 →
//     drop 50 %; features in window {reports, export} = 2.
//   acc-3 A3 "Gamma" (owner Wu, churned): u7 login 03-07T00:00 (first instant of the
//     window before). before 1, now 0 → drop 100 %.
//   acc-4 A4 "Delta": u8 login 03-06T23:59:59 (before both windows): no facts.
//   A6 "Lonely": no group id, no events.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/time_format.h"
#include "ops/ops_test_world.h"
#include "ops/playbook_rules.h"
#include "ops/playbook_runner.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class PlaybookTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-03-20T12:00:00+08:00";
    A1 = MustCreate("accounts", {{"name", "Acme"}, {"group_id", "acc-1"}, {"owner", "Li"}, {"lifecycle_stage", "customer"}});
    A2 = MustCreate("accounts", {{"name", "Beta"}, {"group_id", "acc-2"}, {"lifecycle_stage", "trial"}});
    A3 = MustCreate("accounts", {{"name", "Gamma"}, {"group_id", "acc-3"}, {"owner", "Wu"}, {"lifecycle_stage", "churned"}});
    A4 = MustCreate("accounts", {{"name", "Delta"}, {"group_id", "acc-4"}});
    A6 = MustCreate("accounts", {{"name", "Lonely"}});
    MustCreate("contacts", {{"name", "Cat"}, {"person_id", "u3"}, {"account_id", A1}, {"role", "decision_maker"}});
    MustCreate("contacts", {{"name", "Eve"}, {"person_id", "u5"}, {"account_id", A2}, {"role", "decision_maker"}});
    auto track = [](const std::string& user, const std::string& event, const std::string& group,
                    const std::string& t, const std::string& props = "{}") {
      return Track(user, event, t, props, InGroup(group));
    };
    std::vector<std::string> m;
    for (const char* u : {"u1", "u2", "u3", "u4"}) m.push_back(track(u, "login", "acc-1", "2026-03-10T10:00:00+08:00"));
    for (const char* u : {"u1", "u2", "u3"}) m.push_back(track(u, "login", "acc-1", "2026-03-15T10:00:00+08:00"));
    m.push_back(track("u4", "deal_won", "acc-1", "2026-03-16T10:00:00+08:00", R"({"$source":"records"})"));
    m.push_back(track("u5", "login", "acc-2", "2026-03-13T23:59:00+08:00"));
    m.push_back(track("u6", "feature_used", "acc-2", "2026-03-13T23:59:30+08:00", R"({"feature":"alerts"})"));
    m.push_back(track("u6", "feature_used", "acc-2", "2026-03-14T00:00:00+08:00", R"({"feature":"reports"})"));
    m.push_back(track("u6", "feature_used", "acc-2", "2026-03-15T10:00:00+08:00", R"({"feature":"export"})"));
    m.push_back(track("u7", "login", "acc-3", "2026-03-07T00:00:00+08:00"));
    m.push_back(track("u8", "login", "acc-4", "2026-03-06T23:59:59+08:00"));
    Ingest(m);
  }

  // Account ids (record ids) matching `rule` with settings, sorted.
  std::vector<int64_t> Matches(const std::string& rule, double threshold, int64_t window) {
    json pb = {{"rule", rule}, {"threshold", threshold}, {"window_days", window}};
    auto r = RuleOf(pb);
    EXPECT_TRUE(r.ok());
    OpsContext ctx = Context();
    auto facts = ScanAccountWindows(ctx, window);
    EXPECT_TRUE(facts.ok());
    std::vector<int64_t> out;
    auto accounts = catalog_->Get("accounts").List("p1", {});
    for (const auto& a : accounts->records) {
      const std::string g = a.value("group_id", json(nullptr)).is_string() ? a["group_id"].get<std::string>()
                                                                           : "record-account-" + a["id"].dump();
      auto f = facts->find(g);
      std::unordered_set<std::string> dms;
      if (a["id"] == A1) dms = {"u3"};
      if (a["id"] == A2) dms = {"u5"};
      if (EvaluateRule(*r, a, f == facts->end() ? nullptr : &f->second, dms)) out.push_back(a["id"].get<int64_t>());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  int64_t A1 = 0, A2 = 0, A3 = 0, A4 = 0, A6 = 0;
};

TEST_F(PlaybookTest, FactsFollowTheProjectZoneWindows) {
  auto facts = ScanAccountWindows(Context(), 7);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  // acc-1: before {u1..u4}, now {u1,u2,u3} (u4's record-change event is not activity).
  EXPECT_EQ(facts->at("acc-1").active_before.size(), 4u);
  EXPECT_EQ(facts->at("acc-1").active_now.size(), 3u);
  // acc-2: 23:59 on the 13th is before, 00:00 on the 14th is now (+08:00).
  EXPECT_EQ(facts->at("acc-2").active_before, (std::unordered_set<std::string>{"u5", "u6"}));
  EXPECT_EQ(facts->at("acc-2").active_now, (std::unordered_set<std::string>{"u6"}));
  EXPECT_EQ(facts->at("acc-2").features, (std::unordered_set<std::string>{"reports", "export"}));
  // acc-3: 00:00 on the 7th is the first instant of the window before.
  EXPECT_EQ(facts->at("acc-3").active_before.size(), 1u);
  EXPECT_EQ(facts->at("acc-3").active_now.size(), 0u);
  // acc-4: 23:59:59 on the 6th is outside both windows.
  EXPECT_EQ(facts->count("acc-4"), 0u);
}

TEST_F(PlaybookTest, ActiveSeatsDropAtTheThreshold) {
  // Drops: A1 25 %, A2 50 %, A3 100 %; A4 and A6 have nobody before.
  EXPECT_EQ(Matches("active_seats_drop", 25, 7), (std::vector<int64_t>{A1, A2, A3}));  // 25 ≥ 25
  EXPECT_EQ(Matches("active_seats_drop", 25.1, 7), (std::vector<int64_t>{A2, A3}));
  EXPECT_EQ(Matches("active_seats_drop", 50, 7), (std::vector<int64_t>{A2, A3}));  // 50 ≥ 50
  EXPECT_EQ(Matches("active_seats_drop", 51, 7), (std::vector<int64_t>{A3}));
  EXPECT_EQ(Matches("active_seats_drop", 100, 7), (std::vector<int64_t>{A3}));
}

TEST_F(PlaybookTest, NoDecisionMakerActive) {
  // A1: u3 active now → no. A2: u5 only before → yes. A3: churned → left out.
  // A4, A6: no decision_maker contact → yes.
  EXPECT_EQ(Matches("no_decision_maker_active", 0, 7), (std::vector<int64_t>{A2, A4, A6}));
  // Over 8 days the window starts 03-13T00:00+08:00: u5's 23:59 login counts → A2 out.
  EXPECT_EQ(Matches("no_decision_maker_active", 0, 8), (std::vector<int64_t>{A4, A6}));
}

TEST_F(PlaybookTest, TrialLowFeatureUse) {
  // Only A2 is a trial; it used 2 distinct features in the 7-day window.
  EXPECT_EQ(Matches("trial_low_feature_use", 3, 7), (std::vector<int64_t>{A2}));  // 2 < 3
  EXPECT_EQ(Matches("trial_low_feature_use", 2, 7), (std::vector<int64_t>{}));    // 2 < 2 is false
  // Over 8 days "alerts" (03-13 23:59:30) counts too: 3 < 3 is false.
  EXPECT_EQ(Matches("trial_low_feature_use", 3, 8), (std::vector<int64_t>{}));
}

TEST_F(PlaybookTest, RuleSettingsAndDefaults) {
  auto d = RuleOf({{"rule", "trial_low_feature_use"}});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->threshold, 3);
  EXPECT_EQ(d->window_days, 14);
  auto s = RuleOf({{"rule", "active_seats_drop"}});
  EXPECT_EQ(s->threshold, 30);
  EXPECT_EQ(s->window_days, 30);
  EXPECT_EQ(RuleOf({{"rule", "active_seats_drop"}, {"window_days", 0}}).status().field(), "window_days");
  EXPECT_EQ(RuleOf({{"rule", "active_seats_drop"}, {"threshold", 101}}).status().field(), "threshold");
  EXPECT_EQ(RuleOf({{"rule", "nope"}}).status().field(), "rule");
}

TEST_F(PlaybookTest, RunnerOpensOneTaskPerPlaybookAndAccount) {
  const int64_t P1 = MustCreate("playbooks", {{"name", "Seats"}, {"rule", "active_seats_drop"}, {"threshold", 50},
                                              {"window_days", 7}, {"enabled", true}, {"task_title", "Call about seats"}});
  const int64_t P2 = MustCreate("playbooks", {{"name", "Find the decision maker"}, {"rule", "no_decision_maker_active"},
                                              {"window_days", 7}, {"owner", "Zhao"}});
  const int64_t P3 = MustCreate("playbooks", {{"name", "Trial"}, {"rule", "trial_low_feature_use"}, {"threshold", 3},
                                              {"window_days", 7}, {"enabled", false}});
  // An open task (P2, A4) blocks a second one; a done task (P2, A6) does not.
  MustCreate("tasks", {{"title", "x"}, {"owner", "Zhao"}, {"account_id", A4}, {"playbook_id", P2}, {"status", "open"},
                       {"source", "playbook"}});
  MustCreate("tasks", {{"title", "y"}, {"owner", "Zhao"}, {"account_id", A6}, {"playbook_id", P2}, {"status", "done"},
                       {"source", "playbook"}});

  auto first = RunPlaybooks(Context(), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const json& runs = (*first)["runs"];
  ASSERT_EQ(runs.size(), 2u);  // P3 is disabled
  // P1 (drop ≥ 50 %): A2 (50 %) and A3 (100 %).
  EXPECT_EQ(runs[0]["playbook_id"], P1);
  EXPECT_EQ(runs[0]["matched"], 2);
  EXPECT_EQ(runs[0]["opened"], 2);
  EXPECT_EQ(runs[0]["skipped_open"], 0);
  EXPECT_EQ(runs[0]["matches"][0]["reason"],
            "active people fell from 2 (previous 7 days) to 1 (last 7 days): −50 % ≥ 50 %");
  // P2: A2, A4 (already open → skipped), A6.
  EXPECT_EQ(runs[1]["matched"], 3);
  EXPECT_EQ(runs[1]["opened"], 2);
  EXPECT_EQ(runs[1]["skipped_open"], 1);

  // The tasks: title, owner (playbook → account → "unassigned"), due now + 3 days.
  auto tasks = catalog_->Get("tasks").List("p1", records::RecordQuery{});
  int found = 0;
  for (const auto& t : tasks->records) {
    if (t["playbook_id"] == P1 && t["account_id"] == A2) {
      ++found;
      EXPECT_EQ(t["title"], "Call about seats");
      EXPECT_EQ(t["owner"], "unassigned");  // no playbook owner, Beta has none
      EXPECT_EQ(t["due_date"], "2026-03-23");
      EXPECT_EQ(t["source"], "playbook");
      EXPECT_EQ(t["status"], "open");
    }
    if (t["playbook_id"] == P1 && t["account_id"] == A3) {
      EXPECT_EQ(t["owner"], "Wu");  // the account's owner
    }
    if (t["playbook_id"] == P2 && t["account_id"] == A2) {
      EXPECT_EQ(t["owner"], "Zhao");
      EXPECT_EQ(t["title"], "Find the decision maker");
    }
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(tasks->total, 2 + 2 + 2);  // two set up, four opened

  // Second run: every match has its open task.
  auto second = RunPlaybooks(Context(), std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)["runs"][0]["opened"], 0);
  EXPECT_EQ((*second)["runs"][0]["skipped_open"], 2);
  EXPECT_EQ((*second)["runs"][1]["opened"], 0);
  EXPECT_EQ((*second)["runs"][1]["skipped_open"], 3);

  // A disabled playbook runs when asked by id: A2 (2 features < 3).
  auto third = RunPlaybooks(Context(), P3);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ((*third)["runs"][0]["opened"], 1);
  EXPECT_EQ((*third)["runs"][0]["matches"][0]["account_id"], A2);
  EXPECT_EQ(RunPlaybooks(Context(), 9999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
