#include "domain/user_repository.h"

#include <gtest/gtest.h>

#include "domain/test_catalog.h"

namespace tobops::domain {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

TEST(UserRepository, VerifyPasswordAcceptsRightAndRejectsWrongOrUnknown) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  UserRepository users(*db);
  auto admin = users.CreateUser("admin", "correct horse battery", UserRole::kAdmin);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  EXPECT_EQ(admin->role, UserRole::kAdmin);

  auto ok = users.VerifyPassword("admin", "correct horse battery");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->id, admin->id);
  EXPECT_EQ(ok->name, "admin");

  auto wrong = users.VerifyPassword("admin", "wrong password!");
  auto unknown = users.VerifyPassword("nobody", "correct horse battery");
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  // The same answer for both, so callers cannot probe for user names.
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
}

TEST(UserRepository, StoresAnArgon2idHashNotThePassword) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  UserRepository users(*db);
  ASSERT_TRUE(users.CreateUser("viewer", "s3cret-password", UserRole::kViewer).ok());
  std::string stored;
  ASSERT_TRUE(db->Run([&](SqliteConnection& conn) -> Status {
                  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT password_hash FROM users"));
                  ASSIGN_OR_RETURN(bool row, stmt.Step());
                  if (row) stored = stmt.ColumnText(0);
                  return Status::Ok();
                }).ok());
  EXPECT_TRUE(stored.starts_with("$argon2id$")) << stored;
  EXPECT_EQ(stored.find("s3cret-password"), std::string::npos);
}

TEST(UserRepository, CreateUserValidatesAndRejectsDuplicates) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  UserRepository users(*db);
  auto has_any = users.HasAnyUser();
  ASSERT_TRUE(has_any.ok());
  EXPECT_FALSE(*has_any);
  EXPECT_EQ(users.CreateUser("a", "short", UserRole::kViewer).status().field(), "password");
  EXPECT_EQ(users.CreateUser("", "long enough", UserRole::kViewer).status().field(), "name");
  ASSERT_TRUE(users.CreateUser("a", "long enough", UserRole::kViewer).ok());
  EXPECT_EQ(users.CreateUser("a", "long enough", UserRole::kAdmin).status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(*users.HasAnyUser());
  EXPECT_EQ(users.GetUser("a")->role, UserRole::kViewer);
  EXPECT_EQ(users.GetUser("b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(users.ListUsers()->size(), 1u);
}

TEST(UserRepository, SessionLooksUpItsUserUntilItExpires) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  FakeClock clock;
  UserRepository users(*db, {.session_ttl_ms = 2 * kHourMs, .clock = clock.AsClock()});
  auto user = users.CreateUser("admin", "long enough", UserRole::kAdmin);
  ASSERT_TRUE(user.ok());
  auto session = users.CreateSession(user->id);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->session.expires_at_ms, *clock.now + 2 * kHourMs);

  *clock.now += 2 * kHourMs - 1;
  auto found = users.LookupSession(session->token);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->name, "admin");

  *clock.now += 1;
  EXPECT_EQ(users.LookupSession(session->token).status().code(), StatusCode::kUnauthenticated);
  // Going back in time does not revive it: the expired row was deleted.
  *clock.now -= kHourMs;
  EXPECT_EQ(users.LookupSession(session->token).status().code(), StatusCode::kUnauthenticated);
}

TEST(UserRepository, DefaultSessionLifetimeIsSevenDays) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  FakeClock clock;
  UserRepository users(*db, {.clock = clock.AsClock()});
  auto user = users.CreateUser("admin", "long enough", UserRole::kAdmin);
  ASSERT_TRUE(user.ok());
  auto session = users.CreateSession(user->id);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->session.expires_at_ms - session->session.created_at_ms, 7 * 24 * kHourMs);
}

TEST(UserRepository, DeletedOrUnknownSessionIsUnauthenticated) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  UserRepository users(*db);
  auto user = users.CreateUser("admin", "long enough", UserRole::kAdmin);
  ASSERT_TRUE(user.ok());
  auto session = users.CreateSession(user->id);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(session->token.starts_with("tbs_"));
  ASSERT_TRUE(users.LookupSession(session->token).ok());
  ASSERT_TRUE(users.DeleteSession(session->token).ok());
  EXPECT_EQ(users.LookupSession(session->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(users.DeleteSession(session->token).ok());
  EXPECT_EQ(users.LookupSession("tbs_" + std::string(64, 'a')).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(users.LookupSession("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(users.CreateSession(9999).status().code(), StatusCode::kFailedPrecondition);
}

TEST(UserRepository, SetPasswordEndsSessions) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  UserRepository users(*db);
  auto user = users.CreateUser("admin", "old password", UserRole::kAdmin);
  ASSERT_TRUE(user.ok());
  auto session = users.CreateSession(user->id);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(users.SetPassword("admin", "new password").ok());
  EXPECT_EQ(users.LookupSession(session->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(users.VerifyPassword("admin", "old password").ok());
  EXPECT_TRUE(users.VerifyPassword("admin", "new password").ok());
  EXPECT_EQ(users.SetPassword("nobody", "new password").code(), StatusCode::kNotFound);
}

TEST(UserRepository, DeleteExpiredSessionsSweeps) {
  TestDir dir;
  auto db = OpenTestCatalog(dir);
  FakeClock clock;
  UserRepository users(*db, {.session_ttl_ms = kHourMs, .clock = clock.AsClock()});
  auto user = users.CreateUser("admin", "long enough", UserRole::kAdmin);
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(users.CreateSession(user->id).ok());
  ASSERT_TRUE(users.CreateSession(user->id).ok());
  *clock.now += kHourMs;
  auto removed = users.DeleteExpiredSessions();
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2);
}

}  // namespace
}  // namespace tobops::domain
