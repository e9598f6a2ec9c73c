#include "ingest/identity_graph.h"

#include <gtest/gtest.h>

#include <map>

#include "ingest/test_ingest.h"

namespace tobops::ingest {
namespace {

std::string TraitOf(const Traits& traits, const std::string& key) {
  for (const auto& t : traits) {
    if (t.key == key) return store::PropertyValueToString(t.value);
  }
  return "<absent>";
}

TEST(IdentityGraph, AnonymousVisitsJoinThePersonOnIdentify) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"page","anonymousId":"a1","timestamp":"2026-03-01T10:00:00+08:00"},
    {"type":"identify","anonymousId":"a1","userId":"u1","traits":{"role":"evaluator"},"timestamp":"2026-03-01T10:05:00+08:00"},
    {"type":"track","event":"signup","userId":"u1","timestamp":"2026-03-01T10:06:00+08:00"}]})");
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a1"), "u1");
  EXPECT_EQ(p.identity().CanonicalPerson("u1"), "u1");
  EXPECT_EQ(TraitOf(p.identity().PersonTraits("anon:a1"), "role"), "evaluator");
}

TEST(IdentityGraph, AliasMergesPreviousIdIntoUser) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"identify","userId":"old","traits":{"title":"CTO"}},
    {"type":"alias","previousId":"old","userId":"new"},
    {"type":"identify","userId":"new","traits":{"role":"decision_maker"}}]})");
  EXPECT_EQ(p.identity().CanonicalPerson("old"), "new");
  const Traits traits = p.identity().PersonTraits("old");
  EXPECT_EQ(TraitOf(traits, "title"), "CTO") << "traits known under the old id are kept";
  EXPECT_EQ(TraitOf(traits, "role"), "decision_maker");
}

TEST(IdentityGraph, EventAccountIsContextGroupElseCurrentMembership) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"track","event":"before","userId":"u1"},
    {"type":"group","userId":"u1","groupId":"acc-1","traits":{"industry":"制造业","level":"key"}},
    {"type":"track","event":"after","userId":"u1"},
    {"type":"track","event":"explicit","userId":"u1","context":{"groupId":"acc-2"}}]})");
  std::map<std::string, std::string> account_of;
  store::ScanRequest request;
  ASSERT_TRUE(p.store().Scan(request, [&](const store::ColumnBlock& b, int) {
    for (size_t i = 0; i < b.rows; ++i) account_of[b.event_dict[b.event[i]]] = b.account_dict[b.account[i]];
    return Status::Ok();
  }).ok());
  EXPECT_EQ(account_of["before"], "");
  EXPECT_EQ(account_of["$group"], "acc-1");
  EXPECT_EQ(account_of["after"], "acc-1");
  EXPECT_EQ(account_of["explicit"], "acc-2");
  EXPECT_EQ(TraitOf(p.identity().AccountTraits("acc-1"), "industry"), "制造业");
  EXPECT_EQ(p.identity().PersonAccount("u1"), "acc-1");
}

TEST(IdentityGraph, LaterTraitsOverwriteEarlierOnes) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"identify","userId":"u","traits":{"role":"user","name":"李"}},
    {"type":"identify","userId":"u","traits":{"role":"budget_holder"}}]})");
  EXPECT_EQ(TraitOf(p.identity().PersonTraits("u"), "role"), "budget_holder");
  EXPECT_EQ(TraitOf(p.identity().PersonTraits("u"), "name"), "李");
}

TEST(IdentityGraph, RebuildAfterRestartGivesTheSameState) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"page","anonymousId":"a1"},
    {"type":"identify","anonymousId":"a1","userId":"u1","traits":{"role":"signer"}},
    {"type":"group","userId":"u1","groupId":"acc-7","traits":{"industry":"金融"}},
    {"type":"alias","previousId":"legacy-9","userId":"u1"}]})");
  ASSERT_TRUE(p.store().Flush().ok());  // part from segments,
  p.Batch(R"({"batch":[{"type":"identify","userId":"u2","anonymousId":"a2","traits":{"role":"user"}}]})",
          1772590600000);  // part from the WAL
  p.Restart();
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a1"), "u1");
  EXPECT_EQ(p.identity().CanonicalPerson("legacy-9"), "u1");
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a2"), "u2");
  EXPECT_EQ(TraitOf(p.identity().PersonTraits("u1"), "role"), "signer");
  EXPECT_EQ(TraitOf(p.identity().PersonTraits("u2"), "role"), "user");
  EXPECT_EQ(TraitOf(p.identity().AccountTraits("acc-7"), "industry"), "金融");
  EXPECT_EQ(p.identity().PersonAccount("u1"), "acc-7");
}

TEST(IdentityGraph, EventsCarryingBothIdsJoinThemAlsoAfterRestart) {
  // No identify links a3 / a4 / a5: only events with both ids do, as in a client that
  // identified on another device. A restart must rebuild those joins too.
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"page","anonymousId":"a3","timestamp":"2026-03-01T10:00:00+08:00"},
    {"type":"track","event":"signup","anonymousId":"a3","userId":"u3","timestamp":"2026-03-01T10:05:00+08:00"},
    {"type":"track","event":"login","anonymousId":"a3","userId":"u3","timestamp":"2026-03-02T10:05:00+08:00"},
    {"type":"page","anonymousId":"a4","userId":"u4","timestamp":"2026-03-01T11:00:00+08:00"}]})");
  ASSERT_TRUE(p.store().Flush().ok());  // part from segments,
  p.Batch(R"({"batch":[{"type":"screen","name":"home","anonymousId":"a5","userId":"u5"}]})",
          1772590600000);  // part from the WAL
  for (const char* id : {"anon:a3", "anon:a4", "anon:a5"}) {
    EXPECT_NE(p.identity().CanonicalPerson(id), id) << "live ingest joins " << id;
  }
  p.Restart();
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a3"), "u3");
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a4"), "u4");
  EXPECT_EQ(p.identity().CanonicalPerson("anon:a5"), "u5");
  EXPECT_EQ(p.identity().CanonicalPerson("u3"), "u3");
}

TEST(IdentityGraph, RestartKeepsTheCanonicalPersonWhenEventsJoinOneAnonymousIdToTwoUsers) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"track","event":"x","anonymousId":"shared","userId":"u6","timestamp":"2026-03-01T10:00:00+08:00"},
    {"type":"track","event":"x","anonymousId":"shared","userId":"u7","timestamp":"2026-03-01T10:01:00+08:00"}]})");
  const std::string live = p.identity().CanonicalPerson("anon:shared");
  EXPECT_EQ(p.identity().CanonicalPerson("u6"), live) << "one anonymous id merges both users";
  ASSERT_TRUE(p.store().Flush().ok());
  p.Restart();
  EXPECT_EQ(p.identity().CanonicalPerson("anon:shared"), live);
  EXPECT_EQ(p.identity().CanonicalPerson("u6"), live);
  EXPECT_EQ(p.identity().CanonicalPerson("u7"), live);
}

TEST(IdentityGraph, AccountBookIsSharedUntilTheGraphChanges) {
  TestProject p;
  p.Batch(R"({"batch":[
    {"type":"group","userId":"u1","groupId":"acc-1","traits":{"industry":"能源"}},
    {"type":"identify","userId":"u1","traits":{"role":"signer"}},
    {"type":"identify","userId":"u2","traits":{"role":"user"},"context":{"groupId":"acc-2"}},
    {"type":"identify","userId":"u3","traits":{"role":"user"}}]})");
  auto book = p.identity().Book();
  ASSERT_EQ(book->accounts.size(), 1u) << "acc-2 has no group call, so no traits";
  EXPECT_EQ(book->accounts[0].first, "acc-1");
  std::map<std::string, std::pair<std::string, std::string>> members;  // person → (account, role)
  for (const auto& m : book->members) {
    members[m.person] = {book->member_accounts[m.account],
                         m.role == AccountBook::kNoRole ? "" : book->roles[m.role]};
  }
  EXPECT_EQ(members, (std::map<std::string, std::pair<std::string, std::string>>{
                         {"u1", {"acc-1", "signer"}}, {"u2", {"acc-2", "user"}}}));
  p.Batch(R"({"batch":[{"type":"track","event":"login","userId":"u1"}]})");
  EXPECT_EQ(p.identity().Book(), book) << "an event changes nothing: the same book";
  p.Batch(R"({"batch":[{"type":"identify","userId":"u1","traits":{"role":"decision_maker"}}]})");
  auto changed = p.identity().Book();
  ASSERT_NE(changed, book);
  for (const auto& m : changed->members) {
    if (m.person == "u1") EXPECT_EQ(changed->roles[m.role], "decision_maker");
  }
  p.Batch(R"({"batch":[{"type":"track","event":"login","anonymousId":"x","userId":"u3"}]})");
  EXPECT_NE(p.identity().Book(), changed) << "a join by an event is a change";
}

}  // namespace
}  // namespace tobops::ingest
