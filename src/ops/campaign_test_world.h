// File: ops/campaign_test_world.h
// Test-only: one small, hand-checkable world for the campaign and lead tests
// (campaign_import_test, campaign_postmortem_test, lead_scoring_test): a fresh record
// catalog (project "p1"), an event store with identity graph, and an OpsContext over
// both at a fixed now. All times +08:00 (Asia/Shanghai); now = 2026-04-10T12:00.
//
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

class CampaignWorldTest : public records::RecordsTest {
 protected:
  using json = nlohmann::json;

  void At(const std::string& iso) { clock_.now->store(*ParseIso8601Ms(iso)); }

  void SetUp() override {
    records::RecordsTest::SetUp();
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

    auto track = [](const std::string& user, const std::string& event, const std::string& group,
                    const std::string& props, const std::string& t) {
      return R"({"type":"track","event":")" + event + R"(","userId":")" + user + R"(","properties":)" + props +
             R"(,"context":{"groupId":")" + group + R"("},"timestamp":")" + t + R"(+08:00"})";
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

  std::string now_ = "2026-04-10T12:00:00+08:00";
  ingest::TestProject project_;
  int64_t A = 0, B = 0, C = 0, D = 0, c1 = 0, c2 = 0, c3 = 0, K = 0, K2 = 0, m1 = 0, m2 = 0, O1 = 0, O2 = 0, O3 = 0,
          O4 = 0, I1 = 0, I2 = 0;
};

}  // namespace tobops::ops
