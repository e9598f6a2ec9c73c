// Catalog migrations on catalogs that already hold data: the sales workspace
// (migration 4) on a version-3 catalog (projects, keys, dashboards, cohorts), and the
// partners' account column (migration 6) on a version-5 catalog with partners; each must
// upgrade in place, keep every row, and then take records.
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

// Migration 6 adds partners.account_id to a version-5 catalog that already holds
// partners and their ledgers: every row stays, old partners have no account, and the
// new reference works (and is checked) on the upgraded file.
TEST(CatalogUpgrade, VersionFiveCatalogWithPartnersGainsPartnerAccounts) {
  domain::TestDir dir;
  const auto all = domain::CatalogMigrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_EQ(all[4].version, 5);
  ASSERT_EQ(all[5].version, 6);
  const auto file = dir.path() / "catalog.sqlite";
  {
    auto old = SqliteDatabase::Open(file, {.migrations = all.subspan(0, 5)});
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    EXPECT_EQ((*old)->schema_version(), 5);
    ASSERT_TRUE((*old)->Run([](SqliteConnection& conn) {
                      return conn.Execute(
                          "INSERT INTO projects (id, name, created_at_ms) VALUES ('p1', '演示', 1);"
                          "INSERT INTO accounts (project_id, group_id, name, created_at_ms, updated_at_ms) "
                          "VALUES ('p1', 'acc-1', '华东制造', 2, 2);"
                          "INSERT INTO partners (project_id, name, kind, certification, created_at_ms, updated_at_ms) "
                          "VALUES ('p1', '神州数码', 'integrator', 'gold', 3, 3);"
                          "INSERT INTO point_entries (project_id, partner_id, kind, points, idempotency_key, "
                          "created_at_ms, updated_at_ms) VALUES ('p1', 1, 'reward', 120, 'k1', 4, 4);");
                    }).ok());
    EXPECT_EQ(Count(**old, "SELECT COUNT(*) FROM pragma_table_info('partners') WHERE name = 'account_id'"), 0);
  }
  auto db = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_GE((*db)->schema_version(), 6);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM pragma_table_info('partners') WHERE name = 'account_id'"), 1);
  // Old rows kept; the old partner has no account.
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM partners WHERE name = '神州数码' AND account_id IS NULL"), 1);
  EXPECT_EQ(Count(**db, "SELECT SUM(points) FROM point_entries WHERE partner_id = 1"), 120);
  {
    ResourceCatalog catalog(**db, AllResources());
    auto partner = catalog.Get("partners").Get("p1", 1);
    ASSERT_TRUE(partner.ok()) << partner.status().ToString();
    EXPECT_TRUE((*partner)["account_id"].is_null());
    // Linking to the existing account works; a missing account is refused by name.
    auto linked = catalog.Get("partners").Update("p1", 1, {{"account_id", 1}});
    ASSERT_TRUE(linked.ok()) << linked.status().ToString();
    EXPECT_EQ((*linked)["account_id"], 1);
    auto bad = catalog.Get("partners").Create("p1", {{"name", "软通动力"}, {"account_id", 999}});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().field(), "account_id");
  }
  db->reset();
  auto reopened = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Count(**reopened, "SELECT account_id FROM partners WHERE id = 1"), 1);
}

}  // namespace
}  // namespace tobops::records
