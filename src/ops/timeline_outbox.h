// File: ops/timeline_outbox.h
// TimelineOutbox: turns changes of operations records into track events of the
// account and person concerned, so one funnel can run from the first visit through
// the deal (docs/sales/sync_and_timeline.md lists every event and property).
//
// Durability: a change hook on each record kind builds the Segment messages and writes
// them into the `timeline_outbox` table inside the record write's own transaction, so
// the change and its events commit or roll back together. Drain then feeds the rows
// to the project's IngestPipeline and deletes them only once the pipeline reports them
// durable. Every message has a messageId derived from the record (table, id,
// updated_at, event), so a drain that is repeated after a crash between "stored" and
// "deleted" is absorbed by the store's deduplication.
//
// Adding an event: write a builder (record before/after → messages) and add a row to
// the table in timeline_outbox.cc (kBuilders); nothing else changes.
//
// Callers: server/workspace.cc (Install once at open; Drain when a project opens),
// server/record_routes.cc (Drain right after a write), demo / services that write
// records directly. Thread-safety: Install before serving; Drain may run from any
// thread (drains of one process are serialised; concurrent ones would only repeat
// messageIds, which the store drops).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/sqlite_database.h"
#include "ops/ops_context.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

struct DrainCounts {
  size_t messages = 0;  // outbox rows handed to the pipeline
  size_t rejected = 0;  // of those, refused by the pipeline (quarantined, e.g. by the tracking plan)
};

class TimelineOutbox {
 public:
  // Adds the change hooks to the record stores of `catalog` (opportunities, visits,
  // follow_ups, feedback, stakeholders, campaign_members, leads, renewals,
  // point_entries, milestones); the outbox table is in the catalog's database
  // (ResourceCatalog::database()). Call once per catalog, before serving.
  static void Install(records::ResourceCatalog& catalog);

  // Ingests the project's pending outbox rows (oldest first, in batches) through
  // ctx.pipeline and deletes each batch once it is durable. Errors: kFailedPrecondition
  // when ctx.records or ctx.pipeline is null; the pipeline's (e.g.
  // kResourceExhausted on a full disk — the rows stay for the next drain); catalog I/O.
  [[nodiscard]] static Result<DrainCounts> Drain(const OpsContext& ctx);

  // Pending rows of a project (tests, status).
  [[nodiscard]] static Result<size_t> Pending(domain::SqliteDatabase& db, const std::string& project_id);
};

}  // namespace tobops::ops
