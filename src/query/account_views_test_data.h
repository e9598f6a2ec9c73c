// File: query/account_views_test_data.h
// The small world shared by health_query_test.cc and coverage_query_test.cc; every
// count the tests expect is worked out below, once. Tests only.
//
// now = 2026-03-10 12:00 +08:00; days = 10 → the window is 03-01 00:00 .. now (ten
// calendar days, 03-01 .. 03-10).
//
// acc-A 华信智能制造 (key, seats 4, customer): members a1 user, a2 decision_maker,
//   a3 signer, a4 user (never active).
//   a1: feature_used dashboard 03-01 00:00:00 (first instant of the window), funnel
//       03-01 10:00, login 03-03 09:00, feature_used dashboard 03-10 11:00
//   a2: login 03-03 10:00, feature_used 看板 03-08 10:00
//   a3: login 03-10 11:59; login 03-10 13:00 (after now: not counted)
//   → events 7; active persons 3; person-days a1 {1, 3, 10} + a2 {3, 8} + a3 {10} = 6;
//     last active 03-10 11:59 (0 days ago); features {dashboard, funnel, 看板} = 3;
//     roles user 2 known / 1 active, decision_maker 1/1, signer 1/1 → 3 of 5 covered.
// acc-B 长风金融 (normal, no seats trait): members b1 evaluator, b2 (no role).
//   b1: feature_used dashboard twice at 03-06 10:00 (equal timestamps), login 03-07 10:00
//   b2: only an identify on 03-05 (an identity call, not activity)
//   → events 3; active persons 1; person-days 2; last active 03-07 (3 days ago);
//     features {dashboard} = 1; roles evaluator 1/1 → 1 of 5.
// acc-C 静默公司: member c1 user, whose only login is 02-28 23:59:59.999, one
//   millisecond before the window → no activity; user 1 known / 0 active.
// acc-D: no group call; d1 (not a member of anything) sends login 03-09 10:00 and
//   feature_used sso 03-09 10:05 with context.groupId acc-D → events 2, active persons
//   1, person-days 1, last active 1 day ago, features {sso} = 1, no member.
// e1: a login without any account: in no account.
// Features used by any account: dashboard, funnel, 看板, sso = 4.
#pragma once

#include <string>
#include <vector>

#include "query/query_test_support.h"

namespace tobops::query::testing_data {

inline constexpr const char* kAccountViewsNow = "2026-03-10T12:00:00+08:00";

inline constexpr const char* kAccountViewsBatch = R"({"batch":[
  {"type":"group","userId":"a1","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00","traits":{"name":"华信智能制造","industry":"制造业","level":"key","seats":4,"lifecycle_stage":"customer","renewal_date":"2026-06-30","arr":96000}},
  {"type":"group","userId":"a2","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"},
  {"type":"group","userId":"a3","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"},
  {"type":"group","userId":"a4","groupId":"acc-A","timestamp":"2026-02-20T09:00:00+08:00"},
  {"type":"group","userId":"b1","groupId":"acc-B","timestamp":"2026-02-20T09:00:00+08:00","traits":{"name":"长风金融","industry":"金融","level":"normal"}},
  {"type":"group","userId":"b2","groupId":"acc-B","timestamp":"2026-02-20T09:00:00+08:00"},
  {"type":"group","userId":"c1","groupId":"acc-C","timestamp":"2026-02-20T09:00:00+08:00","traits":{"name":"静默公司"}},
  {"type":"identify","userId":"a1","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"user"}},
  {"type":"identify","userId":"a2","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"decision_maker"}},
  {"type":"identify","userId":"a3","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"signer"}},
  {"type":"identify","userId":"a4","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"user"}},
  {"type":"identify","userId":"b1","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"evaluator"}},
  {"type":"identify","userId":"c1","timestamp":"2026-02-20T09:00:00+08:00","traits":{"role":"user"}},
  {"type":"track","event":"feature_used","userId":"a1","timestamp":"2026-03-01T00:00:00+08:00","properties":{"feature":"dashboard"}},
  {"type":"track","event":"feature_used","userId":"a1","timestamp":"2026-03-01T10:00:00+08:00","properties":{"feature":"funnel"}},
  {"type":"track","event":"login","userId":"a1","timestamp":"2026-03-03T09:00:00+08:00"},
  {"type":"track","event":"feature_used","userId":"a1","timestamp":"2026-03-10T11:00:00+08:00","properties":{"feature":"dashboard"}},
  {"type":"track","event":"login","userId":"a2","timestamp":"2026-03-03T10:00:00+08:00"},
  {"type":"track","event":"feature_used","userId":"a2","timestamp":"2026-03-08T10:00:00+08:00","properties":{"feature":"看板"}},
  {"type":"track","event":"login","userId":"a3","timestamp":"2026-03-10T11:59:00+08:00"},
  {"type":"track","event":"login","userId":"a3","timestamp":"2026-03-10T13:00:00+08:00"},
  {"type":"track","event":"feature_used","userId":"b1","timestamp":"2026-03-06T10:00:00+08:00","properties":{"feature":"dashboard"}},
  {"type":"track","event":"feature_used","userId":"b1","timestamp":"2026-03-06T10:00:00+08:00","properties":{"feature":"dashboard"}},
  {"type":"track","event":"login","userId":"b1","timestamp":"2026-03-07T10:00:00+08:00"},
  {"type":"identify","userId":"b2","timestamp":"2026-03-05T10:00:00+08:00","traits":{"title":"分析师"}},
  {"type":"track","event":"login","userId":"c1","timestamp":"2026-02-28T23:59:59.999+08:00"},
  {"type":"track","event":"login","userId":"d1","timestamp":"2026-03-09T10:00:00+08:00","context":{"groupId":"acc-D"}},
  {"type":"track","event":"feature_used","userId":"d1","timestamp":"2026-03-09T10:05:00+08:00","context":{"groupId":"acc-D"},"properties":{"feature":"sso"}},
  {"type":"track","event":"login","userId":"e1","timestamp":"2026-03-05T10:00:00+08:00"}
]})";

// The fixture of both tests: this world ingested (memtable or segments), now as above; Run
// sets "kind" to the fixture's kind.
class AccountViewsTest : public QueryTest {
 protected:
  explicit AccountViewsTest(const char* kind) : kind_(kind) {}

  void SetUp() override {
    now_ = kAccountViewsNow;
    Ingest(kAccountViewsBatch);
  }

  json WithDefaults(json spec) const override {
    spec["kind"] = kind_;
    return spec;
  }

  // The account ids of an answer, in answer order.
  static std::vector<std::string> Ids(const json& answer) {
    std::vector<std::string> out;
    for (const auto& a : answer["accounts"]) out.push_back(a["account"]);
    return out;
  }

  const char* kind_;
};

}  // namespace tobops::query::testing_data
