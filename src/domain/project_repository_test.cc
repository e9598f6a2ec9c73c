#include "domain/project_repository.h"

#include <gtest/gtest.h>

#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

TEST(ProjectRepository, EnsureDefaultCreatesOnceWithShanghaiTimezone) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ProjectRepository projects(*db);
  auto first = projects.EnsureDefault();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->id, "default");
  EXPECT_EQ(first->name, "Default");
  EXPECT_EQ(first->timezone, "Asia/Shanghai");
  auto second = projects.EnsureDefault();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->created_at_ms, first->created_at_ms);
  auto all = projects.List();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST(ProjectRepository, CreateGetAndList) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ProjectRepository projects(*db);
  ASSERT_TRUE(projects.Create("acme", "Acme", "Europe/Berlin").ok());
  ASSERT_TRUE(projects.Create("beta", "Beta", "").ok());
  auto acme = projects.Get("acme");
  ASSERT_TRUE(acme.ok());
  EXPECT_EQ(acme->timezone, "Europe/Berlin");
  EXPECT_EQ(projects.Get("beta")->timezone, "Asia/Shanghai");
  EXPECT_EQ(projects.Get("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(projects.Create("acme", "Again", "UTC").status().code(), StatusCode::kAlreadyExists);
  auto bad = projects.Create("Bad Id", "x", "UTC");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "id");
  auto all = projects.List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "acme");
}

}  // namespace
}  // namespace tobops::domain
