#include "ingest/ingest_pipeline.h"

#include <spdlog/spdlog.h>

#include "ingest/tracking_plan_validator.h"

namespace tobops::ingest {

IngestPipeline::IngestPipeline(std::string project_id, store::EventStore* store,
                               IdentityGraph* identity, domain::TrackingPlanRepository* plans,
                               domain::QuarantineRepository* quarantine)
    : project_id_(std::move(project_id)),
      store_(store),
      identity_(identity),
      plans_(plans),
      quarantine_(quarantine) {
  observation_thread_ = std::thread([this] { ObservationLoop(); });
}

IngestPipeline::~IngestPipeline() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  observation_thread_.join();
  FlushObservations();
}

void IngestPipeline::ObservationLoop() {
  std::unique_lock lock(loop_mu_);
  while (!stopping_) {
    loop_cv_.wait_for(lock, std::chrono::seconds(1));
    lock.unlock();
    FlushObservations();
    lock.lock();
  }
}

void IngestPipeline::FlushObservations() {
  domain::PlanObservationBatch batch;
  if (plans_ == nullptr) return;
  {
    std::lock_guard lock(observations_mu_);
    if (observations_.empty()) return;
    std::swap(batch, observations_);
  }
  Status status = plans_->RecordObservations(project_id_, batch);
  if (!status.ok()) spdlog::warn("tracking-plan observations not recorded: {}", status.ToString());
}

Result<IngestOutcome> IngestPipeline::Ingest(ParsedRequest request, int64_t received_at_ms) {
  IngestOutcome outcome;
  domain::TrackingPlan plan;
  if (plans_) {
    auto loaded = plans_->GetPlan(project_id_);
    if (loaded.ok()) plan = std::move(*loaded);
  }
  std::vector<domain::QuarantinedMessage> rejected;
  std::vector<store::Event> events;
  events.reserve(request.messages.size());
  // Observations are gathered here and added to the shared batch under one lock.
  struct Seen {
    std::string event;
    int64_t at_ms;
    std::vector<std::string> property_names;
    std::vector<std::string> violations;
  };
  std::vector<Seen> seen;
  seen.reserve(request.messages.size());
  IdentityTouch touched;  // stays empty (no allocation) for track-only batches

  auto reject = [&](ParsedMessage& m, Status status) {
    domain::QuarantinedMessage q;
    q.project_id = project_id_;
    q.received_at_ms = received_at_ms;
    q.code = StatusCodeName(status.code());
    q.field = status.field();
    q.message = status.message();
    q.payload = std::move(m.raw);
    rejected.push_back(std::move(q));
    if (outcome.errors.size() < kMaxErrorsReported) {
      outcome.errors.push_back(MessageError{m.index, m.message_id, std::move(status)});
    }
  };

  for (ParsedMessage& m : request.messages) {
    if (!m.status.ok()) {
      reject(m, std::move(m.status));
      continue;
    }
    store::Event& ev = m.message.event;
    ev.received_at_ms = received_at_ms;
    std::vector<PlanCheck> checks = CheckAgainstPlan(plan, ev);
    std::vector<std::string> names;
    names.reserve(ev.properties.size());
    for (const auto& p : ev.properties) names.push_back(p.key.substr(0, p.key.find('.')));
    Seen& s = seen.emplace_back(Seen{ev.event, ev.timestamp_ms, std::move(names), {}});
    for (const auto& c : checks) s.violations.push_back(c.message);
    if (!checks.empty() && plan.mode == domain::PlanMode::kQuarantine) {
      const std::string prefix = request.messages.size() > 1 || m.index > 0
                                     ? "batch[" + std::to_string(m.index) + "]."
                                     : std::string();
      std::string message = checks[0].message;
      if (checks.size() > 1) message += " (and " + std::to_string(checks.size() - 1) + " more)";
      reject(m, InvalidArgument("tracking plan: " + message, prefix + checks[0].field));
      continue;
    }
    identity_->Apply(&m.message);
    if (ev.type == store::MessageType::kIdentify || ev.type == store::MessageType::kAlias ||
        ev.type == store::MessageType::kGroup) {
      touched.person_ids.push_back(ev.person);
      if (ev.type == store::MessageType::kAlias) touched.person_ids.push_back(m.message.previous_id);
      if (!m.message.context_group_id.empty()) touched.account_ids.push_back(m.message.context_group_id);
    }
    events.push_back(std::move(ev));
  }

  if (!events.empty()) {
    ASSIGN_OR_RETURN(store::AppendResult stored, store_->Append(std::move(events)));
    outcome.accepted = stored.stored;
    outcome.duplicates = stored.duplicates;
    // Durable now: the observer may act on the persons and accounts these messages changed.
    if (identity_observer_ && (!touched.person_ids.empty() || !touched.account_ids.empty())) {
      identity_observer_(touched);
    }
  }
  outcome.rejected = rejected.size();
  if (!rejected.empty() && quarantine_) {
    Status status = quarantine_->AddMany(rejected);
    if (!status.ok()) spdlog::error("quarantine write failed: {}", status.ToString());
  }
  if (!seen.empty()) {
    std::lock_guard lock(observations_mu_);
    for (const Seen& s : seen) {
      observations_.AddEvent(s.event, s.at_ms, s.property_names);
      for (const auto& v : s.violations) observations_.AddViolation(s.event, received_at_ms, v);
    }
  }
  return outcome;
}

}  // namespace tobops::ingest
