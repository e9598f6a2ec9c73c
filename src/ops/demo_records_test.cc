#include "ops/demo_records.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "domain/test_catalog.h"
#include "ingest/identity_graph.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/segment_message_parser.h"
#include "ops/pipeline_stages.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"
#include "store/embedded_event_store.h"
#include "demo/demo_generator.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

constexpr int64_t kEndMs = 1772553600000;  // 2026-03-04T00:00:00+08:00, as demo_generator_test
constexpr int64_t kDayMs = 86'400'000;

cctz::time_zone Shanghai() { return *LoadTimeZone("Asia/Shanghai"); }

// A workspace in miniature: a catalog with project "p1", an event store, identity graph
// and pipeline fed with a small generated demo, and the demo records written on top.
class DemoWorld {
 public:
  explicit DemoWorld(uint64_t seed) {
    db_ = domain::OpenTestCatalog(dir_);
    EXPECT_TRUE(db_->Run([](domain::SqliteConnection& conn) {
                     return conn.Execute(
                         "INSERT INTO projects (id, name, created_at_ms) VALUES ('p1', 'one', 0)");
                   })
                    .ok());
    catalog_ = std::make_unique<records::ResourceCatalog>(*db_, records::AllResources());
    store::EmbeddedStoreOptions options;
    options.directory = (dir_.path() / "events").string();
    options.background_thread = false;
    auto opened = store::EmbeddedEventStore::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    identity_ = std::make_unique<ingest::IdentityGraph>();
    pipeline_ = std::make_unique<ingest::IngestPipeline>("p1", store_.get(), identity_.get(),
                                                         nullptr, nullptr);

    demo::DemoOptions demo_options;
    demo_options.seed = seed;
    demo_options.target_events = 40'000;
    demo_options.end_ms = kEndMs;
    demo::DemoGenerator generator(demo_options);
    std::vector<std::string> batch;
    while (generator.NextBatch(2'000, &batch)) {
      std::string body = R"({"batch":[)";
      for (size_t i = 0; i < batch.size(); ++i) body += (i ? "," : "") + batch[i];
      body += "]}";
      ingest::SegmentMessageParser parser;
      auto parsed = parser.Parse(body, true, store::MessageType::kTrack, kEndMs);
      EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
      auto outcome = pipeline_->Ingest(std::move(*parsed), kEndMs);
      EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
      EXPECT_EQ(outcome->rejected, 0u);
    }

    DemoRecordsOptions records_options;
    records_options.seed = seed;
    records_options.end_ms = kEndMs;
    auto report = GenerateDemoRecords(Context(), *db_, records_options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (report.ok()) report_ = *report;
  }
  ~DemoWorld() {
    pipeline_.reset();
    if (store_) { EXPECT_TRUE(store_->Close().ok()); }
  }

  OpsContext Context() {
    OpsContext ctx;
    ctx.project_id = "p1";
    ctx.zone = Shanghai();
    ctx.records = catalog_.get();
    ctx.identity = identity_.get();
    ctx.pipeline = pipeline_.get();
    ctx.store = store_.get();
    ctx.now_ms = kEndMs;
    return ctx;
  }

  std::vector<json> All(std::string_view resource) {
    records::RecordQuery query;
    query.sort = "id";
    query.descending = false;
    query.limit = records::RecordStore::kMaxListLimit;
    auto page = catalog_->Get(resource).List("p1", query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->records : std::vector<json>{};
  }
  std::map<int64_t, json> ById(std::string_view resource) {
    std::map<int64_t, json> out;
    for (auto& r : All(resource)) out[r["id"].get<int64_t>()] = r;
    return out;
  }

  // Track events named `event`: (timestamp, account, properties record_id / to_stage).
  struct Row {
    int64_t t;
    std::string account;
    std::string record_id;
    std::string to_stage;
  };
  std::vector<Row> Events(const std::string& event) {
    store::ScanRequest request;
    request.events = {event};
    request.properties = {"record_id", "to_stage"};
    std::vector<Row> rows;
    EXPECT_TRUE(store_
                    ->Scan(request,
                           [&](const store::ColumnBlock& b, int) -> Status {
                             const auto text = [&](size_t column, size_t i) {
                               const uint32_t code = b.properties[column].codes[i];
                               return code == 0 ? std::string()
                                                : store::PropertyValueToString(
                                                      b.properties[column].dict[code - 1]);
                             };
                             for (size_t i = 0; i < b.rows; ++i) {
                               rows.push_back({b.timestamp_ms[i], b.account_dict[b.account[i]],
                                               text(0, i), text(1, i)});
                             }
                             return Status::Ok();
                           })
                    .ok());
    return rows;
  }

  domain::SqliteDatabase& db() { return *db_; }

  DemoRecordsReport report_;

 private:
  domain::TestDir dir_;
  std::unique_ptr<domain::SqliteDatabase> db_;
  std::unique_ptr<records::ResourceCatalog> catalog_;
  std::unique_ptr<store::EmbeddedEventStore> store_;
  std::unique_ptr<ingest::IdentityGraph> identity_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
};

// The shared world, built by the first test that needs it and removed (with its temp
// directory) when the tests are done.
DemoWorld* shared_world = nullptr;
class SharedWorldCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    delete shared_world;
    shared_world = nullptr;
  }
};
[[maybe_unused]] ::testing::Environment* const kSharedWorldCleanup =
    ::testing::AddGlobalTestEnvironment(new SharedWorldCleanup);

DemoWorld& World() {
  if (shared_world == nullptr) shared_world = new DemoWorld(42);
  return *shared_world;
}

constexpr std::array<std::string_view, 7> kKinds = {
    "opportunities", "stakeholders", "briefs", "materials", "visits", "follow_ups", "feedback"};

TEST(DemoRecords, WritesEveryKindOfRecord) {
  DemoWorld& w = World();
  EXPECT_FALSE(w.report_.skipped);
  for (auto kind : kKinds) EXPECT_GT(w.All(kind).size(), 0u) << kind;
  std::set<std::string> stages, outcomes;
  for (const auto& o : w.All("opportunities")) stages.insert(o["stage"].get<std::string>());
  // A year of ~30 accounts has deals in every state.
  EXPECT_TRUE(stages.count("won"));
  EXPECT_TRUE(stages.count("lost"));
  std::set<std::string> follow_up_status;
  for (const auto& f : w.All("follow_ups")) follow_up_status.insert(f["status"].get<std::string>());
  EXPECT_TRUE(follow_up_status.count("done"));
  EXPECT_TRUE(follow_up_status.count("open"));
}

TEST(DemoRecords, SameSeedGivesTheSameRecords) {
  DemoWorld& a = World();
  DemoWorld b(42);
  for (auto kind : kKinds) {
    const auto x = a.All(kind), y = b.All(kind);
    ASSERT_EQ(x.size(), y.size()) << kind;
    for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i], y[i]) << kind << " #" << i;
  }
}

TEST(DemoRecords, ASecondRunLeavesTheProjectAlone) {
  DemoWorld& w = World();
  const size_t before = w.All("opportunities").size();
  DemoRecordsOptions options;
  options.end_ms = kEndMs;
  auto report = GenerateDemoRecords(w.Context(), w.db(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->skipped);
  EXPECT_EQ(w.All("opportunities").size(), before);
}

TEST(DemoRecords, ReplaceWritesTheSameRecordsAgain) {
  DemoWorld w(42);
  const auto before = w.All("opportunities");
  const size_t visits = w.All("visits").size();
  DemoRecordsOptions options;
  options.end_ms = kEndMs;
  options.replace = true;
  auto report = GenerateDemoRecords(w.Context(), w.db(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->skipped);
  const auto after = w.All("opportunities");
  ASSERT_EQ(after.size(), before.size());
  // New rows (new ids), the same story: names and stages pair up in order.
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_GT(after[i]["id"], before.back()["id"]);
    EXPECT_EQ(after[i]["name"], before[i]["name"]);
    EXPECT_EQ(after[i]["stage"], before[i]["stage"]);
  }
  EXPECT_EQ(w.All("visits").size(), visits);
}

TEST(DemoRecords, EveryOpportunityIsOnAStageOfItsPipeline) {
  DemoWorld& w = World();
  auto stages = LoadStages(*w.Context().records, "p1");
  ASSERT_TRUE(stages.ok());
  std::set<std::string> keys;
  for (const auto& s : *stages) keys.insert(s.key);
  // The default stages (contract B2).
  EXPECT_EQ(keys,
            (std::set<std::string>{"lead", "qualified", "solution", "negotiation", "won", "lost"}));
  for (const auto& o : w.All("opportunities")) {
    EXPECT_TRUE(keys.count(o["stage"].get<std::string>())) << o.dump();
    if (o["stage"] == "lost") { EXPECT_TRUE(o["lost_reason"].is_string()) << o.dump(); }
    EXPECT_TRUE(o["owner"].is_string()) << o.dump();
  }
}

TEST(DemoRecords, StakeholdersAreContactsOfTheOpportunitysAccount) {
  DemoWorld& w = World();
  auto opportunities = w.ById("opportunities");
  auto contacts = w.ById("contacts");
  for (const auto& s : w.All("stakeholders")) {
    const json& o = opportunities.at(s["opportunity_id"].get<int64_t>());
    const json& c = contacts.at(s["contact_id"].get<int64_t>());
    EXPECT_EQ(c["account_id"], o["account_id"]) << s.dump();
    EXPECT_EQ(c["role"], s["role"]) << s.dump();
  }
}

TEST(DemoRecords, WonDealsFollowAPurchaseOrARenewalOfTheirAccount) {
  DemoWorld& w = World();
  auto accounts = w.ById("accounts");
  std::map<std::string, std::vector<int64_t>> purchases, renewals;
  for (const auto& r : w.Events("purchase")) purchases[r.account].push_back(r.t);
  for (const auto& r : w.Events("renewal")) renewals[r.account].push_back(r.t);
  int won = 0;
  for (const auto& o : w.All("opportunities")) {
    if (o["stage"] != "won") continue;
    ++won;
    const std::string group = accounts.at(o["account_id"].get<int64_t>())["group_id"];
    // Renewal deals are named "… 年续约" (demo_records.cc); the rest are new business.
    const bool renewal = o["name"].get<std::string>().find("续约") != std::string::npos;
    const auto& events = renewal ? renewals[group] : purchases[group];
    bool same_day = false;
    for (int64_t t : events) {
      same_day |= FormatIso8601Ms(t, Shanghai()).substr(0, 10) == o["closed_on"].get<std::string>();
    }
    EXPECT_TRUE(same_day) << o.dump();
  }
  EXPECT_GT(won, 0);
}

TEST(DemoRecords, VisitsMeetTheirAccountsContacts) {
  DemoWorld& w = World();
  auto contacts = w.ById("contacts");
  auto opportunities = w.ById("opportunities");
  int customers = 0;
  for (const auto& v : w.All("visits")) {
    EXPECT_EQ(opportunities.at(v["opportunity_id"].get<int64_t>())["account_id"], v["account_id"]);
    for (const auto& a : v["attendees"]) {
      if (a["side"] != "customer") continue;
      ++customers;
      ASSERT_TRUE(a["contact_id"].is_number_integer()) << v.dump();
      EXPECT_EQ(contacts.at(a["contact_id"].get<int64_t>())["account_id"], v["account_id"])
          << v.dump();
    }
    // Held visits lie in the past, planned ones in the future.
    const int64_t held = *ParseIso8601Ms(v["held_at"].get<std::string>());
    EXPECT_EQ(v["status"] == "held", held < kEndMs) << v.dump();
  }
  EXPECT_GT(customers, 0);
}

TEST(DemoRecords, StageMovesAreTimelineEventsAtTheirHistoricalMoment) {
  DemoWorld& w = World();
  auto accounts = w.ById("accounts");
  std::map<std::string, std::vector<DemoWorld::Row>> moves;  // opportunity id → its stage events
  for (const auto& r : w.Events("opportunity_stage_changed")) moves[r.record_id].push_back(r);
  int checked = 0;
  for (const auto& o : w.All("opportunities")) {
    if (o["stage"] != "won" && o["stage"] != "lost") continue;
    const auto& events = moves[std::to_string(o["id"].get<int64_t>())];
    // Created at a lead or qualified stage, then moved at least once more before closing.
    ASSERT_GE(events.size(), 1u) << o.dump();
    bool close_seen = false;
    for (const auto& e : events) {
      EXPECT_LT(e.t, kEndMs);
      EXPECT_EQ(e.account, accounts.at(o["account_id"].get<int64_t>())["group_id"]);
      if (e.to_stage == o["stage"]) {
        close_seen = true;
        // The event carries the day the deal closed, not the day the demo ran.
        EXPECT_EQ(FormatIso8601Ms(e.t, Shanghai()).substr(0, 10), o["closed_on"]);
      }
    }
    EXPECT_TRUE(close_seen) << o.dump();
    // Different moves happened on different days.
    std::set<std::string> days;
    for (const auto& e : events) days.insert(FormatIso8601Ms(e.t, Shanghai()).substr(0, 10));
    EXPECT_EQ(days.size(), events.size()) << o.dump();
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// ---- the planner alone, on hand-made facts ----

DemoRecordsInput OneAccount() {
  // 2026-01-05 (a Monday) 10:00 +08:00 = 1767578400000.
  const int64_t t0 = 1767578400000;
  DemoRecordsInput in;
  in.seed = 7;
  in.end_ms = t0 + 60 * kDayMs;
  in.zone = Shanghai();
  DemoAccountFacts a;
  a.id = 1;
  a.group_id = "acc-1";
  a.name = "华信智能制造";
  a.industry = "制造业";
  a.size = "201-1000";
  a.owner = "张伟";
  a.plan = "growth";
  a.seats = 40;
  a.trial_ms = t0;
  a.demo_ms = t0 + 5 * kDayMs;
  a.quote_ms = t0 + 20 * kDayMs;
  a.quote_seats = 40;
  a.purchase_ms = t0 + 30 * kDayMs;
  a.purchase_amount = 96000;
  a.contacts = {{10, "u-1", "王伟", "evaluator", "IT 经理", 0},
                {11, "u-2", "李娜", "decision_maker", "CEO", t0 + 4 * kDayMs},
                {12, "u-3", "赵敏", "budget_holder", "财务总监", t0 + 18 * kDayMs},
                {13, "u-4", "周杰", "signer", "采购经理", t0 + 29 * kDayMs}};
  a.quote_person = "u-3";
  in.accounts.push_back(a);
  return in;
}

TEST(PlanDemoRecords, ABuyingAccountWalksEveryStageToWon) {
  const DemoRecordsInput in = OneAccount();
  const auto plan = PlanDemoRecords(in);
  std::vector<std::string> stages;
  json last;
  for (const auto& w : plan) {
    EXPECT_LT(w.at_ms, in.end_ms);
    if (w.resource != "opportunities") continue;
    stages.push_back(w.fields["stage"]);
    last = w.fields;
  }
  // Trial → lead; demo on day 5 → qualified; 3–6 days before the quote (day 20) →
  // solution; quote → negotiation; purchase on day 30 → won.
  EXPECT_EQ(stages,
            (std::vector<std::string>{"lead", "qualified", "solution", "negotiation", "won"}));
  EXPECT_EQ(last["amount"], 96000.0);          // the purchase's amount
  EXPECT_EQ(last["closed_on"], "2026-02-04");  // 2026-01-05 + 30 days
  for (size_t i = 1; i < plan.size(); ++i) EXPECT_LE(plan[i - 1].at_ms, plan[i].at_ms);
}

TEST(PlanDemoRecords, UsesOnlyRecordsCreatedBefore) {
  const auto plan = PlanDemoRecords(OneAccount());
  std::set<std::string> created;
  std::function<void(const json&)> check = [&](const json& v) {
    if (v.is_object() && v.contains("$plan")) {
      EXPECT_TRUE(created.count(v["$plan"].get<std::string>())) << v.dump();
      return;
    }
    if (v.is_structured()) {
      for (const auto& item : v) check(item);
    }
  };
  for (const auto& w : plan) {
    check(w.fields);
    if (w.update) {
      if (w.resource != "accounts") { EXPECT_TRUE(created.count(w.key)) << w.key; }
    } else {
      EXPECT_TRUE(created.insert(w.key).second) << w.key;
    }
  }
}

TEST(PlanDemoRecords, AChurnIsALostRenewalWithTheChurnReason) {
  DemoRecordsInput in = OneAccount();
  DemoAccountFacts& a = in.accounts[0];
  const int64_t churn = a.trial_ms + 50 * kDayMs;
  a.trial_ms = a.demo_ms = a.quote_ms = a.purchase_ms = 0;
  a.purchase_amount = 0;
  a.churn_ms = churn;
  a.churn_reason = "budget_cut";
  const auto plan = PlanDemoRecords(in);
  json last;
  for (const auto& w : plan) {
    if (w.resource == "opportunities") last = w.fields;
  }
  EXPECT_EQ(last["stage"], "lost");
  EXPECT_EQ(last["lost_reason"], "预算削减");  // kChurnReasonZh: budget_cut
}

}  // namespace
}  // namespace tobops::ops
