#include "domain/key_repository.h"

#include <gtest/gtest.h>

#include "domain/project_repository.h"
#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

// A catalog with the default project and a key repository over it.
struct KeyTestEnv {
  KeyTestEnv() : db(OpenTestCatalog(dir)), keys(*db) {
    EXPECT_TRUE(ProjectRepository(*db).EnsureDefault().ok());
  }
  TestDir dir;
  std::unique_ptr<SqliteDatabase> db;
  KeyRepository keys;
};


TEST(KeyRepository, CreateReturnsSecretOnceAndVerifyFindsKey) {
  KeyTestEnv env;
  auto created = env.keys.Create("default", ApiKeyKind::kWrite, "website");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->secret.starts_with("tbw_"));
  EXPECT_EQ(created->secret.size(), 4u + 64u);
  EXPECT_EQ(created->key.prefix, created->secret.substr(0, 8));
  EXPECT_EQ(created->key.project_id, "default");
  EXPECT_FALSE(created->key.revoked_at_ms.has_value());

  auto verified = env.keys.Verify(created->secret);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->id, created->key.id);
  EXPECT_EQ(verified->kind, ApiKeyKind::kWrite);
  // Second call is served from the cache and answers the same.
  EXPECT_EQ(env.keys.Verify(created->secret)->id, created->key.id);
}

TEST(KeyRepository, StoresOnlyAHashOfTheSecret) {
  KeyTestEnv env;
  auto created = env.keys.Create("default", ApiKeyKind::kRead, "dashboard");
  ASSERT_TRUE(created.ok());
  std::string stored_hash;
  int64_t rows_with_secret = -1;
  ASSERT_TRUE(env.db->Run([&](SqliteConnection& conn) -> Status {
                   ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT secret_hash FROM api_keys"));
                   ASSIGN_OR_RETURN(bool row, stmt.Step());
                   if (row) stored_hash = stmt.ColumnText(0);
                   ASSIGN_OR_RETURN(SqliteStatement any,
                                    conn.Prepare("SELECT COUNT(*) FROM api_keys WHERE id = ?1 OR name = ?1 "
                                                 "OR prefix = ?1 OR secret_hash = ?1"));
                   RETURN_IF_ERROR(any.BindText(1, created->secret));
                   ASSIGN_OR_RETURN(bool counted, any.Step());
                   if (counted) rows_with_secret = any.ColumnInt64(0);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(stored_hash.size(), 64u);  // hex of BLAKE2b-256
  EXPECT_NE(stored_hash, created->secret);
  EXPECT_EQ(stored_hash.find(created->secret.substr(4)), std::string::npos);
  EXPECT_EQ(rows_with_secret, 0);
}

TEST(KeyRepository, ReadAndWriteKeysHaveTheirKindAndPrefix) {
  KeyTestEnv env;
  auto write = env.keys.Create("default", ApiKeyKind::kWrite, "w");
  auto read = env.keys.Create("default", ApiKeyKind::kRead, "r");
  ASSERT_TRUE(write.ok() && read.ok());
  EXPECT_TRUE(read->secret.starts_with("tbr_"));
  EXPECT_EQ(env.keys.Verify(write->secret)->kind, ApiKeyKind::kWrite);
  EXPECT_EQ(env.keys.Verify(read->secret)->kind, ApiKeyKind::kRead);
  EXPECT_NE(write->secret, read->secret);
}

TEST(KeyRepository, UnknownAndMalformedSecretsAreUnauthenticated) {
  KeyTestEnv env;
  ASSERT_TRUE(env.keys.Create("default", ApiKeyKind::kWrite, "w").ok());
  EXPECT_EQ(env.keys.Verify("tbw_" + std::string(64, '0')).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(env.keys.Verify("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(env.keys.Verify("not-a-key").status().code(), StatusCode::kUnauthenticated);
}

TEST(KeyRepository, RevokedKeyIsRejectedAtOnce) {
  KeyTestEnv env;
  auto created = env.keys.Create("default", ApiKeyKind::kWrite, "website");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(env.keys.Verify(created->secret).ok());  // now cached
  ASSERT_TRUE(env.keys.Revoke("default", created->key.id).ok());
  EXPECT_EQ(env.keys.Verify(created->secret).status().code(), StatusCode::kUnauthenticated);
  // A fresh repository (e.g. after restart) agrees.
  KeyRepository fresh(*env.db);
  EXPECT_EQ(fresh.Verify(created->secret).status().code(), StatusCode::kUnauthenticated);
  // Revoking again is fine; the list shows the revocation time.
  EXPECT_TRUE(env.keys.Revoke("default", created->key.id).ok());
  auto list = env.keys.List("default");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked_at_ms.has_value());
}

TEST(KeyRepository, RevokeUnknownKeyIsNotFound) {
  KeyTestEnv env;
  EXPECT_EQ(env.keys.Revoke("default", "key_nope").code(), StatusCode::kNotFound);
  auto created = env.keys.Create("default", ApiKeyKind::kWrite, "w");
  ASSERT_TRUE(created.ok());
  // Another project's key id is not found either.
  EXPECT_EQ(env.keys.Revoke("other", created->key.id).code(), StatusCode::kNotFound);
}

TEST(KeyRepository, ListIsPerProjectOldestFirst) {
  KeyTestEnv env;
  ASSERT_TRUE(ProjectRepository(*env.db).Create("other", "Other", "UTC").ok());
  FakeClock clock;
  KeyRepository keys(*env.db, clock.AsClock());
  ASSERT_TRUE(keys.Create("default", ApiKeyKind::kWrite, "first").ok());
  *clock.now += 1000;
  ASSERT_TRUE(keys.Create("default", ApiKeyKind::kRead, "second").ok());
  ASSERT_TRUE(keys.Create("other", ApiKeyKind::kWrite, "theirs").ok());
  auto list = keys.List("default");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "first");
  EXPECT_EQ((*list)[1].name, "second");
}

TEST(KeyRepository, CreateValidatesInput) {
  KeyTestEnv env;
  EXPECT_EQ(env.keys.Create("default", ApiKeyKind::kWrite, "").status().field(), "name");
  EXPECT_EQ(env.keys.Create("missing", ApiKeyKind::kWrite, "x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ParseApiKeyKind("admin").status().field(), "kind");
}

}  // namespace
}  // namespace tobops::domain

namespace tobops::domain {
namespace {

TEST(KeyRepository, RevokeByAnotherProcessTakesEffectAfterTheCacheTtl) {
  TestDir dir;
  auto db_server = OpenTestCatalog(dir);
  auto db_cli = OpenTestCatalog(dir);  // a second connection, as a CLI process has
  FakeClock clock;
  KeyRepository server(*db_server, clock.AsClock());
  KeyRepository cli(*db_cli, clock.AsClock());
  ASSERT_TRUE(ProjectRepository(*db_server).EnsureDefault().ok());
  auto created = cli.Create("default", ApiKeyKind::kWrite, "web");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(server.Verify(created->secret).ok());  // now cached by the server
  ASSERT_TRUE(cli.Revoke("default", created->key.id).ok());
  *clock.now += 1000;
  EXPECT_TRUE(server.Verify(created->secret).ok()) << "still inside the cache TTL";
  *clock.now += 5000;
  EXPECT_EQ(server.Verify(created->secret).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace tobops::domain
