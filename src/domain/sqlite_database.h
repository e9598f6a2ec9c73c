// File: domain/sqlite_database.h
// SqliteDatabase: the embedded SQL catalog that holds tobops' operations records
// (projects, keys, users, sessions, quarantine, tracking plan). It opens
// <data>/catalog.sqlite in WAL mode with synchronous=FULL, applies versioned
// migrations (domain/catalog_migrations.h) and hands out the connection only
// while holding its lock, so a repository cannot touch SQLite unlocked.
// Callers: the repositories in domain/ (one SQL dialect per repository .cc;
// a PostgreSQL backend would replace this file and those SQL constants only).
// Thread-safety: every method may be called concurrently; one mutex serialises
// all use of the single connection (simple; enough for an operations catalog).
// See docs/operations.md "SQLite catalog".
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tobops::domain {

// One schema step. Versions are strictly increasing from 1 and never reused;
// a released step is never edited (add a new one instead).
struct Migration {
  int version = 0;
  std::string_view name;  // short, e.g. "initial"
  std::string_view sql;   // one or more statements, run in one transaction
};

// A prepared statement. Move-only; finalised on destruction. Bind indexes are
// 1-based (SQLite's convention), column indexes 0-based.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Bind a parameter; kInternal on a bad index.
  Status BindText(int index, std::string_view value);
  Status BindInt64(int index, int64_t value);
  Status BindDouble(int index, double value);
  Status BindNull(int index);
  Status BindOptionalInt64(int index, const std::optional<int64_t>& value);

  // Advances one row: true when a row is available, false when done.
  // Errors are mapped as by SqliteStatus (constraint → kAlreadyExists, …).
  Result<bool> Step();
  // Steps until done, for statements that return no rows.
  Status Run();
  // Resets for re-execution and clears bindings.
  Status Reset();

  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;
  std::optional<int64_t> ColumnOptionalInt64(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// The raw connection, reachable only inside SqliteDatabase::Run/Transaction
// (i.e. while the database lock is held). Do not keep references past the callback.
class SqliteConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  // Prepares one statement; kInternal on a syntax error (a programmer error, reported).
  Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs one or more statements that return no rows.
  Status Execute(std::string_view sql);
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;

 private:
  sqlite3* db_;
};

// Maps a SQLite result code to a Status: SQLITE_BUSY/LOCKED → kUnavailable,
// SQLITE_FULL → kResourceExhausted, SQLITE_CORRUPT/NOTADB → kDataLoss,
// unique/primary-key constraint → kAlreadyExists, foreign key → kFailedPrecondition,
// other constraints → kInvalidArgument, everything else → kInternal.
Status SqliteStatus(sqlite3* db, int rc, std::string_view context);

class SqliteDatabase {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    // The schema steps to apply; empty means CatalogMigrations().
    std::span<const Migration> migrations;
  };

  // Opens (creating if needed) <data_dir>/catalog.sqlite and migrates it.
  // Errors: kInternal/kUnavailable when the file cannot be opened,
  // kFailedPrecondition when the file's schema is newer than this binary knows,
  // kDataLoss when the file is not a SQLite database.
  [[nodiscard]] static Result<std::unique_ptr<SqliteDatabase>> OpenCatalog(
      const std::filesystem::path& data_dir);
  // Same, for an explicit file path and options (tests, tools).
  [[nodiscard]] static Result<std::unique_ptr<SqliteDatabase>> Open(const std::filesystem::path& file,
                                                                    const Options& options);

  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs fn with the connection under the lock, outside any explicit transaction
  // (each statement autocommits). Returns fn's status.
  Status Run(const std::function<Status(SqliteConnection&)>& fn);
  // Runs fn inside BEGIN IMMEDIATE … COMMIT under the lock. A non-OK status from
  // fn (or a failed COMMIT) rolls everything back and is returned.
  Status Transaction(const std::function<Status(SqliteConnection&)>& fn);

  // The highest applied migration version.
  int schema_version() const { return schema_version_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  SqliteDatabase(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  Status Configure(const Options& options);
  Status Migrate(std::span<const Migration> migrations);
  Status TransactionLocked(const std::function<Status(SqliteConnection&)>& fn);

  std::mutex mu_;
  sqlite3* db_;  // guarded by mu_
  std::filesystem::path path_;
  int schema_version_ = 0;
};

}  // namespace tobops::domain
