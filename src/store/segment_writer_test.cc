#include "store/segment_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "store/block_builder.h"
#include "store/segment_reader.h"
#include "store/test_events.h"

namespace tobops::store {
namespace {

using testing::MakeEvent;

std::vector<Event> SampleEvents() {
  std::vector<Event> events;
  events.push_back(MakeEvent("acme", "张伟", 3000, "签约", "m1",
                             {{"amount", 12.5}, {"channel", std::string("网站")}, {"vip", true}}));
  events.push_back(MakeEvent("acme", "alice", 2000, "signup", "m2", {{"channel", std::string("sem")}}));
  events.push_back(MakeEvent("", "anon:xyz", 1000, "$pageview", "", {{"nothing", std::monostate{}}}));
  events.push_back(MakeEvent("acme", "alice", 1500, "login", "m3", {{"vip", false}}));
  events.push_back(MakeEvent("acme", "alice", 1500, "login", "m4"));  // tie: arrival order kept
  events[2].type = MessageType::kPage;
  events[2].user_id.clear();
  events[2].received_at_ms = 999;  // before the event time
  return events;
}

std::vector<Event> Sorted(std::vector<Event> events) {
  std::vector<const Event*> rows;
  for (const Event& e : events) rows.push_back(&e);
  SortRows(&rows);
  std::vector<Event> out;
  for (const Event* e : rows) out.push_back(*e);
  return out;
}

std::shared_ptr<SegmentReader> WriteAndOpen(FileSystem* fs, const std::string& path, const std::vector<Event>& events,
                                            SegmentWriteOptions options = {}) {
  std::vector<const Event*> rows;
  for (const Event& e : events) rows.push_back(&e);
  auto info = SegmentWriter::Write(fs, path, rows, options);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  auto reader = SegmentReader::Open(fs, path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? reader.value() : nullptr;
}

TEST(SegmentWriter, RoundTripsAllColumnTypes) {
  FaultInjectionFileSystem fs;
  auto events = SampleEvents();
  auto reader = WriteAndOpen(&fs, "/db/seg-000001.tseg", events);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->row_count(), events.size());
  EXPECT_EQ(reader->min_timestamp_ms(), 1000);
  EXPECT_EQ(reader->max_timestamp_ms(), 3000);
  std::vector<Event> back;
  ASSERT_TRUE(reader->ReadAllEvents(&back).ok());
  EXPECT_EQ(back, Sorted(events));
  EXPECT_EQ(back[1].message_id, "m3");  // (acme, alice, 1500) ties in arrival order
  EXPECT_EQ(back[2].message_id, "m4");
  EXPECT_TRUE(reader->VerifyAllBlocks().ok());
}

TEST(SegmentWriter, HandlesEmptyInputAndManyRowGroups) {
  FaultInjectionFileSystem fs;
  auto empty = WriteAndOpen(&fs, "/db/empty.tseg", {});
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->row_count(), 0u);
  std::vector<Event> events;
  for (int i = 0; i < 150000; ++i) {
    events.push_back(MakeEvent("acc" + std::to_string(i % 7), "p" + std::to_string(i % 301), i, "e" + std::to_string(i % 5),
                               "msg" + std::to_string(i)));
  }
  auto reader = WriteAndOpen(&fs, "/db/big.tseg", events);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->row_group_count(), 3u);
  std::vector<Event> back;
  ASSERT_TRUE(reader->ReadAllEvents(&back).ok());
  EXPECT_EQ(back, Sorted(events));
}

TEST(SegmentReader, DetectsBlockChecksumCorruption) {
  FaultInjectionFileSystem fs;
  auto events = SampleEvents();
  ASSERT_NE(WriteAndOpen(&fs, "/db/seg-000001.tseg", events), nullptr);
  // Byte 10 lies inside the first block (the timestamp column of row group 0).
  ASSERT_TRUE(fs.CorruptByte("/db/seg-000001.tseg", 10).ok());
  auto reader = SegmentReader::Open(&fs, "/db/seg-000001.tseg");
  ASSERT_TRUE(reader.ok());
  Status s = (*reader)->VerifyAllBlocks();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("/db/seg-000001.tseg"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("timestamp of row group 0"), std::string::npos) << s.message();
  std::vector<Event> back;
  EXPECT_EQ((*reader)->ReadAllEvents(&back).code(), StatusCode::kDataLoss);
}

TEST(SegmentReader, DetectsFooterCorruption) {
  FaultInjectionFileSystem fs;
  ASSERT_NE(WriteAndOpen(&fs, "/db/s.tseg", SampleEvents()), nullptr);
  const uint64_t size = fs.FileSize("/db/s.tseg").value();
  ASSERT_TRUE(fs.CorruptByte("/db/s.tseg", size - 40).ok());
  auto reader = SegmentReader::Open(&fs, "/db/s.tseg");
  EXPECT_EQ(reader.status().code(), StatusCode::kDataLoss);
}

TEST(SegmentReader, ScanAppliesFiltersAndMaterialisesProperties) {
  FaultInjectionFileSystem fs;
  auto reader = WriteAndOpen(&fs, "/db/s.tseg", SampleEvents());
  ASSERT_NE(reader, nullptr);
  ScanRequest request;
  request.from_ms = 1500;
  request.to_ms = 3001;
  request.events = {"login", "签约", "missing"};
  request.types = {MessageType::kTrack};
  request.properties = {"vip", "channel", "not_a_key"};
  EXPECT_TRUE(reader->MayMatch(request));
  std::vector<std::string> seen;
  std::vector<std::string> vip;
  ASSERT_TRUE(reader
                  ->ScanRowGroup(0, request,
                                 [&](const ColumnBlock& b, int worker) -> Status {
                                   EXPECT_EQ(b.id_dict.size(), 0u);
                                   EXPECT_EQ(b.message_id, nullptr);
                                   for (size_t i = 0; i < b.rows; ++i) {
                                     seen.push_back(b.event_dict[b.event[i]] + "@" + std::to_string(b.timestamp_ms[i]));
                                     uint32_t code = b.properties[0].codes[i];
                                     vip.push_back(code == 0 ? "-" : (std::get<bool>(b.properties[0].dict[code - 1]) ? "T" : "F"));
                                     EXPECT_EQ(b.properties[2].codes[i], 0u);
                                   }
                                   return Status::Ok();
                                 },
                                 0)
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"login@1500", "login@1500", "签约@3000"}));
  EXPECT_EQ(vip, (std::vector<std::string>{"F", "-", "T"}));
  request.events = {"nope"};
  EXPECT_FALSE(reader->MayMatch(request));
  request.events = {};
  request.from_ms = 5000;
  EXPECT_FALSE(reader->MayMatch(request));
}

// A version 1 segment (the format before 2026-11-24), written by that version's
// SegmentWriter from V1FixtureEvents() with default options and dumped as hex. A user's
// existing data directory holds such files; they must stay readable.
const char* const kV1SegmentHex =
    "544f42534547310a28b52ffd2009490000d00fe80700e807d00f28b52ffd2005290000010000000028b52ffd20052900"
    "00000101020328b52ffd2005290000020100000428b52ffd2005290000000200000028b52ffd200949000001f403f403"
    "f403f40328b52ffd2005290000020200000a28b52ffd2005290000000600000a28b52ffd2005290000000802020628b5"
    "2ffd2005290000000000000128b52ffd2005290000000000010228b52ffd2005290000010000000028b52ffd20052900"
    "00000100000228b52ffd2017b900000305616c69636508616e6f6e3a78797a06e5bca0e4bc9f28b52ffd200739000002"
    "000461636d6528b52ffd203695010064020a000378797a0a616e6f6e2d616c69636505026d33026d34026d320be5bca0"
    "e4bc9f06026d3103002a637a1e92b6840128b52ffd200a5100000103000000000000294028b52ffd200e710000020403"
    "73656d0406e7bd91e7ab9928b52ffd2002110000010028b52ffd20031900000201020105d00ff02e0409247061676576"
    "696577056c6f67696e067369676e757006e7adbee7baa6c6012017b131a66ac8850ecfe60110075172828284848b30f6"
    "013b360f621c48bc9c57400406616d6f756e74b102130a01ec11042c1f7c0e076368616e6e656cc402170e06bda77ac2"
    "ae4aef076e6f7468696e67db020b02db325f2814c92bf303766970e6020c03bd728962707480680105d00ff02e081209"
    "7468ddac4ab457c71a0e059a7b17a1edabdf0a280e0518130ce961edd23d360e057f20d42d5f0ef265440e0561b45152"
    "b72e07f8521209277bb76073dee5b0640e05117fd8d66e42f3ca720e05109e8d290503774780010e0556b8580655b8b1"
    "bf8e010e05be95e8d61dd14c159c010e057b47e5ebff260d61aa010e059a7b17a1edabdf0ab8010e05241409f62de421"
    "fa72010000000000002f010000c3a4d67723d8fee0544f42534547310a";

std::vector<Event> V1FixtureEvents() {
  auto events = SampleEvents();
  events[2].anonymous_id = "xyz";  // derivable from its person "anon:xyz"
  return events;
}

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(SegmentReader, ReadsVersion1Segments) {
  FaultInjectionFileSystem fs;
  ASSERT_TRUE(fs.WriteFileDurably("/db/seg-000001.tseg", FromHex(kV1SegmentHex)).ok());
  auto reader = SegmentReader::Open(&fs, "/db/seg-000001.tseg");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->format_version(), 1u);
  EXPECT_TRUE((*reader)->VerifyAllBlocks().ok());
  std::vector<Event> back;
  ASSERT_TRUE((*reader)->ReadAllEvents(&back).ok());
  // Expected: the fixture's events in (account, person, time, arrival) order, every
  // field as written (received_at 999 of the page view included).
  EXPECT_EQ(back, Sorted(V1FixtureEvents()));
  // The same events written now come back identically in version 2.
  auto v2 = WriteAndOpen(&fs, "/db/seg-000002.tseg", V1FixtureEvents());
  ASSERT_NE(v2, nullptr);
  EXPECT_EQ(v2->format_version(), 2u);
  std::vector<Event> back2;
  ASSERT_TRUE(v2->ReadAllEvents(&back2).ok());
  EXPECT_EQ(back2, back);
}

// Every message-id shape round-trips exactly: sequential hex/decimal counters, UUIDs
// with and without a prefix, and ids that fit no shape.
TEST(SegmentWriter, RoundTripsEveryMessageIdShape) {
  const std::vector<std::string> ids = {
      "", "m1", "dm-1234abcd-00000000ff", "dm-1234abcd-0000000100", "0", "007", "abc", "ABC", "x-", "日本語",
      "123e4567-e89b-12d3-a456-426614174000", "ajs-123e4567-e89b-12d3-a456-426614174000",
      "123E4567-E89B-12D3-A456-426614174000",  // upper case: not canonical, kept as text
      "0123456789abcdef0123456789abcdef",      // longer than 16 hex digits
      "ffffffffffffffff", "p-ffffffffffffffff", "p-0000000000000000", "18446744073709551615"};
  std::vector<Event> events;
  for (size_t i = 0; i < ids.size(); ++i) {
    events.push_back(MakeEvent("acc", "p" + std::to_string(i % 3), static_cast<int64_t>(i) * 10, "e", ids[i]));
  }
  FaultInjectionFileSystem fs;
  auto reader = WriteAndOpen(&fs, "/db/ids.tseg", events);
  ASSERT_NE(reader, nullptr);
  std::vector<Event> back;
  ASSERT_TRUE(reader->ReadAllEvents(&back).ok());
  EXPECT_EQ(back, Sorted(events));
}

// A row group of ids with no common shape falls back to whole strings; empty ids
// among them stay empty.
TEST(SegmentWriter, RoundTripsShapelessMessageIds) {
  std::mt19937_64 rng(7);
  std::vector<Event> events;
  for (int i = 0; i < 3000; ++i) {
    std::string id;
    if (i % 10 != 0) {
      for (int k = 0; k < 12; ++k) id.push_back(static_cast<char>('g' + rng() % 20));  // never hex
      id += std::to_string(rng() % 1000);
    }
    events.push_back(MakeEvent("a" + std::to_string(i % 5), "p" + std::to_string(i % 50), i, "e", id));
  }
  FaultInjectionFileSystem fs;
  auto reader = WriteAndOpen(&fs, "/db/raw.tseg", events);
  ASSERT_NE(reader, nullptr);
  std::vector<Event> back;
  ASSERT_TRUE(reader->ReadAllEvents(&back).ok());
  EXPECT_EQ(back, Sorted(events));
}

// anonymous_id / user_id that follow from the person, that do not, and empty ones;
// received_at both near the event time (live) and near the load time (history).
TEST(SegmentWriter, RoundTripsIdentityAndReceivedAtEncodings) {
  std::vector<Event> events;
  for (int i = 0; i < 2000; ++i) {
    Event e = MakeEvent("acc", i % 4 == 0 ? "anon:v" + std::to_string(i % 40) : "u" + std::to_string(i % 40),
                        1'700'000'000'000 + i * 1000, "e", "m" + std::to_string(i));
    if (i % 4 == 0) {
      e.user_id.clear();
      e.anonymous_id = i % 8 == 0 ? e.person.substr(5) : "other-" + std::to_string(i % 7);
    } else if (i % 3 == 0) {
      e.anonymous_id.clear();
    }
    if (i % 5 == 0) e.user_id = i % 4 == 0 ? "" : "someone-else";
    e.received_at_ms = 1'800'000'000'000 + i % 97;  // loaded long after
    events.push_back(std::move(e));
  }
  // A second segment where received_at trails the event by a small latency.
  std::vector<Event> live = events;
  for (Event& e : live) e.received_at_ms = e.timestamp_ms + 40;
  FaultInjectionFileSystem fs;
  for (const auto* set : {&events, &live}) {
    auto reader = WriteAndOpen(&fs, "/db/id.tseg", *set);
    ASSERT_NE(reader, nullptr);
    std::vector<Event> back;
    ASSERT_TRUE(reader->ReadAllEvents(&back).ok());
    EXPECT_EQ(back, Sorted(*set));
  }
}

// Identity scans of a subset of rows get a block dictionary that covers them.
TEST(SegmentReader, IdentityColumnsOfFilteredRows) {
  FaultInjectionFileSystem fs;
  auto reader = WriteAndOpen(&fs, "/db/s.tseg", V1FixtureEvents());
  ASSERT_NE(reader, nullptr);
  ScanRequest request;
  request.with_identity_columns = true;
  request.events = {"login", "$pageview"};
  std::vector<std::string> seen;
  ASSERT_TRUE(reader
                  ->ScanRowGroup(0, request,
                                 [&](const ColumnBlock& b, int) -> Status {
                                   for (size_t i = 0; i < b.rows; ++i) {
                                     seen.push_back(std::string(b.id_dict[b.message_id[i]]) + "|" +
                                                    std::string(b.id_dict[b.anonymous_id[i]]) + "|" +
                                                    std::string(b.id_dict[b.user_id[i]]) + "|" +
                                                    std::to_string(b.received_at_ms[i]));
                                   }
                                   return Status::Ok();
                                 },
                                 0)
                  .ok());
  // Sorted: ("", anon:xyz, 1000), then (acme, alice, 1500) twice in arrival order.
  // MakeEvent: anonymous_id "anon-" + person, user_id = person, received_at = ts + 250.
  EXPECT_EQ(seen, (std::vector<std::string>{"|xyz||999", "m3|anon-alice|alice|1750", "m4|anon-alice|alice|1750"}));
}

// Synthetic B2B data: 300 accounts, ~10 people each, a few sessions a day, a small set
// of event names and properties. Reports bytes per event; asserts only a loose bound.
TEST(SegmentWriter, EncodesRealisticDataCompactly) {
  std::mt19937_64 rng(42);
  const std::vector<std::string> names = {"$pageview", "login", "feature_used", "search", "export", "invite",
                                          "trial_started", "report_viewed"};
  const std::vector<std::string> channels = {"website", "sem", "video", "brochure", "case_study"};
  const std::vector<std::string> features = {"dashboard", "funnel", "retention", "paths", "alerts", "export",
                                             "crm_sync", "api"};
  std::vector<Event> events;
  int64_t base = 1'700'000'000'000;
  char uuid[40];
  for (int a = 0; a < 300; ++a) {
    for (int p = 0; p < 10; ++p) {
      int64_t t = base + static_cast<int64_t>(rng() % 86'400'000);
      const int n = 30 + static_cast<int>(rng() % 40);
      for (int i = 0; i < n; ++i) {
        t += 1000 + static_cast<int64_t>(rng() % (i % 10 == 0 ? 86'400'000 : 120'000));
        std::snprintf(uuid, sizeof uuid, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                      static_cast<unsigned long long>(rng()));
        std::vector<Property> props;
        const std::string& name = names[rng() % names.size()];
        if (name == "$pageview") props.push_back({"channel", channels[rng() % channels.size()]});
        if (name == "feature_used") props.push_back({"feature", features[rng() % features.size()]});
        Event e = MakeEvent("account-" + std::to_string(a), "user-" + std::to_string(a) + "-" + std::to_string(p), t,
                            name, uuid, std::move(props));
        e.received_at_ms = t + 20 + static_cast<int64_t>(rng() % 200);
        events.push_back(std::move(e));
      }
    }
  }
  std::shuffle(events.begin(), events.end(), rng);  // arrival order is not sorted
  std::vector<const Event*> rows;
  for (const Event& e : events) rows.push_back(&e);
  FaultInjectionFileSystem fs;
  for (bool with_ids : {true, false}) {
    SegmentWriteOptions options;
    options.store_message_ids = with_ids;
    auto info = SegmentWriter::Write(&fs, "/db/s.tseg", rows, options);
    ASSERT_TRUE(info.ok());
    const double per_event = static_cast<double>(info->file_bytes) / static_cast<double>(events.size());
    std::printf("%zu events, message ids %s: %.2f bytes/event\n", events.size(), with_ids ? "stored" : "dropped",
                per_event);
    auto reader = SegmentReader::Open(&fs, "/db/s.tseg");
    ASSERT_TRUE(reader.ok());
    for (const auto& [column, bytes] : (*reader)->ColumnBytes()) {
      std::printf("  %-14s %8.3f bytes/event\n", column.c_str(), static_cast<double>(bytes) / events.size());
    }
    if (!with_ids) {
      EXPECT_LT(per_event, 8.0);
    }
  }
}

// Measurement helper, not a check: with TOBOPS_SEGMENT_STATS_DIR=DIR set, prints the
// stored bytes per event of every column over all seg-*.tseg files in DIR (e.g.
// DIR = a data dir's projects/default/events after `tobops demo`). Skipped otherwise.
TEST(SegmentStats, PrintsBytesPerColumnOfADirectory) {
  const char* dir = std::getenv("TOBOPS_SEGMENT_STATS_DIR");
  if (dir == nullptr) GTEST_SKIP() << "set TOBOPS_SEGMENT_STATS_DIR to measure a data directory";
  FileSystem& fs = *DefaultFileSystem();
  auto names = fs.ListDirectory(dir);
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  std::map<std::string, uint64_t> total;
  uint64_t rows = 0, bytes = 0, segments = 0;
  for (const std::string& name : *names) {
    if (!name.starts_with("seg-") || !name.ends_with(".tseg")) continue;
    auto reader = SegmentReader::Open(&fs, std::string(dir) + "/" + name);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ++segments;
    rows += (*reader)->row_count();
    if (std::getenv("TOBOPS_SEGMENT_STATS_REWRITE") != nullptr) {
      // Measure what the current writer makes of the same rows (in memory).
      std::vector<Event> events;
      ASSERT_TRUE((*reader)->ReadAllEvents(&events).ok());
      std::vector<const Event*> ptrs;
      for (const Event& e : events) ptrs.push_back(&e);
      FaultInjectionFileSystem mem;
      ASSERT_TRUE(SegmentWriter::Write(&mem, "/s.tseg", ptrs, {}).ok());
      reader = SegmentReader::Open(&mem, "/s.tseg");
      ASSERT_TRUE(reader.ok());
      std::vector<Event> back;
      ASSERT_TRUE((*reader)->ReadAllEvents(&back).ok());
      ASSERT_TRUE(back == events) << "rewrite of " << name << " does not round-trip";
    }
    bytes += (*reader)->file_bytes();
    for (const auto& [column, b] : (*reader)->ColumnBytes()) total[column] += b;
  }
  ASSERT_GT(rows, 0u);
  std::printf("%llu segments, %llu events, %.3f bytes/event\n", static_cast<unsigned long long>(segments),
              static_cast<unsigned long long>(rows), static_cast<double>(bytes) / static_cast<double>(rows));
  for (const auto& [column, b] : total) {
    std::printf("  %-28s %8.3f bytes/event\n", column.c_str(), static_cast<double>(b) / static_cast<double>(rows));
  }
}

}  // namespace
}  // namespace tobops::store
