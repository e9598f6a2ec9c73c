#include "store/segment_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
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
    for (const auto& [column, bytes] : info->column_bytes) {
      std::printf("  %-14s %8.3f bytes/event\n", column.c_str(), static_cast<double>(bytes) / events.size());
    }
    if (!with_ids) {
      EXPECT_LT(per_event, 8.0);
    }
  }
}

}  // namespace
}  // namespace tobops::store
