#include "domain/quarantine_repository.h"

namespace tobops::domain {
namespace {

constexpr std::string_view kInsertMessage =
    "INSERT INTO quarantine(project_id, received_at_ms, code, field, message, payload, payload_size_bytes) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kSelectMessages =
    "SELECT id, project_id, received_at_ms, code, field, message, payload, payload_size_bytes "
    "FROM quarantine WHERE project_id = ?1 ORDER BY received_at_ms DESC, id DESC LIMIT ?2 OFFSET ?3";
constexpr std::string_view kCountMessages = "SELECT COUNT(*) FROM quarantine WHERE project_id = ?1";
constexpr std::string_view kDeleteBefore = "DELETE FROM quarantine WHERE received_at_ms < ?1";

}  // namespace

std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Status QuarantineRepository::AddMany(std::span<const QuarantinedMessage> messages) {
  if (messages.empty()) return Status::Ok();
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kInsertMessage));
    for (const QuarantinedMessage& m : messages) {
      RETURN_IF_ERROR(stmt.BindText(1, m.project_id));
      RETURN_IF_ERROR(stmt.BindInt64(2, m.received_at_ms));
      RETURN_IF_ERROR(stmt.BindText(3, m.code));
      RETURN_IF_ERROR(stmt.BindText(4, m.field));
      RETURN_IF_ERROR(stmt.BindText(5, m.message));
      RETURN_IF_ERROR(stmt.BindText(6, TruncateUtf8(m.payload, kMaxPayloadBytes)));
      RETURN_IF_ERROR(stmt.BindInt64(7, static_cast<int64_t>(m.payload.size())));
      RETURN_IF_ERROR(stmt.Run());
      RETURN_IF_ERROR(stmt.Reset());
    }
    return Status::Ok();
  });
}

Result<std::vector<QuarantinedMessage>> QuarantineRepository::List(std::string_view project_id, int64_t limit,
                                                                   int64_t offset) {
  if (limit < 1 || limit > kMaxListLimit) return InvalidArgument("limit must be 1-1000", "limit");
  if (offset < 0) return InvalidArgument("offset must not be negative", "offset");
  std::vector<QuarantinedMessage> messages;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectMessages));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindInt64(2, limit));
    RETURN_IF_ERROR(stmt.BindInt64(3, offset));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      messages.push_back(QuarantinedMessage{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnInt64(2),
                                            stmt.ColumnText(3), stmt.ColumnText(4), stmt.ColumnText(5),
                                            stmt.ColumnText(6), stmt.ColumnInt64(7)});
    }
  }));
  return messages;
}

Result<int64_t> QuarantineRepository::Count(std::string_view project_id) {
  int64_t count = 0;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kCountMessages));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) count = stmt.ColumnInt64(0);
    return Status::Ok();
  }));
  return count;
}

Result<int64_t> QuarantineRepository::DeleteReceivedBefore(int64_t cutoff_ms) {
  int64_t removed = 0;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kDeleteBefore));
    RETURN_IF_ERROR(stmt.BindInt64(1, cutoff_ms));
    RETURN_IF_ERROR(stmt.Run());
    removed = conn.Changes();
    return Status::Ok();
  }));
  return removed;
}

}  // namespace tobops::domain
