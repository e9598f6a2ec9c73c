#include "domain/user_repository.h"

#include <sodium.h>

#include <mutex>
#include <optional>
#include <utility>

#include "domain/secrets.h"

namespace tobops::domain {
namespace {

constexpr std::string_view kInsertUser =
    "INSERT INTO users(name, role, password_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kUpdatePassword = "UPDATE users SET password_hash = ?2 WHERE name = ?1";
constexpr std::string_view kDeleteSessionsOfUserName =
    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)";
constexpr std::string_view kSelectUserWithHash =
    "SELECT id, name, role, created_at_ms, password_hash FROM users WHERE name = ?1";
constexpr std::string_view kSelectUsers = "SELECT id, name, role, created_at_ms FROM users ORDER BY name";
constexpr std::string_view kSelectAnyUser = "SELECT EXISTS (SELECT 1 FROM users)";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions(token_hash, user_id, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kSelectSessionUser =
    "SELECT u.id, u.name, u.role, u.created_at_ms, s.expires_at_ms "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?1";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at_ms <= ?1";

constexpr std::string_view kSessionTokenPrefix = "tbs_";
constexpr size_t kMaxUserNameLength = 100;
// libsodium rejects longer inputs anyway; a bound keeps hashing cost predictable.
constexpr size_t kMaxPasswordLength = 1024;

Status WrongCredentials() { return Unauthenticated("wrong user name or password"); }
Status NoSession() { return Unauthenticated("no valid session; log in again"); }

Status ValidatePassword(std::string_view password) {
  if (password.size() < UserRepository::kMinPasswordLength || password.size() > kMaxPasswordLength) {
    return InvalidArgument("password must be 8-1024 characters", "password");
  }
  return Status::Ok();
}

// argon2id with libsodium's interactive limits. Slow by design: call unlocked.
Result<std::string> HashPassword(std::string_view password) {
  RETURN_IF_ERROR(EnsureSodium());
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return ResourceExhausted("out of memory while hashing a password");
  }
  return std::string(hash);
}

bool PasswordMatches(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// A hash of a random password, verified against for unknown users so that
// "no such user" takes as long as "wrong password".
const std::string& DummyPasswordHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] {
    Result<std::string> result = HashPassword(RandomHex(16));
    if (result.ok()) hash = std::move(result).value();
  });
  return hash;
}

Result<User> ReadUser(const SqliteStatement& stmt) {
  User user;
  user.id = stmt.ColumnInt64(0);
  user.name = stmt.ColumnText(1);
  ASSIGN_OR_RETURN(user.role, ParseUserRole(stmt.ColumnText(2)));
  user.created_at_ms = stmt.ColumnInt64(3);
  return user;
}

}  // namespace

std::string_view UserRoleName(UserRole role) { return role == UserRole::kAdmin ? "admin" : "viewer"; }

Result<UserRole> ParseUserRole(std::string_view name) {
  if (name == "admin") return UserRole::kAdmin;
  if (name == "viewer") return UserRole::kViewer;
  return InvalidArgument("role must be 'admin' or 'viewer'", "role");
}

Result<User> UserRepository::CreateUser(std::string_view name, std::string_view password, UserRole role) {
  if (name.empty() || name.size() > kMaxUserNameLength) {
    return InvalidArgument("user name must be 1-100 characters", "name");
  }
  RETURN_IF_ERROR(ValidatePassword(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  User user{0, std::string(name), role, options_.clock()};
  Status status = db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kInsertUser));
    RETURN_IF_ERROR(stmt.BindText(1, user.name));
    RETURN_IF_ERROR(stmt.BindText(2, UserRoleName(role)));
    RETURN_IF_ERROR(stmt.BindText(3, hash));
    RETURN_IF_ERROR(stmt.BindInt64(4, user.created_at_ms));
    RETURN_IF_ERROR(stmt.Run());
    user.id = conn.LastInsertRowId();
    return Status::Ok();
  });
  if (status.code() == StatusCode::kAlreadyExists) return AlreadyExists("user '" + user.name + "' already exists");
  RETURN_IF_ERROR(status);
  return user;
}

Status UserRepository::SetPassword(std::string_view name, std::string_view password) {
  RETURN_IF_ERROR(ValidatePassword(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement update, conn.Prepare(kUpdatePassword));
    RETURN_IF_ERROR(update.BindText(1, name));
    RETURN_IF_ERROR(update.BindText(2, hash));
    RETURN_IF_ERROR(update.Run());
    if (conn.Changes() == 0) return NotFound("user '" + std::string(name) + "' not found");
    // A new password ends every session opened with the old one.
    ASSIGN_OR_RETURN(SqliteStatement end_sessions, conn.Prepare(kDeleteSessionsOfUserName));
    RETURN_IF_ERROR(end_sessions.BindText(1, name));
    return end_sessions.Run();
  });
}

Result<User> UserRepository::VerifyPassword(std::string_view name, std::string_view password) {
  std::optional<User> user;
  std::string hash;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectUserWithHash));
    RETURN_IF_ERROR(stmt.BindText(1, name));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return Status::Ok();
    ASSIGN_OR_RETURN(user, ReadUser(stmt));
    hash = stmt.ColumnText(4);
    return Status::Ok();
  }));
  if (!user) {
    RETURN_IF_ERROR(EnsureSodium());
    const std::string& dummy = DummyPasswordHash();
    if (!dummy.empty()) PasswordMatches(dummy, password);
    return WrongCredentials();
  }
  if (password.size() > kMaxPasswordLength || !PasswordMatches(hash, password)) return WrongCredentials();
  return *user;
}

Result<bool> UserRepository::HasAnyUser() {
  bool any = false;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectAnyUser));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    any = row && stmt.ColumnInt64(0) != 0;
    return Status::Ok();
  }));
  return any;
}

Result<User> UserRepository::GetUser(std::string_view name) {
  std::optional<User> user;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectUserWithHash));
    RETURN_IF_ERROR(stmt.BindText(1, name));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("user '" + std::string(name) + "' not found");
    ASSIGN_OR_RETURN(user, ReadUser(stmt));
    return Status::Ok();
  }));
  return *user;
}

Result<std::vector<User>> UserRepository::ListUsers() {
  std::vector<User> users;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectUsers));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      ASSIGN_OR_RETURN(User user, ReadUser(stmt));
      users.push_back(std::move(user));
    }
  }));
  return users;
}

Result<CreatedSession> UserRepository::CreateSession(int64_t user_id) {
  RETURN_IF_ERROR(EnsureSodium());
  CreatedSession created;
  created.token = GenerateSecret(kSessionTokenPrefix);
  int64_t now_ms = options_.clock();
  created.session = Session{user_id, now_ms, now_ms + options_.session_ttl_ms};
  std::string hash = HashSecret(created.token);
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    // Logins are rare, so they are a fine moment to sweep expired sessions.
    ASSIGN_OR_RETURN(SqliteStatement sweep, conn.Prepare(kDeleteExpiredSessions));
    RETURN_IF_ERROR(sweep.BindInt64(1, now_ms));
    RETURN_IF_ERROR(sweep.Run());
    ASSIGN_OR_RETURN(SqliteStatement insert, conn.Prepare(kInsertSession));
    RETURN_IF_ERROR(insert.BindText(1, hash));
    RETURN_IF_ERROR(insert.BindInt64(2, user_id));
    RETURN_IF_ERROR(insert.BindInt64(3, created.session.created_at_ms));
    RETURN_IF_ERROR(insert.BindInt64(4, created.session.expires_at_ms));
    Status status = insert.Run();
    if (status.code() == StatusCode::kFailedPrecondition) {
      return FailedPrecondition("user " + std::to_string(user_id) + " does not exist");
    }
    return status;
  }));
  return created;
}

Result<User> UserRepository::LookupSession(std::string_view token) {
  if (!token.starts_with(kSessionTokenPrefix)) return NoSession();
  RETURN_IF_ERROR(EnsureSodium());
  std::string hash = HashSecret(token);
  int64_t now_ms = options_.clock();
  std::optional<User> user;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectSessionUser));
    RETURN_IF_ERROR(stmt.BindText(1, hash));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return Status::Ok();
    if (stmt.ColumnInt64(4) <= now_ms) {
      // Expired: forget it now rather than waiting for the next sweep.
      RETURN_IF_ERROR(stmt.Reset());
      ASSIGN_OR_RETURN(SqliteStatement remove, conn.Prepare(kDeleteSession));
      RETURN_IF_ERROR(remove.BindText(1, hash));
      return remove.Run();
    }
    ASSIGN_OR_RETURN(user, ReadUser(stmt));
    return Status::Ok();
  }));
  if (!user) return NoSession();
  return *user;
}

Status UserRepository::DeleteSession(std::string_view token) {
  RETURN_IF_ERROR(EnsureSodium());
  std::string hash = HashSecret(token);
  return db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kDeleteSession));
    RETURN_IF_ERROR(stmt.BindText(1, hash));
    return stmt.Run();
  });
}

Result<int64_t> UserRepository::DeleteExpiredSessions() {
  int64_t removed = 0;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kDeleteExpiredSessions));
    RETURN_IF_ERROR(stmt.BindInt64(1, options_.clock()));
    RETURN_IF_ERROR(stmt.Run());
    removed = conn.Changes();
    return Status::Ok();
  }));
  return removed;
}

}  // namespace tobops::domain
