// File: ops/demo_growth_records.h
// Demo growth records: the marketing, customer-success and partner workspace's records
// for the demo story (campaigns, campaign members, leads, content items, renewals,
// playbooks, milestones, partners with point ledgers, goals, strategies), so each of
// its pages is alive after `tobops demo`. docs/growth/demo_records.md.
//
// Same approach as ops/demo_records.h (the sales records), in two steps:
//  - PlanDemoGrowthRecords: a pure function from what the demo's events say
//    (DemoGrowthInput: the sales facts of each account, the contacts, the webinar
//    events, the first signup of each account and when each utm campaign was seen) to
//    a time-ordered list of DemoRecordWrite. Same input → same plan.
//  - GenerateDemoGrowthRecords: collects the facts, plans, and replays the plan on a
//    catalog of its own whose clock is each write's historical moment, with the
//    timeline outbox installed (campaign_attended, lead_qualified, renewal_signed /
//    renewal_lost land in the story), point entries through ops::RecordPoints (with
//    the ledger's balance hook), then drains the outbox.
// Callers: app/demo_command.cc (right after GenerateDemoRecords); tests.
// Thread-safety: call from one thread; the demo owns the project meanwhile.
#pragma once

#include <cctz/time_zone.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/sqlite_database.h"
#include "ops/demo_records.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// A contact record as the growth plan needs it (members and leads copy these).
struct GrowthContactFacts {
  int64_t id = 0;
  int64_t account_id = 0;  // 0: the contact has no account
  std::string person_id, name, email, phone, title, role;
};

// A webinar_registered (attended = false) or webinar_attended event of a known person.
struct GrowthWebinarEvent {
  int64_t at_ms = 0;
  bool attended = false;
  std::string person_id;     // canonical
  std::string utm_campaign;  // the event's utm_campaign (b2b_growth_live, ...)
  std::string webinar_id;    // wb-NNN
};

// The first signup of an account by a person with a contact record.
struct GrowthSignup {
  int64_t at_ms = 0;
  std::string person_id;  // canonical
  std::string channel, utm_source, utm_campaign, utm_term;
};

struct DemoGrowthInput {
  uint64_t seed = 42;
  int64_t end_ms = 0;  // no write at or after it
  cctz::time_zone zone;
  std::vector<DemoAccountFacts> accounts;        // from CollectDemoFacts (contacts unused)
  std::vector<GrowthContactFacts> contacts;      // every contact record
  std::vector<GrowthWebinarEvent> webinar_events;  // time order
  std::map<int64_t, GrowthSignup> signups;       // account record id → its first signup
  // utm_campaign → {first, last} time of the scanned events carrying it.
  std::map<std::string, std::pair<int64_t, int64_t>> utm_seen;
  int64_t story_start_ms = 0;  // the first scanned event (0: none)
};

// The plan: writes in non-decreasing at_ms, every at_ms < input.end_ms; a create always
// precedes the writes that use its key ({"$plan": key} in fields). point_entries are
// only created, and each partner's running balance never goes below zero.
std::vector<DemoRecordWrite> PlanDemoGrowthRecords(const DemoGrowthInput& input);

// The facts of ctx's project: CollectDemoFacts, the contact records, and the signup /
// webinar / content events (with their utm_* properties) before end_ms.
[[nodiscard]] Result<DemoGrowthInput> CollectDemoGrowthFacts(const OpsContext& ctx, uint64_t seed,
                                                             int64_t end_ms);

struct DemoGrowthOptions {
  uint64_t seed = 42;
  int64_t end_ms = 0;
  // Earlier growth records of the project (all the kinds above, tasks too) are deleted
  // first; otherwise a project that already has campaigns is left alone.
  bool replace = false;
  std::function<void(const std::string&)> progress;  // one line of progress; may be empty
};

struct DemoGrowthReport {
  bool skipped = false;                   // the project already had campaigns
  std::map<std::string, size_t> created;  // resource → records created
  size_t updates = 0;
};

// Collects, plans and writes the growth records of ctx.project_id through a catalog of
// its own on `db` (the workspace's catalog database), then drains the timeline outbox
// through ctx.pipeline. Run after GenerateDemoRecords (accounts and contacts synced).
// Errors: those of the store scan, the record writes (naming the plan key) and the drain.
[[nodiscard]] Result<DemoGrowthReport> GenerateDemoGrowthRecords(const OpsContext& ctx,
                                                                 domain::SqliteDatabase& db,
                                                                 const DemoGrowthOptions& options);

}  // namespace tobops::ops
