#include "query/entity_directory.h"

#include <gtest/gtest.h>

#include "ingest/test_ingest.h"

namespace tobops::query {
namespace {

// A block over hand-made dictionaries (rows are not read by the directory).
store::ColumnBlock BlockOf(const std::vector<std::string>& persons, const std::vector<std::string>& accounts,
                           uint64_t dict_key) {
  store::ColumnBlock block;
  block.person_dict = persons;
  block.account_dict = accounts;
  block.dict_key = dict_key;
  return block;
}

TEST(EntityDirectory, MapsCodesToCanonicalPersonsAndAccounts) {
  ingest::TestProject p;
  p.Batch(R"({"batch":[
    {"type":"identify","anonymousId":"a1","userId":"u1"},
    {"type":"track","event":"x","userId":"u2"}]})");
  EntityDirectory directory;
  const std::vector<std::string> persons = {"anon:a1", "u2", "u1"};
  const std::vector<std::string> accounts = {"", "acc-1"};
  auto maps = directory.MapsOf(BlockOf(persons, accounts, 7), p.identity());
  ASSERT_EQ(maps->person_keys.size(), 3u);
  EXPECT_EQ(maps->person_keys[0], maps->person_keys[2]) << "anon:a1 is u1";
  EXPECT_NE(maps->person_keys[0], maps->person_keys[1]);
  EXPECT_EQ(*maps->person_ids[0], "u1");
  EXPECT_EQ(directory.PersonId(maps->person_keys[1]), "u2");
  EXPECT_EQ(directory.person_key_count(), 2u);
  EXPECT_EQ(maps->account_keys[0], EntityDirectory::kNoKey) << "no account";
  EXPECT_EQ(directory.AccountId(maps->account_keys[1]), "acc-1");
}

TEST(EntityDirectory, KeepsSegmentMapsUntilTheGraphMerges) {
  ingest::TestProject p;
  p.Batch(R"({"batch":[{"type":"track","event":"x","anonymousId":"a9"}]})");
  EntityDirectory directory;
  const std::vector<std::string> persons = {"anon:a9"};
  const std::vector<std::string> accounts = {""};
  auto first = directory.MapsOf(BlockOf(persons, accounts, 11), p.identity());
  EXPECT_EQ(directory.MapsOf(BlockOf(persons, accounts, 11), p.identity()), first) << "cached per segment";
  EXPECT_NE(directory.MapsOf(BlockOf(persons, accounts, 0), p.identity()), first) << "memtable blocks are not cached";

  const uint64_t before = p.identity().generation();
  p.Batch(R"({"batch":[{"type":"identify","anonymousId":"a9","userId":"u9"}]})");
  EXPECT_GT(p.identity().generation(), before);
  auto after = directory.MapsOf(BlockOf(persons, accounts, 11), p.identity());
  EXPECT_EQ(*after->person_ids[0], "u9") << "a merge drops the cached maps";
  EXPECT_NE(after->person_keys[0], first->person_keys[0]);
  EXPECT_EQ(directory.PersonId(first->person_keys[0]), "anon:a9") << "old keys stay readable";
}

TEST(EntityDirectory, TraitUpdatesKeepTheCache) {
  ingest::TestProject p;
  p.Batch(R"({"batch":[{"type":"identify","userId":"u1","traits":{"role":"evaluator"}}]})");
  EntityDirectory directory;
  const std::vector<std::string> persons = {"u1"};
  const std::vector<std::string> accounts = {""};
  auto first = directory.MapsOf(BlockOf(persons, accounts, 3), p.identity());
  p.Batch(R"({"batch":[{"type":"identify","userId":"u1","traits":{"role":"decision_maker"}}]})");
  EXPECT_EQ(directory.MapsOf(BlockOf(persons, accounts, 3), p.identity()), first);
}

}  // namespace
}  // namespace tobops::query
