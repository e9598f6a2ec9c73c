// Hand-worked decision-chain coverage cases on the world of account_views_test_data.h
// (its header comment derives the known and active persons per role used below).
#include "query/coverage_query.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "query/account_views_test_data.h"
#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;

class CoverageQueryTest : public testing_data::AccountViewsTest {
 protected:
  CoverageQueryTest() : AccountViewsTest("coverage") {}
};

TEST_P(CoverageQueryTest, KnownAndActivePersonsPerRole) {
  json a = Run({{"days", 10}});
  EXPECT_EQ(a["roles"], json({"user", "evaluator", "budget_holder", "decision_maker", "signer"}));
  // coverage_asc: C 0 and D 0 (tie: by id), B 1/5, A 3/5.
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-C", "acc-D", "acc-B", "acc-A"}));

  const json& acc_a = a["accounts"][3];
  EXPECT_EQ(acc_a["name"], "华信智能制造");
  EXPECT_DOUBLE_EQ(acc_a["coverage"].get<double>(), 0.6);
  EXPECT_EQ(acc_a["roles"]["user"], json({{"known", 2}, {"active", 1}}));  // a4 never active
  EXPECT_EQ(acc_a["roles"]["decision_maker"], json({{"known", 1}, {"active", 1}}));
  EXPECT_EQ(acc_a["roles"]["signer"], json({{"known", 1}, {"active", 1}}));
  EXPECT_EQ(acc_a["roles"]["evaluator"], json({{"known", 0}, {"active", 0}}));
  EXPECT_EQ(acc_a["missing"], json({"evaluator", "budget_holder"}));
  EXPECT_EQ(acc_a["known_persons"], 4);
  EXPECT_EQ(acc_a["active_persons"], 3);

  const json& acc_b = a["accounts"][2];
  EXPECT_DOUBLE_EQ(acc_b["coverage"].get<double>(), 0.2);
  EXPECT_EQ(acc_b["roles"]["evaluator"], json({{"known", 1}, {"active", 1}}));
  EXPECT_EQ(acc_b["missing"], json({"user", "budget_holder", "decision_maker", "signer"}));
  EXPECT_EQ(acc_b["known_persons"], 2);  // b2 has no role; its identify is not activity
  EXPECT_EQ(acc_b["active_persons"], 1);

  // acc-C: its user is known but was last seen 1 ms before the window.
  const json& acc_c = a["accounts"][0];
  EXPECT_EQ(acc_c["coverage"], 0);
  EXPECT_EQ(acc_c["roles"]["user"], json({{"known", 1}, {"active", 0}}));
  EXPECT_EQ(acc_c["missing"].size(), 5u);
  EXPECT_TRUE(acc_c["last_active"].is_null());
  // acc-D: active, but d1 is nobody's member, so no role counts.
  const json& acc_d = a["accounts"][1];
  EXPECT_EQ(acc_d["active_persons"], 1);
  EXPECT_EQ(acc_d["known_persons"], 0);
  EXPECT_EQ(acc_d["coverage"], 0);

  const json& summary = a["summary"];
  EXPECT_EQ(summary["accounts"], 4);
  EXPECT_EQ(summary["accounts_fully_covered"], 0);
  EXPECT_EQ(summary["by_role"]["user"], json({{"accounts_with_known", 2}, {"accounts_with_active", 1}}));
  EXPECT_EQ(summary["by_role"]["evaluator"], json({{"accounts_with_known", 1}, {"accounts_with_active", 1}}));
  EXPECT_EQ(summary["by_role"]["budget_holder"], json({{"accounts_with_known", 0}, {"accounts_with_active", 0}}));
  EXPECT_EQ(summary["by_role"]["decision_maker"]["accounts_with_active"], 1);
}

TEST_P(CoverageQueryTest, CustomRolesSortAndPaging) {
  json a = Run({{"days", 10}, {"roles", {"decision_maker", "signer"}}, {"sort", "coverage_desc"}, {"limit", 2}});
  EXPECT_EQ(a["total"], 4);
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-A", "acc-B"}));
  EXPECT_EQ(a["accounts"][0]["coverage"], 1);
  EXPECT_EQ(a["accounts"][0]["missing"], json::array());
  EXPECT_EQ(a["summary"]["accounts_fully_covered"], 1);
  EXPECT_EQ(a["accounts"][0]["roles"].size(), 2u);
}

TEST_P(CoverageQueryTest, AShorterWindowLosesActivePersons) {
  // days 3 = 03-08 .. 03-10: a1 (03-10), a2 (03-08 看板), a3 (03-10) stay active in A;
  // b1's last login is 03-07, so B's evaluator is known but inactive.
  json a = Run({{"days", 3}, {"sort", "account"}});
  EXPECT_EQ(a["accounts"][0]["roles"]["decision_maker"]["active"], 1);
  EXPECT_EQ(a["accounts"][1]["roles"]["evaluator"], json({{"known", 1}, {"active", 0}}));
  EXPECT_EQ(a["accounts"][1]["coverage"], 0);
}

TEST_P(CoverageQueryTest, RecordEventsDoNotMakeAPersonActive) {
  // days 3: b1 is inactive (last login 03-07). A stage change the team recorded with b1
  // as the person (a record event, $source records) on 03-09 leaves b1 inactive.
  Ingest(R"({"batch":[{"type":"track","event":"opportunity_stage_changed","userId":"b1",
    "timestamp":"2026-03-09T10:00:00+08:00","properties":{"$source":"records","to_stage":"solution"}}]})");
  json a = Run({{"days", 3}, {"sort", "account"}});
  EXPECT_EQ(a["accounts"][1]["roles"]["evaluator"], json({{"known", 1}, {"active", 0}}));
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(CoverageQueryTest);

TEST(CoverageSpecErrors, NameTheField) {
  ExpectSpecErrors("coverage", {
      {{{"days", 4000}}, "days"},
      {{{"roles", "user"}}, "roles"},
      {{{"roles", {"user", ""}}}, "roles[1]"},
      {{{"sort", "score_asc"}}, "sort"},
      {{{"limit", 200000}}, "limit"},
      {{{"filters", {{{"source", "planet"}, {"property", "p"}}}}}, "filters[0].source"},
  });
}

}  // namespace
}  // namespace tobops::query
