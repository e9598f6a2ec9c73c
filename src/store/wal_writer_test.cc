#include "store/wal_writer.h"

#include <gtest/gtest.h>

#include "common/checksum.h"
#include "common/coding.h"
#include "store/dedup_index.h"
#include "store/wal_reader.h"

namespace tobops::store {
namespace {

// Format-2 payloads of `batches` (what the store hands to AddRecords).
std::vector<std::string> Framed(const std::vector<std::string>& batches) {
  std::vector<std::string> out(batches.size());
  for (size_t i = 0; i < batches.size(); ++i) EncodeWalPayload(batches[i], &out[i]);
  return out;
}

std::vector<std::string> ReadPayloads(FileSystem* fs, const std::string& path, Result<WalReadSummary>* summary) {
  std::vector<std::string> out;
  *summary = WalReader::ReadAll(fs, path, [&](std::string_view p) {
    out.emplace_back(p);
    return Status::Ok();
  });
  return out;
}

TEST(WalWriter, RoundTripsRecords) {
  FaultInjectionFileSystem fs;
  auto wal = WalWriter::Create(&fs, "/db/wal-000001.log");
  ASSERT_TRUE(wal.ok()) << wal.status().ToString();
  std::vector<std::string> first = {"alpha", ""};
  std::vector<std::string> second = {std::string(100000, 'x')};
  ASSERT_TRUE((*wal)->AddRecords(Framed(first)).ok());
  ASSERT_TRUE((*wal)->AddRecords(Framed(second)).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/wal-000001.log", &summary);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(payloads, (std::vector<std::string>{"alpha", "", std::string(100000, 'x')}));
  EXPECT_FALSE(summary->dropped_tail);
  EXPECT_EQ(summary->valid_bytes, (*wal)->size_bytes());
}

TEST(WalReader, SkipsTornTailRecord) {
  FaultInjectionFileSystem fs;
  auto wal = WalWriter::Create(&fs, "/db/w.log");
  ASSERT_TRUE(wal.ok());
  std::vector<std::string> records = {"one", "two"};
  ASSERT_TRUE((*wal)->AddRecords(Framed(records)).ok());
  const uint64_t good = (*wal)->size_bytes();
  std::string torn;
  EncodeWalRecord(Framed({"three-is-never-finished"})[0], &torn);
  ASSERT_TRUE(fs.AppendUnsynced("/db/w.log", torn.substr(0, torn.size() - 5)).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/w.log", &summary);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(payloads, records);
  EXPECT_TRUE(summary->dropped_tail);
  EXPECT_EQ(summary->valid_bytes, good);
}

TEST(WalReader, SkipsCorruptLastRecord) {
  FaultInjectionFileSystem fs;
  auto wal = WalWriter::Create(&fs, "/db/w.log");
  ASSERT_TRUE(wal.ok());
  std::vector<std::string> records = {"one", "two"};
  ASSERT_TRUE((*wal)->AddRecords(Framed(records)).ok());
  ASSERT_TRUE(fs.CorruptByte("/db/w.log", (*wal)->size_bytes() - 1).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/w.log", &summary);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(payloads, std::vector<std::string>{"one"});
  EXPECT_TRUE(summary->dropped_tail);
}

TEST(WalReader, ReportsMidFileCorruptionAsDataLoss) {
  FaultInjectionFileSystem fs;
  auto wal = WalWriter::Create(&fs, "/db/w.log");
  ASSERT_TRUE(wal.ok());
  std::vector<std::string> records = {"first-record", "second-record", "third-record"};
  ASSERT_TRUE((*wal)->AddRecords(Framed(records)).ok());
  // Flip a payload byte of the first record.
  ASSERT_TRUE(fs.CorruptByte("/db/w.log", kWalMagic.size() + kWalRecordHeaderBytes + 2).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  ReadPayloads(&fs, "/db/w.log", &summary);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(summary.status().message().find("/db/w.log"), std::string::npos);
}

TEST(WalWriter, TruncatesPartialRecordWhenDiskIsFull) {
  FaultInjectionFileSystem fs;
  auto wal = WalWriter::Create(&fs, "/db/w.log");
  ASSERT_TRUE(wal.ok());
  std::vector<std::string> ok_records = Framed({"kept"});
  ASSERT_TRUE((*wal)->AddRecords(ok_records).ok());
  const uint64_t good = (*wal)->size_bytes();
  fs.SetSpaceLimitBytes(good + 20);
  // Random-looking bytes, so compression cannot bring the record under the limit.
  std::string noise;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 1000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    noise.push_back(static_cast<char>(x));
  }
  std::vector<std::string> big = Framed({noise});
  Status s = (*wal)->AddRecords(big);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(fs.FileSize("/db/w.log").value(), good);
  fs.ClearSpaceLimit();
  ASSERT_TRUE((*wal)->AddRecords(big).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/w.log", &summary);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(payloads, (std::vector<std::string>{"kept", noise}));
}

TEST(WalWriter, CompressesRepetitiveBatches) {
  // 100000 equal bytes: zstd stores them in a few dozen bytes; the frame adds a codec
  // byte and a 3-byte varint length. Anything near the raw size means no compression.
  std::string framed;
  EncodeWalPayload(std::string(100000, 'x'), &framed);
  EXPECT_LT(framed.size(), 1000u);
  EXPECT_EQ(static_cast<uint8_t>(framed[0]), static_cast<uint8_t>(WalCodec::kZstd));
  // Tiny input does not shrink: kept raw behind the codec byte.
  EncodeWalPayload("ab", &framed);
  EXPECT_EQ(framed, std::string("\0ab", 3));
}

TEST(WalReader, ReadsFormat1FilesAsTheyAre) {
  // A data directory written before format 2: magic TOBWAL1, payloads unframed.
  FaultInjectionFileSystem fs;
  std::string bytes(kWalMagicV1);
  EncodeWalRecord("alpha", &bytes);
  EncodeWalRecord("beta", &bytes);
  ASSERT_TRUE(fs.WriteFileDurably("/db/old.log", bytes).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/old.log", &summary);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(payloads, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(summary->valid_bytes, bytes.size());
}

TEST(WalReader, RejectsAMalformedFrameAsDataLoss) {
  // Codec byte 7 does not exist; the record's checksum is intact, so this is damage
  // in what was written, not a torn tail.
  FaultInjectionFileSystem fs;
  std::string bytes(kWalMagic);
  EncodeWalRecord(std::string("\x07" "abc", 4), &bytes);
  ASSERT_TRUE(fs.WriteFileDurably("/db/bad.log", bytes).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  ReadPayloads(&fs, "/db/bad.log", &summary);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kDataLoss);
}

TEST(DedupIndex, FindsInsertsAcrossGrowthPrunesAndRoundTrips) {
  // Hashes 0..4999 (0 included: it shares a slot value with 1 by design), received at
  // 1000 + h ms. Window 100 ms from the newest (5999): entries received >= 5899 stay,
  // i.e. h >= 4899 -> 101 entries.
  DedupIndex index;
  for (uint64_t h = 0; h < 5000; ++h) index.Insert(h * 0x9E3779B97F4A7C15ULL, 1000 + static_cast<int64_t>(h));
  EXPECT_EQ(index.size(), 5000u);
  EXPECT_TRUE(index.Contains(7 * 0x9E3779B97F4A7C15ULL, 1007, 0));
  EXPECT_FALSE(index.Contains(7 * 0x9E3779B97F4A7C15ULL, 1008, 0));  // older than the window
  EXPECT_FALSE(index.Contains(123456789, 1000, 1'000'000));          // never inserted
  index.Insert(7 * 0x9E3779B97F4A7C15ULL, 900);                       // older time: kept newest
  EXPECT_TRUE(index.Contains(7 * 0x9E3779B97F4A7C15ULL, 1007, 0));
  auto copy = DedupIndex::Decode(index.Encode());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->size(), 5000u);
  EXPECT_TRUE(copy->Contains(4999 * 0x9E3779B97F4A7C15ULL, 5999, 0));
  index.Prune(100);
  EXPECT_EQ(index.size(), 101u);
  EXPECT_FALSE(index.Contains(4898 * 0x9E3779B97F4A7C15ULL, 0, 1'000'000));
  EXPECT_TRUE(index.Contains(4899 * 0x9E3779B97F4A7C15ULL, 5999, 100));
}

TEST(DedupIndex, DeltaFilesExtendAFullFileAndFormat1StillLoads) {
  DedupIndex index;
  index.Insert(10, 1000);
  index.Insert(20, 2000);
  const std::string full = index.Encode();
  index.CommitDelta();
  EXPECT_EQ(index.unsaved(), 0u);
  index.Insert(30, 3000);
  index.Insert(10, 4000);  // seen again later: the newer time must survive the reload
  const std::string delta = index.EncodeDelta(7);
  index.Insert(40, 5000);  // after the delta was encoded: stays unsaved
  index.CommitDelta();
  EXPECT_EQ(index.unsaved(), 1u);

  // Loading newest first, as the store does: delta (extends file 7), then the full file.
  DedupIndex loaded;
  uint64_t previous = 0;
  ASSERT_TRUE(loaded.Load(delta, &previous).ok());
  EXPECT_EQ(previous, 7u);
  ASSERT_TRUE(loaded.Load(full, &previous).ok());
  EXPECT_EQ(previous, 0u);
  EXPECT_EQ(loaded.size(), 3u);                 // 10, 20, 30
  EXPECT_TRUE(loaded.Contains(10, 4000, 0));    // 4000 kept, not 1000
  EXPECT_TRUE(loaded.Contains(30, 3000, 0));
  EXPECT_FALSE(loaded.Contains(40, 5000, 1'000'000));
  EXPECT_FALSE(DedupIndex::Decode(delta).ok());  // a delta is not a full index

  // Format 1, built by hand: magic, XXH3 of the body, varint count, then
  // fixed64 hash + svarint received_at per entry.
  std::string body;
  PutVarint64(&body, 2);
  PutFixed64(&body, 55);
  PutVarsint64(&body, 1'700'000'000'000);
  PutFixed64(&body, 66);
  PutVarsint64(&body, 1'700'000'000'500);
  std::string v1 = "TOBDUP1\n";
  PutFixed64(&v1, Checksum64(body));
  v1 += body;
  auto old = DedupIndex::Decode(v1);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->size(), 2u);
  EXPECT_TRUE(old->Contains(66, 1'700'000'000'500, 0));
  EXPECT_FALSE(old->Contains(55, 1'700'000'000'001, 0));
}

}  // namespace
}  // namespace tobops::store
