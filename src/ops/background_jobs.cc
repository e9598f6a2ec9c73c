#include "ops/background_jobs.h"

#include <map>

#include <spdlog/spdlog.h>

#include "ops/lead_scoring.h"
#include "ops/playbook_runner.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

int64_t WallNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BackgroundJobs::BackgroundJobs(Options options, ContextFor context_for, OpenProjects open_projects)
    : options_(options), context_for_(std::move(context_for)), open_projects_(std::move(open_projects)) {}

BackgroundJobs::~BackgroundJobs() { Stop(); }

void BackgroundJobs::WatchLeads(records::ResourceCatalog& records) {
  std::weak_ptr<LeadQueue> weak = queue_;
  records.Get("leads").AddChangeHook(
      [weak](domain::SqliteConnection&, const std::string& project_id, const json*, const json* after) {
        auto queue = weak.lock();
        if (queue == nullptr || after == nullptr || !after->contains("id")) return Status::Ok();
        {
          std::lock_guard lock(queue->mu);
          queue->pending.insert({project_id, (*after)["id"].get<int64_t>()});
        }
        queue->cv.notify_all();
        return Status::Ok();
      });
}

void BackgroundJobs::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(queue_->mu);
    queue_->stopping = false;
  }
  {
    std::lock_guard lock(schedule_mu_);
    next_pass_ms_ = WallNowMs() + options_.interval.count();
  }
  thread_ = std::thread([this] { Run(); });
}

void BackgroundJobs::Stop() {
  {
    std::lock_guard lock(queue_->mu);
    queue_->stopping = true;
  }
  queue_->cv.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(schedule_mu_);
  next_pass_ms_ = 0;
}

void BackgroundJobs::EnqueueLead(const std::string& project_id, int64_t lead_id) {
  {
    std::lock_guard lock(queue_->mu);
    queue_->pending.insert({project_id, lead_id});
  }
  queue_->cv.notify_all();
}

void BackgroundJobs::WaitIdle() {
  std::unique_lock lock(queue_->mu);
  if (!thread_.joinable()) return;
  queue_->cv.wait(lock, [this] { return queue_->stopping || (queue_->pending.empty() && queue_->in_flight == 0); });
}

BackgroundJobs::Schedule BackgroundJobs::schedule() const {
  std::lock_guard lock(schedule_mu_);
  return {options_.interval, last_pass_ms_, next_pass_ms_};
}

void BackgroundJobs::Run() {
  using Clock = std::chrono::steady_clock;
  auto next_pass = Clock::now() + options_.interval;  // next_pass_ms_ was set by Start
  while (true) {
    std::set<std::pair<std::string, int64_t>> batch;
    {
      std::unique_lock lock(queue_->mu);
      queue_->cv.wait_until(lock, next_pass, [this] { return queue_->stopping || !queue_->pending.empty(); });
      if (queue_->stopping) return;
      batch.swap(queue_->pending);
      queue_->in_flight = static_cast<int>(batch.size());
    }
    if (!batch.empty()) {
      RescoreLeads(batch);
      {
        std::lock_guard lock(queue_->mu);
        queue_->in_flight = 0;
      }
      queue_->cv.notify_all();  // WaitIdle
      continue;
    }
    if (Clock::now() < next_pass) continue;  // a spurious wake
    const json pass = RunPeriodicPass();
    spdlog::info("background jobs: periodic pass over {} project(s)", pass["projects"].size());
    next_pass = Clock::now() + options_.interval;
    std::lock_guard lock(schedule_mu_);
    next_pass_ms_ = WallNowMs() + options_.interval.count();
  }
}

void BackgroundJobs::RescoreLeads(const std::set<std::pair<std::string, int64_t>>& batch) {
  std::map<std::string, std::vector<int64_t>> by_project;
  for (const auto& [project, id] : batch) by_project[project].push_back(id);
  for (const auto& [project, ids] : by_project) {
    auto ctx = context_for_(project);
    if (!ctx.ok()) {
      spdlog::warn("project {}: leads not rescored: {}", project, ctx.status().ToString());
      continue;
    }
    for (int64_t id : ids) {
      // One by one: a lead deleted meanwhile (kNotFound) must not block the others.
      auto scored = RecomputeLeadScores(*ctx, {id});
      if (!scored.ok() && scored.status().code() != StatusCode::kNotFound) {
        spdlog::warn("project {}: lead {} not rescored: {}", project, id, scored.status().ToString());
      }
    }
  }
}

json BackgroundJobs::RunPeriodicPass() {
  json projects = json::array();
  for (const std::string& project : open_projects_()) {
    json entry = {{"project_id", project}};
    auto ctx = context_for_(project);
    if (!ctx.ok()) {
      entry["error"] = ctx.status().ToString();
      projects.push_back(std::move(entry));
      continue;
    }
    auto played = RunPlaybooks(*ctx, std::nullopt);
    if (played.ok()) {
      entry["playbooks"] = std::move(*played);
    } else {
      entry["playbooks"] = {{"error", played.status().ToString()}};
      spdlog::warn("project {}: playbooks not run: {}", project, played.status().ToString());
    }
    auto scored = RecomputeLeadScores(*ctx, {});
    if (scored.ok()) {
      entry["leads_scored"] = (*scored)["scored"];
    } else {
      entry["leads_scored"] = {{"error", scored.status().ToString()}};
      spdlog::warn("project {}: leads not rescored: {}", project, scored.status().ToString());
    }
    projects.push_back(std::move(entry));
  }
  const int64_t at = WallNowMs();
  {
    std::lock_guard lock(schedule_mu_);
    last_pass_ms_ = at;
  }
  return {{"at", at}, {"projects", std::move(projects)}};
}

}  // namespace tobops::ops
