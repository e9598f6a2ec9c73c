// File: query/query_context.h
// QueryContext: what every analysis kernel reads — the event store, the identity graph
// (canonical persons, person and account traits), the time zone and the clock.
// Owned by the caller (server or CLI); kernels borrow it for one query.
#pragma once

#include <cstdint>

#include <cctz/time_zone.h>

#include "ingest/identity_graph.h"
#include "store/event_store.h"

namespace tobops::query {

struct QueryContext {
  const store::EventStore* store = nullptr;
  const ingest::IdentityGraph* identity = nullptr;
  cctz::time_zone zone;            // the project's time zone unless the spec overrides it
  int64_t now_ms = 0;              // "now" for relative ranges
  int threads = 2;                 // scan parallelism
};

}  // namespace tobops::query
