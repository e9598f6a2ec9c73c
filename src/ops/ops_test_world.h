// File: ops/ops_test_world.h
// Test-only: the one fixture of the ops unit tests (src/ops/*_test.cc).
//
// OpsTestWorld is a fresh record catalog (projects "p1" and "p2", a fake record clock:
// records::RecordsTest), an event store with identity graph fed through an ingest
// pipeline (ingest::TestProject, project_), a second pipeline over the same store for
// the OpsContext (pipeline_: the timeline outbox ingests through it), and an OpsContext
// over all of them in Asia/Shanghai at now_. Its helpers write Segment messages as JSON
// text (Identify, Person, GroupCall, Track, InGroup) and send them as one batch (Ingest).
// A test's own world (records, events) is built in its fixture's SetUp, next to the
// tests that read it; the worlds that several test files share stand at the end of this
// header:
//   SalesViewsTest    account_overview, account_timeline, decision_chain, presales_brief,
//                     visit_minutes (and account_milestones) tests; now 2026-03-20T12:00
//   CampaignWorldTest campaign_import, campaign_postmortem, lead_scoring tests; now
//                     2026-04-10T12:00
//   ContentTest       content_metrics, content_report tests; now 2026-12-02T12:00
// All times +08:00. Thread-safety: one test thread, as gtest runs a fixture.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time_format.h"
#include "domain/sqlite_database.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/test_ingest.h"
#include "ops/ops_context.h"
#include "query/query_test_support.h"
#include "records/records_test_support.h"
#include "store/event_store.h"

namespace tobops::ops {

class OpsTestWorld : public records::RecordsTest {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    records::RecordsTest::SetUp();
    pipeline_ = std::make_unique<ingest::IngestPipeline>("p1", &project_.store(), &project_.identity(), nullptr,
                                                         nullptr);
  }
  void TearDown() override { pipeline_.reset(); }

  // Sets the record clock (created_at / updated_at of records written from now on).
  void At(const std::string& iso) { clock_.now->store(*ParseIso8601Ms(iso)); }

  // now_ in milliseconds.
  int64_t NowMs() const { return *ParseIso8601Ms(now_); }

  // Project "p1" at now_ in zone_, over the catalog, the event store, the identity graph
  // and pipeline_; analytics run on 2 threads at the same now.
  OpsContext Context() {
    OpsContext ctx;
    ctx.project_id = "p1";
    ctx.zone = zone_;
    ctx.records = catalog_.get();
    ctx.identity = &project_.identity();
    ctx.pipeline = pipeline_.get();
    ctx.store = &project_.store();
    ctx.now_ms = NowMs();
    ingest::TestProject* project = &project_;
    const int64_t now_ms = ctx.now_ms;
    const cctz::time_zone zone = zone_;
    ctx.query_context = [project, now_ms, zone] { return query::MakeTestContext(*project, now_ms, zone); };
    return ctx;
  }

  // Segment messages as JSON text. `traits`, `properties` and `context` are JSON
  // objects as text; `at` is an ISO 8601 timestamp.
  static std::string Identify(const std::string& user, const std::string& traits, const std::string& at,
                              const std::string& context = "{}") {
    return R"({"type":"identify","userId":")" + user + R"(","traits":)" + traits + R"(,"context":)" + context +
           R"(,"timestamp":")" + at + R"("})";
  }
  // An identify call whose only trait is the role.
  static std::string Person(const std::string& user, const std::string& role, const std::string& at) {
    return Identify(user, R"({"role":")" + role + R"("})", at);
  }
  static std::string GroupCall(const std::string& user, const std::string& group, const std::string& traits,
                               const std::string& at) {
    return R"({"type":"group","userId":")" + user + R"(","groupId":")" + group + R"(","traits":)" + traits +
           R"(,"timestamp":")" + at + R"("})";
  }
  static std::string Track(const std::string& user, const std::string& event, const std::string& at,
                           const std::string& properties = "{}", const std::string& context = "{}") {
    return R"({"type":"track","userId":")" + user + R"(","event":")" + event + R"(","properties":)" + properties +
           R"(,"context":)" + context + R"(,"timestamp":")" + at + R"("})";
  }
  // The context of a message sent for account `group`.
  static std::string InGroup(const std::string& group) { return R"({"groupId":")" + group + R"("})"; }

  // The messages as one /v1/batch body.
  static std::string BatchOf(const std::vector<std::string>& messages) {
    std::string batch = R"({"batch":[)";
    for (size_t i = 0; i < messages.size(); ++i) batch += (i ? "," : "") + messages[i];
    return batch + "]}";
  }
  // Ingests the messages as one batch received at now_; every one must be accepted.
  void Ingest(const std::vector<std::string>& messages) { project_.Batch(BatchOf(messages), NowMs()); }

  // The messages waiting in p1's timeline outbox (ops/timeline_outbox.h), oldest first.
  std::vector<json> Outbox() {
    std::vector<json> out;
    EXPECT_TRUE(db_->Run([&](domain::SqliteConnection& conn) -> Status {
                     ASSIGN_OR_RETURN(auto stmt, conn.Prepare("SELECT message_json FROM timeline_outbox "
                                                              "WHERE project_id = 'p1' ORDER BY id"));
                     while (true) {
                       ASSIGN_OR_RETURN(bool row, stmt.Step());
                       if (!row) break;
                       out.push_back(json::parse(stmt.ColumnText(0)));
                     }
                     return Status::Ok();
                   }).ok());
    return out;
  }

  // A stored event, as far as the ops tests look at it.
  struct StoredEvent {
    std::string event;
    std::string person;
    std::string account;
    int64_t timestamp_ms = 0;
    bool operator<(const StoredEvent& o) const {
      return std::tie(timestamp_ms, event, person) < std::tie(o.timestamp_ms, o.event, o.person);
    }
  };
  // The events in the store (only those named `event` unless empty), by time, then
  // event name and person.
  std::vector<StoredEvent> StoredEvents(const std::string& event = "") {
    std::vector<StoredEvent> out;
    store::ScanRequest request;
    EXPECT_TRUE(project_.store()
                    .Scan(request,
                          [&](const store::ColumnBlock& b, int) {
                            for (size_t i = 0; i < b.rows; ++i) {
                              if (!event.empty() && b.event_dict[b.event[i]] != event) continue;
                              out.push_back(StoredEvent{b.event_dict[b.event[i]], b.person_dict[b.person[i]],
                                                        b.account_dict[b.account[i]], b.timestamp_ms[i]});
                            }
                            return Status::Ok();
                          })
                    .ok());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string now_ = "2026-03-20T12:00:00+08:00";
  cctz::time_zone zone_ = query::TestZone();
  ingest::TestProject project_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;  // declared after project_: goes first
};

// The sales-view world, all times +08:00 (Asia/Shanghai), now = 2026-03-20T12:00:
//   events (account acc-1 unless said):
//     group acc-1 {name Acme} by u1                     2026-01-01 09:00
//     identify u1 {Ann, role user}                      2026-01-01 10:00
//     identify u2 {Bob, role evaluator}                 2026-01-01 10:01
//     identify u3 {Cat, role decision_maker}            2026-01-01 10:02
//     identify u4 {Dan, role signer}                    2026-03-19 08:00  (identity call: not activity)
//     u2 report_viewed                                  2026-01-10 09:00  (outside a 30-day window)
//     u1 report_viewed                                  2026-03-18 10:00
//     u3 report_viewed  (message m-rv)                  2026-03-19 09:00
//     u1 export_clicked (message m-ex)                  2026-03-19 09:00  (same ms)
//     u3 deal_won {record_type opportunities, record_id <O>, $source records}
//                                                       2026-03-19 12:00  (a record change)
//     u9 report_viewed, account acc-2                   2026-03-19 11:00  (another account)
//   records: account A (Acme, group acc-1, manufacturing, arr 50000, renewal 2026-04-19);
//     contacts c1 Ann(u1,user) c2 Bob(u2,evaluator) c3 Cat(u3,decision_maker,cat@acme.com)
//     c4 Dan(u4,signer,dan@acme.com) c5 Eve (no person, no role);
//     opportunity O "Acme rollout" (solution, decision notes), O2 "Acme expansion" (lead);
//     stakeholders S1 (O, c2, evaluator, supporter), S2 (O2, c1, user);
//     visit V (O, demo "Pilot demo", held 2026-03-18 10:00, attendees Cat [customer, no
//     role] and Li [ours, sales]); visit V2 (O, meeting, planned 2026-03-25 10:00,
//     attendees Dan [customer] and Eve [customer, budget_holder]);
//     follow-ups F1 (V, "Send proposal", Li, 2026-03-25, open), F2 (V, "Arrange pilot",
//     Wu, 2026-03-22, open), F3 (A, "Old task", Li, 2026-03-01, done);
//     materials M1..M6 (see presales_brief_test.cc).
class SalesViewsTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-03-20T12:00:00+08:00";
    A = MustCreate("accounts", {{"name", "Acme"},
                                {"group_id", "acc-1"},
                                {"industry", "manufacturing"},
                                {"arr", 50000},
                                {"renewal_date", "2026-04-19"}});
    c1 = MustCreate("contacts", {{"name", "Ann"}, {"person_id", "u1"}, {"account_id", A}, {"role", "user"}});
    c2 = MustCreate("contacts", {{"name", "Bob"}, {"person_id", "u2"}, {"account_id", A}, {"role", "evaluator"}});
    c3 = MustCreate("contacts", {{"name", "Cat"},
                                 {"person_id", "u3"},
                                 {"account_id", A},
                                 {"role", "decision_maker"},
                                 {"email", "cat@acme.com"}});
    c4 = MustCreate("contacts", {{"name", "Dan"},
                                 {"person_id", "u4"},
                                 {"account_id", A},
                                 {"role", "signer"},
                                 {"email", "dan@acme.com"}});
    c5 = MustCreate("contacts", {{"name", "Eve"}, {"account_id", A}});
    O = MustCreate("opportunities",
                   {{"account_id", A},
                    {"name", "Acme rollout"},
                    {"stage", "solution"},
                    {"decision_notes",
                     {{{"step", "evaluation"}, {"drivers", {"cost"}}, {"frictions", {"security review", "timing"}}},
                      {{"step", "approval"}}}}});
    O2 = MustCreate("opportunities", {{"account_id", A}, {"name", "Acme expansion"}, {"stage", "lead"}});
    S1 = MustCreate("stakeholders", {{"opportunity_id", O}, {"contact_id", c2}, {"role", "evaluator"},
                                     {"stance", "supporter"}, {"engagement", "high"}});
    S2 = MustCreate("stakeholders", {{"opportunity_id", O2}, {"contact_id", c1}, {"role", "user"}});
    V = MustCreate("visits", {{"account_id", A},
                              {"opportunity_id", O},
                              {"kind", "demo"},
                              {"title", "Pilot demo"},
                              {"held_at", "2026-03-18T10:00:00+08:00"},
                              {"status", "held"},
                              {"stage", "solution"},
                              {"attendees",
                               {{{"contact_id", c3}, {"name", "Cat"}},
                                {{"name", "Li"}, {"role", "sales"}, {"side", "ours"}}}},
                              {"needs_found", {"SSO", "audit log"}},
                              {"actions", {"demo", "negotiation"}},
                              {"feedback", "Likes the dashboards"},
                              {"summary", "Pilot agreed"}});
    V2 = MustCreate("visits", {{"account_id", A},
                               {"opportunity_id", O},
                               {"kind", "meeting"},
                               {"title", "Contract talk"},
                               {"held_at", "2026-03-25T10:00:00+08:00"},
                               {"status", "planned"},
                               {"attendees",
                                {{{"contact_id", c4}, {"name", "Dan"}},
                                 {{"name", "Eve"}, {"role", "budget_holder"}}}}});
    F1 = MustCreate("follow_ups", {{"visit_id", V}, {"account_id", A}, {"opportunity_id", O},
                                   {"title", "Send proposal"}, {"owner", "Li"}, {"due_date", "2026-03-25"}});
    F2 = MustCreate("follow_ups", {{"visit_id", V}, {"account_id", A}, {"title", "Arrange pilot"},
                                   {"owner", "Wu"}, {"due_date", "2026-03-22"}});
    F3 = MustCreate("follow_ups", {{"account_id", A}, {"title", "Old task"}, {"owner", "Li"},
                                   {"due_date", "2026-03-01"}, {"status", "done"}});

    // Every acc-1 message carries context.groupId acc-1 (g).
    const std::string g = R"("context":{"groupId":"acc-1"})";
    const std::vector<std::string> messages = {
        R"({"type":"group","userId":"u1","groupId":"acc-1","traits":{"name":"Acme"},"timestamp":"2026-01-01T09:00:00+08:00"})",
        R"({"type":"identify","userId":"u1","traits":{"name":"Ann","role":"user"},)" + g + R"(,"timestamp":"2026-01-01T10:00:00+08:00"})",
        R"({"type":"identify","userId":"u2","traits":{"name":"Bob","role":"evaluator"},)" + g + R"(,"timestamp":"2026-01-01T10:01:00+08:00"})",
        R"({"type":"identify","userId":"u3","traits":{"name":"Cat","role":"decision_maker"},)" + g + R"(,"timestamp":"2026-01-01T10:02:00+08:00"})",
        R"({"type":"identify","userId":"u4","traits":{"name":"Dan","role":"signer"},)" + g + R"(,"timestamp":"2026-03-19T08:00:00+08:00"})",
        R"({"type":"track","event":"report_viewed","userId":"u2",)" + g + R"(,"timestamp":"2026-01-10T09:00:00+08:00"})",
        R"({"type":"track","event":"report_viewed","userId":"u1",)" + g + R"(,"timestamp":"2026-03-18T10:00:00+08:00"})",
        R"({"type":"track","event":"report_viewed","userId":"u3","messageId":"m-rv",)" + g + R"(,"timestamp":"2026-03-19T09:00:00+08:00"})",
        R"({"type":"track","event":"export_clicked","userId":"u1","messageId":"m-ex",)" + g + R"(,"timestamp":"2026-03-19T09:00:00+08:00"})",
        R"({"type":"track","event":"deal_won","userId":"u3","properties":{"record_type":"opportunities","record_id":)" +
            std::to_string(O) + R"(,"$source":"records"},)" + g + R"(,"timestamp":"2026-03-19T12:00:00+08:00"})",
        R"({"type":"track","event":"report_viewed","userId":"u9","context":{"groupId":"acc-2"},"timestamp":"2026-03-19T11:00:00+08:00"})",
    };
    Ingest(messages);
  }

  int64_t A = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, O = 0, O2 = 0, S1 = 0, S2 = 0, V = 0, V2 = 0, F1 = 0,
          F2 = 0, F3 = 0;
};

// The campaign and lead world; all times +08:00, now = 2026-04-10T12:00.
// records (created at 2026-03-01T09:00 unless said):
//   accounts A Acme (group acc-1, manufacturing, size "1000+", level key),
//            B Beta (group acc-2, retail, size "51-200", level normal),
//            C Gamma (no group → "record-account-<C>", manufacturing, employees 300, key),
//            D Delta (group acc-9, retail)
//   contacts c1 Ann (u1, A, decision_maker, ann@acme.com), c2 Bob (u2, B, user,
//            bob@beta.com, phone "+86 138-0000-0002"), c3 Cid (no person, C, evaluator)
//   campaigns K "Spring webinar" (webinar, 2026-03-01 .. 2026-03-02, budget 10000, actual
//            8000, utm spring, targets [manufacturing] / [decision_maker]) → window
//            2026-03-01T00:00 .. 2026-04-02T00:00; K2 "Expo" (conference_attended, no
//            utm, targets [retail] / [])
//   members of K: m1 (Cid, contact c3, account C, attended), m2 (Bob, contact c2, registered)
//   opportunities: O1 (A, 50000, won, created 2026-03-10), O2 (B, 20000, qualified,
//            created 2026-03-15), O3 (A, 99999, won, created 2026-02-01: before K),
//            O4 (D, 7000, won, created 2026-03-10: D not reached)
//   content items: I1 "Case one" (case_study, key cs-1, published 2026-03-01), I2 (no key)
// events:
//   identify u3 {role decision_maker} + group acc-3 {level key, industry finance} 2026-03-10 09:00
//   u1 page_viewed {utm spring} acc-1      2026-03-01 10:00   in K's window
//   u2 page_viewed {utm spring} acc-2      2026-03-05 10:00   in
//   u3 page_viewed {utm spring} acc-3      2026-03-10 10:00   in
//   u4 page_viewed {utm spring} acc-1      2026-02-20 10:00   before the window
//   u5 page_viewed {utm spring} acc-4      2026-04-05 10:00   after the window
//   u6 note_added {utm spring, $source records} acc-5 2026-03-03 10:00  a record change
//   u2 content_viewed {content_id cs-1} acc-2  2026-03-05 10:00
//   u1 content_viewed {content_id cs-1} acc-1  2026-03-08 16:00
//   u1 feature_used acc-1  2026-04-01, 04-02, 04-03 10:00      (last 30 days: from 03-12)
//   u7 feature_used acc-1  2026-04-04 10:00 and 11:00
//   identify u1 acc-1      2026-04-05 10:00                     (identity call: not activity)
class CampaignWorldTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-04-10T12:00:00+08:00";
    At("2026-03-01T09:00:00+08:00");
    A = MustCreate("accounts", {{"name", "Acme"}, {"group_id", "acc-1"}, {"industry", "manufacturing"},
                                {"size", "1000+"}, {"level", "key"}});
    B = MustCreate("accounts", {{"name", "Beta"}, {"group_id", "acc-2"}, {"industry", "retail"},
                                {"size", "51-200"}, {"level", "normal"}});
    C = MustCreate("accounts", {{"name", "Gamma"}, {"industry", "manufacturing"}, {"employees", 300}, {"level", "key"}});
    D = MustCreate("accounts", {{"name", "Delta"}, {"group_id", "acc-9"}, {"industry", "retail"}});
    c1 = MustCreate("contacts", {{"name", "Ann"}, {"person_id", "u1"}, {"account_id", A},
                                 {"role", "decision_maker"}, {"email", "ann@acme.com"}});
    c2 = MustCreate("contacts", {{"name", "Bob"}, {"person_id", "u2"}, {"account_id", B}, {"role", "user"},
                                 {"email", "bob@beta.com"}, {"phone", "+86 138-0000-0002"}});
    c3 = MustCreate("contacts", {{"name", "Cid"}, {"account_id", C}, {"role", "evaluator"}});
    K = MustCreate("campaigns", {{"name", "Spring webinar"}, {"type", "webinar"}, {"starts_on", "2026-03-01"},
                                 {"ends_on", "2026-03-02"}, {"budget", 10000}, {"actual_cost", 8000},
                                 {"utm_campaign", "spring"}, {"target_industries", {"manufacturing"}},
                                 {"target_roles", {"decision_maker"}}});
    K2 = MustCreate("campaigns", {{"name", "Expo"}, {"type", "conference_attended"},
                                  {"target_industries", {"retail"}}});
    m1 = MustCreate("campaign_members", {{"campaign_id", K}, {"name", "Cid"}, {"contact_id", c3},
                                         {"account_id", C}, {"status", "attended"}});
    m2 = MustCreate("campaign_members", {{"campaign_id", K}, {"name", "Bob"}, {"contact_id", c2},
                                         {"status", "registered"}});
    At("2026-03-10T09:00:00+08:00");
    O1 = MustCreate("opportunities", {{"account_id", A}, {"name", "O1"}, {"stage", "won"}, {"amount", 50000}});
    O4 = MustCreate("opportunities", {{"account_id", D}, {"name", "O4"}, {"stage", "won"}, {"amount", 7000}});
    At("2026-03-15T09:00:00+08:00");
    O2 = MustCreate("opportunities", {{"account_id", B}, {"name", "O2"}, {"stage", "qualified"}, {"amount", 20000}});
    At("2026-02-01T09:00:00+08:00");
    O3 = MustCreate("opportunities", {{"account_id", A}, {"name", "O3"}, {"stage", "won"}, {"amount", 99999}});
    At("2026-03-01T09:00:00+08:00");
    I1 = MustCreate("content_items", {{"title", "Case one"}, {"kind", "case_study"}, {"content_key", "cs-1"},
                                      {"published_on", "2026-03-01"}});
    I2 = MustCreate("content_items", {{"title", "Draft"}, {"kind", "whitepaper"}});

    // A track call for account `group` at local time `t` (+08:00).
    auto track = [](const std::string& user, const std::string& event, const std::string& group,
                    const std::string& props, const std::string& t) {
      return Track(user, event, t + "+08:00", props, InGroup(group));
    };
    const std::string spring = R"({"utm_campaign":"spring"})";
    const std::vector<std::string> messages = {
        R"({"type":"group","userId":"u3","groupId":"acc-3","traits":{"level":"key","industry":"finance"},"timestamp":"2026-03-10T09:00:00+08:00"})",
        R"({"type":"identify","userId":"u3","traits":{"role":"decision_maker"},"context":{"groupId":"acc-3"},"timestamp":"2026-03-10T09:00:01+08:00"})",
        track("u1", "page_viewed", "acc-1", spring, "2026-03-01T10:00:00"),
        track("u2", "page_viewed", "acc-2", spring, "2026-03-05T10:00:00"),
        track("u3", "page_viewed", "acc-3", spring, "2026-03-10T10:00:00"),
        track("u4", "page_viewed", "acc-1", spring, "2026-02-20T10:00:00"),
        track("u5", "page_viewed", "acc-4", spring, "2026-04-05T10:00:00"),
        track("u6", "note_added", "acc-5", R"({"utm_campaign":"spring","$source":"records"})", "2026-03-03T10:00:00"),
        track("u2", "content_viewed", "acc-2", R"({"content_id":"cs-1"})", "2026-03-05T10:00:00"),
        track("u1", "content_viewed", "acc-1", R"({"content_id":"cs-1"})", "2026-03-08T16:00:00"),
        track("u1", "feature_used", "acc-1", "{}", "2026-04-01T10:00:00"),
        track("u1", "feature_used", "acc-1", "{}", "2026-04-02T10:00:00"),
        track("u1", "feature_used", "acc-1", "{}", "2026-04-03T10:00:00"),
        track("u7", "feature_used", "acc-1", "{}", "2026-04-04T10:00:00"),
        track("u7", "feature_used", "acc-1", "{}", "2026-04-04T11:00:00"),
        R"({"type":"identify","userId":"u1","traits":{"role":"decision_maker"},"context":{"groupId":"acc-1"},"timestamp":"2026-04-05T10:00:00+08:00"})",
    };
    Ingest(messages);
  }

  int64_t A = 0, B = 0, C = 0, D = 0, c1 = 0, c2 = 0, c3 = 0, K = 0, K2 = 0, m1 = 0, m2 = 0, O1 = 0, O2 = 0, O3 = 0,
          O4 = 0, I1 = 0, I2 = 0;
};

// The content world: SetUp only sets now (2026-12-02T12:00+08:00); BuildWorld writes it.
class ContentTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    now_ = "2026-12-02T12:00:00+08:00";
  }

  // A group call with traits name and level.
  static std::string Group(const std::string& user, const std::string& group, const std::string& name,
                           const std::string& level, const std::string& at) {
    return GroupCall(user, group, R"({"name":")" + name + R"(","level":")" + level + R"("})", at);
  }
  static std::string Page(const std::string& user, const std::string& path, const std::string& at,
                          const std::string& extra = "") {
    return R"({"type":"page","userId":")" + user + R"(","properties":{"path":")" + path + "\"" + extra +
           R"(},"timestamp":")" + at + R"("})";
  }

  // The world (all times +08:00; November 2026 = [1 Nov 00:00, 1 Dec 00:00) local):
  //   acc-k  "Key Co"  level key by its account RECORD (the trait says "normal")
  //   acc-t  "T Co"    level key by trait only (no record)
  //   acc-n  "N Co"    level normal
  //   u1 decision_maker @acc-k; u2 trait user but contact record role evaluator @acc-k;
  //   u3 no role @acc-n; u4 signer @acc-t.
  // Items: A case_study "manufacturing" key cs-a path /cases/a, shares 5, exposure 100,
  //          media_reposts 2, published 2026-10-01, channel wechat
  //        B whitepaper key wp-b, no shares, published 2026-11-10, channel site
  //        C case_study "finance" key cs-c, published 2026-12-01 (after November)
  // Events:
  //   e1 u1 content_viewed cs-a   1 Nov 00:00:00 (= 31 Oct 16:00 UTC: local November)
  //   e2 u1 page /cases/a         1 Nov 00:00:30
  //   e3 u2 content_viewed cs-a   15 Nov
  //   e4 u3 page /cases/a         20 Nov
  //   e5 u3 content_viewed wp-b   20 Nov
  //   e6 u4 content_viewed wp-b   30 Nov 23:59:59
  //   e7 u4 content_shared cs-a   22 Nov                  (a share, not a read)
  //   e8 u2 content_viewed cs-a   1 Dec 07:00 (= 30 Nov 23:00 UTC: local December)
  //   e9 u1 login with context.page.path /cases/a, 21 Nov  (not a page event: no read)
  //   e10 u3 page /cases/a with content_id cs-a, 21 Nov    (matches twice, counts once)
  //   e11 u1 content_viewed cs-c  10 Nov
  //   e12 u1 content_viewed cs-a  31 Oct 23:59:59          (October)
  void BuildWorld() {
    MustCreate("accounts", {{"name", "Key Co"}, {"group_id", "acc-k"}, {"level", "key"}});
    Ingest({
        Person("u1", "decision_maker", "2026-10-01T10:00:00+08:00"),
        Group("u1", "acc-k", "Key Co", "normal", "2026-10-01T10:00:00+08:00"),
        Person("u2", "user", "2026-10-01T10:00:00+08:00"),
        Group("u2", "acc-k", "Key Co", "normal", "2026-10-01T10:00:00+08:00"),
        Person("u3", "", "2026-10-01T10:00:00+08:00"),
        Group("u3", "acc-n", "N Co", "normal", "2026-10-01T10:00:00+08:00"),
        Person("u4", "signer", "2026-10-01T10:00:00+08:00"),
        Group("u4", "acc-t", "T Co", "key", "2026-10-01T10:00:00+08:00"),
        Track("u1", "content_viewed", "2026-11-01T00:00:00+08:00", R"({"content_id":"cs-a"})"),
        Page("u1", "/cases/a", "2026-11-01T00:00:30+08:00"),
        Track("u2", "content_viewed", "2026-11-15T10:00:00+08:00", R"({"content_id":"cs-a"})"),
        Page("u3", "/cases/a", "2026-11-20T10:00:00+08:00"),
        Track("u3", "content_viewed", "2026-11-20T11:00:00+08:00", R"({"content_id":"wp-b"})"),
        Track("u4", "content_viewed", "2026-11-30T23:59:59+08:00", R"({"content_id":"wp-b"})"),
        Track("u4", "content_shared", "2026-11-22T10:00:00+08:00", R"({"content_id":"cs-a"})"),
        Track("u2", "content_viewed", "2026-12-01T07:00:00+08:00", R"({"content_id":"cs-a"})"),
        Track("u1", "login", "2026-11-21T10:00:00+08:00", "{}", R"({"page":{"path":"/cases/a"}})"),
        Page("u3", "/cases/a", "2026-11-21T10:00:00+08:00", R"(,"content_id":"cs-a")"),
        Track("u1", "content_viewed", "2026-11-10T10:00:00+08:00", R"({"content_id":"cs-c"})"),
        Track("u1", "content_viewed", "2026-10-31T23:59:59+08:00", R"({"content_id":"cs-a"})"),
    });
    MustCreate("contacts", {{"name", "U Two"}, {"person_id", "u2"}, {"role", "evaluator"}});
    a_ = MustCreate("content_items", {{"title", "Case A"}, {"kind", "case_study"}, {"industry", "manufacturing"},
                                      {"channel", "wechat"}, {"content_key", "cs-a"}, {"page_path", "/cases/a"},
                                      {"shares", 5}, {"exposure", 100}, {"media_reposts", 2},
                                      {"published_on", "2026-10-01"}});
    b_ = MustCreate("content_items", {{"title", "Paper B"}, {"kind", "whitepaper"}, {"channel", "site"},
                                      {"content_key", "wp-b"}, {"published_on", "2026-11-10"}});
    c_ = MustCreate("content_items", {{"title", "Case C"}, {"kind", "case_study"}, {"industry", "finance"},
                                      {"content_key", "cs-c"}, {"published_on", "2026-12-01"}});
  }

  static const nlohmann::json* ItemById(const nlohmann::json& items, int64_t id) {
    for (const auto& item : items)
      if (item["id"] == id) return &item;
    return nullptr;
  }

  int64_t a_ = 0, b_ = 0, c_ = 0;
};

}  // namespace tobops::ops
