// File: domain/quarantine_repository.h
// QuarantineRepository: messages ingest rejected (bad JSON fields, tracking-plan
// violations in quarantine mode), kept with their reason and raw text so an
// operator can inspect them (GET /api/quarantine).
// Callers: ingest/ (AddMany once per HTTP batch), server/ (List, Count).
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

struct QuarantinedMessage {
  int64_t id = 0;               // assigned by AddMany; ascending in insertion order
  std::string project_id;
  int64_t received_at_ms = 0;
  std::string code;             // status code name, e.g. "invalid_argument"
  std::string field;            // e.g. "batch[7].timestamp"; may be empty
  std::string message;          // human reason
  std::string payload;          // the message as received, cut to kMaxPayloadBytes
  int64_t payload_size_bytes = 0;  // size before the cut (set by AddMany)
};

class QuarantineRepository {
 public:
  // Payloads longer than this are cut (at a UTF-8 character boundary).
  static constexpr size_t kMaxPayloadBytes = 64 * 1024;
  static constexpr int64_t kMaxListLimit = 1000;

  // db must outlive the repository.
  explicit QuarantineRepository(SqliteDatabase& db) : db_(db) {}

  // Stores all messages in one transaction (all or none). id and
  // payload_size_bytes of the inputs are ignored. kFailedPrecondition if a
  // project does not exist; kResourceExhausted when the disk is full.
  [[nodiscard]] Status AddMany(std::span<const QuarantinedMessage> messages);
  // The project's messages, newest received first (ties: newest id first).
  // kInvalidArgument for limit outside 1..kMaxListLimit (field "limit") or a
  // negative offset (field "offset").
  [[nodiscard]] Result<std::vector<QuarantinedMessage>> List(std::string_view project_id, int64_t limit,
                                                             int64_t offset);
  // How many messages the project has in quarantine.
  [[nodiscard]] Result<int64_t> Count(std::string_view project_id);
  // Deletes messages received before cutoff_ms (all projects); returns how many.
  [[nodiscard]] Result<int64_t> DeleteReceivedBefore(int64_t cutoff_ms);

 private:
  SqliteDatabase& db_;
};

// The longest prefix of text that is at most max_bytes long and does not end
// inside a UTF-8 multi-byte sequence.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

}  // namespace tobops::domain
