#include "server/workspace.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "common/free_memory.h"
#include "common/time_format.h"
#include "ops/goal_progress.h"
#include "ops/partner_points.h"
#include "ops/pipeline_stages.h"
#include "ops/playbook_runner.h"
#include "ops/record_sync.h"
#include "ops/timeline_outbox.h"
#include "store/embedded_event_store.h"

namespace tobops::server {
namespace {

// The operations view of a runtime, without Workspace::Project (callers already hold
// the runtime, some under projects_mu_).
ops::OpsContext ContextOf(records::ResourceCatalog* records, ProjectRuntime* runtime, int query_threads) {
  ops::OpsContext ctx;
  ctx.project_id = runtime->project.id;
  ctx.zone = runtime->zone;
  ctx.records = records;
  ctx.identity = runtime->identity.get();
  ctx.pipeline = runtime->pipeline.get();
  ctx.store = runtime->store.get();
  ctx.query_context = [runtime, query_threads] { return runtime->QueryContextNow(query_threads); };
  ctx.now_ms = NowMs();
  return ctx;
}

}  // namespace

query::QueryContext ProjectRuntime::QueryContextNow(int threads) const {
  query::QueryContext ctx;
  ctx.store = store.get();
  ctx.identity = identity.get();
  ctx.zone = zone;
  ctx.now_ms = NowMs();
  ctx.threads = threads;
  ctx.entities = entities;
  if (cohorts) {
    ctx.load_cohort = [repo = cohorts, project_id = project.id](int64_t id) -> Result<std::string> {
      ASSIGN_OR_RETURN(domain::SavedCohort cohort, repo->Get(project_id, id));
      return cohort.definition_json;
    };
  }
  return ctx;
}

Result<std::unique_ptr<Workspace>> Workspace::Open(const WorkspaceOptions& options) {
  std::unique_ptr<Workspace> ws(new Workspace(options));
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return FailedPrecondition("cannot create the data directory " + options.data_dir.string() +
                              ": " + ec.message());
  }
  if (options.open_event_stores) RETURN_IF_ERROR(ws->LockStores());
  if (options.column_cache_bytes > 0) {
    ws->column_cache_ = std::make_shared<store::DecodedColumnCache>(options.column_cache_bytes);
  }
  ASSIGN_OR_RETURN(ws->catalog_, domain::SqliteDatabase::OpenCatalog(options.data_dir));
  ws->projects_ = std::make_unique<domain::ProjectRepository>(*ws->catalog_);
  ws->keys_ = std::make_unique<domain::KeyRepository>(*ws->catalog_);
  ws->users_ = std::make_unique<domain::UserRepository>(*ws->catalog_);
  ws->quarantine_ = std::make_unique<domain::QuarantineRepository>(*ws->catalog_);
  ws->plans_ = std::make_unique<domain::TrackingPlanRepository>(*ws->catalog_);
  ws->dashboards_ = std::make_unique<domain::DashboardRepository>(*ws->catalog_);
  ws->cohorts_ = std::make_unique<domain::CohortRepository>(*ws->catalog_);
  ws->records_ = std::make_unique<records::ResourceCatalog>(*ws->catalog_, records::AllResources());
  // Record changes become timeline events through the outbox (ops/timeline_outbox.h).
  ops::TimelineOutbox::Install(*ws->records_);
  ops::InstallPipelineHooks(*ws->records_);  // opportunities stay on configured stages
  ops::InstallGoalHooks(*ws->records_);  // a goal's saved query must parse
  ops::InstallPartnerPointsHooks(*ws->records_);  // no point entry overdraws a partner
  ASSIGN_OR_RETURN(auto default_project, ws->projects_->EnsureDefault());
  (void)default_project;
  return ws;
}

Workspace::~Workspace() {
  Close().IgnoreError();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status Workspace::LockStores() {
  const auto path = options_.data_dir / "LOCK";
  lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) return FailedPrecondition("cannot open " + path.string());
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    ssize_t n = ::pread(lock_fd_, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    ::close(lock_fd_);
    lock_fd_ = -1;
    return FailedPrecondition("the data directory " + options_.data_dir.string() +
                              " is in use by another tobops process (pid " + pid +
                              "); stop it first, or use its HTTP API (--url)");
  }
  std::string pid = std::to_string(::getpid());
  if (::ftruncate(lock_fd_, 0) == 0) {
    ssize_t written = ::pwrite(lock_fd_, pid.data(), pid.size(), 0);
    (void)written;
  }
  return Status::Ok();
}

Result<std::unique_ptr<ProjectRuntime>> Workspace::OpenProject(const domain::Project& project) {
  auto runtime = std::make_unique<ProjectRuntime>();
  runtime->project = project;
  runtime->cohorts = cohorts_.get();
  auto zone = LoadTimeZone(project.timezone);
  if (!zone.ok()) {
    spdlog::warn("project {}: unknown time zone '{}', using UTC", project.id, project.timezone);
    runtime->zone = cctz::utc_time_zone();
  } else {
    runtime->zone = *zone;
  }
  store::EmbeddedStoreOptions store_options;
  store_options.directory = (options_.data_dir / "projects" / project.id / "events").string();
  store_options.memtable_max_events = options_.memtable_max_events;
  store_options.compaction_max_rows = options_.compaction_max_rows;
  store_options.column_cache = column_cache_;
  ASSIGN_OR_RETURN(auto store, store::EmbeddedEventStore::Open(store_options));
  runtime->store = std::move(store);
  runtime->identity = std::make_unique<ingest::IdentityGraph>();
  RETURN_IF_ERROR(runtime->identity->RebuildFrom(*runtime->store));
  // The rebuild's scan buffers and message list are freed now, but the allocator keeps
  // them: at 10M events the server would idle at ~2 GB instead of its graph's size.
  ReleaseFreeMemory();
  runtime->pipeline = std::make_unique<ingest::IngestPipeline>(
      project.id, runtime->store.get(), runtime->identity.get(), plans_.get(), quarantine_.get());
  // Identify / group / alias calls keep contacts and accounts current (ops/record_sync.h).
  runtime->pipeline->SetIdentityObserver([records = records_.get(), raw = runtime.get()](
                                             const ingest::IdentityTouch& touched) {
    auto synced = ops::RecordSync::SyncTouched(ContextOf(records, raw, 1), touched.person_ids, touched.account_ids);
    if (!synced.ok()) spdlog::warn("project {}: record sync failed: {}", raw->project.id, synced.status().ToString());
  });
  return runtime;
}

Result<ProjectRuntime*> Workspace::Project(const std::string& project_id) {
  if (!options_.open_event_stores) {
    return FailedPrecondition("this command opened the data directory without event stores");
  }
  std::lock_guard lock(projects_mu_);
  if (auto it = runtimes_.find(project_id); it != runtimes_.end()) return it->second.get();
  ASSIGN_OR_RETURN(domain::Project project, projects_->Get(project_id));
  ASSIGN_OR_RETURN(auto runtime, OpenProject(project));
  ProjectRuntime* raw = runtime.get();
  runtimes_.emplace(project_id, std::move(runtime));
  // A project starts with the default pipeline stages; records follow the identity graph
  // as rebuilt from the store; and record changes a crash left in the outbox become
  // events now. Failures are logged, not fatal: the project's data is fine, and the next
  // open (or write) tries again.
  {
    const ops::OpsContext ctx = ContextOf(records_.get(), raw, 1);
    Status stages = ops::EnsureDefaultStages(ctx);
    if (!stages.ok()) spdlog::warn("project {}: default pipeline stages not stored: {}", project_id, stages.ToString());
    const int64_t started = NowMs();
    auto synced = ops::RecordSync::SyncAll(ctx);
    if (!synced.ok()) {
      spdlog::warn("project {}: record sync failed: {}", project_id, synced.status().ToString());
    } else {
      // Debug only: CLI commands (query) print their answer on stdout, where the log goes too.
      spdlog::debug("project {}: records synced from traits ({} accounts, {} contacts written) in {} ms", project_id,
                   synced->accounts_written, synced->contacts_written, NowMs() - started);
    }
    auto drained = ops::TimelineOutbox::Drain(ctx);
    if (!drained.ok()) spdlog::warn("project {}: timeline outbox not drained: {}", project_id, drained.status().ToString());
    // Customer-success playbooks run when the server opens the project (and on demand,
    // POST /api/playbooks/run).
    if (options_.run_playbooks_on_open) {
      auto played = ops::RunPlaybooks(ctx, std::nullopt);
      if (!played.ok()) spdlog::warn("project {}: playbooks not run: {}", project_id, played.status().ToString());
    }
  }
  return raw;
}

void Workspace::StartBackgroundJobs(ops::BackgroundJobs::Options options) {
  if (jobs_ != nullptr) return;
  // One scan thread: background work must leave the cores to the people using the console.
  jobs_ = std::make_unique<ops::BackgroundJobs>(
      options, [this](const std::string& project_id) { return OpsContextFor(project_id, 1); },
      [this] { return OpenProjectIds(); });
  jobs_->WatchLeads(*records_);
  jobs_->Start();
}

std::vector<std::string> Workspace::OpenProjectIds() {
  std::lock_guard lock(projects_mu_);
  std::vector<std::string> ids;
  for (const auto& [id, runtime] : runtimes_) ids.push_back(id);
  return ids;
}

Status Workspace::Close() {
  // Before taking projects_mu_: a job in progress opens projects through it.
  if (jobs_ != nullptr) jobs_->Stop();
  std::lock_guard lock(projects_mu_);
  Status first;
  for (auto& [id, runtime] : runtimes_) {
    runtime->pipeline.reset();  // flushes plan observations
    Status s = runtime->store->Close();
    if (!s.ok() && first.ok()) first = s;
  }
  runtimes_.clear();
  return first;
}

Result<ops::OpsContext> Workspace::OpsContextFor(const std::string& project_id, int query_threads) {
  ASSIGN_OR_RETURN(ProjectRuntime * runtime, Project(project_id));
  return ContextOf(records_.get(), runtime, query_threads);
}

}  // namespace tobops::server
