#include "ingest/csv_message_reader.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tobops::ingest {
namespace {

using nlohmann::json;

std::vector<json> ReadAll(const std::string& csv, std::map<std::string, std::string> mapping = {},
                          std::vector<Status>* statuses = nullptr) {
  std::istringstream in(csv);
  CsvMessageReader reader(&in, std::move(mapping));
  EXPECT_TRUE(reader.Start().ok());
  std::vector<json> out;
  std::string text;
  size_t line = 0;
  Status status;
  while (reader.Next(&text, &line, &status)) {
    if (statuses) statuses->push_back(status);
    out.push_back(status.ok() ? json::parse(text) : json(text));
  }
  return out;
}

TEST(CsvMessageReader, MapsKnownColumnsAndTypesProperties) {
  auto rows = ReadAll(
      "event,userId,timestamp,amount,plan,vip\n"
      "purchase,u1,2026-03-01T10:00:00+08:00,99.5,pro,true\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["type"], "track");
  EXPECT_EQ(rows[0]["event"], "purchase");
  EXPECT_EQ(rows[0]["userId"], "u1");
  EXPECT_EQ(rows[0]["properties"]["amount"], 99.5);
  EXPECT_EQ(rows[0]["properties"]["plan"], "pro");
  EXPECT_EQ(rows[0]["properties"]["vip"], true);
}

TEST(CsvMessageReader, ExplicitMappingAndQuotedFields) {
  auto rows = ReadAll(
      "who,what,when,note\n"
      "u2,\"demo, requested\",1772590500000,\"said \"\"hi\"\"\nthen left\"\n",
      {{"who", "userId"}, {"what", "event"}, {"when", "timestamp"}, {"note", "properties.note"}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["event"], "demo, requested");
  EXPECT_EQ(rows[0]["timestamp"], 1772590500000);
  EXPECT_EQ(rows[0]["properties"]["note"], "said \"hi\"\nthen left");
}

TEST(CsvMessageReader, WrongFieldCountIsReportedWithItsLine) {
  std::vector<Status> statuses;
  auto rows = ReadAll("event,userId\nsignup,u1\nsignup\nlogin,u2\n", {}, &statuses);
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(statuses[1].code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(statuses[1].field(), "line 3");
  EXPECT_TRUE(statuses[2].ok());
}

TEST(CsvMessageReader, UnknownMappedColumnIsRefused) {
  std::istringstream in("event,userId\n");
  CsvMessageReader reader(&in, {{"missing", "userId"}});
  Status s = reader.Start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "map");
}

}  // namespace
}  // namespace tobops::ingest
