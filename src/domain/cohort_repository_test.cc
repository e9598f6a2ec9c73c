#include "domain/cohort_repository.h"

#include <gtest/gtest.h>

#include "domain/project_repository.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

TEST(CohortRepository, SavesListsAndDeletesByProject) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  CohortRepository repo(*db, [] { return int64_t{42}; });
  auto dm = repo.Create("default", " 决策者 ", "person", R"({"conditions":[]})");
  ASSERT_TRUE(dm.ok()) << dm.status().ToString();
  EXPECT_EQ(dm->name, "决策者");
  EXPECT_EQ(dm->created_at_ms, 42);
  ASSERT_TRUE(repo.Create("default", "A 活跃客户", "account", "{}").ok());
  auto list = repo.List("default");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "A 活跃客户");  // by name
  EXPECT_EQ(repo.Get("default", dm->id)->definition_json, R"({"conditions":[]})");
  EXPECT_EQ(repo.Get("other", dm->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo.Delete("other", dm->id).code(), StatusCode::kNotFound);
  ASSERT_TRUE(repo.Delete("default", dm->id).ok());
  EXPECT_EQ(repo.List("default")->size(), 1u);
}

TEST(CohortRepository, UpdatesInPlaceKeepingIdAndCreation) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  int64_t now = 42;
  CohortRepository repo(*db, [&now] { return now; });
  auto a = repo.Create("default", "试用客户", "account", R"({"conditions":[]})");
  auto b = repo.Create("default", "决策者", "person", "{}");
  ASSERT_TRUE(a.ok() && b.ok());
  now = 99;
  auto updated = repo.Update("default", a->id, " 活跃试用客户 ", "person", R"({"conditions":[{"kind":"x"}]})");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->id, a->id);
  EXPECT_EQ(updated->name, "活跃试用客户");
  EXPECT_EQ(updated->entity, "person");
  EXPECT_EQ(updated->definition_json, R"({"conditions":[{"kind":"x"}]})");
  EXPECT_EQ(updated->created_at_ms, 42);  // creation time stays
  EXPECT_EQ(repo.Get("default", a->id)->name, "活跃试用客户");
  // Another cohort's name, a bad field, another project's cohort: refused, nothing changed.
  auto taken = repo.Update("default", a->id, "决策者", "person", "{}");
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.status().field(), "name");
  EXPECT_EQ(repo.Update("default", a->id, "y", "team", "{}").status().field(), "entity");
  EXPECT_EQ(repo.Update("default", a->id, "y", "person", "").status().field(), "definition");
  EXPECT_EQ(repo.Update("other", a->id, "y", "person", "{}").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo.Update("default", 999, "y", "person", "{}").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo.Get("default", a->id)->name, "活跃试用客户");
  // Keeping its own name is not a clash.
  EXPECT_TRUE(repo.Update("default", b->id, "决策者", "person", R"({"v":2})").ok());
}

TEST(CohortRepository, RejectsBadInputAndDuplicateNames) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  CohortRepository repo(*db);
  EXPECT_EQ(repo.Create("default", "", "person", "{}").status().field(), "name");
  EXPECT_EQ(repo.Create("default", "x", "team", "{}").status().field(), "entity");
  EXPECT_EQ(repo.Create("default", "x", "person", "").status().field(), "definition");
  ASSERT_TRUE(repo.Create("default", "x", "person", "{}").ok());
  auto dup = repo.Create("default", "x", "account", "{}");
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "name");
}

}  // namespace
}  // namespace tobops::domain
