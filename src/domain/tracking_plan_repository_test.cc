#include "domain/tracking_plan_repository.h"

#include <gtest/gtest.h>

#include "domain/project_repository.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

TrackingPlan SamplePlan() {
  TrackingPlan plan;
  plan.mode = PlanMode::kQuarantine;
  plan.events.push_back(PlannedEvent{
      "signup",
      "A person created an account",
      {PlannedProperty{"channel", PropertyType::kString, true, {"website", "sem", "video"}},
       PlannedProperty{"seats", PropertyType::kNumber, false, {"1", "5", "10.5"}}}});
  plan.events.push_back(PlannedEvent{
      "purchase", "", {PlannedProperty{"trial", PropertyType::kBoolean, false, {"true", "false"}}}});
  plan.events.push_back(PlannedEvent{"renew", "Never sent yet", {}});
  return plan;
}

struct PlanTestEnv {
  PlanTestEnv() : db(OpenTestCatalog(dir)), plans(*db) { EXPECT_TRUE(ProjectRepository(*db).EnsureDefault().ok()); }
  TestDir dir;
  std::unique_ptr<SqliteDatabase> db;
  TrackingPlanRepository plans;
};

void ExpectSamePlan(const TrackingPlan& a, const TrackingPlan& b) {
  EXPECT_EQ(a.mode, b.mode);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t e = 0; e < a.events.size(); ++e) {
    EXPECT_EQ(a.events[e].name, b.events[e].name);
    EXPECT_EQ(a.events[e].description, b.events[e].description);
    ASSERT_EQ(a.events[e].properties.size(), b.events[e].properties.size());
    for (size_t p = 0; p < a.events[e].properties.size(); ++p) {
      const PlannedProperty& pa = a.events[e].properties[p];
      const PlannedProperty& pb = b.events[e].properties[p];
      EXPECT_EQ(pa.name, pb.name);
      EXPECT_EQ(pa.type, pb.type);
      EXPECT_EQ(pa.required, pb.required);
      EXPECT_EQ(pa.allowed_values, pb.allowed_values);
    }
  }
}

TEST(TrackingPlanRepository, EmptyPlanAcceptsAll) {
  PlanTestEnv env;
  auto plan = env.plans.GetPlan("default");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->mode, PlanMode::kAcceptAll);
  EXPECT_TRUE(plan->events.empty());
}

TEST(TrackingPlanRepository, ReplaceAndGetRoundTripWithAllowedValues) {
  PlanTestEnv env;
  ASSERT_TRUE(env.plans.GetPlan("default").ok());  // warm the cache with the empty plan
  TrackingPlan plan = SamplePlan();
  ASSERT_TRUE(env.plans.ReplacePlan("default", plan).ok());
  auto cached = env.plans.GetPlan("default");
  ASSERT_TRUE(cached.ok());
  ExpectSamePlan(*cached, plan);
  // A fresh repository reads it back from the catalog.
  TrackingPlanRepository fresh(*env.db);
  auto stored = fresh.GetPlan("default");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ExpectSamePlan(*stored, plan);
}

TEST(TrackingPlanRepository, ReplaceDropsRemovedEvents) {
  PlanTestEnv env;
  ASSERT_TRUE(env.plans.ReplacePlan("default", SamplePlan()).ok());
  TrackingPlan smaller;
  smaller.mode = PlanMode::kFlag;
  smaller.events.push_back(PlannedEvent{"signup", "", {PlannedProperty{"plan", PropertyType::kString, true, {}}}});
  ASSERT_TRUE(env.plans.ReplacePlan("default", smaller).ok());
  TrackingPlanRepository fresh(*env.db);
  ExpectSamePlan(*fresh.GetPlan("default"), smaller);
}

TEST(TrackingPlanRepository, InvalidPlanIsRejectedAndOldPlanKept) {
  PlanTestEnv env;
  ASSERT_TRUE(env.plans.ReplacePlan("default", SamplePlan()).ok());
  TrackingPlan bad = SamplePlan();
  bad.events[0].properties[1].allowed_values.push_back("many");
  Status status = env.plans.ReplacePlan("default", bad);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "events[0].properties[1].allowed[3]");
  TrackingPlan twice = SamplePlan();
  twice.events.push_back(twice.events[0]);
  EXPECT_EQ(env.plans.ReplacePlan("default", twice).field(), "events[3].name");
  TrackingPlan bad_bool = SamplePlan();
  bad_bool.events[1].properties[0].allowed_values = {"yes"};
  EXPECT_EQ(env.plans.ReplacePlan("default", bad_bool).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(env.plans.ReplacePlan("nope", SamplePlan()).code(), StatusCode::kNotFound);
  ExpectSamePlan(*TrackingPlanRepository(*env.db).GetPlan("default"), SamplePlan());
}

TEST(TrackingPlanRepository, ObservationsAccumulateAcrossCalls) {
  PlanTestEnv env;
  PlanObservationBatch first;
  first.AddEvent("signup", 1000, {"channel", "seats"});
  first.AddEvent("signup", 3000, {"channel"});
  first.AddViolation("signup", 3000, "property 'channel' is required");
  ASSERT_TRUE(env.plans.RecordObservations("default", first).ok());

  PlanObservationBatch second;
  second.AddEvent("signup", 2000, {"channel", "utm_source"});  // older event, later batch
  second.AddViolation("signup", 2000, "older violation");
  ASSERT_TRUE(env.plans.RecordObservations("default", second).ok());

  auto report = env.plans.GetReport("default");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->events.size(), 1u);
  const PlanReportEvent& signup = report->events[0];
  EXPECT_EQ(signup.name, "signup");
  EXPECT_FALSE(signup.planned);
  EXPECT_EQ(signup.seen, 3);
  EXPECT_EQ(signup.last_seen_ms, 3000);
  EXPECT_EQ(signup.violations, 2);
  ASSERT_TRUE(signup.last_violation.has_value());
  EXPECT_EQ(signup.last_violation->at_ms, 3000);
  EXPECT_EQ(signup.last_violation->message, "property 'channel' is required");
  ASSERT_EQ(signup.properties.size(), 3u);
  EXPECT_EQ(signup.properties[0].name, "channel");
  EXPECT_EQ(signup.properties[0].seen, 3);
  // Ties in seen order by name.
  EXPECT_EQ(signup.properties[1].name, "seats");
  EXPECT_EQ(signup.properties[2].name, "utm_source");
  EXPECT_EQ(signup.properties[2].seen, 1);
}

TEST(TrackingPlanRepository, ReportMergesPlannedAndSeen) {
  PlanTestEnv env;
  ASSERT_TRUE(env.plans.ReplacePlan("default", SamplePlan()).ok());
  PlanObservationBatch batch;
  for (int i = 0; i < 3; ++i) batch.AddEvent("signup", 100 + i, {"channel", "referrer"});
  batch.AddEvent("purchase", 50, {});
  batch.AddEvent("page_view", 60, {"url"});
  batch.AddEvent("page_view", 61, {"url"});
  batch.AddEvent("click", 70, {});
  ASSERT_TRUE(env.plans.RecordObservations("default", batch).ok());

  auto report = env.plans.GetReport("default");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->mode, PlanMode::kQuarantine);
  ASSERT_EQ(report->events.size(), 5u);
  // Planned events in plan order, never-seen ones with seen = 0.
  EXPECT_EQ(report->events[0].name, "signup");
  EXPECT_TRUE(report->events[0].planned);
  EXPECT_EQ(report->events[0].seen, 3);
  EXPECT_EQ(report->events[1].name, "purchase");
  EXPECT_EQ(report->events[1].seen, 1);
  EXPECT_EQ(report->events[2].name, "renew");
  EXPECT_TRUE(report->events[2].planned);
  EXPECT_EQ(report->events[2].seen, 0);
  EXPECT_FALSE(report->events[2].last_seen_ms.has_value());
  EXPECT_FALSE(report->events[2].last_violation.has_value());
  // Then unplanned events, most seen first.
  EXPECT_EQ(report->events[3].name, "page_view");
  EXPECT_FALSE(report->events[3].planned);
  EXPECT_EQ(report->events[3].seen, 2);
  EXPECT_EQ(report->events[4].name, "click");

  const auto& props = report->events[0].properties;
  ASSERT_EQ(props.size(), 3u);
  EXPECT_EQ(props[0].name, "channel");
  EXPECT_TRUE(props[0].planned);
  EXPECT_EQ(props[0].seen, 3);
  EXPECT_EQ(props[1].name, "seats");
  EXPECT_TRUE(props[1].planned);
  EXPECT_EQ(props[1].seen, 0);
  EXPECT_EQ(props[2].name, "referrer");
  EXPECT_FALSE(props[2].planned);
  EXPECT_EQ(props[2].seen, 3);
}

TEST(TrackingPlanRepository, ObservationsForUnknownProjectFail) {
  PlanTestEnv env;
  PlanObservationBatch batch;
  batch.AddEvent("x", 1, {});
  EXPECT_EQ(env.plans.RecordObservations("nope", batch).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(env.plans.RecordObservations("default", PlanObservationBatch{}).ok());
}

TEST(PlanObservationBatch, AggregatesPerEvent) {
  PlanObservationBatch batch;
  EXPECT_TRUE(batch.empty());
  batch.AddEvent("a", 5, {"p", "q"});
  batch.AddEvent("a", 3, {"p"});
  batch.AddViolation("a", 4, "late");
  batch.AddViolation("a", 2, "early");
  const PlanObservation& a = batch.observations().at("a");
  EXPECT_EQ(a.seen_count, 2);
  EXPECT_EQ(a.last_seen_ms, 5);
  EXPECT_EQ(a.violation_count, 2);
  EXPECT_EQ(a.last_violation->message, "late");
  EXPECT_EQ(a.property_seen_counts.at("p"), 2);
  EXPECT_EQ(a.property_seen_counts.at("q"), 1);
}

}  // namespace
}  // namespace tobops::domain
