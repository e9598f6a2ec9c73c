#include "domain/quarantine_repository.h"

#include <gtest/gtest.h>

#include "domain/project_repository.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

QuarantinedMessage Message(int64_t received_at_ms, std::string message, std::string project = "default") {
  return QuarantinedMessage{0, std::move(project), received_at_ms, "invalid_argument", "batch[0].timestamp",
                            std::move(message), R"({"type":"track"})", 0};
}

TEST(QuarantineRepository, ListsNewestFirstWithPaging) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  QuarantineRepository quarantine(*db);
  std::vector<QuarantinedMessage> batch = {Message(100, "a"), Message(300, "c"), Message(200, "b")};
  ASSERT_TRUE(quarantine.AddMany(batch).ok());
  ASSERT_TRUE(quarantine.AddMany(std::vector{Message(300, "d")}).ok());

  EXPECT_EQ(*quarantine.Count("default"), 4);
  auto page = quarantine.List("default", 10, 0);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 4u);
  // Same received time: the later insert first.
  EXPECT_EQ((*page)[0].message, "d");
  EXPECT_EQ((*page)[1].message, "c");
  EXPECT_EQ((*page)[2].message, "b");
  EXPECT_EQ((*page)[3].message, "a");
  EXPECT_GT((*page)[0].id, 0);
  EXPECT_EQ((*page)[0].field, "batch[0].timestamp");
  EXPECT_EQ((*page)[0].payload, R"({"type":"track"})");

  auto second = quarantine.List("default", 2, 2);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].message, "b");
}

TEST(QuarantineRepository, CountAndListArePerProject) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ProjectRepository projects(*db);
  ASSERT_TRUE(projects.EnsureDefault().ok());
  ASSERT_TRUE(projects.Create("other", "Other", "UTC").ok());
  QuarantineRepository quarantine(*db);
  ASSERT_TRUE(quarantine.AddMany(std::vector{Message(1, "mine"), Message(2, "theirs", "other")}).ok());
  EXPECT_EQ(*quarantine.Count("default"), 1);
  EXPECT_EQ(*quarantine.Count("other"), 1);
  EXPECT_EQ((*quarantine.List("other", 10, 0))[0].message, "theirs");
}

TEST(QuarantineRepository, CapsPayloadAtUtf8Boundary) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  QuarantineRepository quarantine(*db);
  // 'x' then 3-byte characters, so the 64 KiB cut falls inside one of them.
  std::string payload = "x";
  while (payload.size() < 100 * 1024) payload += "数";
  QuarantinedMessage m = Message(1, "too big");
  m.payload = payload;
  ASSERT_TRUE(quarantine.AddMany(std::vector{m}).ok());
  auto stored = quarantine.List("default", 1, 0);
  ASSERT_TRUE(stored.ok());
  const QuarantinedMessage& got = (*stored)[0];
  EXPECT_LE(got.payload.size(), QuarantineRepository::kMaxPayloadBytes);
  EXPECT_GT(got.payload.size(), QuarantineRepository::kMaxPayloadBytes - 3);
  EXPECT_EQ((got.payload.size() - 1) % 3, 0u);  // whole characters only
  EXPECT_EQ(got.payload_size_bytes, static_cast<int64_t>(payload.size()));
  EXPECT_EQ(payload.compare(0, got.payload.size(), got.payload), 0);
}

TEST(QuarantineRepository, AddManyIsAllOrNothing) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  QuarantineRepository quarantine(*db);
  Status status = quarantine.AddMany(std::vector{Message(1, "ok"), Message(2, "bad", "no-such-project")});
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*quarantine.Count("default"), 0);
}

TEST(QuarantineRepository, ValidatesPagingAndPrunes) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  QuarantineRepository quarantine(*db);
  EXPECT_EQ(quarantine.List("default", 0, 0).status().field(), "limit");
  EXPECT_EQ(quarantine.List("default", 10, -1).status().field(), "offset");
  ASSERT_TRUE(quarantine.AddMany(std::vector{Message(1, "old"), Message(5, "new")}).ok());
  EXPECT_EQ(*quarantine.DeleteReceivedBefore(5), 1);
  EXPECT_EQ((*quarantine.List("default", 10, 0))[0].message, "new");
}

TEST(TruncateUtf8, KeepsWholeCharacters) {
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
  EXPECT_EQ(TruncateUtf8("ab数", 3), "ab");
  EXPECT_EQ(TruncateUtf8("ab数", 5), "ab数");
  EXPECT_EQ(TruncateUtf8("数", 0), "");
}

}  // namespace
}  // namespace tobops::domain
