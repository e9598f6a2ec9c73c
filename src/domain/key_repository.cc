#include "domain/key_repository.h"

#include <utility>

#include "domain/secrets.h"

namespace tobops::domain {
namespace {

constexpr std::string_view kSelectProjectExists = "SELECT 1 FROM projects WHERE id = ?1";
constexpr std::string_view kInsertKey =
    "INSERT INTO api_keys(id, project_id, kind, name, prefix, secret_hash, created_at_ms, revoked_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)";
constexpr std::string_view kSelectKeyByHash =
    "SELECT id, project_id, kind, name, prefix, created_at_ms, revoked_at_ms FROM api_keys WHERE secret_hash = ?1";
constexpr std::string_view kSelectKeysByProject =
    "SELECT id, project_id, kind, name, prefix, created_at_ms, revoked_at_ms FROM api_keys "
    "WHERE project_id = ?1 ORDER BY created_at_ms, id";
constexpr std::string_view kRevokeKey =
    "UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, ?3) WHERE project_id = ?1 AND id = ?2";

constexpr size_t kMaxKeyNameLength = 200;
// Shown prefix: the kind prefix plus 4 hex characters ("tbw_1a2b").
constexpr size_t kDisplayPrefixHexChars = 4;
constexpr size_t kKeyIdRandomBytes = 8;

Result<ApiKey> ReadKey(const SqliteStatement& stmt) {
  ApiKey key;
  key.id = stmt.ColumnText(0);
  key.project_id = stmt.ColumnText(1);
  ASSIGN_OR_RETURN(key.kind, ParseApiKeyKind(stmt.ColumnText(2)));
  key.name = stmt.ColumnText(3);
  key.prefix = stmt.ColumnText(4);
  key.created_at_ms = stmt.ColumnInt64(5);
  key.revoked_at_ms = stmt.ColumnOptionalInt64(6);
  return key;
}

Status UnknownKey() { return Unauthenticated("unknown or revoked API key"); }

}  // namespace

std::string_view ApiKeyKindName(ApiKeyKind kind) { return kind == ApiKeyKind::kWrite ? "write" : "read"; }

Result<ApiKeyKind> ParseApiKeyKind(std::string_view name) {
  if (name == "write") return ApiKeyKind::kWrite;
  if (name == "read") return ApiKeyKind::kRead;
  return InvalidArgument("kind must be 'write' or 'read'", "kind");
}

std::string_view ApiKeySecretPrefix(ApiKeyKind kind) { return kind == ApiKeyKind::kWrite ? "tbw_" : "tbr_"; }

Result<CreatedApiKey> KeyRepository::Create(std::string_view project_id, ApiKeyKind kind, std::string_view name) {
  if (name.empty() || name.size() > kMaxKeyNameLength) {
    return InvalidArgument("key name must be 1-200 characters", "name");
  }
  RETURN_IF_ERROR(EnsureSodium());
  CreatedApiKey created;
  created.secret = GenerateSecret(ApiKeySecretPrefix(kind));
  ApiKey& key = created.key;
  key.id = "key_" + RandomHex(kKeyIdRandomBytes);
  key.project_id = std::string(project_id);
  key.kind = kind;
  key.name = std::string(name);
  key.prefix = created.secret.substr(0, ApiKeySecretPrefix(kind).size() + kDisplayPrefixHexChars);
  key.created_at_ms = clock_();
  std::string hash = HashSecret(created.secret);

  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement exists, conn.Prepare(kSelectProjectExists));
    RETURN_IF_ERROR(exists.BindText(1, project_id));
    ASSIGN_OR_RETURN(bool found, exists.Step());
    if (!found) return NotFound("project '" + key.project_id + "' not found");
    ASSIGN_OR_RETURN(SqliteStatement insert, conn.Prepare(kInsertKey));
    RETURN_IF_ERROR(insert.BindText(1, key.id));
    RETURN_IF_ERROR(insert.BindText(2, key.project_id));
    RETURN_IF_ERROR(insert.BindText(3, ApiKeyKindName(kind)));
    RETURN_IF_ERROR(insert.BindText(4, key.name));
    RETURN_IF_ERROR(insert.BindText(5, key.prefix));
    RETURN_IF_ERROR(insert.BindText(6, hash));
    RETURN_IF_ERROR(insert.BindInt64(7, key.created_at_ms));
    return insert.Run();
  }));
  return created;
}

Result<ApiKey> KeyRepository::Verify(std::string_view secret) {
  // Cheap shape check first: anything without a key prefix is not a key.
  bool has_prefix = secret.starts_with(ApiKeySecretPrefix(ApiKeyKind::kWrite)) ||
                    secret.starts_with(ApiKeySecretPrefix(ApiKeyKind::kRead));
  if (!has_prefix) return UnknownKey();
  RETURN_IF_ERROR(EnsureSodium());
  std::string hash = HashSecret(secret);

  uint64_t generation = 0;
  {
    std::lock_guard lock(cache_mu_);
    // Entries expire so that a key revoked by another process (the CLI beside a
    // running server) stops working within kCacheTtlMs.
    if (auto it = cache_.find(hash); it != cache_.end()) {
      if (clock_() - it->second.cached_at_ms < kCacheTtlMs) return it->second.key;
      cache_.erase(it);
    }
    generation = revoke_generation_;
  }

  std::optional<ApiKey> key;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectKeyByHash));
    RETURN_IF_ERROR(stmt.BindText(1, hash));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return Status::Ok();
    ASSIGN_OR_RETURN(key, ReadKey(stmt));
    return Status::Ok();
  }));
  if (!key || key->revoked_at_ms) return UnknownKey();

  std::lock_guard lock(cache_mu_);
  // Invariant: only keys read after the latest revoke enter the cache.
  if (generation == revoke_generation_) cache_.insert_or_assign(std::move(hash), CachedKey{*key, clock_()});
  return *key;
}

Result<std::vector<ApiKey>> KeyRepository::List(std::string_view project_id) {
  std::vector<ApiKey> keys;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kSelectKeysByProject));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      ASSIGN_OR_RETURN(ApiKey key, ReadKey(stmt));
      keys.push_back(std::move(key));
    }
  }));
  return keys;
}

Status KeyRepository::Revoke(std::string_view project_id, std::string_view key_id) {
  int64_t changed = 0;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare(kRevokeKey));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindText(2, key_id));
    RETURN_IF_ERROR(stmt.BindInt64(3, clock_()));
    RETURN_IF_ERROR(stmt.Run());
    changed = conn.Changes();
    return Status::Ok();
  }));
  if (changed == 0) return NotFound("API key '" + std::string(key_id) + "' not found");
  // After the catalog says "revoked": drop it from the cache and fence out
  // Verify calls that read the catalog before this update.
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const auto& entry) { return entry.second.key.id == key_id; });
  ++revoke_generation_;
  return Status::Ok();
}

}  // namespace tobops::domain
