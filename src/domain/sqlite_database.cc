#include "domain/sqlite_database.h"

#include <cassert>
#include <string>
#include <system_error>
#include <utility>

#include "domain/catalog_migrations.h"
#include "domain/clock.h"

namespace tobops::domain {

Status SqliteStatus(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += (db != nullptr) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(std::move(message));
    case SQLITE_FULL:
      return ResourceExhausted(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(std::move(message));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExists(std::move(message));
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return FailedPrecondition(std::move(message));
      return InvalidArgument(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

// ---- SqliteStatement --------------------------------------------------------

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Status SqliteStatement::BindText(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return SqliteStatus(db_, rc, "bind");
}

Status SqliteStatement::BindInt64(int index, int64_t value) {
  return SqliteStatus(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
}

Status SqliteStatement::BindDouble(int index, double value) {
  return SqliteStatus(db_, sqlite3_bind_double(stmt_, index, value), "bind");
}

Status SqliteStatement::BindNull(int index) { return SqliteStatus(db_, sqlite3_bind_null(stmt_, index), "bind"); }

Status SqliteStatement::BindOptionalInt64(int index, const std::optional<int64_t>& value) {
  return value ? BindInt64(index, *value) : BindNull(index);
}

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step returns the primary code; the extended one tells unique from foreign-key.
  return SqliteStatus(db_, sqlite3_extended_errcode(db_), "step");
}

Status SqliteStatement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

Status SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  return SqliteStatus(db_, sqlite3_clear_bindings(stmt_), "reset");
}

int64_t SqliteStatement::ColumnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteStatement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string SqliteStatement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool SqliteStatement::ColumnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::optional<int64_t> SqliteStatement::ColumnOptionalInt64(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

// ---- SqliteConnection -------------------------------------------------------

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteStatus(db_, sqlite3_extended_errcode(db_), "prepare");
  }
  return SqliteStatement(db_, stmt);
}

Status SqliteConnection::Execute(std::string_view sql) {
  // sqlite3_exec needs a NUL-terminated string.
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, sqlite3_extended_errcode(db_), "execute");
  return Status::Ok();
}

int64_t SqliteConnection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

// ---- SqliteDatabase ---------------------------------------------------------

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::OpenCatalog(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Internal("cannot create data directory " + data_dir.string() + ": " + ec.message());
  return Open(data_dir / "catalog.sqlite", Options{});
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::filesystem::path& file,
                                                             const Options& options) {
  sqlite3* raw = nullptr;
  // NOMUTEX: SqliteDatabase serialises all use of the connection with its own mutex.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(raw, rc, "open " + file.string());
    sqlite3_close(raw);
    return status;
  }
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw, file));
  RETURN_IF_ERROR(db->Configure(options));
  RETURN_IF_ERROR(db->Migrate(options.migrations.empty() ? CatalogMigrations() : options.migrations));
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  // Statements are all scoped to Run/Transaction callbacks, so none is open here.
  sqlite3_close(db_);
}

Status SqliteDatabase::Configure(const Options& options) {
  std::lock_guard lock(mu_);
  SqliteConnection conn(db_);
  int rc = sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "busy_timeout");
  // journal_mode answers a row ("wal"); an in-memory database answers "memory".
  ASSIGN_OR_RETURN(SqliteStatement journal, conn.Prepare("PRAGMA journal_mode=WAL"));
  ASSIGN_OR_RETURN(bool has_row, journal.Step());
  if (has_row) {
    std::string mode = journal.ColumnText(0);
    if (mode != "wal" && mode != "memory") return Internal("cannot switch catalog to WAL mode: " + mode);
  }
  // FULL: a committed transaction survives power loss, in WAL mode too.
  RETURN_IF_ERROR(conn.Execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  return Status::Ok();
}

Status SqliteDatabase::Migrate(std::span<const Migration> migrations) {
  std::lock_guard lock(mu_);
  SqliteConnection conn(db_);
  RETURN_IF_ERROR(conn.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " applied_at_ms INTEGER NOT NULL)"));
  ASSIGN_OR_RETURN(SqliteStatement max_version,
                   conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  ASSIGN_OR_RETURN(bool has_row, max_version.Step());
  assert(has_row);
  int current = has_row ? static_cast<int>(max_version.ColumnInt64(0)) : 0;

  int known = 0;
  for (const Migration& m : migrations) {
    // Invariant: versions strictly increase, so "applied" is "version <= current".
    assert(m.version > known);
    known = m.version;
  }
  if (current > known) {
    return FailedPrecondition("catalog " + path_.string() + " has schema version " + std::to_string(current) +
                              ", newer than this binary knows (" + std::to_string(known) +
                              "); upgrade tobops");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status status = TransactionLocked([&](SqliteConnection& c) -> Status {
      RETURN_IF_ERROR(c.Execute(m.sql));
      ASSIGN_OR_RETURN(SqliteStatement record,
                       c.Prepare("INSERT INTO schema_migrations(version, name, applied_at_ms) "
                                 "VALUES (?1, ?2, ?3)"));
      RETURN_IF_ERROR(record.BindInt64(1, m.version));
      RETURN_IF_ERROR(record.BindText(2, m.name));
      RETURN_IF_ERROR(record.BindInt64(3, SystemNowMs()));
      return record.Run();
    });
    if (!status.ok()) {
      return Status(status.code(), "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                       ") failed: " + status.message());
    }
    current = m.version;
  }
  schema_version_ = current;
  return Status::Ok();
}

Status SqliteDatabase::Run(const std::function<Status(SqliteConnection&)>& fn) {
  std::lock_guard lock(mu_);
  SqliteConnection conn(db_);
  return fn(conn);
}

Status SqliteDatabase::Transaction(const std::function<Status(SqliteConnection&)>& fn) {
  std::lock_guard lock(mu_);
  return TransactionLocked(fn);
}

Status SqliteDatabase::TransactionLocked(const std::function<Status(SqliteConnection&)>& fn) {
  SqliteConnection conn(db_);
  // IMMEDIATE takes the write lock up front, so another process cannot make us
  // fail half-way with SQLITE_BUSY on the first write.
  RETURN_IF_ERROR(conn.Execute("BEGIN IMMEDIATE"));
  Status status = fn(conn);
  if (status.ok()) {
    status = conn.Execute("COMMIT");
    if (status.ok()) return status;
  }
  // Rollback may fail only if SQLite already rolled back (e.g. on SQLITE_FULL).
  if (sqlite3_get_autocommit(db_) == 0) conn.Execute("ROLLBACK").IgnoreError();
  return status;
}

}  // namespace tobops::domain
