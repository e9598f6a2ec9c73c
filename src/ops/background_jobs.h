// BackgroundJobs: the one background thread of a serving workspace, for operations work
// that no request asks for:
//   - every `interval` (default one hour) a pass over each open project runs its enabled
//     playbooks (tasks for owners, ops/playbook_runner.h) and rescores every lead (the
//     behaviour part of a score counts recent events, which keep arriving;
//     ops/lead_scoring.h);
//   - right after a lead is created or updated, that lead is rescored: a change hook on
//     the leads store queues its id. The hook runs inside the write's transaction, so it
//     only queues; the rescoring waits for the commit on the catalog lock.
// Owned by server::Workspace and started only by `tobops serve`: a CLI command that
// reads (query) or loads (import, demo) must not open tasks as a side effect.
// Thread-safety: every method may be called from any thread; Stop() joins the thread
// and is idempotent. The leads hook may outlive this object (hooks cannot be removed
// from a RecordStore): it then only queues into a shared, no longer drained, set.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "ops/ops_context.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

class BackgroundJobs {
 public:
  struct Options {
    std::chrono::milliseconds interval{std::chrono::hours(1)};
  };
  // The ops view of a project at the current time (Workspace::OpsContextFor).
  using ContextFor = std::function<Result<OpsContext>(const std::string& project_id)>;
  // The projects the workspace has open; the periodic pass visits these.
  using OpenProjects = std::function<std::vector<std::string>()>;

  BackgroundJobs(Options options, ContextFor context_for, OpenProjects open_projects);
  ~BackgroundJobs();  // Stop()
  BackgroundJobs(const BackgroundJobs&) = delete;
  BackgroundJobs& operator=(const BackgroundJobs&) = delete;

  // Queues the rescoring of leads written through `records` (a hook on its leads store).
  // Call once per catalog, before Start.
  void WatchLeads(records::ResourceCatalog& records);
  // Starts the thread; its first periodic pass is one interval from now (a project's
  // playbooks already ran when the server opened it).
  void Start();
  // Finishes the job in progress, then joins the thread. Queued leads not yet rescored
  // stay unscored until the next start's periodic pass.
  void Stop();

  // Queues one lead for rescoring.
  void EnqueueLead(const std::string& project_id, int64_t lead_id);
  // Runs the periodic jobs over every open project now, on the caller's thread →
  // {"at": ms, "projects":[{"project_id","playbooks":{runs…}|"error","leads_scored":N|"error"}]}.
  // Failures are reported per project and per job, never thrown: one project's broken
  // playbook must not stop the others' jobs.
  nlohmann::json RunPeriodicPass();
  // Blocks until every lead queued so far has been rescored (or Stop was called).
  void WaitIdle();

  // When the last periodic pass ran and the next will (epoch ms; 0 = none yet / not
  // running), for the console's "playbooks last ran" line.
  struct Schedule {
    std::chrono::milliseconds interval{0};
    int64_t last_pass_ms = 0;
    int64_t next_pass_ms = 0;
  };
  Schedule schedule() const;

 private:
  // Shared with the leads hook, which may outlive this object.
  struct LeadQueue {
    std::mutex mu;
    std::condition_variable cv;
    std::set<std::pair<std::string, int64_t>> pending;
    bool stopping = false;
    int in_flight = 0;
  };

  void Run();
  void RescoreLeads(const std::set<std::pair<std::string, int64_t>>& batch);

  Options options_;
  ContextFor context_for_;
  OpenProjects open_projects_;
  std::shared_ptr<LeadQueue> queue_ = std::make_shared<LeadQueue>();
  std::thread thread_;
  mutable std::mutex schedule_mu_;
  int64_t last_pass_ms_ = 0;
  int64_t next_pass_ms_ = 0;
};

}  // namespace tobops::ops
