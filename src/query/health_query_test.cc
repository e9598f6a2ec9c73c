// Hand-worked account health cases on the world of account_views_test_data.h (read its
// header comment first: the per-account counts used below are derived there).
#include "query/health_query.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "query/account_views_test_data.h"
#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;

class HealthQueryTest : public testing_data::AccountViewsTest {
 protected:
  HealthQueryTest() : AccountViewsTest("health") {}
};

TEST_P(HealthQueryTest, DefaultWeightsScoreEveryPart) {
  json a = Run({{"days", 10}});
  EXPECT_EQ(a["kind"], "health");
  EXPECT_EQ(a["total"], 4);
  EXPECT_EQ(a["from"], "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(a["features"]["total"], 4);
  // score_asc: C 0, B 43, D 49, A 68.
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-C", "acc-B", "acc-D", "acc-A"}));

  // acc-A: activity 6 / (3 × 10) = 0.2 → 0.2 / 0.5 = 0.4; seats 3 / 4 = 0.75; breadth
  // 3 / 4 = 0.75; recency 1 − 0 / 10 = 1; roles 3 / 5 = 0.6.
  // 100 × (0.3 × 0.4 + 0.2 × 0.75 + 0.2 × 0.75 + 0.2 × 1 + 0.1 × 0.6) = 68.
  const json& acc_a = a["accounts"][3];
  EXPECT_EQ(acc_a["name"], "华信智能制造");
  EXPECT_EQ(acc_a["industry"], "制造业");
  EXPECT_EQ(acc_a["level"], "key");
  EXPECT_EQ(acc_a["lifecycle_stage"], "customer");
  EXPECT_EQ(acc_a["renewal_date"], "2026-06-30");
  EXPECT_EQ(acc_a["arr"], 96000);
  EXPECT_DOUBLE_EQ(acc_a["score"].get<double>(), 68.0);
  const json& parts = acc_a["parts"];
  EXPECT_DOUBLE_EQ(parts["activity"]["value"].get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(parts["activity"]["score"].get<double>(), 0.4);
  EXPECT_EQ(parts["activity"]["active_person_days"], 6);
  EXPECT_EQ(parts["activity"]["weight"], 0.3);
  EXPECT_EQ(parts["seats"]["value"], 3);
  EXPECT_EQ(parts["seats"]["of"], 4);
  EXPECT_EQ(parts["seats"]["basis"], "seats");
  EXPECT_EQ(parts["breadth"]["value"], 3);
  EXPECT_EQ(parts["breadth"]["score"], 0.75);
  EXPECT_EQ(parts["recency"]["value"], 0);
  EXPECT_EQ(parts["recency"]["score"], 1);
  EXPECT_EQ(parts["roles"]["value"], 3);
  EXPECT_EQ(parts["roles"]["missing"], json({"evaluator", "budget_holder"}));
  EXPECT_EQ(acc_a["events"], 7);
  EXPECT_EQ(acc_a["last_active"], "2026-03-10T11:59:00+08:00");  // 13:00 is after now
  EXPECT_TRUE(acc_a["reason"].is_null());

  // acc-B: activity 2 / 10 = 0.2 → 0.4; seats 1 / max(2 members, 1) = 0.5; breadth
  // 1 / 4; recency 1 − 3 / 10 = 0.7; roles 1 / 5. 100 × (0.12 + 0.1 + 0.05 + 0.14 + 0.02) = 43.
  const json& acc_b = a["accounts"][1];
  EXPECT_DOUBLE_EQ(acc_b["score"].get<double>(), 43.0);
  EXPECT_EQ(acc_b["parts"]["seats"]["basis"], "known_persons");
  EXPECT_EQ(acc_b["parts"]["seats"]["of"], 2);
  EXPECT_EQ(acc_b["parts"]["recency"]["value"], 3);
  EXPECT_EQ(acc_b["events"], 3);  // b2's identify is not activity
  EXPECT_FALSE(acc_b.contains("seats"));

  // acc-D (events only): activity 1 / 10 → 0.2; seats 1 / max(0, 1) = 1; breadth 1 / 4;
  // recency 0.9; roles 0. 100 × (0.06 + 0.2 + 0.05 + 0.18) = 49.
  const json& acc_d = a["accounts"][2];
  EXPECT_DOUBLE_EQ(acc_d["score"].get<double>(), 49.0);
  EXPECT_FALSE(acc_d.contains("name"));

  // acc-C: nothing in the window (its login is 1 ms before it).
  const json& acc_c = a["accounts"][0];
  EXPECT_EQ(acc_c["score"], 0);
  EXPECT_TRUE(acc_c["last_active"].is_null());
  EXPECT_TRUE(acc_c["parts"]["recency"]["value"].is_null());
  EXPECT_EQ(acc_c["reason"], "no activity in the last 10 days");
}

TEST_P(HealthQueryTest, GivenWeightsReplaceTheDefaultsAndAreNormalised) {
  // recency and roles, 1 each → 0.5 each. A: 100 × (0.5 × 1 + 0.5 × 0.6) = 80;
  // B: 100 × (0.5 × 0.7 + 0.5 × 0.2) = 45; D: 100 × 0.5 × 0.9 = 45 (tie: by account id).
  json a = Run({{"days", 10}, {"weights", {{"recency", 1}, {"roles", 1}}}, {"sort", "score_desc"}});
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-A", "acc-B", "acc-D", "acc-C"}));
  EXPECT_DOUBLE_EQ(a["accounts"][0]["score"].get<double>(), 80.0);
  EXPECT_DOUBLE_EQ(a["accounts"][1]["score"].get<double>(), 45.0);
  EXPECT_DOUBLE_EQ(a["accounts"][2]["score"].get<double>(), 45.0);
  EXPECT_EQ(a["weights"]["activity"], 0);
  EXPECT_EQ(a["weights"]["roles"], 0.5);
  EXPECT_EQ(a["accounts"][0]["parts"]["seats"]["weight"], 0);
}

TEST_P(HealthQueryTest, AccountFiltersChooseTheAccountsAndPagesCount) {
  json key = Run({{"days", 10},
                  {"filters", {{{"source", "account"}, {"property", "level"}, {"op", "eq"}, {"value", "key"}}}}});
  EXPECT_EQ(Ids(key), (std::vector<std::string>{"acc-A"}));
  EXPECT_EQ(key["total"], 1);
  // Breadth's denominator is the features of the listed accounts: acc-A's own 3.
  EXPECT_EQ(key["accounts"][0]["parts"]["breadth"]["score"], 1);

  json page = Run({{"days", 10}, {"limit", 2}, {"offset", 1}});
  EXPECT_EQ(page["total"], 4);
  EXPECT_EQ(Ids(page), (std::vector<std::string>{"acc-B", "acc-D"}));
  json beyond = Run({{"days", 10}, {"offset", 10}});
  EXPECT_TRUE(beyond["accounts"].empty());
}

TEST_P(HealthQueryTest, FeaturesTotalAndCustomRoles) {
  // features.total 10: A's breadth 3 / 10. roles [signer]: A 1 / 1, B 0.
  json a = Run({{"days", 10}, {"features", {{"total", 10}}}, {"roles", {"signer"}}, {"sort", "account"}});
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-A", "acc-B", "acc-C", "acc-D"}));
  EXPECT_DOUBLE_EQ(a["accounts"][0]["parts"]["breadth"]["score"].get<double>(), 0.3);
  EXPECT_EQ(a["accounts"][0]["parts"]["roles"]["score"], 1);
  EXPECT_EQ(a["accounts"][1]["parts"]["roles"]["score"], 0);
  // A: 100 × (0.3 × 0.4 + 0.2 × 0.75 + 0.2 × 0.3 + 0.2 × 1 + 0.1 × 1) = 63.
  EXPECT_DOUBLE_EQ(a["accounts"][0]["score"].get<double>(), 63.0);
}

TEST_P(HealthQueryTest, AccountsWithoutTraitsAreListedOnlyWhileActive) {
  // days 1 = 03-10 only: A (a1 11:00, a3 11:59) is active; B and C are not, and D, known
  // only through its events, is not listed at all.
  json a = Run({{"days", 1}, {"sort", "account"}});
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"acc-A", "acc-B", "acc-C"}));
  ASSERT_EQ(a["total"], 3);
  EXPECT_GT(a["accounts"][0]["score"].get<double>(), 0);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(a["accounts"][i]["score"], 0) << a["accounts"][i]["account"];
    EXPECT_EQ(a["accounts"][i]["reason"], "no activity in the last 1 days");
  }
}

TEST_P(HealthQueryTest, RecordEventsAreNotActivity) {
  // c1's only event in the window is a visit logged by the team (a record event):
  // acc-C stays without activity (score 0). The same event sent by the product counts.
  Ingest(R"({"batch":[{"type":"track","event":"visit_held","userId":"c1","timestamp":"2026-03-09T10:00:00+08:00",
    "properties":{"$source":"records","record_type":"visits","record_id":1}}]})");
  json a = Run({{"days", 10}, {"sort", "account"}});
  ASSERT_EQ(Ids(a)[2], "acc-C");
  EXPECT_EQ(a["accounts"][2]["score"], 0);
  EXPECT_EQ(a["accounts"][2]["reason"], "no activity in the last 10 days");
  Ingest(R"({"batch":[{"type":"track","event":"visit_held","userId":"c1","timestamp":"2026-03-09T10:00:00+08:00"}]})");
  a = Run({{"days", 10}, {"sort", "account"}});
  EXPECT_GT(a["accounts"][2]["score"].get<double>(), 0);
}

TEST_P(HealthQueryTest, LongWindowsCountPersonDaysLikeShortOnes) {
  // Windows up to 64 days mark each person's days in a bitmask, longer ones sort: both
  // give the same counts. With 64 or 65 days c1's login of 02-28 is in: acc-C has 1
  // active person (a user member) on 1 day; the others keep their ten-day counts.
  for (int days : {64, 65}) {
    json a = Run({{"days", days}, {"sort", "account"}});
    ASSERT_EQ(Ids(a), (std::vector<std::string>{"acc-A", "acc-B", "acc-C", "acc-D"})) << days;
    const int person_days[] = {6, 2, 1, 1}, persons[] = {3, 1, 1, 1}, roles[] = {3, 1, 1, 0};
    for (size_t i = 0; i < 4; ++i) {
      const json& parts = a["accounts"][i]["parts"];
      EXPECT_EQ(parts["activity"]["active_person_days"], person_days[i]) << days << " " << i;
      EXPECT_EQ(parts["activity"]["active_persons"], persons[i]) << days << " " << i;
      EXPECT_EQ(parts["roles"]["value"], roles[i]) << days << " " << i;
    }
  }
}

TEST_P(HealthQueryTest, AnswerTextIsWhatDumpPrintsForItsJson) {
  // The answer text is written by hand (RunQueryText → RunHealth): its keys must come in
  // the order, and its numbers and strings in the form, that dump() of the same json
  // gives, whatever the parts — no features, zero weights, inactive accounts, paging.
  const json specs[] = {
      json::object(),
      {{"days", 10}},
      {{"days", 1}, {"sort", "name"}},
      {{"days", 10}, {"features", nullptr}, {"weights", {{"recency", 1}, {"roles", 2}}}},
      {{"days", 10}, {"features", {{"total", 7}}}, {"roles", {"signer", "用户"}}, {"limit", 2}, {"offset", 1}},
      {{"days", 3650}, {"sort", "renewal_date"}, {"activity_target", 0.3}},
  };
  for (json spec : specs) {
    spec["kind"] = "health";
    auto text = RunQueryText(spec, Context());
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    const json parsed = json::parse(*text);
    EXPECT_EQ(*text, parsed.dump(-1, ' ', false, json::error_handler_t::replace)) << spec;
    EXPECT_GT(parsed["total"].get<int>(), 0) << spec;
  }
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(HealthQueryTest);

TEST(HealthSpecErrors, NameTheField) {
  ExpectSpecErrors("health", {
      {{{"days", 0}}, "days"},
      {{{"days", "30"}}, "days"},
      {{{"weights", {{"happiness", 1}}}}, "weights.happiness"},
      {{{"weights", {{"activity", -1}}}}, "weights.activity"},
      {{{"weights", {{"activity", 0}}}}, "weights"},
      {{{"weights", {1, 2}}}, "weights"},
      {{{"features", {{"event", ""}}}}, "features.event"},
      {{{"features", {{"total", 0}}}}, "features.total"},
      {{{"features", "feature_used"}}, "features"},
      {{{"activity_target", 2}}, "activity_target"},
      {{{"roles", json::array()}}, "roles"},
      {{{"roles", {"user", "user"}}}, "roles[1]"},
      {{{"roles", {"user", 3}}}, "roles[1]"},
      {{{"sort", "random"}}, "sort"},
      {{{"limit", 0}}, "limit"},
      {{{"limit", 100001}}, "limit"},
      {{{"offset", -1}}, "offset"},
      {{{"filters", {{{"property", "p"}, {"op", "like"}}}}}, "filters[0].op"},
  });
}

TEST(HealthEmptyProject, AnswersWithNoAccounts) {
  ingest::TestProject project;
  const QueryContext ctx = MakeTestContext(project, 1772590500000, cctz::utc_time_zone());
  auto answer = RunQueryJson({{"kind", "health"}}, ctx);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["total"], 0);
  EXPECT_TRUE((*answer)["accounts"].empty());
  EXPECT_EQ((*answer)["features"]["total"], 0);
}

}  // namespace
}  // namespace tobops::query
