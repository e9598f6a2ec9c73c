// `tobops keys create|list|revoke` and `tobops quarantine list`: catalog-only commands,
// safe to run while a server holds the event stores.
#include <cstdio>

#include "app/commands.h"
#include "common/time_format.h"
#include "server/workspace.h"

namespace tobops::app {
namespace {

Result<std::unique_ptr<server::Workspace>> OpenCatalogOnly(const CommonFlags& common) {
  server::WorkspaceOptions options;
  options.data_dir = common.data_dir;
  options.open_event_stores = false;
  return server::Workspace::Open(options);
}

}  // namespace

int RunKeysCreate(const CommonFlags& common, const std::string& kind, const std::string& name) {
  auto ws = OpenCatalogOnly(common);
  if (!ws.ok()) return Fail(ws.status().message());
  auto parsed_kind = domain::ParseApiKeyKind(kind);
  if (!parsed_kind.ok()) return Fail("--kind must be write or read");
  auto key = (*ws)->keys().Create(common.project, *parsed_kind, name.empty() ? kind + " key" : name);
  if (!key.ok()) return Fail(key.status().message());
  std::printf("%s\n", key->secret.c_str());
  std::fprintf(stderr, "created %s key %s for project %s; the secret above is shown only now\n",
               kind.c_str(), key->key.id.c_str(), common.project.c_str());
  return 0;
}

int RunKeysList(const CommonFlags& common) {
  auto ws = OpenCatalogOnly(common);
  if (!ws.ok()) return Fail(ws.status().message());
  auto keys = (*ws)->keys().List(common.project);
  if (!keys.ok()) return Fail(keys.status().message());
  std::printf("%-24s %-6s %-14s %-26s %s\n", "ID", "KIND", "PREFIX", "CREATED", "NAME / STATE");
  for (const auto& k : *keys) {
    std::printf("%-24s %-6s %-14s %-26s %s%s\n", k.id.c_str(),
                std::string(domain::ApiKeyKindName(k.kind)).c_str(), k.prefix.c_str(),
                FormatIso8601Seconds(k.created_at_ms, cctz::utc_time_zone()).c_str(), k.name.c_str(),
                k.revoked_at_ms ? " (revoked)" : "");
  }
  return 0;
}

int RunKeysRevoke(const CommonFlags& common, const std::string& id) {
  auto ws = OpenCatalogOnly(common);
  if (!ws.ok()) return Fail(ws.status().message());
  Status s = (*ws)->keys().Revoke(common.project, id);
  if (!s.ok()) return Fail(s.message());
  std::printf("revoked %s\n", id.c_str());
  return 0;
}

int RunQuarantineList(const CommonFlags& common, int64_t limit) {
  auto ws = OpenCatalogOnly(common);
  if (!ws.ok()) return Fail(ws.status().message());
  auto items = (*ws)->quarantine().List(common.project, limit, 0);
  if (!items.ok()) return Fail(items.status().message());
  auto total = (*ws)->quarantine().Count(common.project);
  std::printf("%lld rejected messages in quarantine%s\n",
              static_cast<long long>(total.ok() ? *total : 0),
              items->empty() ? "" : "; newest first:");
  for (const auto& q : *items) {
    std::printf("#%lld %s %s%s%s: %s\n    %s\n", static_cast<long long>(q.id),
                FormatIso8601Seconds(q.received_at_ms, cctz::utc_time_zone()).c_str(), q.code.c_str(),
                q.field.empty() ? "" : " ", q.field.c_str(), q.message.c_str(),
                q.payload.substr(0, 300).c_str());
  }
  return 0;
}

}  // namespace tobops::app
