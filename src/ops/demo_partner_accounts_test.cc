// The growth demo links partners to accounts (docs/growth/demo_records.md): partners
// 0–2 get a paying, never churned account spread over the id order, partners 3–4 none.
// A hand-built list of accounts; the expected ids are worked out by hand below.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "common/time_format.h"
#include "ops/demo_growth_records.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kEndMs = 1772553600000;  // 2026-03-04T00:00:00+08:00
constexpr int64_t kDay = 86'400'000;

// Accounts 1..8, given in reverse id order: odd ids paid, 3 churned later, 8 paid too.
// Paying and never churned, by id: 1, 5, 7, 8 (4 accounts) → partners take the ones at
// index 0·4/3 = 0, 1·4/3 = 1, 2·4/3 = 2 → accounts 1, 5, 7.
DemoGrowthInput Story() {
  DemoGrowthInput in;
  in.seed = 7;
  in.end_ms = kEndMs;
  in.zone = *LoadTimeZone("Asia/Shanghai");
  in.story_start_ms = kEndMs - 365 * kDay;
  for (int64_t id = 8; id >= 1; --id) {
    DemoAccountFacts a;
    a.id = id;
    a.group_id = "acc-00000" + std::to_string(id);
    a.name = "客户" + std::to_string(id);
    if (id % 2 == 1 || id == 8) {
      a.purchase_ms = kEndMs - (100 + id) * kDay;
      a.purchase_amount = 50000;
    }
    if (id == 3) a.churn_ms = kEndMs - 20 * kDay;
    in.accounts.push_back(a);
  }
  return in;
}

TEST(DemoPartnerAccounts, ThreePartnersAreLinkedToPayingAccounts) {
  std::map<std::string, json> partners;
  for (const auto& w : PlanDemoGrowthRecords(Story())) {
    if (w.resource == "partners" && !w.update) partners[w.key] = w.fields;
  }
  ASSERT_EQ(partners.size(), 5u);
  EXPECT_EQ(partners["partner:0"].value("account_id", json(nullptr)), 1);
  EXPECT_EQ(partners["partner:1"].value("account_id", json(nullptr)), 5);
  EXPECT_EQ(partners["partner:2"].value("account_id", json(nullptr)), 7);
  EXPECT_FALSE(partners["partner:3"].contains("account_id"));
  EXPECT_FALSE(partners["partner:4"].contains("account_id"));
}

// With no paying account nobody is linked (the plan still has its five partners).
TEST(DemoPartnerAccounts, NoPayingAccountNoLink) {
  DemoGrowthInput in = Story();
  for (auto& a : in.accounts) a.purchase_ms = 0;
  size_t partners = 0;
  for (const auto& w : PlanDemoGrowthRecords(in)) {
    if (w.resource != "partners" || w.update) continue;
    ++partners;
    EXPECT_FALSE(w.fields.contains("account_id")) << w.key;
  }
  EXPECT_EQ(partners, 5u);
}

}  // namespace
}  // namespace tobops::ops
