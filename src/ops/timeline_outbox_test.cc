#include "ops/timeline_outbox.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class TimelineOutboxTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    TimelineOutbox::Install(*catalog_);

    // Account "Acme" (group g1) with two people and one account without a group id.
    account_ = MustCreate("accounts", {{"name", "Acme"}, {"group_id", "g1"}});
    li_ = MustCreate("contacts", {{"name", "Li"}, {"person_id", "u1"}, {"account_id", account_}});
    wang_ = MustCreate("contacts", {{"name", "Wang"}, {"person_id", "u2"}, {"account_id", account_}});
  }

  int64_t account_ = 0;
  int64_t li_ = 0;
  int64_t wang_ = 0;
};

constexpr int64_t kT0 = 1'700'000'000'000;  // the fixture clock's start

TEST_F(TimelineOutboxTest, StageChangeWritesTheChangeAndTheWin) {
  const int64_t opp = MustCreate("opportunities", {{"account_id", account_},
                                                   {"name", "Acme 2027"},
                                                   {"stage", "lead"},
                                                   {"amount", 480000},
                                                   {"primary_contact_id", li_}});
  clock_.now->store(kT0 + 60'000);
  ASSERT_TRUE(Store("opportunities").Update("p1", opp, {{"stage", "won"}}).ok());

  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 3u);
  // Created at kT0 by Li (the primary contact) of g1.
  EXPECT_EQ(pending[0]["event"], "opportunity_created");
  EXPECT_EQ(pending[0]["timestamp"], kT0);
  EXPECT_EQ(pending[0]["properties"]["stage"], "lead");
  EXPECT_EQ(pending[0]["properties"]["amount"], 480000.0);
  // The stage change, exactly.
  const std::string id = std::to_string(opp);
  const json expected_change = {
      {"type", "track"},
      {"event", "opportunity_stage_changed"},
      {"timestamp", kT0 + 60'000},
      {"messageId", "rec-opportunities-" + id + "-" + std::to_string(kT0 + 60'000) + "-opportunity_stage_changed"},
      {"userId", "u1"},
      {"context", {{"groupId", "g1"}}},
      {"properties",
       {{"opportunity_id", opp},
        {"name", "Acme 2027"},
        {"from_stage", "lead"},
        {"to_stage", "won"},
        {"amount", 480000.0},
        {"outcome", "won"},
        {"contact_id", li_},
        {"record_type", "opportunities"},
        {"record_id", opp},
        {"$source", "records"}}}};
  EXPECT_EQ(pending[1], expected_change) << pending[1].dump(2);
  EXPECT_EQ(pending[2]["event"], "deal_won");
  EXPECT_EQ(pending[2]["properties"]["amount"], 480000.0);

  auto drained = TimelineOutbox::Drain(Context());
  ASSERT_TRUE(drained.ok()) << drained.status().ToString();
  EXPECT_EQ(drained->messages, 3u);
  EXPECT_EQ(drained->rejected, 0u);
  EXPECT_EQ(*TimelineOutbox::Pending(*db_, "p1"), 0u);
  const std::vector<StoredEvent> expected = {{"opportunity_created", "u1", "g1", kT0},
                                        {"deal_won", "u1", "g1", kT0 + 60'000},
                                        {"opportunity_stage_changed", "u1", "g1", kT0 + 60'000}};
  auto stored = StoredEvents();
  ASSERT_EQ(stored.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(stored[i].event, expected[i].event);
    EXPECT_EQ(stored[i].person, expected[i].person);
    EXPECT_EQ(stored[i].account, expected[i].account);
    EXPECT_EQ(stored[i].timestamp_ms, expected[i].timestamp_ms);
  }

  // Other edits of the opportunity (no stage move) write nothing.
  ASSERT_TRUE(Store("opportunities").Update("p1", opp, {{"amount", 500000}}).ok());
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(TimelineOutboxTest, HeldVisitWritesOneEventPerCustomerAttendee) {
  const int64_t held_at = 1'763'000'000'000;  // 2025-11-13T02:13:20Z
  const json attendees = {{{"contact_id", li_}, {"name", "Li"}, {"role", "decision_maker"}, {"side", "customer"}},
                          {{"contact_id", wang_}, {"name", "Wang"}, {"role", "user"}},  // side defaults to customer
                          {{"name", "Our AE"}, {"role", "sales"}, {"side", "ours"}}};
  const int64_t visit = MustCreate("visits", {{"account_id", account_},
                                              {"kind", "demo"},
                                              {"title", "Demo at Acme"},
                                              {"held_at", held_at},
                                              {"status", "planned"},
                                              {"stage", "solution"},
                                              {"actions", {"demo", "technical_exchange"}},
                                              {"attendees", attendees}});
  EXPECT_TRUE(Outbox().empty());  // planned: nothing happened yet
  ASSERT_TRUE(Store("visits").Update("p1", visit, {{"status", "held"}}).ok());

  std::vector<json> pending = Outbox();
  // Li and Wang: two events at held_at; our own attendee gets none.
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0]["event"], "visit_held");
  EXPECT_EQ(pending[0]["userId"], "u1");
  EXPECT_EQ(pending[0]["timestamp"], held_at);
  EXPECT_EQ(pending[0]["context"]["groupId"], "g1");
  EXPECT_EQ(pending[0]["properties"]["kind"], "demo");
  EXPECT_EQ(pending[0]["properties"]["stage"], "solution");
  EXPECT_EQ(pending[0]["properties"]["actions"], json({"demo", "technical_exchange"}));
  EXPECT_EQ(pending[0]["properties"]["attendee_role"], "decision_maker");
  EXPECT_EQ(pending[1]["userId"], "u2");
  EXPECT_EQ(pending[1]["properties"]["attendee_role"], "user");
  EXPECT_NE(pending[0]["messageId"], pending[1]["messageId"]);

  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  auto stored = StoredEvents();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].person, "u1");
  EXPECT_EQ(stored[1].person, "u2");

  // Held already: editing the summary writes nothing more.
  ASSERT_TRUE(Store("visits").Update("p1", visit, {{"summary", "went well"}}).ok());
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(TimelineOutboxTest, EventsWithoutAPersonBelongToTheAccount) {
  // A hand-made account without group id and a visit with no known contact.
  const int64_t plain = MustCreate("accounts", {{"name", "Plain"}});
  MustCreate("visits", {{"account_id", plain}, {"title", "Call"}, {"kind", "call"}, {"held_at", kT0}});
  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 1u);
  const std::string group = "record-account-" + std::to_string(plain);
  EXPECT_EQ(pending[0]["anonymousId"], "account:" + group);
  EXPECT_FALSE(pending[0].contains("userId"));
  EXPECT_EQ(pending[0]["context"]["groupId"], group);
}

TEST_F(TimelineOutboxTest, RedrainAfterACrashStoresNothingTwice) {
  const int64_t opp = MustCreate("opportunities", {{"account_id", account_}, {"name", "Deal"}, {"stage", "lead"}});
  MustCreate("stakeholders", {{"opportunity_id", opp}, {"contact_id", wang_}, {"role", "evaluator"}, {"stance", "supporter"}});
  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 2u);  // opportunity_created, stakeholder_added
  EXPECT_EQ(pending[1]["event"], "stakeholder_added");
  EXPECT_EQ(pending[1]["userId"], "u2");
  EXPECT_EQ(pending[1]["properties"]["role"], "evaluator");
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  ASSERT_EQ(StoredEvents().size(), 2u);

  // A crash after the events were stored but before the rows were deleted: the rows
  // are still there on the next start. Put them back and drain again.
  ASSERT_TRUE(db_->Run([&](domain::SqliteConnection& conn) -> Status {
                   for (const auto& m : pending) {
                     ASSIGN_OR_RETURN(auto stmt, conn.Prepare("INSERT INTO timeline_outbox (project_id, message_json, "
                                                              "created_at_ms) VALUES ('p1', ?, 0)"));
                     RETURN_IF_ERROR(stmt.BindText(1, m.dump()));
                     RETURN_IF_ERROR(stmt.Run());
                   }
                   return Status::Ok();
                 }).ok());
  auto again = TimelineOutbox::Drain(Context());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages, 2u);
  EXPECT_EQ(StoredEvents().size(), 2u);  // same messageIds: dropped as duplicates
  EXPECT_EQ(*TimelineOutbox::Pending(*db_, "p1"), 0u);
}

TEST_F(TimelineOutboxTest, ARolledBackWriteLeavesNoRow) {
  // A veto added after the outbox hook (as the pipeline's stage check is) undoes the
  // outbox row with the write.
  Store("opportunities")
      .AddChangeHook([](domain::SqliteConnection&, const std::string&, const json*, const json* after) -> Status {
        if (after != nullptr && (*after)["stage"] == "bogus") return InvalidArgument("unknown stage", "stage");
        return Status::Ok();
      });
  auto refused = Store("opportunities").Create("p1", {{"account_id", account_}, {"name", "X"}, {"stage", "bogus"}});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(Store("opportunities").List("p1", {})->total, 0);
}

TEST_F(TimelineOutboxTest, FollowUpDoneAndFeedbackPerAccount) {
  const int64_t beta = MustCreate("accounts", {{"name", "Beta"}, {"group_id", "g2"}});
  const int64_t fu = MustCreate("follow_ups", {{"account_id", account_}, {"title", "Send quote"}, {"owner", "zhang"},
                                               {"due_date", "2026-12-01"}});
  EXPECT_TRUE(Outbox().empty());  // open
  ASSERT_TRUE(Store("follow_ups").Update("p1", fu, {{"status", "done"}}).ok());
  MustCreate("feedback", {{"title", "SSO"}, {"account_ids", {account_, beta}}});
  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0]["event"], "follow_up_done");
  EXPECT_EQ(pending[0]["anonymousId"], "account:g1");
  EXPECT_EQ(pending[1]["event"], "feedback_submitted");
  EXPECT_EQ(pending[1]["context"]["groupId"], "g1");
  EXPECT_EQ(pending[1]["properties"]["status"], "evaluating");
  EXPECT_EQ(pending[2]["context"]["groupId"], "g2");
}

TEST_F(TimelineOutboxTest, CampaignAttendanceLeadQualifiedAndRenewalOutcome) {
  const int64_t webinar = MustCreate("campaigns", {{"name", "ABM 直播"}, {"type", "webinar"}});
  // Registered, then attended: one event, on attending, for Li at Acme.
  const int64_t member = MustCreate("campaign_members", {{"campaign_id", webinar}, {"name", "Li"}, {"contact_id", li_},
                                                         {"account_id", account_}, {"status", "registered"}});
  // A member nobody knows (no contact, no account) writes nothing even when attending.
  MustCreate("campaign_members", {{"campaign_id", webinar}, {"name", "Walk-in"}, {"status", "attended"}});
  EXPECT_TRUE(Outbox().empty());
  ASSERT_TRUE(Store("campaign_members").Update("p1", member, {{"status", "attended"}}).ok());
  ASSERT_TRUE(Store("campaign_members").Update("p1", member, {{"notes", "asked about SSO"}}).ok());  // no second

  const int64_t lead = MustCreate("leads", {{"name", "Wang"}, {"contact_id", wang_}, {"source", "campaign"},
                                            {"campaign_id", webinar}});
  ASSERT_TRUE(Store("leads").Update("p1", lead, {{"status", "qualified"}}).ok());

  const int64_t renewal = MustCreate("renewals", {{"account_id", account_}, {"renewal_date", "2026-12-31"}, {"arr", 96000}});
  ASSERT_TRUE(Store("renewals").Update("p1", renewal, {{"status", "signed"}}).ok());

  std::vector<json> pending = Outbox();
  ASSERT_EQ(pending.size(), 3u);
  EXPECT_EQ(pending[0]["event"], "campaign_attended");
  EXPECT_EQ(pending[0]["userId"], "u1");
  EXPECT_EQ(pending[0]["context"]["groupId"], "g1");
  EXPECT_EQ(pending[0]["properties"]["campaign_name"], "ABM 直播");
  EXPECT_EQ(pending[0]["properties"]["campaign_type"], "webinar");
  // The lead names only a contact: the event is Wang's, with no account of its own.
  EXPECT_EQ(pending[1]["event"], "lead_qualified");
  EXPECT_EQ(pending[1]["userId"], "u2");
  EXPECT_EQ(pending[1]["properties"]["source"], "campaign");
  EXPECT_EQ(pending[2]["event"], "renewal_signed");
  EXPECT_EQ(pending[2]["anonymousId"], "account:g1");
  EXPECT_EQ(pending[2]["properties"]["arr"], 96000.0);
  ASSERT_TRUE(TimelineOutbox::Drain(Context()).ok());
  EXPECT_EQ(StoredEvents().size(), 3u);
}

TEST_F(TimelineOutboxTest, DrainNeedsRecordsAndAPipeline) {
  OpsContext ctx = Context();
  ctx.pipeline = nullptr;
  EXPECT_EQ(TimelineOutbox::Drain(ctx).status().code(), StatusCode::kFailedPrecondition);
  ctx = Context();
  ctx.records = nullptr;
  EXPECT_EQ(TimelineOutbox::Drain(ctx).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tobops::ops
