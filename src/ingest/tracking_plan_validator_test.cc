#include "ingest/tracking_plan_validator.h"

#include <gtest/gtest.h>

namespace tobops::ingest {
namespace {

domain::TrackingPlan PurchasePlan(domain::PlanMode mode) {
  domain::TrackingPlan plan;
  plan.mode = mode;
  domain::PlannedEvent purchase;
  purchase.name = "purchase";
  purchase.properties.push_back({"amount", domain::PropertyType::kNumber, true, {}});
  purchase.properties.push_back({"plan", domain::PropertyType::kString, false, {"basic", "pro"}});
  plan.events.push_back(purchase);
  return plan;
}

store::Event Track(std::string name, std::vector<store::Property> props) {
  store::Event e;
  e.type = store::MessageType::kTrack;
  e.event = std::move(name);
  e.properties = std::move(props);
  return e;
}

TEST(CheckAgainstPlan, ConformingEventPasses) {
  auto checks = CheckAgainstPlan(PurchasePlan(domain::PlanMode::kQuarantine),
                                 Track("purchase", {{"amount", 99.0}, {"plan", std::string("pro")},
                                                    {"utm_source", std::string("baidu")}}));
  EXPECT_TRUE(checks.empty());
}

TEST(CheckAgainstPlan, ReportsEachViolation) {
  auto plan = PurchasePlan(domain::PlanMode::kFlag);
  auto wrong_type = CheckAgainstPlan(plan, Track("purchase", {{"amount", std::string("abc")}}));
  ASSERT_EQ(wrong_type.size(), 1u);
  EXPECT_EQ(wrong_type[0].field, "properties.amount");
  EXPECT_NE(wrong_type[0].message.find("number"), std::string::npos);

  auto missing = CheckAgainstPlan(plan, Track("purchase", {}));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].message.find("required"), std::string::npos);

  auto not_allowed = CheckAgainstPlan(plan, Track("purchase", {{"amount", 1.0}, {"plan", std::string("gold")}}));
  ASSERT_EQ(not_allowed.size(), 1u);
  EXPECT_EQ(not_allowed[0].field, "properties.plan");

  auto unplanned_prop = CheckAgainstPlan(plan, Track("purchase", {{"amount", 1.0}, {"coupon", std::string("x")}}));
  ASSERT_EQ(unplanned_prop.size(), 1u);
  EXPECT_EQ(unplanned_prop[0].field, "properties.coupon");

  auto unplanned_event = CheckAgainstPlan(plan, Track("refund", {}));
  ASSERT_EQ(unplanned_event.size(), 1u);
  EXPECT_EQ(unplanned_event[0].field, "event");
}

TEST(CheckAgainstPlan, AcceptAllAndNonTrackMessagesAreNotChecked) {
  EXPECT_TRUE(CheckAgainstPlan(PurchasePlan(domain::PlanMode::kAcceptAll), Track("refund", {})).empty());
  store::Event page = Track("$pageview", {{"whatever", 1.0}});
  page.type = store::MessageType::kPage;
  EXPECT_TRUE(CheckAgainstPlan(PurchasePlan(domain::PlanMode::kQuarantine), page).empty());
}

}  // namespace
}  // namespace tobops::ingest
