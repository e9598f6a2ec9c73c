#include "store/decoded_column_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/segment_reader.h"
#include "store/segment_writer.h"
#include "store/test_events.h"

namespace tobops::store {
namespace {

using testing::MakeEvent;

std::shared_ptr<const DecodedColumnCache::Column> Codes(size_t n) {
  return std::make_shared<const DecodedColumnCache::Column>(std::vector<uint32_t>(n, 7));
}

TEST(DecodedColumnCache, EvictsLeastRecentlyUsedToStayInBudget) {
  DecodedColumnCache cache(100);  // bytes: 25 codes
  cache.Insert(1, 0, 0, Codes(10));  // 40 bytes
  cache.Insert(1, 1, 0, Codes(10));  // 80
  ASSERT_NE(cache.Find(1, 0, 0), nullptr);  // (1,0) is now the most recent
  cache.Insert(2, 0, 0, Codes(10));  // 120 > 100: evicts (1,1), the least recent
  EXPECT_NE(cache.Find(1, 0, 0), nullptr);
  EXPECT_EQ(cache.Find(1, 1, 0), nullptr);
  EXPECT_NE(cache.Find(2, 0, 0), nullptr);
  EXPECT_EQ(cache.stats().bytes, 80u);
  EXPECT_EQ(cache.stats().entries, 2u);
  EXPECT_EQ(cache.stats().hits, 3u);
  EXPECT_EQ(cache.stats().misses, 1u);

  cache.Insert(3, 0, 0, Codes(26));  // 104 bytes: larger than the budget, not kept
  EXPECT_EQ(cache.Find(3, 0, 0), nullptr);
  EXPECT_EQ(cache.stats().entries, 2u);

  cache.Insert(2, 0, 0, Codes(5));  // replaces the entry of the same key
  EXPECT_EQ(cache.stats().bytes, 60u);
  EXPECT_EQ(std::get<std::vector<uint32_t>>(*cache.Find(2, 0, 0)).size(), 5u);
}

TEST(DecodedColumnCache, KeysTellGroupsAndColumnsApartAndSegmentsCanBeErased) {
  DecodedColumnCache cache(1 << 20);
  cache.Insert(1, 0, 3, Codes(1));
  cache.Insert(1, 3, 0, Codes(2));
  cache.Insert(2, 0, 3, Codes(3));
  EXPECT_EQ(std::get<std::vector<uint32_t>>(*cache.Find(1, 0, 3)).size(), 1u);
  EXPECT_EQ(std::get<std::vector<uint32_t>>(*cache.Find(1, 3, 0)).size(), 2u);
  EXPECT_EQ(std::get<std::vector<uint32_t>>(*cache.Find(2, 0, 3)).size(), 3u);
  cache.EraseSegment(1);
  EXPECT_EQ(cache.Find(1, 0, 3), nullptr);
  EXPECT_EQ(cache.Find(1, 3, 0), nullptr);
  EXPECT_NE(cache.Find(2, 0, 3), nullptr);
  EXPECT_EQ(cache.stats().bytes, 12u);
}

TEST(DecodedColumnCache, ZeroBudgetKeepsNothing) {
  DecodedColumnCache cache(0);
  cache.Insert(1, 0, 0, Codes(1));
  EXPECT_EQ(cache.Find(1, 0, 0), nullptr);
  EXPECT_EQ(cache.stats().entries, 0u);
}

// Everything a scan hands to its visitor, as text, block by block.
std::vector<std::string> ScanText(const SegmentReader& reader, const ScanRequest& request) {
  std::vector<std::string> out;
  for (size_t g = 0; g < reader.row_group_count(); ++g) {
    Status s = reader.ScanRowGroup(g, request, [&](const ColumnBlock& b, int) -> Status {
      std::string text = "group " + std::to_string(g) + ":";
      for (size_t i = 0; i < b.rows; ++i) {
        text += " " + std::to_string(b.timestamp_ms[i]) + "/" + std::to_string(int(b.type[i])) + "/" +
                b.event_dict[b.event[i]] + "/" + b.person_dict[b.person[i]] + "/" + b.account_dict[b.account[i]];
        for (const PropertyColumn& p : b.properties) {
          text += p.codes[i] == 0 ? "/-" : "/" + PropertyValueToString(p.dict[p.codes[i] - 1]);
        }
        if (b.message_id != nullptr) text += "/" + std::string(b.id_dict[b.message_id[i]]);
      }
      out.push_back(text);
      return Status::Ok();
    }, 0);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return out;
}

TEST(SegmentReaderWithCache, ScansMatchUncachedScansAndReuseDecodedColumns) {
  FaultInjectionFileSystem fs;
  std::vector<Event> events;
  for (int i = 0; i < 140000; ++i) {  // three row groups
    Event e = MakeEvent("acc" + std::to_string(i % 5), "p" + std::to_string(i % 97), 1000 + i,
                        i % 3 == 0 ? "login" : "页面", "m" + std::to_string(i), {{"plan", std::string(i % 2 ? "pro" : "基础")}});
    if (i % 11 == 0) e.type = MessageType::kPage;
    events.push_back(std::move(e));
  }
  std::vector<const Event*> rows;
  for (const Event& e : events) rows.push_back(&e);
  ASSERT_TRUE(SegmentWriter::Write(&fs, "/s.tseg", rows, {}).ok());
  auto plain = SegmentReader::Open(&fs, "/s.tseg");
  auto cache = std::make_shared<DecodedColumnCache>(64 << 20);
  auto cached = SegmentReader::Open(&fs, "/s.tseg", cache);
  ASSERT_TRUE(plain.ok() && cached.ok());
  ASSERT_EQ((*plain)->row_group_count(), 3u);

  ScanRequest everything;  // every row: blocks point into the cached columns
  everything.properties = {"plan", "absent"};
  ScanRequest some;  // a time range, an event and a type: blocks are copies
  some.from_ms = 50000;
  some.to_ms = 120000;
  some.events = {"login"};
  some.types = {MessageType::kTrack};
  some.properties = {"plan"};
  ScanRequest identity = some;
  identity.with_identity_columns = true;

  for (const ScanRequest* request : {&everything, &some, &identity}) {
    const std::vector<std::string> expected = ScanText(**plain, *request);
    ASSERT_EQ(expected.size(), 3u);
    EXPECT_EQ(ScanText(**cached, *request), expected);  // first scan: decodes and caches
    EXPECT_EQ(ScanText(**cached, *request), expected);  // second scan: from the cache
  }
  const DecodedColumnCache::Stats stats = cache->stats();
  // 3 groups × (timestamp, type, event, person, account, plan) decoded once.
  EXPECT_EQ(stats.entries, 18u);
  EXPECT_EQ(stats.misses, 18u);
  EXPECT_GT(stats.hits, 0u);

  cached->reset();  // a segment dropped after compaction returns its memory
  EXPECT_EQ(cache->stats().entries, 0u);
  EXPECT_EQ(cache->stats().bytes, 0u);
}

TEST(SegmentReaderWithCache, OneOffPassesDoNotFillTheCache) {
  FaultInjectionFileSystem fs;
  std::vector<Event> events;
  for (int i = 0; i < 1000; ++i) events.push_back(MakeEvent("a", "p" + std::to_string(i % 9), i, "e", "m" + std::to_string(i)));
  std::vector<const Event*> rows;
  for (const Event& e : events) rows.push_back(&e);
  ASSERT_TRUE(SegmentWriter::Write(&fs, "/s.tseg", rows, {}).ok());
  auto cache = std::make_shared<DecodedColumnCache>(64 << 20);
  auto reader = SegmentReader::Open(&fs, "/s.tseg", cache);
  ASSERT_TRUE(reader.ok());
  std::vector<Event> back;
  ASSERT_TRUE((*reader)->ReadAllEvents(&back).ok());  // compaction's read
  EXPECT_EQ(back.size(), events.size());
  ScanRequest rebuild;
  rebuild.keep_decoded = false;
  EXPECT_EQ(ScanText(**reader, rebuild).size(), 1u);
  EXPECT_EQ(cache->stats().entries, 0u);
}

}  // namespace
}  // namespace tobops::store
