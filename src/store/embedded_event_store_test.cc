#include "store/embedded_event_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "store/block_builder.h"
#include "store/event_codec.h"
#include "store/wal_writer.h"
#include "store/manifest.h"
#include "store/test_events.h"

namespace tobops::store {
namespace {

using testing::MakeEvent;
using testing::ScanAll;

class EmbeddedEventStoreTest : public ::testing::Test {
 protected:
  EmbeddedStoreOptions Options() {
    EmbeddedStoreOptions o;
    o.directory = "/db";
    o.file_system = &fs_;
    o.background_thread = false;
    return o;
  }
  std::unique_ptr<EmbeddedEventStore> OpenStore() {
    auto store = EmbeddedEventStore::Open(Options());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  static std::vector<Event> All(const EventStore& store, std::vector<std::string> props = {}) {
    std::vector<Event> out;
    Status s = ScanAll(store, &out, std::move(props));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  static std::multiset<std::string> MessageIds(const std::vector<Event>& events) {
    std::multiset<std::string> ids;
    for (const Event& e : events) ids.insert(e.message_id);
    return ids;
  }
  std::vector<std::string> Names() { return fs_.ListDirectory("/db").value(); }
  FaultInjectionFileSystem fs_;
};

TEST_F(EmbeddedEventStoreTest, ScansMemtableAndSegments) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append({MakeEvent("a", "p1", 10, "x", "m1", {{"k", 1.0}}), MakeEvent("a", "p0", 20, "y", "m2")}).ok());
  EXPECT_EQ(All(*store).size(), 2u);
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Append({MakeEvent("b", "p2", 30, "x", "m3")}).ok());
  auto all = All(*store, {"k"});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(MessageIds(all), (std::multiset<std::string>{"m1", "m2", "m3"}));
  StoreStats stats = store->Stats();
  EXPECT_EQ(stats.events, 3u);
  EXPECT_EQ(stats.segments, 1u);
  EXPECT_EQ(stats.memtable_events, 1u);
  EXPECT_EQ(stats.min_timestamp_ms, 10);
  EXPECT_EQ(stats.max_timestamp_ms, 30);
  EXPECT_GT(stats.segment_bytes, 0u);
  EXPECT_GT(stats.dedup_bytes, 0u);
}

TEST_F(EmbeddedEventStoreTest, ScanFiltersByTimeEventTypeAndProperties) {
  auto store = OpenStore();
  std::vector<Event> events;
  for (int i = 0; i < 100; ++i) {
    Event e = MakeEvent("acc" + std::to_string(i % 3), "p" + std::to_string(i % 7), i, i % 2 ? "odd" : "even",
                        "m" + std::to_string(i), {{"i", static_cast<double>(i)}});
    if (i % 5 == 0) e.type = MessageType::kIdentify;
    events.push_back(e);
  }
  ASSERT_TRUE(store->Append(std::vector<Event>(events.begin(), events.begin() + 50)).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Append(std::vector<Event>(events.begin() + 50, events.end())).ok());
  ScanRequest request;
  request.from_ms = 10;
  request.to_ms = 90;
  request.events = {"odd"};
  request.types = {MessageType::kTrack};
  request.max_threads = 3;
  std::vector<Event> got;
  ASSERT_TRUE(ScanAll(*store, &got, {"i"}, request).ok());
  std::set<int> expected, actual;
  for (int i = 10; i < 90; ++i) {
    if (i % 2 == 1 && i % 5 != 0) expected.insert(i);
  }
  for (const Event& e : got) {
    actual.insert(static_cast<int>(e.timestamp_ms));
    ASSERT_EQ(e.properties.size(), 1u);
    EXPECT_EQ(std::get<double>(e.properties[0].value), static_cast<double>(e.timestamp_ms));
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(got.size(), expected.size());
}

TEST_F(EmbeddedEventStoreTest, DeduplicatesWithinAndAcrossCalls) {
  auto store = OpenStore();
  auto r1 = store->Append({MakeEvent("a", "p", 1, "x", "dup"), MakeEvent("a", "p", 2, "x", "dup"),
                           MakeEvent("a", "p", 3, "x", ""), MakeEvent("a", "p", 4, "x", "")});
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->stored, 3u);
  EXPECT_EQ(r1->duplicates, 1u);
  auto r2 = store->Append({MakeEvent("a", "p", 5, "x", "dup"), MakeEvent("a", "p", 6, "x", "new")});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->stored, 1u);
  EXPECT_EQ(r2->duplicates, 1u);
  EXPECT_EQ(All(*store).size(), 4u);
}

TEST_F(EmbeddedEventStoreTest, DedupSurvivesRestart) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Append({MakeEvent("a", "p", 1, "x", "flushed")}).ok());
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_TRUE(store->Append({MakeEvent("a", "p", 2, "x", "in-wal")}).ok());
    // No Close: "in-wal" lives only in the WAL.
  }
  auto store = OpenStore();
  EXPECT_EQ(store->Stats().memtable_events, 1u);
  auto r = store->Append({MakeEvent("a", "p", 1, "x", "flushed"), MakeEvent("a", "p", 2, "x", "in-wal"),
                          MakeEvent("a", "p", 3, "x", "fresh")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->duplicates, 2u);
  EXPECT_EQ(r->stored, 1u);
  ASSERT_TRUE(store->Close().ok());
  store = OpenStore();
  auto again = store->Append({MakeEvent("a", "p", 3, "x", "fresh")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->duplicates, 1u);
  EXPECT_EQ(MessageIds(All(*store)), (std::multiset<std::string>{"flushed", "in-wal", "fresh"}));
}

TEST_F(EmbeddedEventStoreTest, DedupForgetsIdsOutsideWindow) {
  EmbeddedStoreOptions o = Options();
  o.dedup_window_ms = 1000;
  auto store = std::move(EmbeddedEventStore::Open(o)).value();
  Event first = MakeEvent("a", "p", 0, "x", "id");
  first.received_at_ms = 0;
  Event late = first;
  late.received_at_ms = 5000;
  ASSERT_TRUE(store->Append({first}).ok());
  auto r = store->Append({late});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stored, 1u);
}

TEST_F(EmbeddedEventStoreTest, RecoversAfterCrashWithEveryAcknowledgedEventOnce) {
  auto store = OpenStore();
  std::mutex acked_mu;
  std::vector<std::string> acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto r = store->Append({MakeEvent("acc", "p" + std::to_string(t), i, "e", id)});
        if (!r.ok()) return;  // the file system is down
        std::lock_guard lock(acked_mu);
        acked.push_back(id);
        if (t == 0 && i == 200) {
          Status s = store->Flush();  // some data in a segment, some in the WAL
          EXPECT_TRUE(s.ok()) << s.ToString();
        }
      }
    });
  }
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(acked_mu);
    if (acked.size() > 1500) break;
  }
  // A torn, never-acknowledged write in flight: bytes not yet fsync'd are lost.
  fs_.SimulateCrash();
  stop = true;
  for (auto& t : threads) t.join();
  store.reset();
  fs_.Restart();
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto ids = MessageIds(All(*store));
  for (const std::string& id : acked) EXPECT_EQ(ids.count(id), 1u) << id;
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size());
  EXPECT_GE(ids.size(), acked.size());
}

TEST_F(EmbeddedEventStoreTest, IgnoresTornWalTailOnOpen) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Append({MakeEvent("a", "p", 1, "x", "m1")}).ok());
  }
  std::string wal;
  for (const std::string& name : Names()) {
    if (name.starts_with("wal-") && fs_.FileSize("/db/" + name).value() > 8) wal = "/db/" + name;
  }
  ASSERT_FALSE(wal.empty());
  ASSERT_TRUE(fs_.AppendUnsynced(wal, std::string("\x40\x00\x00\x00garbage", 11)).ok());
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(MessageIds(All(*store)), std::multiset<std::string>{"m1"});
  ASSERT_TRUE(store->Append({MakeEvent("a", "p", 2, "x", "m2")}).ok());
  store.reset();
  store = OpenStore();
  EXPECT_EQ(MessageIds(All(*store)), (std::multiset<std::string>{"m1", "m2"}));
}

TEST_F(EmbeddedEventStoreTest, ReportsMidWalCorruptionOnOpen) {
  std::string wal;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Append({MakeEvent("a", "p", 1, "x", "m1")}).ok());
    ASSERT_TRUE(store->Append({MakeEvent("a", "p", 2, "x", "m2")}).ok());
  }
  for (const std::string& name : Names()) {
    if (name.starts_with("wal-") && fs_.FileSize("/db/" + name).value() > 8) wal = "/db/" + name;
  }
  ASSERT_TRUE(fs_.CorruptByte(wal, 8 + 12 + 3).ok());
  auto store = EmbeddedEventStore::Open(Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find(wal), std::string::npos) << store.status().message();
}

TEST_F(EmbeddedEventStoreTest, ReplaysAFormat1WalFromAnOlderVersion) {
  // An existing data directory: no manifest, one WAL in format 1 (magic TOBWAL1,
  // payload = the event batch without a codec frame), as versions before format 2 wrote.
  Event a = MakeEvent("acc", "p1", 1000, "signup", "old-1");
  Event b = MakeEvent("acc", "p2", 2000, "login", "old-2");
  std::vector<const Event*> rows = {&a, &b};
  std::string batch;
  EncodeEventBatch(rows, &batch);
  std::string bytes(kWalMagicV1);
  EncodeWalRecord(batch, &bytes);
  ASSERT_TRUE(fs_.CreateDirectories("/db").ok());
  ASSERT_TRUE(fs_.WriteFileDurably("/db/" + WalFileName(1), bytes).ok());
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(MessageIds(All(*store)), (std::multiset<std::string>{"old-1", "old-2"}));
  // The replayed ids are deduplicated, and new appends land in a format-2 WAL.
  auto r = store->Append({MakeEvent("acc", "p1", 1000, "signup", "old-1"), MakeEvent("acc", "p3", 3000, "x", "new-1")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stored, 1u);
  EXPECT_EQ(r->duplicates, 1u);
  ASSERT_TRUE(store->Flush().ok());
  store.reset();
  store = OpenStore();
  EXPECT_EQ(MessageIds(All(*store)), (std::multiset<std::string>{"old-1", "old-2", "new-1"}));
}

TEST_F(EmbeddedEventStoreTest, CompactMemtableChunksScanLikeEvents) {
  // 3000 events in one append become a chunk as is (>= kDirectChunkEvents); then
  // 9 appends of 1000 fill the tail past kSealEvents (8192), which is sealed after the
  // ninth; 5 more stay in the tail. Timestamps: event i of the big append at i ms,
  // the others at 100000 + i ms, so a time filter can cut chunks away.
  auto store = OpenStore();
  std::vector<Event> big;
  for (int i = 0; i < 3000; ++i) big.push_back(MakeEvent("a" + std::to_string(i % 7), "p", i, "big", "b" + std::to_string(i)));
  ASSERT_EQ(store->Append(big).value().stored, 3000u);
  int n = 0;
  for (int k = 0; k < 9; ++k) {
    std::vector<Event> small;
    for (int i = 0; i < 1000; ++i, ++n) {
      small.push_back(MakeEvent("c", "q" + std::to_string(n % 13), 100000 + n, "small", "s" + std::to_string(n)));
    }
    ASSERT_EQ(store->Append(small).value().stored, 1000u);
  }
  for (int i = 0; i < 5; ++i, ++n) {
    ASSERT_TRUE(store->Append({MakeEvent("c", "q", 100000 + n, "small", "s" + std::to_string(n))}).ok());
  }
  // 3000 + 9000 + 5 events in all; [100000, 100010) holds s0..s9 only.
  EXPECT_EQ(All(*store).size(), 12005u);
  ScanRequest window;
  window.from_ms = 100000;
  window.to_ms = 100010;
  std::vector<Event> some;
  ASSERT_TRUE(ScanAll(*store, &some, {}, window).ok());
  std::multiset<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.insert("s" + std::to_string(i));
  EXPECT_EQ(MessageIds(some), expected);
  // The same after a flush (decoded chunks written to a segment) and a restart (replay).
  std::vector<Event> before = All(*store);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(MessageIds(All(*store)), MessageIds(before));
  ASSERT_TRUE(store->Append({MakeEvent("c", "q", 5, "late", "late-1")}).ok());
  store.reset();
  store = OpenStore();
  auto after = MessageIds(All(*store));
  EXPECT_EQ(after.size(), 12006u);
  EXPECT_EQ(after.count("late-1"), 1u);
}

TEST_F(EmbeddedEventStoreTest, DedupChainOfDeltaFilesSurvivesRestart) {
  // Three flushes: the first writes a full dedup file, the next two delta files that
  // name their predecessor. After a restart every id of every flush is still known,
  // and exactly the chain's three files are on disk.
  auto store = OpenStore();
  for (int f = 0; f < 3; ++f) {
    std::vector<Event> batch;
    for (int i = 0; i < 50; ++i) batch.push_back(MakeEvent("a", "p", i, "x", "f" + std::to_string(f) + "-" + std::to_string(i)));
    ASSERT_EQ(store->Append(batch).value().stored, 50u);
    ASSERT_TRUE(store->Flush().ok());
  }
  store.reset();
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  int dedup_files = 0;
  for (const std::string& name : Names()) dedup_files += name.starts_with("dedup-") ? 1 : 0;
  EXPECT_EQ(dedup_files, 3);
  auto r = store->Append({MakeEvent("a", "p", 1, "x", "f0-3"), MakeEvent("a", "p", 1, "x", "f1-49"),
                          MakeEvent("a", "p", 1, "x", "f2-0"), MakeEvent("a", "p", 1, "x", "new")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->duplicates, 3u);
  EXPECT_EQ(r->stored, 1u);
  EXPECT_EQ(All(*store).size(), 151u);
}

TEST_F(EmbeddedEventStoreTest, DiskFullFailsCleanlyAndLaterAppendsSucceed) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append({MakeEvent("a", "p", 1, "x", "before")}).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Append({MakeEvent("a", "p", 2, "x", "before2")}).ok());
  fs_.SetSpaceLimitBytes(fs_.used_bytes() + 30);
  std::vector<Event> big;
  for (int i = 0; i < 100; ++i) big.push_back(MakeEvent("a", "p", 100 + i, "x", "big" + std::to_string(i)));
  auto r = store->Append(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(store->Flush().code(), StatusCode::kResourceExhausted);
  fs_.ClearSpaceLimit();
  fs_.SetFailSyncs(true);
  EXPECT_EQ(store->Append({MakeEvent("a", "p", 3, "x", "sync-fails")}).status().code(),
            StatusCode::kResourceExhausted);
  fs_.SetFailSyncs(false);
  auto ok = store->Append(big);  // not counted as duplicates: the failed call stored nothing
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->stored, 100u);
  EXPECT_EQ(All(*store).size(), 102u);
  store.reset();
  store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto ids = MessageIds(All(*store));
  EXPECT_EQ(ids.size(), 102u);
  EXPECT_EQ(ids.count("sync-fails"), 0u);
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_TRUE(store->VerifyAllSegments().ok());
}

TEST_F(EmbeddedEventStoreTest, GroupCommitSharesFsyncsAcrossThreads) {
  auto store = OpenStore();
  fs_.SetSyncDelayMicros(2000);  // a slow disk: appends queue up behind the leader's fsync
  const uint64_t syncs_before = fs_.sync_count();
  constexpr int kThreads = 16, kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!store->Append({MakeEvent("a", "p" + std::to_string(t), i, "x", std::to_string(t) + "/" + std::to_string(i))})
                 .ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(All(*store).size(), static_cast<size_t>(kThreads * kPerThread));
  const uint64_t syncs = fs_.sync_count() - syncs_before;
  EXPECT_LT(syncs, static_cast<uint64_t>(kThreads * kPerThread / 2));
  std::printf("%d appends used %llu fsyncs\n", kThreads * kPerThread, static_cast<unsigned long long>(syncs));
}

TEST_F(EmbeddedEventStoreTest, CompactionPreservesContentAndOrder) {
  auto store = OpenStore();
  std::vector<Event> expected;
  for (int seg = 0; seg < 5; ++seg) {
    std::vector<Event> batch;
    for (int i = 0; i < 200; ++i) {
      // Same (account, person, timestamp) across segments: arrival order must hold.
      batch.push_back(MakeEvent("acc" + std::to_string(i % 4), "p" + std::to_string(i % 9), i % 17, "e",
                                "s" + std::to_string(seg) + "-" + std::to_string(i), {{"seg", static_cast<double>(seg)}}));
    }
    expected.insert(expected.end(), batch.begin(), batch.end());
    ASSERT_TRUE(store->Append(batch).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  EXPECT_EQ(store->Stats().segments, 5u);
  ASSERT_TRUE(store->Compact().ok());
  EXPECT_EQ(store->Stats().segments, 1u);
  std::vector<const Event*> rows;
  for (const Event& e : expected) rows.push_back(&e);
  SortRows(&rows);
  std::vector<Event> sorted;
  for (const Event* e : rows) sorted.push_back(*e);
  EXPECT_EQ(All(*store, {"seg"}), sorted);
  store.reset();
  store = OpenStore();
  EXPECT_EQ(All(*store, {"seg"}), sorted);
  int segment_files = 0;
  for (const std::string& name : Names()) segment_files += name.starts_with("seg-");
  EXPECT_EQ(segment_files, 1);
}

TEST_F(EmbeddedEventStoreTest, ConcurrentAppendScanFlushAndCompact) {
  auto store = OpenStore();
  std::atomic<bool> stop{false};
  std::atomic<int> appended{0};
  std::thread writer([&] {
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE(store->Append({MakeEvent("a" + std::to_string(i % 5), "p", i, "x", "id" + std::to_string(i))}).ok());
      ++appended;
    }
    stop = true;
  });
  std::thread maintainer([&] {
    while (!stop.load()) {
      EXPECT_TRUE(store->Flush().ok());
      EXPECT_TRUE(store->Compact().ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  while (!stop.load()) {
    const int before = appended.load();
    ScanRequest request;
    request.max_threads = 4;
    std::atomic<int> rows{0};
    std::mutex workers_mu;
    std::set<int> active;
    Status s = store->Scan(request, [&](const ColumnBlock& b, int worker) -> Status {
      {
        std::lock_guard lock(workers_mu);
        EXPECT_TRUE(active.insert(worker).second) << "worker index shared by concurrent calls";
        EXPECT_GE(worker, 0);
        EXPECT_LT(worker, 4);
      }
      for (size_t i = 1; i < b.rows; ++i) {
        EXPECT_LE(b.account_dict[b.account[i - 1]], b.account_dict[b.account[i]]);
      }
      rows += static_cast<int>(b.rows);
      std::lock_guard lock(workers_mu);
      active.erase(worker);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_GE(rows.load(), before);
  }
  writer.join();
  maintainer.join();
  EXPECT_EQ(All(*store).size(), 3000u);
}

TEST_F(EmbeddedEventStoreTest, BackgroundThreadFlushesFullMemtable) {
  EmbeddedStoreOptions o = Options();
  o.background_thread = true;
  o.memtable_max_events = 100;
  o.compaction_trigger_segments = 3;
  auto store = std::move(EmbeddedEventStore::Open(o)).value();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(store->Append({MakeEvent("a", "p", i, "x", std::to_string(i))}).ok());
  for (int i = 0; i < 200 && store->Stats().memtable_events >= 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_LT(store->Stats().memtable_events, 1000u);
  EXPECT_GE(store->Stats().segments, 1u);
  ASSERT_TRUE(store->Close().ok());
  EXPECT_EQ(store->Append({MakeEvent("a", "p", 1, "x", "late")}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(All(*store).size(), 1000u);
}

TEST(EmbeddedEventStore, WorksOnThePosixFileSystem) {
  char tmpl[] = "/tmp/tobops-store-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  EmbeddedStoreOptions o;
  o.directory = tmpl;
  o.background_thread = false;
  {
    auto store = std::move(EmbeddedEventStore::Open(o)).value();
    ASSERT_TRUE(store->Append({MakeEvent("公司", "张伟", 1, "登录", "m1")}).ok());
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_TRUE(store->Append({MakeEvent("公司", "张伟", 2, "登录", "m2")}).ok());
  }
  auto store = std::move(EmbeddedEventStore::Open(o)).value();
  std::vector<Event> all;
  ASSERT_TRUE(ScanAll(*store, &all).ok());
  EXPECT_EQ(all.size(), 2u);
  ASSERT_TRUE(store->Close().ok());
  store.reset();
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace tobops::store
