// File: server/workspace.h
// Workspace: one opened data directory — the SQLite catalog (projects, keys, users,
// quarantine, tracking plans) and, per project, its event store, identity graph and
// ingest pipeline. `tobops serve` and the CLI commands (import, demo, query) open
// one; it is the only owner of the event stores, guarded by a lock file so two
// processes never write the same store.
// Thread-safety: after Open, every accessor may be used from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <cctz/time_zone.h>

#include "common/status.h"
#include "domain/key_repository.h"
#include "domain/project_repository.h"
#include "domain/cohort_repository.h"
#include "domain/dashboard_repository.h"
#include "domain/quarantine_repository.h"
#include "domain/sqlite_database.h"
#include "domain/tracking_plan_repository.h"
#include "domain/user_repository.h"
#include "ingest/identity_graph.h"
#include "ingest/ingest_pipeline.h"
#include "query/entity_directory.h"
#include "query/query_context.h"
#include "store/decoded_column_cache.h"
#include "ops/background_jobs.h"
#include "ops/ops_context.h"
#include "records/resource_catalog.h"
#include "store/event_store.h"

namespace tobops::server {

// One project's live parts.
struct ProjectRuntime {
  domain::Project project;
  cctz::time_zone zone;
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<ingest::IdentityGraph> identity;
  std::unique_ptr<ingest::IngestPipeline> pipeline;
  domain::CohortRepository* cohorts = nullptr;  // the workspace's; saved cohorts
  // Canonical-id caches shared by this project's queries (query/entity_directory.h).
  std::shared_ptr<query::EntityDirectory> entities = std::make_shared<query::EntityDirectory>();

  // A query context on this project at the current time.
  query::QueryContext QueryContextNow(int threads) const;
};

struct WorkspaceOptions {
  std::filesystem::path data_dir = "tobops-data";
  bool open_event_stores = true;     // false: catalog only (keys, quarantine commands)
  // The memtable keeps events as compressed chunks (~40 bytes each), but a flush still
  // decodes the whole memtable into Events (~1.5 KB each) for the segment writer:
  // 250k bounds that to well under 1 GB.
  size_t memtable_max_events = 250'000;
  // Compaction decodes the segments it merges into Events, so its output size bounds
  // its memory (~1.5 GB at 1M rows).
  uint64_t compaction_max_rows = 1'000'000;
  // Run the customer-success playbooks (ops/playbook_runner.h) when a project opens, so
  // the server opens their tasks at start. Only `tobops serve` sets it: a CLI command
  // that reads (query) or loads (import, demo) must not open tasks as a side effect.
  bool run_playbooks_on_open = false;
  // Bytes of decoded segment columns kept for queries, shared by every project
  // (store/decoded_column_cache.h); 0 keeps none. Only `tobops serve` sets it: one-shot
  // commands scan once.
  size_t column_cache_bytes = 0;
};

class Workspace {
 public:
  // Opens or creates the data directory. Errors: kFailedPrecondition when another
  // process holds the event stores (e.g. a running `tobops serve`), naming its pid;
  // kDataLoss for a corrupt store; catalog errors.
  static Result<std::unique_ptr<Workspace>> Open(const WorkspaceOptions& options);
  ~Workspace();

  domain::SqliteDatabase& catalog() { return *catalog_; }
  domain::ProjectRepository& projects() { return *projects_; }
  domain::KeyRepository& keys() { return *keys_; }
  domain::UserRepository& users() { return *users_; }
  domain::QuarantineRepository& quarantine() { return *quarantine_; }
  domain::TrackingPlanRepository& plans() { return *plans_; }
  domain::DashboardRepository& dashboards() { return *dashboards_; }
  domain::CohortRepository& cohorts() { return *cohorts_; }
  // Operations records (accounts, opportunities, visits, ...), one store per kind.
  records::ResourceCatalog& records() { return *records_; }

  // The runtime of a project. kNotFound for an unknown id; kFailedPrecondition when
  // the workspace was opened without event stores.
  Result<ProjectRuntime*> Project(const std::string& project_id);
  const std::filesystem::path& data_dir() const { return options_.data_dir; }
  // The operations services' view of a project at the current time. Errors as Project.
  Result<ops::OpsContext> OpsContextFor(const std::string& project_id, int query_threads);

  // Starts the background jobs (periodic playbooks and lead rescoring, rescoring after
  // each lead write; ops/background_jobs.h). Only `tobops serve` calls it. Once.
  void StartBackgroundJobs(ops::BackgroundJobs::Options options);
  // The running background jobs, or nullptr when not started.
  ops::BackgroundJobs* background_jobs() { return jobs_.get(); }
  // The ids of the projects opened so far (Project opens them on first use).
  std::vector<std::string> OpenProjectIds();

  // Stops background work, then flushes every store.
  Status Close();

 private:
  explicit Workspace(WorkspaceOptions options) : options_(std::move(options)) {}
  Status LockStores();
  Result<std::unique_ptr<ProjectRuntime>> OpenProject(const domain::Project& project);

  WorkspaceOptions options_;
  int lock_fd_ = -1;
  std::unique_ptr<domain::SqliteDatabase> catalog_;
  std::unique_ptr<domain::ProjectRepository> projects_;
  std::unique_ptr<domain::KeyRepository> keys_;
  std::unique_ptr<domain::UserRepository> users_;
  std::unique_ptr<domain::QuarantineRepository> quarantine_;
  std::unique_ptr<domain::TrackingPlanRepository> plans_;
  std::unique_ptr<domain::DashboardRepository> dashboards_;
  std::unique_ptr<domain::CohortRepository> cohorts_;
  std::unique_ptr<records::ResourceCatalog> records_;
  std::shared_ptr<store::DecodedColumnCache> column_cache_;  // null when the budget is 0
  std::mutex projects_mu_;
  std::map<std::string, std::unique_ptr<ProjectRuntime>> runtimes_;
  std::unique_ptr<ops::BackgroundJobs> jobs_;  // after runtimes_: stopped first
};

}  // namespace tobops::server
