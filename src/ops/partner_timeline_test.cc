// Partner points and milestones on the one timeline (ops/timeline_outbox.h): every
// points entry of a partner linked to an account becomes partner_points_recorded on that
// account; a partner without an account writes nothing; a replayed entry (same
// idempotency key) writes no second event; a milestone reaching done writes
// milestone_done once.
#include <gtest/gtest.h>

#include <algorithm>

#include "ops/ops_test_world.h"
#include "ops/partner_points.h"
#include "ops/timeline_outbox.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1'700'000'000'000;  // the fixture clock's start

class PartnerTimelineTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    // As the server installs them (server/workspace.cc): the balance rule, then the outbox.
    InstallPartnerPointsHooks(*catalog_);
    TimelineOutbox::Install(*catalog_);
    account_ = MustCreate("accounts", {{"name", "神州数码"}, {"group_id", "g-dc"}});
    linked_ = MustCreate("partners", {{"name", "神州数码伙伴"}, {"kind", "integrator"}, {"account_id", account_}});
    unlinked_ = MustCreate("partners", {{"name", "东软集团"}, {"kind", "supplier"}});
  }

  PointsRequest Request(std::string kind, int64_t points, std::string key, std::string reason = {}) {
    PointsRequest r;
    r.kind = std::move(kind);
    r.points = points;
    r.idempotency_key = std::move(key);
    r.reason = std::move(reason);
    return r;
  }

  int64_t account_ = 0, linked_ = 0, unlinked_ = 0;
};

TEST_F(PartnerTimelineTest, AnEntryOfALinkedPartnerIsAnEventOnItsAccount) {
  clock_.now->store(kT0 + 60'000);
  auto recorded = RecordPoints(*catalog_, "p1", linked_, Request("presales", 80, "k-1", "售前支持：华东制造"));
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  const int64_t entry = recorded->entry["id"].get<int64_t>();

  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 1u);
  const json& m = pending[0];
  EXPECT_EQ(m["event"], "partner_points_recorded");
  EXPECT_EQ(m["timestamp"], kT0 + 60'000);
  // No person: the account itself.
  EXPECT_EQ(m["anonymousId"], "account:g-dc");
  EXPECT_FALSE(m.contains("userId"));
  EXPECT_EQ(m["context"]["groupId"], "g-dc");
  EXPECT_EQ(m["messageId"], "rec-point_entries-" + std::to_string(entry) + "-" + std::to_string(kT0 + 60'000) +
                                "-partner_points_recorded");
  const json& p = m["properties"];
  EXPECT_EQ(p["partner_id"], linked_);
  EXPECT_EQ(p["partner_name"], "神州数码伙伴");
  EXPECT_EQ(p["kind"], "presales");
  EXPECT_EQ(p["points"], 80);
  EXPECT_EQ(p["reason"], "售前支持：华东制造");
  EXPECT_EQ(p["idempotency_key"], "k-1");
  EXPECT_EQ(p["record_type"], "point_entries");
  EXPECT_EQ(p["record_id"], entry);
  EXPECT_EQ(p["$source"], "records");

  // A redemption is stored negative, and so reported.
  ASSERT_TRUE(RecordPoints(*catalog_, "p1", linked_, Request("redemption", 30, "k-2")).ok());
  pending = Outbox();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[1]["properties"]["kind"], "redemption");
  EXPECT_EQ(pending[1]["properties"]["points"], -30);
  EXPECT_TRUE(pending[1]["properties"]["reason"].is_null());

  auto drained = TimelineOutbox::Drain(Context());
  ASSERT_TRUE(drained.ok()) << drained.status().ToString();
  EXPECT_EQ(drained->messages, 2u);
  const std::vector<StoredEvent> events = StoredEvents("partner_points_recorded");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].account, "g-dc");
  EXPECT_EQ(events[1].account, "g-dc");
}

TEST_F(PartnerTimelineTest, APartnerWithoutAnAccountWritesNoEvent) {
  ASSERT_TRUE(RecordPoints(*catalog_, "p1", unlinked_, Request("reward", 100, "k-u")).ok());
  EXPECT_TRUE(Outbox().empty());
  // Linking it later does not rewrite the past, but its next entry is on the account.
  ASSERT_TRUE(Store("partners").Update("p1", unlinked_, {{"account_id", account_}}).ok());
  ASSERT_TRUE(RecordPoints(*catalog_, "p1", unlinked_, Request("quote", 50, "k-u2")).ok());
  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["properties"]["idempotency_key"], "k-u2");
}

TEST_F(PartnerTimelineTest, AReplayedEntryWritesNoSecondEvent) {
  ASSERT_TRUE(RecordPoints(*catalog_, "p1", linked_, Request("reward", 100, "k-r", "成交奖励")).ok());
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  clock_.now->store(kT0 + 120'000);
  auto again = RecordPoints(*catalog_, "p1", linked_, Request("reward", 100, "k-r", "成交奖励"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(Outbox().empty());
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  EXPECT_EQ(StoredEvents("partner_points_recorded").size(), 1u);
}

// A refused redemption (above the balance) rolls back with its event.
TEST_F(PartnerTimelineTest, ARefusedEntryLeavesNoEvent) {
  auto refused = RecordPoints(*catalog_, "p1", linked_, Request("redemption", 10, "k-x"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(PartnerTimelineTest, AMilestoneDoneIsAnEventOnItsAccountOnce) {
  const int64_t m = MustCreate("milestones", {{"account_id", account_}, {"name", "数据接入完成"}, {"position", 2}});
  EXPECT_TRUE(Outbox().empty());  // created pending: nothing yet
  clock_.now->store(kT0 + 60'000);
  ASSERT_TRUE(Store("milestones").Update("p1", m, {{"status", "in_progress"}}).ok());
  EXPECT_TRUE(Outbox().empty());
  clock_.now->store(kT0 + 120'000);
  ASSERT_TRUE(Store("milestones").Update("p1", m, {{"status", "done"}, {"done_on", "2023-11-14"}}).ok());
  clock_.now->store(kT0 + 180'000);
  ASSERT_TRUE(Store("milestones").Update("p1", m, {{"notes", "客户确认"}}).ok());  // still done: no event
  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["event"], "milestone_done");
  EXPECT_EQ(pending[0]["timestamp"], kT0 + 120'000);
  EXPECT_EQ(pending[0]["anonymousId"], "account:g-dc");
  EXPECT_EQ(pending[0]["context"]["groupId"], "g-dc");
  EXPECT_EQ(pending[0]["properties"]["milestone_id"], m);
  EXPECT_EQ(pending[0]["properties"]["name"], "数据接入完成");
  EXPECT_EQ(pending[0]["properties"]["position"], 2);
  // Created done: one event at once.
  MustCreate("milestones", {{"account_id", account_}, {"name", "合同签署"}, {"position", 1}, {"status", "done"}});
  pending = Outbox();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[1]["properties"]["name"], "合同签署");
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  EXPECT_EQ(StoredEvents("milestone_done").size(), 2u);
}

// Draining the same outbox rows twice (a crash between "stored" and "deleted") stores
// each event once: the messageId scheme makes it idempotent.
TEST_F(PartnerTimelineTest, ARepeatedDrainStoresEachEventOnce) {
  ASSERT_TRUE(RecordPoints(*catalog_, "p1", linked_, Request("reward", 100, "k-d")).ok());
  const std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  // Put the same row back, as if the delete had not happened.
  ASSERT_TRUE(db_->Run([&](domain::SqliteConnection& conn) -> Status {
                   ASSIGN_OR_RETURN(auto stmt, conn.Prepare("INSERT INTO timeline_outbox (project_id, message_json, "
                                                            "created_at_ms) VALUES ('p1', ?, 0)"));
                   RETURN_IF_ERROR(stmt.BindText(1, pending[0].dump()));
                   return stmt.Run();
                 }).ok());
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  EXPECT_EQ(StoredEvents("partner_points_recorded").size(), 1u);
}

}  // namespace
}  // namespace tobops::ops
