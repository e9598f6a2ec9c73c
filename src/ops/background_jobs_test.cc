// Background jobs (ops/background_jobs.h) over the campaign test world
// (ops/ops_test_world.h). The scores are the ones worked out by hand in
// lead_scoring_test.cc: L1 (Ann of Acme, campaign K) 74, L2 (Bob of Beta) 5, L3 (Gamma
// only) 35. What is tested here is the scheduling: which leads and playbooks are
// handled, when, and that a stopped or destroyed scheduler leaves writes working.
#include "ops/background_jobs.h"

#include <gtest/gtest.h>

#include <thread>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class BackgroundJobsTest : public CampaignWorldTest {
 protected:
  // p1 is the world's project; p2 exists in the catalog but has no event store here,
  // standing in for a project whose context cannot be built.
  std::unique_ptr<BackgroundJobs> MakeJobs(std::chrono::milliseconds interval) {
    auto jobs = std::make_unique<BackgroundJobs>(
        BackgroundJobs::Options{interval},
        [this](const std::string& project) -> Result<OpsContext> {
          if (project == "p1") return Context();
          return NotFound("project " + project + " has no event store in this test");
        },
        [] { return std::vector<std::string>{"p1", "p2"}; });
    jobs->WatchLeads(*catalog_);
    return jobs;
  }

  json Score(int64_t lead) { return (*Store("leads").Get("p1", lead))["score"]; }
};

TEST_F(BackgroundJobsTest, LeadWritesAreRescoredAfterCommit) {
  auto jobs = MakeJobs(24h);  // no periodic pass during the test
  jobs->Start();
  const int64_t L1 = MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1}});
  const int64_t L2 = MustCreate("leads", {{"name", "L2"}, {"campaign_id", K}, {"contact_id", c2}});
  jobs->WaitIdle();
  EXPECT_EQ(Score(L1), 74);
  EXPECT_EQ(Score(L2), 5);

  // Ann's contact becomes a user: a contact write is not a lead write, so L1 keeps 74
  // until the lead itself changes (or the periodic pass runs); then 74 − 20 role
  // points = 54.
  ASSERT_TRUE(Store("contacts").Update("p1", c1, {{"role", "user"}}).ok());
  jobs->WaitIdle();
  EXPECT_EQ(Score(L1), 74);
  ASSERT_TRUE(Store("leads").Update("p1", L1, {{"owner", "Li"}}).ok());
  jobs->WaitIdle();
  EXPECT_EQ(Score(L1), 54);

  // A lead deleted before its turn does not stop the others.
  jobs->EnqueueLead("p1", 9999);
  const int64_t L3 = MustCreate("leads", {{"name", "L3"}, {"account_id", C}});
  jobs->WaitIdle();
  EXPECT_EQ(Score(L3), 35);
}

TEST_F(BackgroundJobsTest, PeriodicPassRunsEnabledPlaybooksAndRescoresEveryLead) {
  auto jobs = MakeJobs(24h);  // not started: the pass runs on this thread
  const int64_t L1 = MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1}});
  const int64_t L3 = MustCreate("leads", {{"name", "L3"}, {"account_id", C}});
  const int64_t on = MustCreate("playbooks", {{"name", "Trials"}, {"rule", "trial_low_feature_use"},
                                              {"threshold", 3}, {"window_days", 14}, {"enabled", true},
                                              {"task_title", "Call the trial"}});
  MustCreate("playbooks", {{"name", "Off"}, {"rule", "no_decision_maker_active"}, {"window_days", 30},
                           {"enabled", false}, {"task_title", "Meet the decision maker"}});
  // Nothing scored yet: no thread drains the queue.
  EXPECT_TRUE(Score(L1).is_null());

  const json pass = jobs->RunPeriodicPass();
  ASSERT_EQ(pass["projects"].size(), 2u) << pass.dump();
  const json& p1 = pass["projects"][0];
  EXPECT_EQ(p1["project_id"], "p1");
  EXPECT_EQ(p1["leads_scored"], 2);
  ASSERT_EQ(p1["playbooks"]["runs"].size(), 1u) << p1.dump();  // the disabled one is skipped
  EXPECT_EQ(p1["playbooks"]["runs"][0]["playbook_id"], on);
  EXPECT_EQ(Score(L1), 74);
  EXPECT_EQ(Score(L3), 35);
  // The project without a context is reported, not fatal.
  EXPECT_EQ(pass["projects"][1]["project_id"], "p2");
  EXPECT_NE(pass["projects"][1]["error"].get<std::string>().find("no event store"), std::string::npos);
  EXPECT_GT(jobs->schedule().last_pass_ms, 0);
}

TEST_F(BackgroundJobsTest, TheThreadRunsThePassEachInterval) {
  const int64_t L1 = MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1}});
  ASSERT_TRUE(Score(L1).is_null());
  auto jobs = MakeJobs(20ms);
  jobs->Start();
  EXPECT_GT(jobs->schedule().next_pass_ms, 0);
  // Not a timing assertion: wait (up to a generous bound) for the first pass to happen.
  for (int i = 0; i < 1000 && jobs->schedule().last_pass_ms == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GT(jobs->schedule().last_pass_ms, 0);
  jobs->Stop();
  EXPECT_EQ(Score(L1), 74);
  EXPECT_EQ(jobs->schedule().next_pass_ms, 0);  // stopped: no next pass
}

TEST_F(BackgroundJobsTest, WritesWorkAfterTheJobsAreStoppedOrGone) {
  auto jobs = MakeJobs(24h);
  jobs->Start();
  jobs->Stop();
  jobs->Stop();  // idempotent
  const int64_t L1 = MustCreate("leads", {{"name", "L1"}, {"campaign_id", K}, {"contact_id", c1}});
  jobs->WaitIdle();  // returns at once: stopped
  EXPECT_TRUE(Score(L1).is_null());
  // Started again, it drains what was queued while it was stopped.
  jobs->Start();
  jobs->WaitIdle();
  EXPECT_EQ(Score(L1), 74);
  jobs.reset();
  // The hook outlives the jobs (hooks cannot be removed): writes still succeed.
  const int64_t L2 = MustCreate("leads", {{"name", "L2"}, {"campaign_id", K}, {"contact_id", c2}});
  EXPECT_TRUE(Score(L2).is_null());
}

}  // namespace
}  // namespace tobops::ops
