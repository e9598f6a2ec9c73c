// EntityTimelines: rows grouped per canonical person or account, time-ordered, tagged
// with the conditions they meet, both from the memtable and from flushed segments.
#include "query/entity_timeline.h"

#include <limits>
#include <map>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "query/query_test_support.h"

namespace tobops::query {
namespace {

class EntityTimelineTest : public QueryTest {
 protected:
  void SetUp() override {
    // acc-A: u1 (decision_maker), u2 (user); acc-B: u3. Anonymous a9 becomes u4 (no account).
    Ingest(R"({"batch":[
      {"type":"group","userId":"u1","groupId":"acc-A","traits":{"industry":"制造业"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"group","userId":"u2","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"group","userId":"u3","groupId":"acc-B","traits":{"industry":"金融"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"identify","userId":"u1","traits":{"role":"decision_maker"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"identify","userId":"u2","traits":{"role":"user"},"timestamp":"2026-02-20T09:00:00+08:00"},
      {"type":"page","anonymousId":"a9","timestamp":"2026-03-01T11:00:00+08:00","properties":{"channel":"video"}},
      {"type":"track","event":"试用","userId":"u2","timestamp":"2026-03-01T12:00:00+08:00","properties":{"plan":"pro"}},
      {"type":"track","event":"signup","userId":"u1","timestamp":"2026-03-01T10:00:00+08:00","properties":{"channel":"sem"}},
      {"type":"track","event":"试用","userId":"u1","timestamp":"2026-03-02T10:00:00+08:00","properties":{"plan":"basic"}},
      {"type":"track","event":"signup","userId":"u3","timestamp":"2026-03-02T15:00:00+08:00"},
      {"type":"identify","anonymousId":"a9","userId":"u4","timestamp":"2026-03-02T16:00:00+08:00"},
      {"type":"track","event":"signup","userId":"u4","timestamp":"2026-03-02T16:01:00+08:00","properties":{"channel":"video"}}
    ]})");
    ctx_ = MakeTestContext(project_, /*now_ms=*/0);  // timelines take explicit bounds
    request_.from_ms = *ParseIso8601Ms("2026-03-01T00:00:00+08:00");
    request_.to_ms = *ParseIso8601Ms("2026-03-03T00:00:00+08:00");
  }

  // entity id → "event@HH:MM/mask" strings in timeline order.
  std::map<std::string, std::vector<std::string>> Describe(const EntityTimelines& t) {
    std::map<std::string, std::vector<std::string>> out;
    for (size_t e = 0; e < t.entity_count(); ++e) {
      for (const auto& row : t.events(e)) {
        std::string time = FormatIso8601Seconds(row.timestamp_ms, ctx_.zone).substr(8, 8);
        out[t.entity_id(e)].push_back(t.event_names()[row.event] + "@" + time + "/" + std::to_string(row.mask));
      }
    }
    return out;
  }

  QueryContext ctx_;
  TimelineRequest request_;
};

TEST_P(EntityTimelineTest, PersonsKeepOnlyTaggedRowsInTimeOrder) {
  request_.conditions = {{"signup", {}}, {"试用", {}}};
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto d = Describe(*t);
  using V = std::vector<std::string>;
  EXPECT_EQ(d["u1"], (V{"signup@01T10:00/1", "试用@02T10:00/2"}));
  EXPECT_EQ(d["u2"], (V{"试用@01T12:00/2"}));
  EXPECT_EQ(d["u3"], (V{"signup@02T15:00/1"}));
  // The anonymous page view is not tagged; u4's signup is under the canonical person.
  EXPECT_EQ(d["u4"], (V{"signup@02T16:01/1"}));
  EXPECT_EQ(d.size(), 4u);
}

TEST_P(EntityTimelineTest, KeepUnmatchedJoinsAnonymousHistoryToThePerson) {
  request_.conditions = {{"signup", {}}};
  request_.keep_unmatched = true;
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok());
  auto d = Describe(*t);
  using V = std::vector<std::string>;
  EXPECT_EQ(d["u4"], (V{"$pageview@01T11:00/0", "$identify@02T16:00/0", "signup@02T16:01/1"}));
}

TEST_P(EntityTimelineTest, AccountsInterleaveTheirPeopleAndFiltersUseRoles) {
  request_.entity = EntityKind::kAccount;
  PropertyFilter decision_maker{PropertySource::kPerson, "role", FilterOp::kEq, {std::string("decision_maker")}};
  request_.conditions = {{"试用", {}}, {"试用", {decision_maker}}, {"signup", {}}};
  request_.values[0] = PropertyRef{PropertySource::kEvent, "plan"};
  request_.values[1] = PropertyRef{PropertySource::kAccount, "industry"};
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok());
  auto d = Describe(*t);
  using V = std::vector<std::string>;
  // u2's trial (a user) meets condition 0 only; u1's meets 0 and 1. u4 has no account.
  EXPECT_EQ(d["acc-A"], (V{"signup@01T10:00/4", "试用@01T12:00/1", "试用@02T10:00/3"}));
  EXPECT_EQ(d["acc-B"], (V{"signup@02T15:00/4"}));
  EXPECT_EQ(d.size(), 2u);
  for (size_t e = 0; e < t->entity_count(); ++e) {
    if (t->entity_id(e) != "acc-A") continue;
    auto rows = t->events(e);
    EXPECT_EQ(rows[0].value[0], 0u);  // signup has no plan
    EXPECT_EQ(t->values(0)[rows[1].value[0] - 1], store::PropertyValue(std::string("pro")));
    EXPECT_EQ(t->values(1)[rows[1].value[1] - 1], store::PropertyValue(std::string("制造业")));
    EXPECT_EQ(t->person_ids()[rows[1].person], "u2");
    EXPECT_EQ(t->person_ids()[rows[2].person], "u1");
  }
}

TEST_P(EntityTimelineTest, GlobalFiltersDropRowsAndForEachVisitsEveryEntity) {
  request_.conditions = {{"", {}}};
  request_.filters = {{PropertySource::kEvent, "channel", FilterOp::kIsSet, {}}};
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok());
  std::vector<size_t> rows_per_worker(2, 0);
  t->ForEach(2, [&](size_t, std::span<const TimelineEvent> events, int worker) {
    rows_per_worker[worker] += events.size();
  });
  // u1 signup (sem), a9/u4 page (video) and signup (video).
  EXPECT_EQ(rows_per_worker[0] + rows_per_worker[1], 3u);
  EXPECT_EQ(t->entity_count(), 2u);
}

TEST_P(EntityTimelineTest, OnlyEntitiesRestrictsTheCollection) {
  request_.conditions = {{"signup", {}}};
  request_.keep_unmatched = true;
  request_.only_entities = std::make_shared<std::unordered_set<std::string>>(std::unordered_set<std::string>{"u4", "u2"});
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok());
  auto d = Describe(*t);
  using V = std::vector<std::string>;
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d["u2"], (V{"试用@01T12:00/0"}));
  // The restriction is on canonical ids: u4's anonymous page view is still its own.
  EXPECT_EQ(d["u4"], (V{"$pageview@01T11:00/0", "$identify@02T16:00/0", "signup@02T16:01/1"}));
}

TEST_P(EntityTimelineTest, EntityWindowsKeepEachEntitysRowsInsideItsWindow) {
  request_.conditions = {{"signup", {}}};
  request_.keep_unmatched = true;
  // u4 from its signup's minute on (inclusive), u2 up to 01T12:00 (inclusive); others out.
  const int64_t u4_from = *ParseIso8601Ms("2026-03-02T16:01:00+08:00");
  const int64_t u2_to = *ParseIso8601Ms("2026-03-01T12:00:00+08:00");
  request_.entity_windows = std::make_shared<std::unordered_map<std::string, std::pair<int64_t, int64_t>>>(
      std::unordered_map<std::string, std::pair<int64_t, int64_t>>{
          {"u4", {u4_from, std::numeric_limits<int64_t>::max()}},
          {"u2", {std::numeric_limits<int64_t>::min(), u2_to}}});
  auto t = EntityTimelines::Collect(request_, ctx_);
  ASSERT_TRUE(t.ok());
  auto d = Describe(*t);
  using V = std::vector<std::string>;
  EXPECT_EQ(d.size(), 2u);
  // u2's only row is at 01T12:00, the window's inclusive end.
  EXPECT_EQ(d["u2"], (V{"试用@01T12:00/0"}));
  // u4 loses its page view (01T11:00) and $identify (02T16:00), before its window.
  EXPECT_EQ(d["u4"], (V{"signup@02T16:01/1"}));
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(EntityTimelineTest);

}  // namespace
}  // namespace tobops::query
