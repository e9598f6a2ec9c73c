// Tests of ops/partner_points.h: sign rules, the no-overdraw rule on every path (the
// service, the generic record create, concurrent redemptions), idempotency keys and
// the ledger's running balance. Expected numbers are worked out by hand in comments.
#include "ops/partner_points.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class PartnerPointsTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    InstallPartnerPointsHooks(*catalog_);
    partner_ = MustCreate("partners", {{"name", "Acme SI"}, {"kind", "integrator"}});
    other_ = MustCreate("partners", {{"name", "Beta Cloud"}});
  }

  PointsRequest Req(std::string kind, int64_t points, std::string key, std::string reason = "") {
    PointsRequest r;
    r.kind = std::move(kind);
    r.points = points;
    r.idempotency_key = std::move(key);
    r.reason = std::move(reason);
    return r;
  }

  Result<PointsOutcome> Record(int64_t partner, const PointsRequest& r) {
    return RecordPoints(*catalog_, "p1", partner, r);
  }

  // The project at the record clock's now.
  OpsContext Ctx() {
    OpsContext c = Context();
    c.now_ms = clock_.now->load();
    return c;
  }

  int64_t partner_ = 0;
  int64_t other_ = 0;
};

TEST_F(PartnerPointsTest, EarnRedeemPenaltyAndTheBalanceRule) {
  // quote 300 → 300; reward 200 → 500; redemption 450 (given positive) → stored −450,
  // balance 50; redemption 100 > 50 → refused "balance 50"; penalty 80 → −80, balance
  // −30 (a penalty may overdraw); redemption 1 → refused "balance -30".
  auto a = Record(partner_, Req("quote", 300, "k1"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->balance, 300);
  EXPECT_FALSE(a->replayed);
  auto b = Record(partner_, Req("reward", 200, "k2"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->balance, 500);
  auto c = Record(partner_, Req("redemption", 450, "k3", "gift"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->entry["points"], -450);
  EXPECT_EQ(c->balance, 50);
  auto d = Record(partner_, Req("redemption", 100, "k4"));
  ASSERT_EQ(d.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(d.status().message().find("balance 50"), std::string::npos) << d.status().message();
  auto e = Record(partner_, Req("penalty", 80, "k5"));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->entry["points"], -80);
  EXPECT_EQ(e->balance, -30);
  auto f = Record(partner_, Req("redemption", 1, "k6"));
  ASSERT_EQ(f.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(f.status().message().find("balance -30"), std::string::npos) << f.status().message();
  // The other partner's balance is its own: 0, so even 1 point is refused.
  auto g = Record(other_, Req("redemption", 1, "k7"));
  EXPECT_EQ(g.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(g.status().message().find("balance 0"), std::string::npos);
  // A redemption of exactly the balance is fine: quote 40 on the other partner, redeem 40 → 0.
  ASSERT_TRUE(Record(other_, Req("quote", 40, "k8")).ok());
  auto h = Record(other_, Req("redemption", 40, "k9"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->balance, 0);
}

TEST_F(PartnerPointsTest, IdempotencyKeys) {
  auto first = Record(partner_, Req("quote", 120, "q-1", "deal 7"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(Record(partner_, Req("reward", 30, "q-2")).ok());  // balance 150 now
  // Same key, same entry → the original, replayed, with the balance at that entry (120).
  auto again = Record(partner_, Req("quote", 120, "q-1", "deal 7"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->entry["id"], first->entry["id"]);
  EXPECT_EQ(again->balance, 120);
  // Same key, other points / reason / partner → 409 naming the key.
  for (const auto& [partner, r] :
       std::vector<std::pair<int64_t, PointsRequest>>{{partner_, Req("quote", 121, "q-1", "deal 7")},
                                                      {partner_, Req("quote", 120, "q-1", "deal 8")},
                                                      {partner_, Req("reward", 120, "q-1", "deal 7")},
                                                      {other_, Req("quote", 120, "q-1", "deal 7")}}) {
    auto conflict = Record(partner, r);
    EXPECT_EQ(conflict.status().code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(conflict.status().field(), "idempotency_key");
  }
  // A replayed redemption is not spent twice: redeem 100 of 150 → 50; again → replayed, still 50.
  auto r1 = Record(partner_, Req("redemption", 100, "r-1"));
  ASSERT_TRUE(r1.ok());
  auto r2 = Record(partner_, Req("redemption", 100, "r-1"));
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->replayed);
  auto ledger = BuildPartnerLedger(Ctx(), partner_);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)["balance"], 50);  // 120 + 30 − 100
  EXPECT_EQ((*ledger)["entries"].size(), 3u);
}

TEST_F(PartnerPointsTest, GenericCreateGoesThroughTheSameRules) {
  records::RecordStore& entries = Store("point_entries");
  MustCreate("point_entries", {{"partner_id", partner_}, {"kind", "quote"}, {"points", 500}});
  // Redemption above the balance 500 through the generic create: refused, nothing stored.
  auto over = entries.Create("p1", {{"partner_id", partner_}, {"kind", "redemption"}, {"points", -600}});
  ASSERT_EQ(over.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(over.status().message().find("balance 500"), std::string::npos);
  // Signs: a redemption stored positive, or an earn stored negative, are refused.
  auto positive = entries.Create("p1", {{"partner_id", partner_}, {"kind", "redemption"}, {"points", 10}});
  EXPECT_EQ(positive.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(positive.status().field(), "points");
  auto negative = entries.Create("p1", {{"partner_id", partner_}, {"kind", "quote"}, {"points", -5}});
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  // Batch create: the good one lands, the overdraw is refused in its slot.
  // Balance 500: redeem 300 → 200, then redeem 300 more → refused (balance 200).
  auto many = entries.CreateMany("p1", {{{"partner_id", partner_}, {"kind", "redemption"}, {"points", -300}},
                                        {{"partner_id", partner_}, {"kind", "redemption"}, {"points", -300}}});
  ASSERT_TRUE(many.ok());
  EXPECT_TRUE((*many)[0].ok());
  ASSERT_FALSE((*many)[1].ok());
  EXPECT_NE((*many)[1].status().message().find("balance 200"), std::string::npos);
  // A system upsert keyed by idempotency_key cannot rewrite an entry either:
  // changing "up-1" from 10 to 5000 points is refused, the entry keeps 10.
  MustCreate("point_entries", {{"partner_id", partner_}, {"kind", "quote"}, {"points", 10}, {"idempotency_key", "up-1"}});
  auto upsert = entries.UpsertByKey(
      "p1", "idempotency_key",
      {{{"partner_id", partner_}, {"kind", "quote"}, {"points", 5000}, {"idempotency_key", "up-1"}}}, true);
  EXPECT_EQ(upsert.status().code(), StatusCode::kFailedPrecondition);
  auto ledger = BuildPartnerLedger(Ctx(), partner_);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)["balance"], 210);  // 500 − 300 + 10
}

TEST_F(PartnerPointsTest, ConcurrentRedemptionsNeverOverdraw) {
  // Balance 350; 8 threads each redeem 100 with their own key: 350 / 100 → 3 accepted
  // (350 → 250 → 150 → 50), 5 refused, balance 50.
  ASSERT_TRUE(Record(partner_, Req("reward", 350, "seed")).ok());
  std::atomic<int> accepted{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = Record(partner_, Req("redemption", 100, "c-" + std::to_string(i)));
      if (r.ok()) ++accepted;
      else if (r.status().code() == StatusCode::kFailedPrecondition) ++refused;
      else ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 3);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(other.load(), 0);
  auto ledger = BuildPartnerLedger(Ctx(), partner_);
  ASSERT_TRUE(ledger.ok());
  EXPECT_EQ((*ledger)["balance"], 50);
}

TEST_F(PartnerPointsTest, LedgerRunningBalance) {
  // quote 300, presales 200, redemption 450, penalty 80 → running 300, 500, 50, −30;
  // earned 500, redeemed 450, penalties 80.
  ASSERT_TRUE(Record(partner_, Req("quote", 300, "l1")).ok());
  ASSERT_TRUE(Record(partner_, Req("presales", 200, "l2")).ok());
  ASSERT_TRUE(Record(partner_, Req("redemption", 450, "l3")).ok());
  ASSERT_TRUE(Record(partner_, Req("penalty", -80, "l4")).ok());  // a negative amount is taken as is
  auto ledger = BuildPartnerLedger(Ctx(), partner_);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  const json& e = (*ledger)["entries"];
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0]["balance"], 300);
  EXPECT_EQ(e[1]["balance"], 500);
  EXPECT_EQ(e[2]["balance"], 50);
  EXPECT_EQ(e[3]["balance"], -30);
  EXPECT_EQ(e[3]["points"], -80);
  EXPECT_EQ((*ledger)["earned"], 500);
  EXPECT_EQ((*ledger)["redeemed"], 450);
  EXPECT_EQ((*ledger)["penalties"], 80);
  EXPECT_EQ((*ledger)["partner"]["name"], "Acme SI");
  const auto table = LedgerToTable(*ledger);
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(std::get<double>(table.rows[2][4]), 50.0);  // the balance column
  EXPECT_EQ(BuildPartnerLedger(Ctx(), 9999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Record(9999, Req("quote", 1, "nobody")).status().code(), StatusCode::kNotFound);
}

TEST_F(PartnerPointsTest, ParseRequest) {
  auto ok = ParsePointsRequest({{"kind", "redemption"}, {"points", 40}, {"idempotency_key", "x"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->points, 40);
  auto field_of = [](const json& body) { return ParsePointsRequest(body).status().field(); };
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", 5}}), "idempotency_key");
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", 5}, {"idempotency_key", ""}}), "idempotency_key");
  EXPECT_EQ(field_of({{"kind", "gift"}, {"points", 5}, {"idempotency_key", "k"}}), "kind");
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", 0}, {"idempotency_key", "k"}}), "points");
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", 1.5}, {"idempotency_key", "k"}}), "points");
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", -5}, {"idempotency_key", "k"}}), "points");
  EXPECT_EQ(field_of({{"kind", "quote"}, {"points", 5}, {"idempotency_key", "k"}, {"extra", 1}}), "extra");
  EXPECT_EQ(ParsePointsRequest(json::array()).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tobops::ops
