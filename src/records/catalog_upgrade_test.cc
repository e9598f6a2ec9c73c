// The sales workspace arrives as migration 4 on catalogs that already hold data: an
// existing version-3 catalog (projects, keys, dashboards, cohorts) must upgrade in place,
// keep every row, and then take records.
#include <gtest/gtest.h>

#include "domain/catalog_migrations.h"
#include "domain/test_catalog.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"

namespace tobops::records {
namespace {

using domain::SqliteConnection;
using domain::SqliteDatabase;

int64_t Count(SqliteDatabase& db, const std::string& sql) {
  int64_t out = -1;
  EXPECT_TRUE(db.Run([&](SqliteConnection& conn) -> Status {
                  ASSIGN_OR_RETURN(auto stmt, conn.Prepare(sql));
                  ASSIGN_OR_RETURN(bool row, stmt.Step());
                  if (row) out = stmt.ColumnInt64(0);
                  return Status::Ok();
                }).ok());
  return out;
}

TEST(CatalogUpgrade, VersionThreeCatalogWithDataMigratesToTheSalesWorkspace) {
  domain::TestDir dir;
  const auto all = domain::CatalogMigrations();
  ASSERT_GE(all.size(), 4u);
  ASSERT_EQ(all[3].version, 4);
  const auto file = dir.path() / "catalog.sqlite";
  {
    // The catalog as the previous release left it: migrations 1–3 and some data.
    auto old = SqliteDatabase::Open(file, {.migrations = all.subspan(0, 3)});
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    EXPECT_EQ((*old)->schema_version(), 3);
    ASSERT_TRUE((*old)->Run([](SqliteConnection& conn) {
                      return conn.Execute(
                          "INSERT INTO projects (id, name, created_at_ms) VALUES ('p1', '演示', 1);"
                          "INSERT INTO dashboards (project_id, name, created_at_ms) VALUES ('p1', '周会', 2);"
                          "INSERT INTO dashboard_charts (dashboard_id, title, spec_json, position, created_at_ms) "
                          "VALUES (1, '注册', '{\"kind\":\"trend\"}', 0, 3);"
                          "INSERT INTO cohorts (project_id, name, entity, definition_json, created_at_ms) "
                          "VALUES ('p1', '决策者', 'person', '{}', 4);");
                    }).ok());
    EXPECT_EQ(Count(**old, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'accounts'"), 0);
  }
  auto db = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->schema_version(), all.back().version);
  // Old rows kept.
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM projects WHERE name = '演示'"), 1);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM dashboard_charts WHERE title = '注册'"), 1);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM cohorts WHERE name = '决策者'"), 1);
  // New records work on the upgraded file, and survive a reopen.
  int64_t account_id = 0;
  {
    ResourceCatalog catalog(**db, AllResources());
    auto account = catalog.Get("accounts").Create("p1", {{"name", "华东制造"}, {"group_id", "acc-1"}});
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_id = (*account)["id"];
    auto opp = catalog.Get("opportunities").Create("p1", {{"account_id", account_id}, {"name", "扩容"}, {"stage", "lead"}});
    ASSERT_TRUE(opp.ok()) << opp.status().ToString();
  }
  db->reset();
  auto reopened = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_TRUE(reopened.ok());
  ResourceCatalog catalog(**reopened, AllResources());
  auto again = catalog.Get("accounts").Get("p1", account_id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["name"], "华东制造");
  EXPECT_EQ(Count(**reopened, "SELECT COUNT(*) FROM opportunities"), 1);
}

}  // namespace
}  // namespace tobops::records
