#include "ops/record_sync.h"

#include <gtest/gtest.h>

#include "ingest/segment_message_parser.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class RecordSyncTest : public OpsTestWorld {
 protected:
  // Applies Segment messages to the identity graph, as the pipeline would.
  void Apply(const json& messages) {
    ingest::SegmentMessageParser parser;
    auto parsed = parser.Parse(json{{"batch", messages}}.dump(), true, store::MessageType::kTrack, 1'700'000'000'000);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    for (auto& m : parsed->messages) {
      ASSERT_TRUE(m.status.ok()) << m.status.ToString();
      project_.identity().Apply(&m.message);
    }
  }

  json Only(const std::string& resource) {
    auto page = Store(resource).List("p1", records::RecordQuery{});
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(page->records.size(), 1u) << resource;
    return page->records.empty() ? json() : page->records[0];
  }

  json FindBy(const std::string& resource, const std::string& field, const std::string& value) {
    auto found = Store(resource).FindBy("p1", field, value);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? *found : json();
  }
};

const json kAcmeGroup = {{"type", "group"},
                         {"userId", "u1"},
                         {"groupId", "g1"},
                         {"traits",
                          {{"name", "Acme"},
                           {"industry", "mfg"},
                           {"arr", 120000},
                           {"seats", 25},
                           {"renewal_date", "2027-03-01T00:00:00Z"},
                           {"tier", "gold"}}}};
const json kLiIdentify = {
    {"type", "identify"},
    {"userId", "u1"},
    {"traits", {{"email", "li@acme.cn"}, {"name", "Li Lei"}, {"title", "CTO"}, {"role", "decision_maker"}}}};

TEST_F(RecordSyncTest, AppliesTraitsAndLinksTheAccount) {
  Apply({kLiIdentify, kAcmeGroup});
  auto counts = RecordSync::SyncAll(Context());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  // One account (g1) and one contact (u1) created.
  EXPECT_EQ(counts->accounts_written, 1u);
  EXPECT_EQ(counts->contacts_written, 1u);

  json account = Only("accounts");
  EXPECT_EQ(account["group_id"], "g1");
  EXPECT_EQ(account["name"], "Acme");
  EXPECT_EQ(account["industry"], "mfg");
  EXPECT_EQ(account["arr"], 120000.0);
  EXPECT_EQ(account["seats"], 25);
  EXPECT_EQ(account["renewal_date"], "2027-03-01");  // the day of the time sent
  EXPECT_EQ(account["traits"]["tier"], "gold");      // unmapped traits kept in traits
  EXPECT_EQ(account["manual_fields"], json::array());

  json contact = Only("contacts");
  EXPECT_EQ(contact["person_id"], "u1");
  EXPECT_EQ(contact["name"], "Li Lei");
  EXPECT_EQ(contact["email"], "li@acme.cn");
  EXPECT_EQ(contact["title"], "CTO");
  EXPECT_EQ(contact["role"], "decision_maker");
  EXPECT_EQ(contact["account_id"], account["id"]);
  EXPECT_EQ(contact["account_name"], "Acme");

  // Nothing changed: a second run writes nothing.
  auto again = RecordSync::SyncAll(Context());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accounts_written, 0u);
  EXPECT_EQ(again->contacts_written, 0u);
}

TEST_F(RecordSyncTest, ManualEditsWinUntilReleased) {
  Apply({kLiIdentify, kAcmeGroup});
  ASSERT_TRUE(RecordSync::SyncAll(Context()).ok());
  const int64_t id = Only("accounts")["id"].get<int64_t>();
  ASSERT_TRUE(Store("accounts").Update("p1", id, {{"industry", "retail"}}).ok());

  // A later group call changes industry and arr: arr follows, industry stays manual.
  Apply({{{"type", "group"},
          {"userId", "u1"},
          {"groupId", "g1"},
          {"traits", {{"industry", "energy"}, {"arr", 150000}}}}});
  auto counts = RecordSync::SyncTouched(Context(), {}, {"g1"});
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->accounts_written, 1u);
  json account = Only("accounts");
  EXPECT_EQ(account["industry"], "retail");
  EXPECT_EQ(account["arr"], 150000.0);
  EXPECT_EQ(account["manual_fields"], json::array({"industry"}));

  // Release: the manual mark goes and the current trait comes back.
  auto released = RecordSync::Release(Context(), "accounts", id, {"industry"});
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ((*released)["industry"], "energy");
  EXPECT_EQ((*released)["manual_fields"], json::array());

  auto unknown = RecordSync::Release(Context(), "accounts", id, {"colour"});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().field(), "fields");
  EXPECT_EQ(RecordSync::Release(Context(), "accounts", 999, {}).status().code(), StatusCode::kNotFound);
}

TEST_F(RecordSyncTest, ABadTraitSkipsOnlyItsField) {
  Apply({{{"type", "group"},
          {"userId", "u2"},
          {"groupId", "g2"},
          {"traits", {{"name", "Beta"}, {"arr", "lots"}, {"seats", 10}, {"industry", "saas"}}}},
         {{"type", "identify"},
          {"userId", "u2"},
          // role is limited to 40 bytes; this one is 45.
          {"traits", {{"email", "wang@beta.cn"}, {"title", "Buyer"}, {"role", std::string(45, 'r')}}}}});
  ASSERT_TRUE(RecordSync::SyncAll(Context()).ok());
  json account = Only("accounts");
  EXPECT_EQ(account["name"], "Beta");
  EXPECT_TRUE(account["arr"].is_null());
  EXPECT_EQ(account["seats"], 10);
  EXPECT_EQ(account["industry"], "saas");
  EXPECT_EQ(account["traits"]["arr"], "lots");

  json contact = Only("contacts");
  EXPECT_EQ(contact["name"], "wang@beta.cn");  // no name trait: the email
  EXPECT_EQ(contact["title"], "Buyer");
  EXPECT_TRUE(contact["role"].is_null());
  EXPECT_EQ(contact["account_name"], "Beta");
}

TEST_F(RecordSyncTest, APersonsAccountGetsARecordAndAnonymousPeopleDoNot) {
  Apply({// identified into g3, which no group call described
         {{"type", "identify"}, {"userId", "u3"}, {"context", {{"groupId", "g3"}}}, {"traits", {{"title", "Ops"}}}},
         // anonymous with traits: not a contact (no user id yet)
         {{"type", "identify"}, {"anonymousId", "a9"}, {"traits", {{"email", "x@y.cn"}}}},
         // a user id without traits or account: not a contact either
         {{"type", "alias"}, {"userId", "u4"}, {"previousId", "a4"}}});
  auto counts = RecordSync::SyncAll(Context());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->accounts_written, 1u);
  EXPECT_EQ(counts->contacts_written, 1u);
  json account = Only("accounts");
  EXPECT_EQ(account["group_id"], "g3");
  EXPECT_EQ(account["name"], "g3");  // no name trait: the group id
  json contact = Only("contacts");
  EXPECT_EQ(contact["person_id"], "u3");
  EXPECT_EQ(contact["name"], "u3");  // no name, no email: the person id
  EXPECT_EQ(contact["account_id"], account["id"]);
}

TEST_F(RecordSyncTest, TouchedSyncFollowsAnonymousToIdentified) {
  Apply({{{"type", "identify"}, {"anonymousId", "a1"}, {"traits", {{"name", "Zhao"}}}}});
  // The anonymous person gets no contact.
  auto first = RecordSync::SyncTouched(Context(), {"anon:a1"}, {});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->contacts_written, 0u);
  // Identified later: the traits known anonymously come along.
  Apply({{{"type", "identify"}, {"anonymousId", "a1"}, {"userId", "u5"}, {"traits", {{"email", "zhao@c.cn"}}}}});
  auto second = RecordSync::SyncTouched(Context(), {"u5"}, {});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->contacts_written, 1u);
  json contact = FindBy("contacts", "person_id", "u5");
  EXPECT_EQ(contact["name"], "Zhao");
  EXPECT_EQ(contact["email"], "zhao@c.cn");
  EXPECT_TRUE(contact["account_id"].is_null());

  auto none = RecordSync::SyncTouched(Context(), {}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->contacts_written + none->accounts_written, 0u);
}

TEST_F(RecordSyncTest, ReleasingAContactReappliesItsTraits) {
  Apply({kLiIdentify, kAcmeGroup});
  ASSERT_TRUE(RecordSync::SyncAll(Context()).ok());
  const int64_t id = FindBy("contacts", "person_id", "u1")["id"].get<int64_t>();
  ASSERT_TRUE(Store("contacts").Update("p1", id, {{"title", "Chief Technology Officer"}, {"phone", "123"}}).ok());
  ASSERT_TRUE(RecordSync::SyncAll(Context()).ok());
  EXPECT_EQ(FindBy("contacts", "person_id", "u1")["title"], "Chief Technology Officer");
  // Releasing everything: title comes back from traits; phone (no trait) keeps its value.
  auto released = RecordSync::Release(Context(), "contacts", id, {});
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ((*released)["title"], "CTO");
  EXPECT_EQ((*released)["phone"], "123");
  EXPECT_EQ((*released)["manual_fields"], json::array());
}

// The pipeline's observer (what the workspace wires to SyncTouched) is not called for
// a batch of track events, and names the persons and groups of identity messages.
TEST_F(RecordSyncTest, PipelineObserverSeesOnlyIdentityMessages) {
  std::vector<ingest::IdentityTouch> calls;
  pipeline_->SetIdentityObserver([&](const ingest::IdentityTouch& t) {
    calls.push_back(t);
    ASSERT_TRUE(RecordSync::SyncTouched(Context(), t.person_ids, t.account_ids).ok());
  });
  auto ingest = [&](const json& batch) {
    ingest::SegmentMessageParser parser;
    auto parsed = parser.Parse(json{{"batch", batch}}.dump(), true, store::MessageType::kTrack, 1'700'000'000'000);
    ASSERT_TRUE(parsed.ok());
    ASSERT_TRUE(pipeline_->Ingest(std::move(*parsed), 1'700'000'000'000).ok());
  };
  json tracks = json::array();
  for (int i = 0; i < 5000; ++i) {
    tracks.push_back({{"type", "track"}, {"userId", "u" + std::to_string(i % 50)}, {"event", "login"},
                      {"context", {{"groupId", "g1"}}}});
  }
  ingest(tracks);
  EXPECT_TRUE(calls.empty());  // 5000 track events: no sync work at all
  ingest({kLiIdentify, tracks[0], kAcmeGroup});
  pipeline_->SetIdentityObserver(nullptr);  // `calls` ends with this test
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].person_ids, std::vector<std::string>({"u1", "u1"}));  // identify, group
  EXPECT_EQ(calls[0].account_ids, std::vector<std::string>({"g1"}));
  EXPECT_EQ(FindBy("contacts", "person_id", "u1")["account_name"], "Acme");
}

}  // namespace
}  // namespace tobops::ops
