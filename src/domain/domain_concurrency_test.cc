// Several threads using the repositories over one catalog at once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "domain/key_repository.h"
#include "domain/project_repository.h"
#include "domain/quarantine_repository.h"
#include "domain/test_catalog.h"
#include "domain/tracking_plan_repository.h"

namespace tobops::domain {
namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 50;

TEST(SqliteDatabase, RepositoriesAreSafeToUseFromSeveralThreads) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  KeyRepository keys(*db);
  QuarantineRepository quarantine(*db);
  TrackingPlanRepository plans(*db);
  auto shared_key = keys.Create("default", ApiKeyKind::kWrite, "shared");
  ASSERT_TRUE(shared_key.ok());

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        if (!keys.Verify(shared_key->secret).ok()) ++failures;
        auto own = keys.Create("default", ApiKeyKind::kRead, "t" + std::to_string(t));
        if (!own.ok() || !keys.Verify(own->secret).ok()) ++failures;
        if (own.ok() && (!keys.Revoke("default", own->key.id).ok() || keys.Verify(own->secret).ok())) ++failures;
        QuarantinedMessage m{0, "default", i, "invalid_argument", "", "m", "{}", 0};
        if (!quarantine.AddMany(std::vector{m, m}).ok()) ++failures;
        PlanObservationBatch batch;
        batch.AddEvent("signup", i, {"channel"});
        if (!plans.RecordObservations("default", batch).ok()) ++failures;
        if (i % 10 == 0) {
          TrackingPlan plan;
          plan.events.push_back(PlannedEvent{"signup", "t" + std::to_string(t), {}});
          if (!plans.ReplacePlan("default", plan).ok() || !plans.GetPlan("default").ok()) ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*quarantine.Count("default"), 2 * kThreads * kRounds);
  auto report = plans.GetReport("default");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->events.size(), 1u);
  EXPECT_EQ(report->events[0].seen, kThreads * kRounds);
  EXPECT_EQ(report->events[0].properties[0].seen, kThreads * kRounds);
  EXPECT_EQ(keys.List("default")->size(), 1u + kThreads * kRounds);
}

}  // namespace
}  // namespace tobops::domain
