#include "store/wal_writer.h"

#include <gtest/gtest.h>

#include "store/wal_reader.h"

namespace tobops::store {
namespace {

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
  ASSERT_TRUE((*wal)->AddRecords(first).ok());
  ASSERT_TRUE((*wal)->AddRecords(second).ok());
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
  ASSERT_TRUE((*wal)->AddRecords(records).ok());
  const uint64_t good = (*wal)->size_bytes();
  std::string torn;
  EncodeWalRecord("three-is-never-finished", &torn);
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
  ASSERT_TRUE((*wal)->AddRecords(records).ok());
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
  ASSERT_TRUE((*wal)->AddRecords(records).ok());
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
  std::vector<std::string> ok_records = {"kept"};
  ASSERT_TRUE((*wal)->AddRecords(ok_records).ok());
  const uint64_t good = (*wal)->size_bytes();
  fs.SetSpaceLimitBytes(good + 20);
  std::vector<std::string> big = {std::string(1000, 'b')};
  Status s = (*wal)->AddRecords(big);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(fs.FileSize("/db/w.log").value(), good);
  fs.ClearSpaceLimit();
  ASSERT_TRUE((*wal)->AddRecords(big).ok());
  Result<WalReadSummary> summary = WalReadSummary{};
  auto payloads = ReadPayloads(&fs, "/db/w.log", &summary);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(payloads, (std::vector<std::string>{"kept", std::string(1000, 'b')}));
}

}  // namespace
}  // namespace tobops::store
