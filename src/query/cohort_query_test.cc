// Cohorts: hand-worked membership, and their use as a filter and a breakdown value
// through the rewrite into "$cohort:<key>" traits. "Now" is 2026-03-10 12:00 +08:00.
#include "query/cohort_definition.h"

#include <gtest/gtest.h>

#include "query/cohort_resolution.h"
#include "query/query_json.h"
#include "query/query_test_support.h"
#include "query/spec_parsing.h"

namespace tobops::query {
namespace {

using nlohmann::json;

class CohortTest : public QueryTest {
 protected:
  void SetUp() override {
    // u1 decision_maker (acc-A): 3 logins in the last 30 days, 1 older (40 days ago).
    // u2 user (acc-A): 1 login 5 days ago, a purchase 2 days ago.
    // u3 decision_maker (acc-B): no events at all after identify (60 days ago).
    // anonymous a9: 2 logins, never identified.
    now_ = "2026-03-10T12:00:00+08:00";
    Ingest(R"({"batch":[
      {"type":"identify","userId":"u1","traits":{"role":"decision_maker"},"timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"identify","userId":"u2","traits":{"role":"user"},"timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"identify","userId":"u3","traits":{"role":"decision_maker"},"timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"group","userId":"u1","groupId":"acc-A","traits":{"industry":"制造业"},"timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"group","userId":"u2","groupId":"acc-A","timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"group","userId":"u3","groupId":"acc-B","traits":{"industry":"金融"},"timestamp":"2026-01-09T09:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-01-29T10:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-02-09T12:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-03-01T10:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u1","timestamp":"2026-03-09T10:00:00+08:00"},
      {"type":"track","event":"登录","userId":"u2","timestamp":"2026-03-05T10:00:00+08:00"},
      {"type":"track","event":"purchase","userId":"u2","timestamp":"2026-03-08T10:00:00+08:00"},
      {"type":"track","event":"登录","anonymousId":"a9","timestamp":"2026-03-07T10:00:00+08:00"},
      {"type":"track","event":"登录","anonymousId":"a9","timestamp":"2026-03-08T10:00:00+08:00"}
    ]})");
    ctx_ = Context();
  }

  std::vector<std::string> Ids(const json& definition) {
    auto answer = RunQueryJson({{"kind", "cohort"}, {"definition", definition}}, ctx_);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return {};
    EXPECT_EQ((*answer)["count"], (*answer)["ids"].size());
    return (*answer)["ids"].get<std::vector<std::string>>();
  }

  QueryContext ctx_;
};

using V = std::vector<std::string>;

TEST_P(CohortTest, RoleAndAtLeastThreeLoginsIn30Days) {
  // The 30-day window starts 2026-02-08 12:00: u1's logins on 02-09 12:00, 03-01 and
  // 03-09 count (3); the one on 01-29 does not. u3 has the role but no logins.
  json def = {{"conditions",
               {{{"type", "property"}, {"source", "person"}, {"property", "role"}, {"value", "decision_maker"}},
                {{"type", "event"}, {"event", "登录"}, {"op", "gte"}, {"count", 3}, {"window", "30d"}}}}};
  EXPECT_EQ(Ids(def), (V{"u1"}));
  // With a 20-day window (from 02-18 12:00) u1 has only 2.
  def["conditions"][1]["window"] = "20d";
  EXPECT_EQ(Ids(def), V{});
}

TEST_P(CohortTest, DidNotIncludesKnownPeopleWithoutEvents) {
  // No purchase in 90 days: u1 and u3 (known to the identity graph; u3 has no events
  // at all); not u2. The anonymous a9 is neither known nor has a purchase row, so it
  // is outside the universe.
  json def = {{"conditions", {{{"type", "event"}, {"event", "purchase"}, {"op", "eq"}, {"count", 0}, {"window", "90d"}}}}};
  EXPECT_EQ(Ids(def), (V{"u1", "u3"}));
  // Adding "any login ever in 90 days" (match any) brings a9 into the universe and the
  // cohort; u2 also logged in.
  json any = {{"match", "any"}, {"conditions", {def["conditions"][0],
              {{"type", "event"}, {"event", "登录"}, {"op", "gte"}, {"count", 1}, {"window", "90d"}}}}};
  EXPECT_EQ(Ids(any), (V{"anon:a9", "u1", "u2", "u3"}));
}

TEST_P(CohortTest, MatchAnyAndAccountCohorts) {
  json any = {{"match", "any"},
              {"conditions",
               {{{"type", "property"}, {"source", "person"}, {"property", "role"}, {"value", "user"}},
                {{"type", "event"}, {"event", "登录"}, {"op", "gte"}, {"count", 2}, {"window", "7d"}}}}};
  // role user: u2; ≥ 2 logins since 03-03 12:00: a9 (03-07, 03-08). u1 has 1 (03-09).
  EXPECT_EQ(Ids(any), (V{"anon:a9", "u2"}));
  json accounts = {{"entity", "account"},
                   {"conditions", {{{"type", "event"}, {"event", "purchase"}, {"count", 1}, {"window", "30d"}}}}};
  EXPECT_EQ(Ids(accounts), (V{"acc-A"}));
  json industry = {{"entity", "account"},
                   {"conditions", {{{"type", "property"}, {"source", "account"}, {"property", "industry"}, {"value", "金融"}}}}};
  EXPECT_EQ(Ids(industry), (V{"acc-B"}));
}

TEST_P(CohortTest, AsAFilterAndABreakdownValueThroughTheRewrite) {
  json spec = {{"filters", {{{"source", "cohort"},
                             {"definition", {{"conditions", {{{"type", "property"}, {"source", "person"},
                                                              {"property", "role"}, {"value", "decision_maker"}}}}}}}}},
               {"breakdown", {{"source", "cohort"}, {"definition", {{"conditions", {{{"type", "event"}, {"event", "purchase"}, {"window", "30d"}}}}}}}}};
  QueryContext ctx = ctx_;
  ASSERT_TRUE(ResolveCohorts(&spec, &ctx).ok());
  // Inline cohorts are numbered in member order (JSON objects keep members sorted).
  EXPECT_EQ(spec["breakdown"], (json{{"source", "person"}, {"property", "$cohort:inline1"}, {"op", "is_set"}}));
  EXPECT_EQ(spec["filters"][0], (json{{"source", "person"}, {"property", "$cohort:inline2"}, {"op", "is_set"}}));

  TimelineRequest request;
  request.from_ms = ctx.now_ms - 60 * 86'400'000LL;
  request.to_ms = ctx.now_ms;
  request.conditions = {{"登录", {}}};
  request.filters = *ParseFilters(spec["filters"], "filters");
  request.values[0] = *ParsePropertyRef(spec["breakdown"], "breakdown");
  auto t = EntityTimelines::Collect(request, ctx);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  // Only decision makers' logins: u1's 4. u1 bought nothing → breakdown value absent.
  ASSERT_EQ(t->entity_count(), 1u);
  EXPECT_EQ(t->entity_id(0), "u1");
  EXPECT_EQ(t->events(0).size(), 4u);
  EXPECT_EQ(t->events(0)[0].value[0], 0u);

  // "not_in": everyone else's logins: u2 (1) and a9 (2); u2 is in the purchase cohort.
  json negated = {{"filters", {{{"source", "cohort"}, {"op", "not_in"},
                                {"definition", {{"conditions", {{{"type", "property"}, {"source", "person"},
                                                                 {"property", "role"}, {"value", "decision_maker"}}}}}}}}},
                  {"breakdown", spec["breakdown"]}};
  negated["breakdown"] = {{"source", "cohort"}, {"definition", {{"conditions", {{{"type", "event"}, {"event", "purchase"}, {"window", "30d"}}}}}}};
  QueryContext ctx2 = ctx_;
  ASSERT_TRUE(ResolveCohorts(&negated, &ctx2).ok());
  request.filters = *ParseFilters(negated["filters"], "filters");
  request.values[0] = *ParsePropertyRef(negated["breakdown"], "breakdown");
  auto t2 = EntityTimelines::Collect(request, ctx2);
  ASSERT_TRUE(t2.ok());
  size_t rows = 0, in_purchase_cohort = 0;
  for (size_t e = 0; e < t2->entity_count(); ++e) {
    for (const auto& row : t2->events(e)) {
      ++rows;
      if (row.value[0] != 0) {
        ++in_purchase_cohort;
        EXPECT_EQ(t2->entity_id(e), "u2");
      }
    }
  }
  EXPECT_EQ(rows, 3u);
  EXPECT_EQ(in_purchase_cohort, 1u);
}

TEST_P(CohortTest, ErrorsNameTheField) {
  auto run = [&](json spec) { return RunQueryJson(spec, ctx_).status(); };
  EXPECT_EQ(run({{"kind", "cohort"}, {"definition", {{"conditions", json::array()}}}}).field(), "definition.conditions");
  EXPECT_EQ(run({{"kind", "cohort"}, {"definition", {{"conditions", {{{"type", "event"}, {"event", "x"}, {"count", -1}}}}}}}).field(),
            "definition.conditions[0].count");
  EXPECT_EQ(run({{"kind", "cohort"}, {"definition", {{"conditions", {{{"type", "event"}, {"event", "x"}, {"window", "soon"}}}}}}}).field(),
            "definition.conditions[0].window");
  EXPECT_EQ(run({{"kind", "cohort"}, {"definition", {{"entity", "account"}, {"conditions", {{{"type", "property"}, {"source", "person"}, {"property", "role"}, {"value", "x"}}}}}}}).field(),
            "definition.conditions[0].source");
  EXPECT_EQ(run({{"kind", "trend"}, {"series", {{{"event", "登录"}}}},
                 {"filters", {{{"source", "cohort"}, {"cohort", 7}}}}}).field(), "");  // no catalog here
  EXPECT_EQ(run({{"kind", "trend"}, {"series", {{{"event", "登录"}}}},
                 {"filters", {{{"source", "cohort"}, {"cohort", "x"}}}}}).field(), "filters[0].cohort");
  EXPECT_EQ(run({{"kind", "cohort"}, {"cohort", 7}}).code(), StatusCode::kFailedPrecondition);
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(CohortTest);

}  // namespace
}  // namespace tobops::query
