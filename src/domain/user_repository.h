// File: domain/user_repository.h
// UserRepository: console users (admin | viewer) with argon2id password hashes
// (libsodium crypto_pwhash_str, interactive limits), and their login sessions
// (random tokens, stored as BLAKE2b hashes, expiring after a TTL, 7 days by default).
// Callers: server/ (POST /api/login, logout, /api/me, session middleware), app/
// (creates "admin" on first start).
// Thread-safety: every method may be called concurrently. Password hashing runs
// outside the catalog lock (it takes ~0.1 s and 64 MiB by design).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

enum class UserRole { kAdmin, kViewer };

// "admin" / "viewer".
std::string_view UserRoleName(UserRole role);
// Parses "admin" / "viewer"; kInvalidArgument (field "role") otherwise.
Result<UserRole> ParseUserRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string name;
  UserRole role = UserRole::kViewer;
  int64_t created_at_ms = 0;
};

struct Session {
  int64_t user_id = 0;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// What CreateSession returns: the record and the only copy of the token.
struct CreatedSession {
  Session session;
  std::string token;  // "tbs_" + 64 hex characters; the cookie value
};

class UserRepository {
 public:
  static constexpr int64_t kDefaultSessionTtlMs = int64_t{7} * 24 * 3600 * 1000;
  static constexpr size_t kMinPasswordLength = 8;

  struct Options {
    int64_t session_ttl_ms = kDefaultSessionTtlMs;
    Clock clock = SystemClock();
  };

  // db must outlive the repository.
  explicit UserRepository(SqliteDatabase& db) : UserRepository(db, Options{}) {}
  UserRepository(SqliteDatabase& db, Options options) : db_(db), options_(std::move(options)) {}

  // Creates a user. kInvalidArgument for an empty/over-long name (field "name")
  // or a password shorter than kMinPasswordLength (field "password");
  // kAlreadyExists if the name is taken; kResourceExhausted if hashing runs out of memory.
  [[nodiscard]] Result<User> CreateUser(std::string_view name, std::string_view password, UserRole role);
  // Replaces a user's password and ends all their sessions. kNotFound, kInvalidArgument.
  [[nodiscard]] Status SetPassword(std::string_view name, std::string_view password);
  // The user if the password matches. kUnauthenticated with one message for an
  // unknown user and a wrong password; the unknown case also spends the time of
  // a hash check, so timing does not tell which it was.
  [[nodiscard]] Result<User> VerifyPassword(std::string_view name, std::string_view password);
  // Whether any user exists (the first start creates "admin" when not).
  [[nodiscard]] Result<bool> HasAnyUser();
  // kNotFound if no user has this name.
  [[nodiscard]] Result<User> GetUser(std::string_view name);
  // All users, by name.
  [[nodiscard]] Result<std::vector<User>> ListUsers();

  // Starts a session for user_id, expiring after the TTL; also deletes expired
  // sessions. kFailedPrecondition if the user does not exist.
  [[nodiscard]] Result<CreatedSession> CreateSession(int64_t user_id);
  // The session's user. kUnauthenticated for an unknown or expired token.
  [[nodiscard]] Result<User> LookupSession(std::string_view token);
  // Ends a session; OK also when the token is unknown (logout is idempotent).
  [[nodiscard]] Status DeleteSession(std::string_view token);
  // Removes expired sessions; returns how many.
  [[nodiscard]] Result<int64_t> DeleteExpiredSessions();

 private:
  SqliteDatabase& db_;
  Options options_;
};

}  // namespace tobops::domain
