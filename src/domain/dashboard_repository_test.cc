#include "domain/dashboard_repository.h"

#include <gtest/gtest.h>

#include "domain/project_repository.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

class DashboardRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenTestCatalog(dir_);
    ASSERT_TRUE(ProjectRepository(*db_).EnsureDefault().ok());
    repo_ = std::make_unique<DashboardRepository>(*db_, [] { return int64_t{1772590500000}; });
  }
  TestDir dir_;
  std::unique_ptr<SqliteDatabase> db_;
  std::unique_ptr<DashboardRepository> repo_;
};

TEST_F(DashboardRepositoryTest, ChartsKeepTheirOrderAndSpecs) {
  auto weekly = repo_->Create("default", "  周报  ");
  ASSERT_TRUE(weekly.ok()) << weekly.status().ToString();
  EXPECT_EQ(weekly->name, "周报");
  EXPECT_EQ(weekly->created_at_ms, 1772590500000);
  auto a = repo_->AddChart("default", weekly->id, "注册漏斗", R"({"kind":"funnel"})");
  auto b = repo_->AddChart("default", weekly->id, "留存", R"({"kind":"retention"})");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->position, 0);
  EXPECT_EQ(b->position, 1);
  auto list = repo_->List("default");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  ASSERT_EQ((*list)[0].charts.size(), 2u);
  EXPECT_EQ((*list)[0].charts[0].title, "注册漏斗");
  EXPECT_EQ((*list)[0].charts[1].spec_json, R"({"kind":"retention"})");

  ASSERT_TRUE(repo_->DeleteChart("default", weekly->id, a->id).ok());
  auto again = repo_->Get("default", weekly->id);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->charts.size(), 1u);
  EXPECT_EQ(again->charts[0].title, "留存");
  // A new chart goes after the remaining one.
  auto c = repo_->AddChart("default", weekly->id, "趋势", R"({"kind":"trend"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->position, 2);
}

TEST_F(DashboardRepositoryTest, RejectsBadInputNamingTheField) {
  auto empty = repo_->Create("default", "   ");
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(empty.status().field(), "name");
  auto d = repo_->Create("default", "d");
  ASSERT_TRUE(d.ok());
  auto no_title = repo_->AddChart("default", d->id, "", "{}");
  EXPECT_EQ(no_title.status().field(), "title");
  auto no_spec = repo_->AddChart("default", d->id, "t", "");
  EXPECT_EQ(no_spec.status().field(), "spec");
  auto too_big = repo_->AddChart("default", d->id, "t", std::string(DashboardRepository::kMaxSpecBytes + 1, 'x'));
  EXPECT_EQ(too_big.status().field(), "spec");
}

TEST_F(DashboardRepositoryTest, OtherProjectsAndMissingIdsAreNotFound) {
  auto d = repo_->Create("default", "d");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(repo_->Get("other", d->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->AddChart("other", d->id, "t", "{}").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->DeleteChart("default", d->id, 999).code(), StatusCode::kNotFound);
  EXPECT_EQ(repo_->Delete("default", d->id + 1).code(), StatusCode::kNotFound);
  ASSERT_TRUE(repo_->Delete("default", d->id).ok());
  EXPECT_TRUE(repo_->List("default")->empty());
}

TEST_F(DashboardRepositoryTest, ADashboardHoldsAtMostAHundredCharts) {
  auto d = repo_->Create("default", "d");
  ASSERT_TRUE(d.ok());
  for (int i = 0; i < DashboardRepository::kMaxChartsPerDashboard; ++i) {
    ASSERT_TRUE(repo_->AddChart("default", d->id, "c" + std::to_string(i), "{}").ok());
  }
  EXPECT_EQ(repo_->AddChart("default", d->id, "one more", "{}").status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace tobops::domain
