// File: ops/ops_context.h
// OpsContext: what an operations service needs of one project — its records, identity
// graph, ingest pipeline (record changes become events through it), event store and a
// way to run analytics now. Built by server/workspace.h (Workspace::OpsContextFor) and
// by the demo; the pointers are borrowed and outlive the call that uses the context.
// Thread-safety: the parts are thread-safe; the struct itself is a value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <cctz/time_zone.h>

#include "ingest/identity_graph.h"
#include "ingest/ingest_pipeline.h"
#include "query/query_context.h"
#include "records/resource_catalog.h"
#include "store/event_store.h"

namespace tobops::ops {

struct OpsContext {
  std::string project_id;
  cctz::time_zone zone;  // the project's time zone (weeks, days, "today")
  records::ResourceCatalog* records = nullptr;
  ingest::IdentityGraph* identity = nullptr;
  ingest::IngestPipeline* pipeline = nullptr;
  store::EventStore* store = nullptr;
  std::function<query::QueryContext()> query_context;  // analytics at now_ms
  int64_t now_ms = 0;
};

}  // namespace tobops::ops
