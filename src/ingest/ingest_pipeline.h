// File: ingest/ingest_pipeline.h
// IngestPipeline: the one path every message takes into a project — HTTP routes, file
// import and the demo generator all call it. Validates each message on its own,
// checks the tracking plan, resolves identity and the event's account, stores the
// valid messages durably, and quarantines the rejected ones with their reason.
// Thread-safety: Ingest may be called concurrently from many threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "domain/quarantine_repository.h"
#include "domain/tracking_plan_repository.h"
#include "ingest/identity_graph.h"
#include "ingest/ingest_message.h"
#include "store/event_store.h"

namespace tobops::ingest {

struct MessageError {
  size_t index = 0;
  std::string message_id;
  Status status;  // code, message and field ("batch[3].timestamp")
};

struct IngestOutcome {
  size_t accepted = 0;    // stored now
  size_t duplicates = 0;  // valid but already stored (same messageId)
  size_t rejected = 0;    // quarantined
  std::vector<MessageError> errors;  // one per rejected message, at most kMaxErrorsReported
};

// What the identify / group / alias messages of one request touched: person ids as
// sent (userId, or "anon:" + anonymousId) and group ids. Both empty when the request
// had none of those messages.
struct IdentityTouch {
  std::vector<std::string> person_ids;
  std::vector<std::string> account_ids;
};

class IngestPipeline {
 public:
  static constexpr size_t kMaxErrorsReported = 100;

  // All pointers are borrowed and must outlive the pipeline. `plans` and `quarantine`
  // may be null (tools and tests): then no plan applies and rejects are only reported.
  IngestPipeline(std::string project_id, store::EventStore* store, IdentityGraph* identity,
                 domain::TrackingPlanRepository* plans, domain::QuarantineRepository* quarantine);
  ~IngestPipeline();

  // Ingests the messages of one request. OK means every accepted message is durable.
  // Errors: the store's (kResourceExhausted when the disk is full, then none of this
  // request's messages are stored and the caller should answer 503).
  Result<IngestOutcome> Ingest(ParsedRequest request, int64_t received_at_ms);

  // Writes the accumulated plan observations now (also done every second).
  void FlushObservations();

  const std::string& project_id() const { return project_id_; }

  // Called after a request's messages are durable when identify / group / alias
  // messages touched persons or accounts (never for a batch of track events only),
  // on the ingesting thread. The record sync (ops/record_sync.h) keeps contacts and
  // accounts current this way. Set once before serving (not guarded).
  using IdentityObserver = std::function<void(const IdentityTouch&)>;
  void SetIdentityObserver(IdentityObserver observer) { identity_observer_ = std::move(observer); }

 private:
  void ObservationLoop();

  const std::string project_id_;
  store::EventStore* store_;
  IdentityGraph* identity_;
  domain::TrackingPlanRepository* plans_;
  domain::QuarantineRepository* quarantine_;
  IdentityObserver identity_observer_;

  // Plan observations are counters for the planned-vs-seen report, not acknowledged
  // data: they are accumulated in memory and written once a second so that ingest
  // does not pay a catalog transaction per request.
  std::mutex observations_mu_;
  domain::PlanObservationBatch observations_;
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread observation_thread_;
};

}  // namespace tobops::ingest
