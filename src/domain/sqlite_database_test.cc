#include "domain/sqlite_database.h"

#include <gtest/gtest.h>

#include "domain/catalog_migrations.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

int64_t CountRows(SqliteDatabase& db, std::string_view sql) {
  int64_t count = -1;
  Status status = db.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(sql));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) count = stmt.ColumnInt64(0);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return count;
}

std::string QueryText(SqliteDatabase& db, std::string_view sql) {
  std::string text;
  EXPECT_TRUE(db.Run([&](SqliteConnection& conn) -> Status {
                  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(sql));
                  ASSIGN_OR_RETURN(bool row, stmt.Step());
                  if (row) text = stmt.ColumnText(0);
                  return Status::Ok();
                }).ok());
  return text;
}

TEST(SqliteDatabase, OpensCatalogInWalModeWithForeignKeys) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "catalog.sqlite"));
  EXPECT_EQ(QueryText(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(CountRows(*db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(CountRows(*db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db->schema_version(), CatalogMigrations().back().version);
}

TEST(SqliteDatabase, MigrationsApplyOnceAndSurviveReopen) {
  TestDir dir;
  {
    auto db = OpenTestCatalog(dir);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Run([](SqliteConnection& conn) {
                    return conn.Execute(
                        "INSERT INTO projects(id, name, timezone, created_at_ms) VALUES ('p', 'P', 'UTC', 1)");
                  }).ok());
  }
  auto db = OpenTestCatalog(dir);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(CountRows(*db, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(CatalogMigrations().size()));
  EXPECT_EQ(CountRows(*db, "SELECT COUNT(*) FROM projects"), 1);
}

TEST(SqliteDatabase, AppliesOnlyNewStepsOnUpgrade) {
  TestDir dir;
  const Migration v1[] = {{1, "one", "CREATE TABLE a (x INTEGER)"}};
  const Migration v2[] = {{1, "one", "CREATE TABLE a (x INTEGER)"}, {2, "two", "CREATE TABLE b (y INTEGER)"}};
  auto path = dir.path() / "test.sqlite";
  {
    auto db = SqliteDatabase::Open(path, {.migrations = v1});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->schema_version(), 1);
  }
  auto db = SqliteDatabase::Open(path, {.migrations = v2});
  ASSERT_TRUE(db.ok()) << db.status().ToString();  // step 1 would fail if re-run (table exists)
  EXPECT_EQ((*db)->schema_version(), 2);
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM b"), 0);
}

TEST(SqliteDatabase, FailedMigrationRollsBackItsStep) {
  TestDir dir;
  const Migration bad[] = {{1, "one", "CREATE TABLE a (x INTEGER)"},
                           {2, "broken", "CREATE TABLE b (y INTEGER); THIS IS NOT SQL"}};
  auto path = dir.path() / "test.sqlite";
  auto db = SqliteDatabase::Open(path, {.migrations = bad});
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("broken"), std::string::npos);

  const Migration good[] = {{1, "one", "CREATE TABLE a (x INTEGER)"}};
  auto reopened = SqliteDatabase::Open(path, {.migrations = good});
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->schema_version(), 1);
  EXPECT_EQ(CountRows(**reopened, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'"), 0);
}

TEST(SqliteDatabase, RefusesNewerSchema) {
  TestDir dir;
  {
    auto db = OpenTestCatalog(dir);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Run([](SqliteConnection& conn) {
                    return conn.Execute(
                        "INSERT INTO schema_migrations(version, name, applied_at_ms) VALUES (9999, 'future', 0)");
                  }).ok());
  }
  auto db = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kFailedPrecondition);
}

TEST(SqliteDatabase, TransactionRollsBackOnError) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_NE(db, nullptr);
  Status status = db->Transaction([](SqliteConnection& conn) -> Status {
    RETURN_IF_ERROR(
        conn.Execute("INSERT INTO projects(id, name, timezone, created_at_ms) VALUES ('p', 'P', 'UTC', 1)"));
    return InvalidArgument("stop");
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CountRows(*db, "SELECT COUNT(*) FROM projects"), 0);
}

TEST(SqliteDatabase, MapsConstraintViolations) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  ASSERT_NE(db, nullptr);
  auto insert = [&](std::string_view sql) { return db->Run([&](SqliteConnection& c) { return c.Execute(sql); }); };
  ASSERT_TRUE(insert("INSERT INTO projects(id, name, created_at_ms) VALUES ('p', 'P', 1)").ok());
  EXPECT_EQ(insert("INSERT INTO projects(id, name, created_at_ms) VALUES ('p', 'P', 1)").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(insert("INSERT INTO quarantine(project_id, received_at_ms, code, field, message, payload, "
                   "payload_size_bytes) VALUES ('missing', 1, 'c', '', 'm', '', 0)")
                .code(),
            StatusCode::kFailedPrecondition);
}

TEST(SqliteDatabase, RejectsAFileThatIsNotADatabase) {
  TestDir dir;
  {
    std::FILE* f = std::fopen((dir.path() / "catalog.sqlite").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  auto db = SqliteDatabase::OpenCatalog(dir.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status().ToString();
}

}  // namespace
}  // namespace tobops::domain
