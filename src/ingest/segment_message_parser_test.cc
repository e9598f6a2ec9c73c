#include "ingest/segment_message_parser.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace tobops::ingest {
namespace {

using store::MessageType;
using store::PropertyValue;

constexpr int64_t kReceived = 1772590500000;  // 2026-03-04T02:15:00Z

const PropertyValue* Find(const store::Event& e, const std::string& key) {
  for (const auto& p : e.properties) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

ParsedRequest ParseBatch(const std::string& body) {
  SegmentMessageParser parser;
  auto parsed = parser.Parse(body, true, MessageType::kTrack, kReceived);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(*parsed) : ParsedRequest{};
}

TEST(SegmentMessageParser, ParsesTrackWithPropertiesAndContext) {
  auto req = ParseBatch(R"({"writeKey":"k","batch":[{"type":"track","event":"注册","userId":"u1",
    "messageId":"m1","timestamp":"2026-03-04T10:00:00+08:00",
    "properties":{"plan":"pro","amount":99.5,"trial":true,"nested":{"a":1},"list":[1,2],"gone":null},
    "context":{"groupId":"acc-1","campaign":{"source":"baidu","name":"spring"},"ip":"1.2.3.4"}}]})");
  ASSERT_EQ(req.messages.size(), 1u);
  EXPECT_EQ(req.write_key, "k");
  const ParsedMessage& m = req.messages[0];
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  const store::Event& e = m.message.event;
  EXPECT_EQ(e.event, "注册");
  EXPECT_EQ(e.person, "u1");
  EXPECT_EQ(e.message_id, "m1");
  EXPECT_EQ(e.timestamp_ms, 1772589600000);
  EXPECT_EQ(m.message.context_group_id, "acc-1");
  EXPECT_EQ(*Find(e, "plan"), PropertyValue(std::string("pro")));
  EXPECT_EQ(*Find(e, "amount"), PropertyValue(99.5));
  EXPECT_EQ(*Find(e, "trial"), PropertyValue(true));
  EXPECT_EQ(*Find(e, "nested.a"), PropertyValue(1.0));
  EXPECT_EQ(*Find(e, "list"), PropertyValue(std::string("[1,2]")));
  EXPECT_EQ(Find(e, "gone"), nullptr);
  EXPECT_EQ(*Find(e, "utm_source"), PropertyValue(std::string("baidu")));
  EXPECT_EQ(*Find(e, "utm_campaign"), PropertyValue(std::string("spring")));
  EXPECT_EQ(*Find(e, "$ip"), PropertyValue(std::string("1.2.3.4")));
  for (size_t i = 1; i < e.properties.size(); ++i) {
    EXPECT_LT(e.properties[i - 1].key, e.properties[i].key) << "properties are sorted and unique";
  }
}

TEST(SegmentMessageParser, ExplicitPropertyWinsOverContext) {
  auto req = ParseBatch(R"({"batch":[{"type":"track","event":"x","anonymousId":"a",
    "properties":{"utm_source":"explicit"},"context":{"campaign":{"source":"ctx"}}}]})");
  ASSERT_TRUE(req.messages[0].status.ok());
  EXPECT_EQ(*Find(req.messages[0].message.event, "utm_source"), PropertyValue(std::string("explicit")));
  EXPECT_EQ(req.messages[0].message.event.person, "anon:a");
}

TEST(SegmentMessageParser, CorrectsClockSkewFromSentAt) {
  // The device clock is one hour fast: timestamp and sentAt both read 1 h ahead.
  auto req = ParseBatch(R"({"batch":[{"type":"track","event":"x","userId":"u",
    "timestamp":"2026-03-04T03:10:00Z","sentAt":"2026-03-04T03:15:00Z"}]})");
  ASSERT_TRUE(req.messages[0].status.ok());
  EXPECT_EQ(req.messages[0].message.event.timestamp_ms, kReceived - 5 * 60 * 1000);
}

TEST(SegmentMessageParser, ImportKeepsTheTimestampsOfHistory) {
  // A file of last year's messages, each with the sentAt of its first delivery: the
  // importer turns skew correction off, so the event keeps its own time.
  SegmentMessageParser parser(ParserLimits{.correct_clock_skew = false});
  auto req = parser.Parse(R"({"batch":[{"type":"track","event":"x","userId":"u",
    "timestamp":"2025-03-04T03:10:00Z","sentAt":"2025-03-04T03:10:02Z"}]})",
                          true, MessageType::kTrack, kReceived);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->messages[0].message.event.timestamp_ms, *ParseIso8601Ms("2025-03-04T03:10:00Z"));
}

TEST(SegmentMessageParser, BatchLevelSentAtApplies) {
  auto req = ParseBatch(R"({"sentAt":"2026-03-04T02:16:00Z","batch":[{"type":"track","event":"x",
    "userId":"u","timestamp":1772590500000}]})");
  ASSERT_TRUE(req.messages[0].status.ok());
  EXPECT_EQ(req.messages[0].message.event.timestamp_ms, kReceived - 60 * 1000);
}

TEST(SegmentMessageParser, MissingTimestampMeansReceiveTime) {
  auto req = ParseBatch(R"({"batch":[{"type":"track","event":"x","userId":"u"}]})");
  EXPECT_EQ(req.messages[0].message.event.timestamp_ms, kReceived);
}

TEST(SegmentMessageParser, EachBadMessageNamesItsField) {
  auto req = ParseBatch(R"({"batch":[
    {"type":"track","event":"ok","userId":"u"},
    {"type":"track","event":"x","userId":"u","timestamp":"yesterday"},
    {"type":"track","event":"x"},
    {"type":"track","userId":"u"},
    {"type":"teleport","userId":"u"},
    {"type":"group","userId":"u"},
    {"type":"alias","userId":"u"},
    {"type":"track","event":"x","userId":"u","properties":"not an object"},
    "just a string",
    {"type":"track","event":"$reserved","userId":"u"},
    {"type":"track","event":"x","userId":"u","timestamp":12}
  ]})");
  ASSERT_EQ(req.messages.size(), 11u);
  EXPECT_TRUE(req.messages[0].status.ok());
  const char* fields[] = {"", "batch[1].timestamp", "batch[2].userId", "batch[3].event",
                          "batch[4].type", "batch[5].groupId", "batch[6].previousId",
                          "batch[7].properties", "batch[8]", "batch[9].event", "batch[10].timestamp"};
  for (size_t i = 1; i < req.messages.size(); ++i) {
    EXPECT_EQ(req.messages[i].status.code(), StatusCode::kInvalidArgument) << i;
    EXPECT_EQ(req.messages[i].status.field(), fields[i]) << req.messages[i].status.ToString();
    EXPECT_FALSE(req.messages[i].raw.empty()) << "raw text kept for quarantine";
  }
}

TEST(SegmentMessageParser, WholeBodyErrors) {
  SegmentMessageParser parser;
  EXPECT_EQ(parser.Parse("{not json", true, MessageType::kTrack, kReceived).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(parser.Parse("[1,2]", true, MessageType::kTrack, kReceived).status().code(),
            StatusCode::kInvalidArgument);
  auto no_batch = parser.Parse("{}", true, MessageType::kTrack, kReceived);
  EXPECT_EQ(no_batch.status().field(), "batch");
}

TEST(SegmentMessageParser, SingleRouteTypeWinsAndIdentifyKeepsTraits) {
  SegmentMessageParser parser;
  auto parsed = parser.Parse(R"({"type":"track","userId":42,"anonymousId":"a1",
    "traits":{"role":"decision_maker","name":"王芳"},"context":{"groupId":"acc-9"}})",
                             false, MessageType::kIdentify, kReceived);
  ASSERT_TRUE(parsed.ok());
  const ParsedMessage& m = parsed->messages[0];
  ASSERT_TRUE(m.status.ok()) << m.status.ToString();
  EXPECT_EQ(m.message.event.type, MessageType::kIdentify);
  EXPECT_EQ(m.message.event.event, "$identify");
  EXPECT_EQ(m.message.event.user_id, "42");
  EXPECT_EQ(m.message.event.person, "42");
  ASSERT_EQ(m.message.traits.size(), 2u);
  EXPECT_EQ(m.message.traits[1].key, "role");
  EXPECT_EQ(*Find(m.message.event, "role"), PropertyValue(std::string("decision_maker")));
}

TEST(SegmentMessageParser, PageGetsNameAndContextPage) {
  auto req = ParseBatch(R"({"batch":[{"type":"page","name":"Pricing","anonymousId":"a",
    "context":{"page":{"url":"https://x.cn/pricing","path":"/pricing"}}}]})");
  const store::Event& e = req.messages[0].message.event;
  EXPECT_EQ(e.event, "$pageview");
  EXPECT_EQ(*Find(e, "name"), PropertyValue(std::string("Pricing")));
  EXPECT_EQ(*Find(e, "path"), PropertyValue(std::string("/pricing")));
}

TEST(SegmentMessageParser, OversizeMessageIsRejected) {
  std::string big(40 * 1024, 'x');
  auto req = ParseBatch(R"({"batch":[{"type":"track","event":"x","userId":"u","properties":{"p":")" + big +
                        R"("}}]})");
  EXPECT_EQ(req.messages[0].status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(req.messages[0].status.field(), "batch[0]");
}

}  // namespace
}  // namespace tobops::ingest
