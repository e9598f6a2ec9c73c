// `tobops serve`: opens the workspace, creates the admin on first start, serves HTTP.
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <algorithm>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "server/http_server.h"
#include "server/workspace.h"

namespace tobops::app {
namespace {

server::HttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->Stop();
}

std::string RandomPassword() {
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  return out;
}

// A quarter of physical memory, at most 4 GB: decoded columns take ~21 bytes per event,
// so 4 GB holds the scan columns of ~200M events; the rest stays for the identity graph,
// query working sets and the OS page cache.
size_t DefaultColumnCacheBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  const size_t memory = pages > 0 && page_size > 0 ? size_t(pages) * size_t(page_size) : size_t(4) << 30;
  return std::min(memory / 4, size_t(4) << 30);
}

}  // namespace

int Fail(const std::string& message) {
  std::cerr << "tobops: " << message << "\n";
  return 1;
}

int RunServe(const CommonFlags& common, const ServeFlags& flags) {
  server::WorkspaceOptions options;
  options.data_dir = common.data_dir;
  options.run_playbooks_on_open = true;
  options.column_cache_bytes = flags.column_cache_mb >= 0 ? size_t(flags.column_cache_mb) << 20 : DefaultColumnCacheBytes();
  auto ws = server::Workspace::Open(options);
  if (!ws.ok()) return Fail(ws.status().message());
  auto has_user = (*ws)->users().HasAnyUser();
  if (!has_user.ok()) return Fail(has_user.status().message());
  if (!*has_user) {
    if (sodium_init() < 0) return Fail("libsodium failed to initialise");
    const bool generated = flags.admin_password.empty();
    const std::string password = generated ? RandomPassword() : flags.admin_password;
    auto user = (*ws)->users().CreateUser("admin", password, domain::UserRole::kAdmin);
    if (!user.ok()) return Fail("cannot create the admin user: " + user.status().message());
    auto key = (*ws)->keys().Create(common.project, domain::ApiKeyKind::kWrite, "first write key");
    std::cout << "First start: created the console user 'admin'";
    if (generated) std::cout << " with password " << password << " (shown only now)";
    std::cout << ".\n";
    if (key.ok()) std::cout << "Write key for ingest (shown only now): " << key->secret << "\n";
  }
  // Open the project now so recovery happens before the port answers.
  auto runtime = (*ws)->Project(common.project);
  if (!runtime.ok()) return Fail(runtime.status().message());

  (*ws)->StartBackgroundJobs({std::chrono::minutes(flags.jobs_interval_minutes)});

  server::ServerOptions server_options;
  server_options.host = flags.host;
  server_options.port = flags.port;
  server_options.threads = flags.threads;
  server_options.query_threads = std::max(1u, std::thread::hardware_concurrency());
  server::HttpServer http(ws->get(), server_options);
  Status bound = http.Bind();
  if (!bound.ok()) return Fail(bound.message());
  if (!flags.port_file.empty()) {
    std::ofstream(flags.port_file) << http.port() << "\n";
  }
  g_server = &http;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::cout << "tobops is serving the console at http://" << flags.host << ":" << http.port()
            << "/ (data in " << common.data_dir << "; Ctrl-C stops)" << std::endl;
  http.Serve();
  g_server = nullptr;
  std::cout << "stopping: flushing the event store…" << std::endl;
  Status closed = (*ws)->Close();
  if (!closed.ok()) return Fail(closed.message());
  return 0;
}

}  // namespace tobops::app
