// Tests of the growth demo plan on a hand-built story of three accounts (the numbers
// below are worked out by hand from the rules in demo_growth_records.cc).
#include "ops/demo_growth_records.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/time_format.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kEndMs = 1772553600000;  // 2026-03-04T00:00:00+08:00
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;

int64_t Ago(int days) { return kEndMs - days * kDay; }

DemoGrowthInput Story(uint64_t seed = 42) {
  DemoGrowthInput in;
  in.seed = seed;
  in.end_ms = kEndMs;
  in.zone = *LoadTimeZone("Asia/Shanghai");
  in.story_start_ms = Ago(365);

  DemoAccountFacts a1;  // a customer since before the story, renewed 35 days ago
  a1.id = 1;
  a1.group_id = "acc-000001";
  a1.name = "华信制造";
  a1.owner = "张伟";
  a1.arr = 130000;
  a1.purchase_ms = Ago(400);
  a1.purchase_amount = 120000;
  a1.renewals.push_back({Ago(35), 130000, "p1"});
  a1.renewal_date = "2027-01-27";  // 2026-03-04 + 329 days: after the end
  DemoAccountFacts a2;  // came through aliyun_market, bought, churned 10 days ago
  a2.id = 2;
  a2.group_id = "acc-000002";
  a2.name = "启明零售";
  a2.owner = "李娜";
  a2.arr = 60000;
  a2.demo_ms = Ago(180);
  a2.quote_ms = Ago(170);
  a2.quote_seats = 100;
  a2.purchase_ms = Ago(150);
  a2.purchase_amount = 60000;
  a2.churn_ms = Ago(10);
  a2.churn_reason = "budget_cut";
  DemoAccountFacts a3;  // a webinar signup, nothing more
  a3.id = 3;
  a3.group_id = "acc-000003";
  a3.name = "远航教育";
  a3.owner = "王磊";
  in.accounts = {a1, a2, a3};

  in.contacts = {{10, 1, "p1", "陈静", "chen@huaxin.example", "", "CTO", "decision_maker"},
                 {20, 2, "p2", "刘洋", "liu@qiming.example", "", "运营总监", "budget_holder"},
                 {30, 3, "p3", "周杰", "zhou@yuanhang.example", "", "数据分析师", "user"},
                 {31, 3, "p4", "赵敏", "zhao@yuanhang.example", "", "IT 经理", "evaluator"}};
  in.webinar_events = {{Ago(100), false, "p3", "b2b_growth_live", "wb-004"},
                       {Ago(98), false, "p4", "b2b_growth_live", "wb-004"},
                       {Ago(95), true, "p3", "b2b_growth_live", "wb-004"}};
  in.signups[1] = {Ago(360), "p1", "website", "", "", ""};
  in.signups[2] = {Ago(200), "p2", "partner", "aliyun_market", "marketplace_listing", ""};
  in.signups[3] = {Ago(100), "p3", "webinar", "webinar", "b2b_growth_live", ""};
  in.utm_seen["b2b_growth_live"] = {Ago(100), Ago(95)};
  return in;
}

// The records of the plan after all its writes: plan key → (resource, fields).
struct Replayed {
  std::map<std::string, std::string> resource;
  std::map<std::string, json> fields;
  std::vector<std::string> order;  // creation order
};
Replayed Replay(const std::vector<DemoRecordWrite>& plan) {
  Replayed out;
  for (const auto& w : plan) {
    if (!w.update) {
      EXPECT_EQ(out.resource.count(w.key), 0u) << "created twice: " << w.key;
      out.resource[w.key] = w.resource;
      out.fields[w.key] = w.fields;
      out.order.push_back(w.key);
    } else {
      EXPECT_EQ(out.resource.count(w.key), 1u) << "updated before created: " << w.key;
      EXPECT_NE(w.resource, "point_entries") << "the ledger is append-only";
      for (const auto& [k, v] : w.fields.items()) out.fields[w.key][k] = v;
    }
  }
  return out;
}
std::vector<std::string> Of(const Replayed& r, const std::string& resource) {
  std::vector<std::string> keys;
  for (const auto& k : r.order) {
    if (r.resource.at(k) == resource) keys.push_back(k);
  }
  return keys;
}

TEST(DemoGrowthRecords, SameSeedGivesTheSamePlan) {
  const auto a = PlanDemoGrowthRecords(Story(42));
  const auto b = PlanDemoGrowthRecords(Story(42));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].at_ms, b[i].at_ms);
    EXPECT_EQ(a[i].key, b[i].key);
    EXPECT_EQ(a[i].fields, b[i].fields) << a[i].key;
  }
}

TEST(DemoGrowthRecords, WritesAreOrderedBeforeTheEndAndReferencesResolve) {
  const auto plan = PlanDemoGrowthRecords(Story());
  std::set<std::string> created;
  std::set<int64_t> accounts = {1, 2, 3}, contacts = {10, 20, 30, 31};
  int64_t last = INT64_MIN;
  std::function<void(const json&)> check = [&](const json& v) {
    if (v.is_object() && v.size() == 1 && v.contains("$plan")) {
      EXPECT_EQ(created.count(v["$plan"].get<std::string>()), 1u) << v.dump();
      return;
    }
    if (v.is_object() || v.is_array()) {
      for (const auto& x : v) check(x);
    }
  };
  for (const auto& w : plan) {
    EXPECT_LE(last, w.at_ms) << w.key;
    EXPECT_LT(w.at_ms, kEndMs) << w.key;
    last = w.at_ms;
    check(w.fields);
    if (w.fields.contains("account_id")) {
      EXPECT_EQ(accounts.count(w.fields["account_id"].get<int64_t>()), 1u) << w.key;
    }
    if (w.fields.contains("contact_id")) {
      EXPECT_EQ(contacts.count(w.fields["contact_id"].get<int64_t>()), 1u) << w.key;
    }
    if (!w.update) created.insert(w.key);
  }
  const Replayed r = Replay(plan);
  // One campaign: the only utm campaign seen. 5 partners, 12 content items, 3 playbooks,
  // 4 goals, 3 strategies, 3 leads (one per signup).
  EXPECT_EQ(Of(r, "campaigns").size(), 1u);
  EXPECT_EQ(Of(r, "partners").size(), 5u);
  EXPECT_EQ(Of(r, "content_items").size(), 12u);
  EXPECT_EQ(Of(r, "playbooks").size(), 3u);
  EXPECT_EQ(Of(r, "goals").size(), 4u);
  EXPECT_EQ(Of(r, "strategies").size(), 3u);
  EXPECT_EQ(Of(r, "leads").size(), 3u);
  EXPECT_EQ(r.fields.at("content:cs-mfg-01")["content_key"], "cs-mfg-01");
}

TEST(DemoGrowthRecords, MembersComeFromWebinarEventsWithTheirAccounts) {
  const Replayed r = Replay(PlanDemoGrowthRecords(Story()));
  const auto members = Of(r, "campaign_members");
  ASSERT_EQ(members.size(), 2u);
  // p3 registered 100 days ago and attended; p4 registered and never came: no_show.
  const json& p3 = r.fields.at("member:b2b_growth_live:p3");
  EXPECT_EQ(p3["status"], "attended");
  EXPECT_EQ(p3["contact_id"], 30);
  EXPECT_EQ(p3["account_id"], 3);
  EXPECT_EQ(p3["company"], "远航教育");
  EXPECT_EQ(p3["campaign_id"], json({{"$plan", "campaign:b2b_growth_live"}}));
  const json& p4 = r.fields.at("member:b2b_growth_live:p4");
  EXPECT_EQ(p4["status"], "no_show");
  EXPECT_EQ(p4["contact_id"], 31);
  EXPECT_EQ(p4["account_id"], 3);
  // Members' contacts belong to their accounts (contact 30 and 31 are account 3's).
  const std::map<int64_t, int64_t> account_of = {{10, 1}, {20, 2}, {30, 3}, {31, 3}};
  for (const auto& k : members) {
    EXPECT_EQ(account_of.at(r.fields.at(k)["contact_id"].get<int64_t>()), r.fields.at(k)["account_id"].get<int64_t>());
  }
}

TEST(DemoGrowthRecords, LeadsCarryTheirSource) {
  const Replayed r = Replay(PlanDemoGrowthRecords(Story()));
  EXPECT_EQ(r.fields.at("lead:1")["source"], "channel");
  EXPECT_EQ(r.fields.at("lead:2")["source"], "partner");
  EXPECT_EQ(r.fields.at("lead:2")["partner_id"], json({{"$plan", "partner:0"}}));  // aliyun_market
  EXPECT_EQ(r.fields.at("lead:3")["source"], "campaign");
  EXPECT_EQ(r.fields.at("lead:3")["campaign_id"], json({{"$plan", "campaign:b2b_growth_live"}}));
  for (const char* k : {"lead:1", "lead:2", "lead:3"}) {
    const json& l = r.fields.at(k);
    if (l["validity"] == "invalid") {
      EXPECT_EQ(l["status"], "disqualified");
      EXPECT_FALSE(l["invalid_reason"].get<std::string>().empty());
    }
  }
  // Account 2 demoed and bought: never invalid, converted once someone answered it.
  const json& l2 = r.fields.at("lead:2");
  EXPECT_NE(l2["validity"], "invalid");
  if (l2.contains("first_response_at")) {
    EXPECT_EQ(l2["status"], "converted");
  }
}

TEST(DemoGrowthRecords, RenewalsFollowRenewalAndChurnEvents) {
  const DemoGrowthInput in = Story();
  const Replayed r = Replay(PlanDemoGrowthRecords(in));
  const auto renewals = Of(r, "renewals");
  // Account 1: signed 35 days ago (2026-01-28 local) and its next date upcoming;
  // account 2: lost 10 days ago (2026-02-22) for 预算削减; account 3: none.
  ASSERT_EQ(renewals.size(), 3u);
  const json& signed_one = r.fields.at("renewal:1:0");
  EXPECT_EQ(signed_one["status"], "signed");
  EXPECT_EQ(signed_one["renewal_date"], "2026-01-28");
  EXPECT_EQ(signed_one["arr"], 130000.0);
  const json& next = r.fields.at("renewal:1:next");
  EXPECT_EQ(next["status"], "upcoming");  // in progress only 45 days before 2027-01-27
  EXPECT_EQ(next["renewal_date"], "2027-01-27");
  const json& lost = r.fields.at("renewal:2:0");
  EXPECT_EQ(lost["status"], "lost");
  EXPECT_EQ(lost["renewal_date"], "2026-02-22");
  EXPECT_EQ(lost["lost_reason"], "预算削减");
}

TEST(DemoGrowthRecords, LedgersNeverGoNegative) {
  const auto plan = PlanDemoGrowthRecords(Story());
  std::map<std::string, int64_t> balance;
  std::vector<std::pair<std::string, int64_t>> aliyun;
  std::set<std::string> keys;
  for (const auto& w : plan) {
    if (w.resource != "point_entries") continue;
    const std::string partner = w.fields["partner_id"]["$plan"];
    const int64_t points = w.fields["points"];
    const std::string kind = w.fields["kind"];
    if (kind == "penalty" || kind == "redemption") EXPECT_LT(points, 0) << w.key;
    else EXPECT_GT(points, 0) << w.key;
    balance[partner] += points;
    EXPECT_GE(balance[partner], 0) << w.key;
    EXPECT_TRUE(keys.insert(w.fields["idempotency_key"]).second);
    if (partner == "partner:0") aliyun.push_back({kind, points});
  }
  // Account 2 through aliyun_market: presales 80 (180 days ago), quote 50 + 2 × 100 seats
  // = 250, reward max(50, 60000 / 1000) = 60, a delivery rating 60..120 (30 days after
  // the purchase); at the redemption 95 days ago the balance is 450..510, half rounded
  // down to hundreds = 200; then the churn penalty −100.
  ASSERT_EQ(aliyun.size(), 6u);
  EXPECT_EQ(aliyun[0], std::make_pair(std::string("presales"), int64_t{80}));
  EXPECT_EQ(aliyun[1], std::make_pair(std::string("quote"), int64_t{250}));
  EXPECT_EQ(aliyun[2], std::make_pair(std::string("reward"), int64_t{60}));
  EXPECT_EQ(aliyun[3].first, "delivery_rating");
  EXPECT_GE(aliyun[3].second, 60);
  EXPECT_LE(aliyun[3].second, 120);
  EXPECT_EQ(aliyun[4], std::make_pair(std::string("redemption"), int64_t{-200}));
  EXPECT_EQ(aliyun[5], std::make_pair(std::string("penalty"), int64_t{-100}));
}

TEST(DemoGrowthRecords, GoalsCarryQueries) {
  const Replayed r = Replay(PlanDemoGrowthRecords(Story()));
  for (const auto& k : Of(r, "goals")) {
    const json q = json::parse(r.fields.at(k)["query"].get<std::string>());
    EXPECT_TRUE(q["kind"] == "trend" || q["kind"] == "funnel") << k;
    EXPECT_GT(r.fields.at(k)["target"].get<double>(), 0) << k;
  }
  // 3 signups over 365 days = 12.2 months: 0.25 a month × 1.15 rounds to 0, so the floor 1.
  EXPECT_EQ(r.fields.at("goal:signups")["target"], 1.0);
  EXPECT_EQ(r.fields.at("strategy:case")["goal_id"], json({{"$plan", "goal:signups"}}));
}

}  // namespace
}  // namespace tobops::ops
