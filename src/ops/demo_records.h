// File: ops/demo_records.h
// Demo records: the sales workspace's records for the demo story, so every sales page
// (pipeline board, forecast, decision-chain map, brief, visits, follow-ups, feedback
// backlog, weekly report) is alive after `tobops demo`. docs/sales/demo_records.md.
//
// Two steps, so the decisions can be tested without a database:
//  - PlanDemoRecords: a pure function from what the demo's events say about each
//    account (DemoAccountFacts: traits, contacts, milestone events) to a time-ordered
//    list of record writes (DemoRecordWrite). Same input → same plan.
//  - GenerateDemoRecords: syncs accounts and contacts from the identity graph
//    (RecordSync), reads the milestone events from the store, plans, and replays the
//    plan on its own ResourceCatalog whose clock is set to each write's historical
//    moment, with the timeline outbox and the pipeline hooks installed, so stage moves,
//    visits and follow-ups become timeline events at the time they happened.
// Callers: app/demo_command.cc; tests. Thread-safety: call from one thread; the
// project must not be written by anyone else meanwhile (the demo owns it).
#pragma once

#include <cctz/time_zone.h>

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/sqlite_database.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// A contact record of an account, and when the person signed up (0: before the story).
struct DemoContactFacts {
  int64_t id = 0;
  std::string person_id;
  std::string name;
  std::string role;  // decision-chain role trait; may be empty
  std::string title;
  int64_t joined_ms = 0;
};

// An account record plus the milestone events of the story (UTC ms; 0 = never).
// Persons are canonical person ids (the contacts' person_id).
struct DemoAccountFacts {
  int64_t id = 0;
  std::string group_id, name, industry, size, region, level, owner, plan, lifecycle_stage;
  std::string renewal_date;  // YYYY-MM-DD or empty
  double arr = 0;
  int64_t seats = 0;
  std::string channel;  // first-touch channel of the signup event ("partner", ...)
  int64_t signup_ms = 0, trial_ms = 0, demo_ms = 0, quote_ms = 0, purchase_ms = 0, churn_ms = 0;
  std::string demo_person, quote_person, purchase_person, churn_person;
  std::string demo_product;  // product property of demo_requested
  int64_t quote_seats = 0;
  double purchase_amount = 0;
  std::string churn_reason;  // reason property of churned
  struct Renewal {
    int64_t at_ms = 0;
    double amount = 0;
    std::string person;
  };
  std::vector<Renewal> renewals;
  std::vector<DemoContactFacts> contacts;  // in signup order
};

struct DemoRecordsInput {
  uint64_t seed = 42;
  int64_t end_ms = 0;                      // the story's end: no write at or after it
  cctz::time_zone zone;                    // dates (expected_close, due_date) are local days
  std::vector<DemoAccountFacts> accounts;  // any order; the plan sorts by group_id
};

// One write of the plan. `fields` refer to accounts and contacts by record id, and to
// records created earlier in the plan by {"$plan": key}.
struct DemoRecordWrite {
  int64_t at_ms = 0;
  bool update = false;    // false: create `resource` as `key`; true: patch record `key`
  std::string resource;   // "opportunities", "visits", ...
  std::string key;        // plan-local name of the record ("opp:acc-000012:new")
  nlohmann::json fields;  // the record (create) or the patch (update), API form
};

// The plan: writes in non-decreasing at_ms (ties keep creation before use), every
// at_ms < input.end_ms; a create always precedes the writes that use its key.
std::vector<DemoRecordWrite> PlanDemoRecords(const DemoRecordsInput& input);

// The facts of every account record of ctx's project: traits from the records,
// contacts from the contact records, milestones from the event store (signup,
// trial_started, demo_requested, quote_requested, purchase, renewal, churned).
[[nodiscard]] Result<DemoRecordsInput> CollectDemoFacts(const OpsContext& ctx, uint64_t seed,
                                                        int64_t end_ms);

struct DemoRecordsOptions {
  uint64_t seed = 42;
  int64_t end_ms = 0;
  // The project's earlier demo records (everything but accounts, contacts and pipeline
  // stages) are deleted first; otherwise a project that already has opportunities is
  // left alone (a second `tobops demo` without --reset re-ingests duplicates only).
  bool replace = false;
  std::function<void(const std::string&)> progress;  // one line of progress; may be empty
};

struct DemoRecordsReport {
  bool skipped = false;                   // the project already had opportunities
  std::map<std::string, size_t> created;  // resource → records created
  size_t updates = 0;
};

// Syncs, plans and writes the demo records of ctx.project_id through a catalog of its
// own on `db` (the workspace's catalog database, whose connection runs with
// synchronous=NORMAL meanwhile and is back at FULL, checkpointed, on return), then
// drains the timeline outbox through ctx.pipeline. Errors: those of the sync, the store
// scan, the record writes (a write the plan got wrong fails the demo loudly, naming the
// record) and the drain.
[[nodiscard]] Result<DemoRecordsReport> GenerateDemoRecords(const OpsContext& ctx,
                                                            domain::SqliteDatabase& db,
                                                            const DemoRecordsOptions& options);

}  // namespace tobops::ops
