#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace tobops {
namespace {

using nlohmann::json;

std::string Reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonWriter, NumbersAreFormattedAsNlohmannFormatsThem) {
  const double doubles[] = {0.0, -0.0, 1.0, 100.0, 0.3, 0.1 + 0.2, 1.0 / 3, 86.8, 1e-7, 1e21, 123456789012.5,
                            -2.5, std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()};
  for (double d : doubles) {
    std::string text;
    JsonWriter(&text).Number(d);
    EXPECT_EQ(text, Reference(json(d))) << d;
  }
  for (double d : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    std::string text;
    JsonWriter(&text).Number(d);
    EXPECT_EQ(text, "null");
  }
  for (int64_t i : {int64_t{0}, int64_t{-7}, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    std::string text;
    JsonWriter(&text).Int(i);
    EXPECT_EQ(text, Reference(json(i)));
  }
}

TEST(JsonWriter, StringsAreEscapedAsNlohmannEscapesThem) {
  const std::string texts[] = {"", "plain ascii", "恒通国际零售(北京)", "quote \" and \\ backslash",
                               "tab\tnew\nline\x01", "bad \xc3 utf-8 \xff", std::string("nul\0byte", 8), "~\x7f"};
  for (const std::string& s : texts) {
    std::string text;
    JsonWriter(&text).String(s);
    EXPECT_EQ(text, Reference(json(s))) << s;
  }
}

TEST(JsonWriter, RandomBytesAreWrittenAsNlohmannWritesThem) {
  // Random strings over bytes that make every kind of UTF-8 sequence, well-formed or
  // not: overlong forms, surrogates, truncated and over-long sequences, controls.
  const unsigned char alphabet[] = {'a', '"', '\\', 0x01, 0x1f, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                    0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
                                    0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const size_t length = next() % 7;
    for (size_t j = 0; j < length; ++j) s.push_back(char(alphabet[next() % sizeof alphabet]));
    std::string text;
    JsonWriter(&text).String(s);
    ASSERT_EQ(text, Reference(json(s))) << i;
  }
}

TEST(JsonWriter, NestedContainersMatchDumpOfTheSameTree) {
  json expected = {{"accounts", json::array()}, {"kind", "health"}, {"missing", {"签约人", "user"}},
                   {"nested", {{"a", nullptr}, {"b", true}, {"c", json::object()}}}, {"z", -1}};
  expected["accounts"].push_back({{"account", "acc-1"}, {"score", 86.8}});
  expected["accounts"].push_back({{"account", "acc-2"}, {"score", 0.0}});

  std::string element;
  JsonWriter(&element).BeginObject().Key("account").String("acc-2").Key("score").Number(0).EndObject();
  std::string text;
  JsonWriter w(&text);
  w.BeginObject().Key("accounts").BeginArray();
  w.BeginObject().Key("account").String("acc-1").Key("score").Number(86.8).EndObject();
  w.Raw(element).EndArray();
  w.Key("kind").String("health");
  w.Key("missing").BeginArray().String("签约人").String("user").EndArray();
  w.Key("nested").BeginObject().Key("a").Null().Key("b").Bool(true).Key("c").BeginObject().EndObject().EndObject();
  w.Key("z").Value(json(-1));
  w.EndObject();
  EXPECT_EQ(text, Reference(expected));
  EXPECT_EQ(json::parse(text), expected);
}

}  // namespace
}  // namespace tobops
