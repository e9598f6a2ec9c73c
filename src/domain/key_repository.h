// File: domain/key_repository.h
// KeyRepository: API keys of a project. A write key ("tbw_…") may only ingest;
// a read key ("tbr_…") may call the read APIs. The plaintext secret is returned
// once by Create; the catalog stores only its BLAKE2b hash. Verify runs on every
// ingest request, so verified keys are cached in memory by hash; Revoke drops
// the cache entry, so a revoked key stops working at once.
// Callers: server/ (auth middleware, /api/keys handlers), app/.
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/clock.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

enum class ApiKeyKind { kWrite, kRead };

// "write" / "read".
std::string_view ApiKeyKindName(ApiKeyKind kind);
// Parses "write" / "read"; kInvalidArgument (field "kind") otherwise.
Result<ApiKeyKind> ParseApiKeyKind(std::string_view name);
// "tbw_" / "tbr_".
std::string_view ApiKeySecretPrefix(ApiKeyKind kind);

struct ApiKey {
  std::string id;          // random, e.g. "key_9f2c61d0a4b7e315"
  std::string project_id;
  ApiKeyKind kind = ApiKeyKind::kWrite;
  std::string name;        // human label, e.g. "website"
  std::string prefix;      // first characters of the secret for display, e.g. "tbw_1a2b"
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
};

// What Create returns: the record and the only copy of the plaintext secret.
struct CreatedApiKey {
  ApiKey key;
  std::string secret;  // e.g. "tbw_" + 64 hex characters
};

class KeyRepository {
 public:
  // db must outlive the repository.
  explicit KeyRepository(SqliteDatabase& db, Clock clock = SystemClock()) : db_(db), clock_(std::move(clock)) {}

  // Creates a key. kInvalidArgument for an empty or over-long name (field "name"),
  // kNotFound if the project does not exist, kInternal if libsodium is unusable.
  [[nodiscard]] Result<CreatedApiKey> Create(std::string_view project_id, ApiKeyKind kind, std::string_view name);
  // The key a secret belongs to. kUnauthenticated for an unknown, malformed or
  // revoked secret (one message for all three). Served from memory after the first hit
  // for up to kCacheTtlMs, so a revoke made by another process takes effect within that.
  [[nodiscard]] Result<ApiKey> Verify(std::string_view secret);
  // The project's keys, revoked ones included, oldest first.
  [[nodiscard]] Result<std::vector<ApiKey>> List(std::string_view project_id);
  // Revokes a key of the project (idempotent for an already revoked key).
  // kNotFound if the project has no key with this id.
  [[nodiscard]] Status Revoke(std::string_view project_id, std::string_view key_id);

 private:
  SqliteDatabase& db_;
  Clock clock_;
  std::mutex cache_mu_;
  // How long a verified key is trusted from memory before the catalog is read again.
  static constexpr int64_t kCacheTtlMs = 5000;
  struct CachedKey {
    ApiKey key;
    int64_t cached_at_ms = 0;
  };
  // secret hash → active key. Guarded by cache_mu_.
  std::unordered_map<std::string, CachedKey> cache_;
  // Bumped by every Revoke, so a Verify that read the catalog before a
  // concurrent revoke does not cache the stale key. Guarded by cache_mu_.
  uint64_t revoke_generation_ = 0;
};

}  // namespace tobops::domain
