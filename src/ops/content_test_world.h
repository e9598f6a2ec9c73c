// File: ops/content_test_world.h
// The small world shared by the content unit tests (content_metrics_test.cc,
// content_report_test.cc): a project in Asia/Shanghai with records, an event store and
// an identity graph, and helpers that write Segment messages. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_format.h"
#include "ingest/test_ingest.h"
#include "ops/ops_context.h"
#include "records/records_test_support.h"

namespace tobops::ops {

class ContentTest : public records::RecordsTest {
 protected:
  void SetUp() override {
    RecordsTest::SetUp();
    zone_ = *LoadTimeZone("Asia/Shanghai");
    now_ms_ = *ParseIso8601Ms("2026-12-02T12:00:00+08:00");
  }

  OpsContext Context() {
    OpsContext ctx;
    ctx.project_id = "p1";
    ctx.zone = zone_;
    ctx.records = catalog_.get();
    ctx.identity = &project_.identity();
    ctx.store = &project_.store();
    ctx.now_ms = now_ms_;
    ctx.query_context = [this] {
      query::QueryContext q;
      q.store = &project_.store();
      q.identity = &project_.identity();
      q.zone = zone_;
      q.now_ms = now_ms_;
      q.threads = 1;
      return q;
    };
    return ctx;
  }

  static std::string Person(const std::string& id, const std::string& role, const std::string& at) {
    return R"({"type":"identify","userId":")" + id + R"(","traits":{"role":")" + role +
           R"("},"timestamp":")" + at + R"("})";
  }
  static std::string Group(const std::string& user, const std::string& group, const std::string& name,
                           const std::string& level, const std::string& at) {
    return R"({"type":"group","userId":")" + user + R"(","groupId":")" + group + R"(","traits":{"name":")" +
           name + R"(","level":")" + level + R"("},"timestamp":")" + at + R"("})";
  }
  static std::string Track(const std::string& user, const std::string& event, const std::string& at,
                           const std::string& properties = "{}", const std::string& context = "{}") {
    return R"({"type":"track","userId":")" + user + R"(","event":")" + event + R"(","properties":)" +
           properties + R"(,"context":)" + context + R"(,"timestamp":")" + at + R"("})";
  }
  static std::string Page(const std::string& user, const std::string& path, const std::string& at,
                          const std::string& extra = "") {
    return R"({"type":"page","userId":")" + user + R"(","properties":{"path":")" + path + "\"" + extra +
           R"(},"timestamp":")" + at + R"("})";
  }

  void Ingest(const std::vector<std::string>& messages) {
    std::string batch = R"({"batch":[)";
    for (size_t i = 0; i < messages.size(); ++i) batch += (i ? "," : "") + messages[i];
    project_.Batch(batch + "]}", now_ms_);
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

  cctz::time_zone zone_;
  int64_t now_ms_ = 0;
  ingest::TestProject project_;
  int64_t a_ = 0, b_ = 0, c_ = 0;
};

}  // namespace tobops::ops
