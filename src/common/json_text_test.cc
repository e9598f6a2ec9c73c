#include "common/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace tobops {
namespace {

using nlohmann::json;

std::string Reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonText, WritesWhatDumpWritesForLargeNestedAnswers) {
  json rows = json::array();
  for (int i = 0; i < 5000; ++i) {
    json parts = {{"activity", {{"value", i / 7.0}, {"score", 0.1 * (i % 11)}, {"missing", {"签约人", "user"}}}},
                  {"recency", {{"value", i % 3 ? json(i) : json(nullptr)}}},
                  {"empty", json::object()},
                  {"none", json::array()}};
    rows.push_back({{"account", "acc-" + std::to_string(i)},
                    {"name", i % 2 ? "天成制造" : "Zeta \"quoted\" \\ name\n"},
                    {"score", i * 0.5},
                    {"active", i % 5 == 0},
                    {"parts", parts}});
  }
  // Invalid UTF-8 in a value and in a key: replaced the same way.
  rows.push_back({{"bad\xff key", std::string("bad \xc3 value")}});
  const json answer = {{"kind", "health"}, {"total", 5001}, {"accounts", rows}, {"nested", {{"rows", rows}}},
                       {"small", {1, 2, 3}}, {"z", nullptr}};
  for (int threads : {1, 2, 3, 8}) EXPECT_EQ(JsonText(answer, threads), Reference(answer)) << threads;
}

TEST(JsonText, WritesScalarsAndEmptyContainers) {
  for (const json& j : {json(nullptr), json(3), json(-2.5), json("x"), json::array(), json::object(),
                        json::array({json::array(), json::object()})}) {
    EXPECT_EQ(JsonText(j, 4), Reference(j));
  }
}

}  // namespace
}  // namespace tobops
