// File: ops/sales_views_test_world.h
// Test-only: one small, hand-checkable world for the sales-view tests
// (account_overview_test, account_timeline_test, decision_chain_test,
// presales_brief_test, visit_minutes_test): a fresh record catalog (project "p1") and
// an event store with identity graph, and an OpsContext over both at a fixed now.
//
// The world, all times +08:00 (Asia/Shanghai), now = 2026-03-20T12:00:
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
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_format.h"
#include "ingest/test_ingest.h"
#include "ops/ops_context.h"
#include "query/query_test_support.h"
#include "records/records_test_support.h"

namespace tobops::ops {

class SalesViewsTest : public records::RecordsTest {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    records::RecordsTest::SetUp();
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
    std::string batch = R"({"batch":[)";
    for (size_t i = 0; i < messages.size(); ++i) batch += (i ? "," : "") + messages[i];
    project_.Batch(batch + "]}");
  }

  OpsContext Context() {
    OpsContext ctx;
    ctx.project_id = "p1";
    ctx.zone = query::TestZone();
    ctx.records = catalog_.get();
    ctx.identity = &project_.identity();
    ctx.store = &project_.store();
    ctx.now_ms = *ParseIso8601Ms(now_);
    ingest::TestProject* project = &project_;
    const int64_t now_ms = ctx.now_ms;
    ctx.query_context = [project, now_ms] { return query::MakeTestContext(*project, now_ms); };
    return ctx;
  }

  std::string now_ = "2026-03-20T12:00:00+08:00";
  ingest::TestProject project_;
  int64_t A = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, O = 0, O2 = 0, S1 = 0, S2 = 0, V = 0, V2 = 0, F1 = 0,
          F2 = 0, F3 = 0;
};

}  // namespace tobops::ops
