#include "ops/account_overview.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using AccountOverviewTest = SalesViewsTest;

// Hand-worked from the world (SalesViewsTest in ops_test_world.h), days 30 → window from
// 2026-02-19 00:00 +08:00 to now (2026-03-20 12:00). Last activity (identity calls
// and record changes excluded): u1 03-19 09:00 (export_clicked), u2 01-10 09:00, u3
// 03-19 09:00 (its deal_won at 12:00 is a record change), u4 none (only an identify).
TEST_F(AccountOverviewTest, PeopleByRoleWithActivity) {
  auto answer = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const json expected_people = json::parse(R"([
    {"role":"user","contacts":[{"id":)" + std::to_string(c1) + R"(,"name":"Ann","title":null,"email":null,
      "person_id":"u1","active":true,"last_seen":"2026-03-19T09:00:00.000+08:00"}]},
    {"role":"evaluator","contacts":[{"id":)" + std::to_string(c2) + R"(,"name":"Bob","title":null,"email":null,
      "person_id":"u2","active":false,"last_seen":"2026-01-10T09:00:00.000+08:00"}]},
    {"role":"decision_maker","contacts":[{"id":)" + std::to_string(c3) + R"(,"name":"Cat","title":null,
      "email":"cat@acme.com","person_id":"u3","active":true,"last_seen":"2026-03-19T09:00:00.000+08:00"}]},
    {"role":"signer","contacts":[{"id":)" + std::to_string(c4) + R"(,"name":"Dan","title":null,
      "email":"dan@acme.com","person_id":"u4","active":false,"last_seen":null}]},
    {"role":null,"contacts":[{"id":)" + std::to_string(c5) + R"(,"name":"Eve","title":null,"email":null,
      "person_id":null,"active":false,"last_seen":null}]}])");
  EXPECT_EQ((*answer)["people"], expected_people);
  EXPECT_EQ((*answer)["account"]["name"], "Acme");
  EXPECT_EQ((*answer)["opportunities"].size(), 2u);
  // Latest visits first (V2 is planned for 03-25); open follow-ups by due date.
  ASSERT_EQ((*answer)["visits"].size(), 2u);
  EXPECT_EQ((*answer)["visits"][0]["id"], V2);
  EXPECT_EQ((*answer)["visits"][1]["id"], V);
  ASSERT_EQ((*answer)["follow_ups"].size(), 2u);
  EXPECT_EQ((*answer)["follow_ups"][0]["id"], F2);
  EXPECT_EQ((*answer)["follow_ups"][1]["id"], F1);
  // Renewal 2026-04-19, today 2026-03-20 → 30 days left.
  EXPECT_EQ((*answer)["renewal"], json::parse(R"({"date":"2026-04-19","arr":50000,"days_left":30})"));
}

// Coverage (identity members by role trait; active = activity of acc-1 in the window):
// user 1/1, evaluator 1/0, budget_holder 0/0, decision_maker 1/1, signer 1/0.
// Health (default weights): activity u1 2 days + u3 1 day = 3 person-days over 2 persons
// → 3/60 = 0.05 → score 0.1; seats no trait → 2 active of 4 members = 0.5; breadth no
// feature_used anywhere → 0; recency last active 03-19 → 1 − 1/30; roles 2/5.
// 100 × (0.3·0.1 + 0.2·0.5 + 0 + 0.2·(29/30) + 0.1·0.4) = 36.33 → 36.3.
TEST_F(AccountOverviewTest, CoverageAndHealthRows) {
  auto answer = AccountOverview(Context(), A, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["coverage"], json::parse(R"({"roles":[
      {"role":"user","known":1,"active":1},{"role":"evaluator","known":1,"active":0},
      {"role":"budget_holder","known":0,"active":0},{"role":"decision_maker","known":1,"active":1},
      {"role":"signer","known":1,"active":0}],
    "missing":["evaluator","budget_holder","signer"]})"));
  ASSERT_TRUE((*answer)["health"].is_object());
  EXPECT_DOUBLE_EQ((*answer)["health"]["score"].get<double>(), 36.3);
  EXPECT_EQ((*answer)["health"]["parts"]["roles"]["value"], 2);
}

// An account analytics never heard of: no health row, coverage all zero, no renewal.
TEST_F(AccountOverviewTest, AccountWithoutEvents) {
  const int64_t quiet = MustCreate("accounts", {{"name", "Quiet"}});
  auto answer = AccountOverview(Context(), quiet, 30);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE((*answer)["health"].is_null());
  EXPECT_TRUE((*answer)["renewal"].is_null());
  EXPECT_TRUE((*answer)["people"].empty());
  EXPECT_EQ((*answer)["coverage"]["missing"].size(), 5u);
  EXPECT_EQ((*answer)["coverage"]["roles"][0], json::parse(R"({"role":"user","known":0,"active":0})"));
}

TEST_F(AccountOverviewTest, Errors) {
  EXPECT_EQ(AccountOverview(Context(), A, 0).status().field(), "days");
  EXPECT_EQ(AccountOverview(Context(), 9999, 30).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
