// File: query/query_context.h
// QueryContext: what every analysis kernel reads — the event store, the identity graph
// (canonical persons, person and account traits), the time zone and the clock.
// Owned by the caller (server or CLI); kernels borrow it for one query.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <cctz/time_zone.h>

#include "common/status.h"
#include "ingest/identity_graph.h"
#include "store/event_store.h"

namespace tobops::query {

class EntityDirectory;  // query/entity_directory.h

// entity id → the virtual cohort traits it carries, sorted by key.
struct CohortTraits {
  std::unordered_map<std::string, ingest::Traits> persons;
  std::unordered_map<std::string, ingest::Traits> accounts;
};

struct QueryContext {
  const store::EventStore* store = nullptr;
  const ingest::IdentityGraph* identity = nullptr;
  cctz::time_zone zone;            // the project's time zone unless the spec overrides it
  int64_t now_ms = 0;              // "now" for relative ranges
  int threads = 2;                 // scan parallelism
  // Loads a saved cohort's definition (JSON text) by id; empty where no catalog is
  // open. kNotFound for an unknown id.
  std::function<Result<std::string>(int64_t cohort_id)> load_cohort;
  // Cohort membership as virtual traits ("$cohort:<key>" = true) of persons and
  // accounts, filled by ResolveCohorts for the cohorts a spec mentions.
  std::shared_ptr<const CohortTraits> cohorts;
  // Dense person/account keys and per-segment code maps kept across queries; null: each
  // scan makes its own (CLI, tests).
  std::shared_ptr<EntityDirectory> entities;
};

}  // namespace tobops::query
