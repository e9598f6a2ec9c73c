// Hand-worked paths cases: every expected path, node and link below is derived by hand
// from the messages SetUp sends (all on 2026-03-01, +08:00), from the memtable and from
// flushed segments.
#include "query/paths_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

// Timelines (T = trial_started, 登录 = login, 功能 = feature used):
//   p1 (acc-A): 09:00 page, 10:00 T, 10:05 登录, 10:06 登录, 10:10 功能, 10:20 report, 10:30 功能
//   p2 (acc-A): 10:00 T, 11:00 identify, 11:05 登录, 11:10 功能
//   p3 (acc-B): 12:00 登录, 13:00 T {plan: pro}, 13:05 登录, 13:10 功能
//   p4:         14:00 T
//   p5:         09:00 登录, 09:30 功能
//   p6 (acc-B): 10:00 T, 10:01 report, 10:02 T, 10:03 登录
//   p7:         15:00 T, 15:05 b_step, 15:05 a_step (equal timestamps)
//   q1:         09:00 page /首页, 09:01 page /定价, 09:02 登录, 09:03 page /定价, 09:04 page /文档
//   q2:         10:00 page (no path), 10:01 page /定价, 10:02 page /文档
//   r1:         16:00 版本 {v: 2}, 16:01 版本 {v: "2"}, 16:02 版本 {v: 3}
// The group calls are on Feb 20, outside the range (Mar 1 only).
class PathsQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    auto track = [](const std::string& user, const std::string& event, const std::string& time,
                    const std::string& properties = "{}") {
      return R"({"type":"track","userId":")" + user + R"(","event":")" + event +
             R"(","timestamp":"2026-03-01T)" + time + R"(:00+08:00","properties":)" + properties +
             "}";
    };
    auto page = [](const std::string& user, const std::string& time, const std::string& path) {
      const std::string properties = path.empty() ? "{}" : R"({"path":")" + path + R"("})";
      return R"({"type":"page","userId":")" + user + R"(","timestamp":"2026-03-01T)" + time +
             R"(:00+08:00","properties":)" + properties + "}";
    };
    std::vector<std::string> messages = {
        R"({"type":"group","userId":"p1","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"})",
        R"({"type":"group","userId":"p2","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"})",
        R"({"type":"group","userId":"p3","groupId":"acc-B","timestamp":"2026-02-20T09:00:00+08:00"})",
        R"({"type":"group","userId":"p6","groupId":"acc-B","timestamp":"2026-02-20T09:00:00+08:00"})",
        page("p1", "09:00", ""),
        track("p1", "trial_started", "10:00"),
        track("p1", "登录", "10:05"),
        track("p1", "登录", "10:06"),
        track("p1", "功能", "10:10"),
        track("p1", "report", "10:20"),
        track("p1", "功能", "10:30"),
        track("p2", "trial_started", "10:00"),
        R"({"type":"identify","userId":"p2","traits":{"role":"user"},"timestamp":"2026-03-01T11:00:00+08:00"})",
        track("p2", "登录", "11:05"),
        track("p2", "功能", "11:10"),
        track("p3", "登录", "12:00"),
        track("p3", "trial_started", "13:00", R"({"plan":"pro"})"),
        track("p3", "登录", "13:05"),
        track("p3", "功能", "13:10"),
        track("p4", "trial_started", "14:00"),
        track("p5", "登录", "09:00"),
        track("p5", "功能", "09:30"),
        track("p6", "trial_started", "10:00"),
        track("p6", "report", "10:01"),
        track("p6", "trial_started", "10:02"),
        track("p6", "登录", "10:03"),
        track("p7", "trial_started", "15:00"),
        track("p7", "b_step", "15:05"),
        track("p7", "a_step", "15:05"),
        page("q1", "09:00", "/首页"),
        page("q1", "09:01", "/定价"),
        track("q1", "登录", "09:02"),
        page("q1", "09:03", "/定价"),
        page("q1", "09:04", "/文档"),
        page("q2", "10:00", ""),
        page("q2", "10:01", "/定价"),
        page("q2", "10:02", "/文档"),
        track("r1", "版本", "16:00", R"({"v":2})"),
        track("r1", "版本", "16:01", R"({"v":"2"})"),
        track("r1", "版本", "16:02", R"({"v":3})"),
    };
    now_ = "2026-03-02T12:00:00+08:00";
    Ingest(messages);
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "paths"},
                 {"event", "trial_started"},
                 {"depth", 3},
                 {"exclude_events", {"$identify"}},
                 {"range", {{"from", "2026-03-01"}, {"to", "2026-03-01"}}}};
    return Override(spec, overrides);
  }

  // "a>b>c=count" per listed path, in answer order.
  static V Paths(const json& a) {
    V out;
    for (const auto& p : a["paths"]) {
      std::string text;
      for (const auto& s : p["steps"]) text += (text.empty() ? "" : ">") + s.get<std::string>();
      out.push_back(text + "=" + std::to_string(p["count"].get<int64_t>()));
    }
    return out;
  }
  static V Nodes(const json& a) {
    V out;
    for (const auto& n : a["nodes"])
      out.push_back(n["id"].get<std::string>() + "=" + std::to_string(n["count"].get<int64_t>()));
    return out;
  }
  static V Links(const json& a) {
    V out;
    for (const auto& l : a["links"]) {
      out.push_back(l["source"].get<std::string>() + ">" + l["target"].get<std::string>() + "=" +
                    std::to_string(l["count"].get<int64_t>()));
    }
    return out;
  }
};

TEST_P(PathsQueryTest, ForwardFromTheFirstAnchorCollapsesRepeatsAndSkipsExcludedEvents) {
  // p1: T, 登录 (the second 登录 collapses), 功能. p2: T, (identify excluded), 登录, 功能.
  // p3: from its T at 13:00 (the earlier 登录 is before the anchor): T, 登录, 功能.
  // p4: T alone (its events end). p6: T, report, T (the first T is the anchor).
  // p7: T, then the two 15:05 events in name order: a_step, b_step. p5, q1, q2: no T.
  json a = Run();
  EXPECT_EQ(a["entities"], 6);
  EXPECT_EQ(a["direction"], "forward");
  EXPECT_EQ(Paths(a), (V{"trial_started>登录>功能=3", "trial_started=1",
                         "trial_started>a_step>b_step=1", "trial_started>report>trial_started=1"}));
  // Each step's nodes by count, ties by name; step 1 holds 5 of the 6 paths (p4 ended).
  EXPECT_EQ(Nodes(a), (V{"0:trial_started=6", "1:登录=3", "1:a_step=1", "1:report=1", "2:功能=3",
                         "2:b_step=1", "2:trial_started=1"}));
  EXPECT_EQ(Links(a), (V{"0:trial_started>1:登录=3", "0:trial_started>1:a_step=1",
                         "0:trial_started>1:report=1", "1:登录>2:功能=3", "1:a_step>2:b_step=1",
                         "1:report>2:trial_started=1"}));
  EXPECT_EQ(a["nodes"][1]["step"], 1);
  EXPECT_EQ(a["nodes"][1]["name"], "登录");
}

TEST_P(PathsQueryTest, WithoutCollapsingRepeatsEveryEventIsAStep) {
  // p1 becomes T, 登录, 登录; the other paths are unchanged.
  json a = Run({{"collapse_repeats", false}});
  EXPECT_EQ(Paths(a),
            (V{"trial_started>登录>功能=2", "trial_started=1", "trial_started>a_step>b_step=1",
               "trial_started>report>trial_started=1", "trial_started>登录>登录=1"}));
}

TEST_P(PathsQueryTest, WithoutExclusionsIdentifyIsAStep) {
  // p2 becomes T, $identify, 登录.
  json a = Run({{"exclude_events", json::array()}});
  EXPECT_EQ(Paths(a),
            (V{"trial_started>登录>功能=2", "trial_started=1", "trial_started>$identify>登录=1",
               "trial_started>a_step>b_step=1", "trial_started>report>trial_started=1"}));
}

TEST_P(PathsQueryTest, TopMergesTheRestOfAStepIntoOther) {
  // top 1: step 1 keeps 登录 (3) and merges a_step + report (2); step 2 keeps 功能 (3)
  // and merges b_step + trial_started (2). Links follow the merged nodes; paths keep
  // the real names.
  json a = Run({{"top", 1}});
  EXPECT_EQ(Nodes(a), (V{"0:trial_started=6", "1:登录=3", "1:$other=2", "2:功能=3", "2:$other=2"}));
  EXPECT_EQ(Links(a), (V{"0:trial_started>1:登录=3", "0:trial_started>1:$other=2",
                         "1:登录>2:功能=3", "1:$other>2:$other=2"}));
  EXPECT_EQ(a["paths"].size(), 4u);
  EXPECT_EQ(Paths(a)[3], "trial_started>report>trial_started=1");
  // paths_limit cuts the sequence list only.
  json b = Run({{"top", 1}, {"paths_limit", 2}});
  EXPECT_EQ(Paths(b), (V{"trial_started>登录>功能=3", "trial_started=1"}));
  EXPECT_EQ(b["entities"], 6);
}

TEST_P(PathsQueryTest, BackwardEndsAtTheLastAnchor) {
  // Anchor 功能, last occurrence: p1 at 10:30 ← report ← 功能 (10:10); p2 ← 登录 ←
  // (identify excluded) T; p3 ← 登录 ← T; p5 ← 登录 (its events begin). Steps are
  // listed in time order, anchor last; steps count back from 0.
  json a = Run({{"direction", "backward"}, {"event", "功能"}});
  EXPECT_EQ(a["entities"], 4);
  EXPECT_EQ(Paths(a), (V{"trial_started>登录>功能=2", "功能>report>功能=1", "登录>功能=1"}));
  EXPECT_EQ(Nodes(a),
            (V{"-2:trial_started=2", "-2:功能=1", "-1:登录=3", "-1:report=1", "0:功能=4"}));
  EXPECT_EQ(Links(a), (V{"-2:trial_started>-1:登录=2", "-2:功能>-1:report=1", "-1:登录>0:功能=3",
                         "-1:report>0:功能=1"}));
}

TEST_P(PathsQueryTest, WithoutAnEventPathsStartAtEachEntitysFirstEvent) {
  // depth 2, nothing excluded: p1 page, T; p2 T, $identify; p3 登录, T; p4 T; p5 登录, 功能;
  // p6 T, report; p7 T, a_step; q1 page (page repeats collapse), 登录; q2 page (all pages);
  // r1 版本 (all three collapse). 版本 (E7 89 88) sorts before 登录 (E7 99 BB).
  json a = Run({{"event", nullptr}, {"depth", 2}, {"exclude_events", json::array()}});
  EXPECT_EQ(a["entities"], 10);
  EXPECT_EQ(a["event"], "$any");
  EXPECT_EQ(Paths(a),
            (V{"$pageview=1", "$pageview>trial_started=1", "$pageview>登录=1", "trial_started=1",
               "trial_started>$identify=1", "trial_started>a_step=1", "trial_started>report=1",
               "版本=1", "登录>trial_started=1", "登录>功能=1"}));
  EXPECT_EQ(Nodes(a),
            (V{"0:trial_started=4", "0:$pageview=3", "0:登录=2", "0:版本=1", "1:trial_started=2",
               "1:$identify=1", "1:a_step=1", "1:report=1", "1:功能=1", "1:登录=1"}));
}

TEST_P(PathsQueryTest, GroupByAPropertySkipsEventsLackingIt) {
  // Labels are page paths. q1: /首页, /定价, (登录 has no path), /定价 collapses into the
  // previous step, /文档. q2: its first page has no path, so the anchor is /定价, then
  // /文档. p1's page has no path: no anchor.
  json a = Run({{"event", "$pageview"}, {"group_by", {{"source", "event"}, {"property", "path"}}}});
  EXPECT_EQ(a["entities"], 2);
  EXPECT_EQ(Paths(a), (V{"/定价>/文档=1", "/首页>/定价>/文档=1"}));
  EXPECT_EQ(Nodes(a), (V{"0:/定价=1", "0:/首页=1", "1:/定价=1", "1:/文档=1", "2:/文档=1"}));
  EXPECT_EQ(Links(a), (V{"0:/定价>1:/文档=1", "0:/首页>1:/定价=1", "1:/定价>2:/文档=1"}));
  EXPECT_EQ(a["group_by"]["property"], "path");
  // The short form names an event property; without collapsing q1 keeps /定价 twice.
  json b = Run({{"event", "$pageview"}, {"group_by", "path"}, {"collapse_repeats", false}});
  EXPECT_EQ(Paths(b), (V{"/定价>/文档=1", "/首页>/定价>/定价=1"}));
}

TEST_P(PathsQueryTest, PropertyValuesWithTheSameTextShareALabel) {
  // r1's v: the number 2, the string "2", the number 3. Both 2s are the label "2", so
  // they collapse into one step: 2, 3. Without collapsing: 2, 2, 3 — one node per step.
  json a = Run({{"event", "版本"}, {"group_by", "v"}});
  EXPECT_EQ(Paths(a), (V{"2>3=1"}));
  json b = Run({{"event", "版本"}, {"group_by", "v"}, {"collapse_repeats", false}});
  EXPECT_EQ(Paths(b), (V{"2>2>3=1"}));
  EXPECT_EQ(Nodes(b), (V{"0:2=1", "1:2=1", "2:3=1"}));
}

TEST_P(PathsQueryTest, AnchorFiltersChooseWhichOccurrenceStartsAPath) {
  // Only p3's trial carries plan = pro.
  json a = Run({{"filters", {{{"property", "plan"}, {"op", "eq"}, {"value", "pro"}}}}});
  EXPECT_EQ(a["entities"], 1);
  EXPECT_EQ(Paths(a), (V{"trial_started>登录>功能=1"}));
}

TEST_P(PathsQueryTest, AccountsInterleaveTheirPeople) {
  // acc-A: 09:00 page, 10:00 T (p1), 10:00 T (p2, collapses), 10:05 登录, 10:06 登录,
  // 10:10 功能 → T, 登录, 功能. acc-B: 10:00 T (p6), 10:01 report, 10:02 T → T, report, T.
  // p4, p5, p7, q1, q2 have no account.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(a["entities"], 2);
  EXPECT_EQ(a["aggregate_by"], "account");
  EXPECT_EQ(Paths(a), (V{"trial_started>report>trial_started=1", "trial_started>登录>功能=1"}));
}

TEST_P(PathsQueryTest, AnUnknownAnchorGivesAnEmptyAnswer) {
  json a = Run({{"event", "不存在"}});
  EXPECT_EQ(a["entities"], 0);
  EXPECT_TRUE(a["nodes"].empty());
  EXPECT_TRUE(a["links"].empty());
  EXPECT_TRUE(a["paths"].empty());
}

TEST_P(PathsQueryTest, SpecErrorsNameTheirField) {
  EXPECT_EQ(ErrorField({{"depth", 9}}), "depth");
  EXPECT_EQ(ErrorField({{"depth", 1}}), "depth");
  EXPECT_EQ(ErrorField({{"direction", "sideways"}}), "direction");
  EXPECT_EQ(ErrorField({{"exclude_events", {"$group", "trial_started"}}}), "exclude_events[1]");
  EXPECT_EQ(ErrorField({{"exclude_events", "$group"}}), "exclude_events");
  EXPECT_EQ(ErrorField({{"group_by", {{"source", "planet"}, {"property", "x"}}}}),
            "group_by.source");
  EXPECT_EQ(ErrorField({{"filters", {{{"property", "plan"}, {"op", "like"}, {"value", "x"}}}}}),
            "filters[0].op");
  EXPECT_EQ(ErrorField({{"top", 0}}), "top");
  EXPECT_EQ(ErrorField({{"collapse_repeats", "yes"}}), "collapse_repeats");
  EXPECT_EQ(ErrorField({{"aggregate_by", "team"}}), "aggregate_by");
  EXPECT_EQ(ErrorField({{"event", 7}}), "event");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(PathsQueryTest);

}  // namespace
}  // namespace tobops::query
