// Hand-worked attribution cases: every credit below is derived by hand from the messages
// SetUp sends (+08:00), from the memtable and from flushed segments.
#include "query/attribution_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "query/query_test_support.h"

namespace tobops::query {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

// Range Mar 10 – Mar 12; conversions are 购买 (purchase), touches are page views with a
// channel. Lookback 30d unless a test says otherwise.
//   a1 (acc-X): pages sem Mar 1, 微信 Mar 5, (no channel) Mar 8, website Mar 9; 购买 Mar 10 10:00
//   a2 (acc-X): page sem Mar 10 09:00; 购买 Mar 10 12:00; page website Mar 11 09:00; 购买 Mar 11
//   12:00 a3 (acc-Y): 注册 {channel: referral} Mar 11 09:00 (not a page); 购买 Mar 11 10:00 a4
//   (acc-Y): pages sem Feb 9 09:59:59.999, 微信 Feb 9 10:00:00; 购买 Mar 11 10:00
//               (Mar 11 10:00 − 30 days = Feb 9 10:00: the 微信 page is exactly on the bound)
//   a5:         page video Mar 12 10:00; 购买 Mar 12 10:00 (same time); page website Mar 12 11:00
//   a6:         page sem Mar 9 09:00; 购买 Mar 9 10:00 and Mar 13 10:00 (both outside the range)
class AttributionQueryTest : public QueryTest {
 protected:
  void SetUp() override {
    auto page = [](const std::string& user, const std::string& time, const std::string& channel) {
      const std::string properties = channel.empty() ? "{}" : R"({"channel":")" + channel + R"("})";
      return R"({"type":"page","userId":")" + user + R"(","timestamp":"2026-)" + time +
             R"(+08:00","properties":)" + properties + "}";
    };
    auto track = [](const std::string& user, const std::string& event, const std::string& time,
                    const std::string& properties = "{}") {
      return R"({"type":"track","userId":")" + user + R"(","event":")" + event +
             R"(","timestamp":"2026-)" + time + R"(+08:00","properties":)" + properties + "}";
    };
    std::vector<std::string> messages = {
        R"({"type":"group","userId":"a1","groupId":"acc-X","timestamp":"2026-01-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"a2","groupId":"acc-X","timestamp":"2026-01-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"a3","groupId":"acc-Y","timestamp":"2026-01-01T09:00:00+08:00"})",
        R"({"type":"group","userId":"a4","groupId":"acc-Y","timestamp":"2026-01-01T09:00:00+08:00"})",
        page("a1", "03-01T10:00:00", "sem"),
        page("a1", "03-05T10:00:00", "微信"),
        page("a1", "03-08T10:00:00", ""),
        page("a1", "03-09T10:00:00", "website"),
        track("a1", "购买", "03-10T10:00:00"),
        page("a2", "03-10T09:00:00", "sem"),
        track("a2", "购买", "03-10T12:00:00"),
        page("a2", "03-11T09:00:00", "website"),
        track("a2", "购买", "03-11T12:00:00"),
        track("a3", "注册", "03-11T09:00:00", R"({"channel":"referral"})"),
        track("a3", "购买", "03-11T10:00:00"),
        page("a4", "02-09T09:59:59.999", "sem"),
        page("a4", "02-09T10:00:00", "微信"),
        track("a4", "购买", "03-11T10:00:00"),
        page("a5", "03-12T10:00:00", "video"),
        track("a5", "购买", "03-12T10:00:00"),
        page("a5", "03-12T11:00:00", "website"),
        page("a6", "03-09T09:00:00", "sem"),
        track("a6", "购买", "03-09T10:00:00"),
        track("a6", "购买", "03-13T10:00:00"),
    };
    Ingest(messages);
  }

  json WithDefaults(json overrides) const override {
    json spec = {{"kind", "attribution"},
                 {"conversion", {{"event", "购买"}, {"filters", json::array()}}},
                 {"touch", {{"event", "$pageview"}, {"property", "channel"}}},
                 {"model", "first_touch"},
                 {"lookback", "30d"},
                 {"range", {{"from", "2026-03-10"}, {"to", "2026-03-12"}}}};
    return Override(spec, overrides);
  }

  // "value=credit/conversions" per row (credits here are whole numbers).
  static V Rows(const json& a) {
    V out;
    for (const auto& r : a["rows"]) {
      out.push_back(r["value"].get<std::string>() + "=" +
                    std::to_string(int(r["credit"].get<double>())) + "/" +
                    std::to_string(r["conversions"].get<int64_t>()));
    }
    return out;
  }
  static const json* Row(const json& a, const std::string& value) {
    for (const auto& r : a["rows"]) {
      if (r["value"] == value) return &r;
    }
    return nullptr;
  }
};

TEST_P(AttributionQueryTest, FirstTouchCreditsTheEarliestTouchInTheLookback) {
  // Six conversions in range: a1, a2 ×2, a3, a4, a5 (a6's are outside).
  //   a1: sem, 微信, website → sem.  a2 #1: sem → sem.  a2 #2: sem, website → sem.
  //   a3: no page → $direct.  a4: 微信 on the inclusive bound (the sem page 1 ms earlier
  //   is out) → 微信.  a5: video at the conversion's own time counts, the later page not.
  // Conversions touched per value: sem 3, 微信 2 (a1, a4), website 2 (a1, a2 #2), video 1,
  // $direct 1. Ties on credit go to more conversions, then by value, $direct last.
  json a = Run();
  EXPECT_EQ(a["conversions"], 6);
  EXPECT_EQ(a["direct_conversions"], 1);
  EXPECT_EQ(a["model"], "first_touch");
  EXPECT_EQ(Rows(a), (V{"sem=3/3", "微信=1/2", "video=1/1", "$direct=1/1", "website=0/2"}));
  EXPECT_DOUBLE_EQ((*Row(a, "sem"))["share"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ((*Row(a, "微信"))["share"].get<double>(), 1.0 / 6);
}

TEST_P(AttributionQueryTest, LastTouchCreditsTheLatestTouch) {
  // a1 website, a2 #1 sem, a2 #2 website, a3 $direct, a4 微信, a5 video.
  json a = Run({{"model", "last_touch"}});
  EXPECT_EQ(Rows(a), (V{"website=2/2", "sem=1/3", "微信=1/2", "video=1/1", "$direct=1/1"}));
}

TEST_P(AttributionQueryTest, LinearSplitsEachConversionOverItsTouches) {
  // a1's three touches get 1/3 each; a2 #1 gives sem 1; a2 #2 gives sem and website 1/2.
  // sem 1/3 + 1 + 1/2 = 11/6; 微信 1/3 + 1 = 4/3; website 1/3 + 1/2 = 5/6; video 1;
  // $direct 1. The credits add up to the 6 conversions.
  json a = Run({{"model", "linear"}});
  ASSERT_EQ(a["rows"].size(), 5u);
  EXPECT_EQ(a["rows"][0]["value"], "sem");
  EXPECT_NEAR(a["rows"][0]["credit"].get<double>(), 11.0 / 6, 1e-12);
  EXPECT_EQ(a["rows"][1]["value"], "微信");
  EXPECT_NEAR(a["rows"][1]["credit"].get<double>(), 4.0 / 3, 1e-12);
  EXPECT_EQ(a["rows"][2]["value"], "video");
  EXPECT_EQ(a["rows"][3]["value"], "$direct");
  EXPECT_EQ(a["rows"][4]["value"], "website");
  EXPECT_NEAR(a["rows"][4]["credit"].get<double>(), 5.0 / 6, 1e-12);
  double total = 0, share = 0;
  for (const auto& r : a["rows"])
    total += r["credit"].get<double>(), share += r["share"].get<double>();
  EXPECT_NEAR(total, 6.0, 1e-12);
  EXPECT_NEAR(share, 1.0, 1e-12);
}

TEST_P(AttributionQueryTest, AllModelsGiveOneCreditPerModelRankedByLinear) {
  json a = Run({{"model", "all"}});
  EXPECT_EQ(a["model"], "all");
  EXPECT_EQ(a["models"], json({"first_touch", "last_touch", "linear"}));
  const json& sem = a["rows"][0];
  EXPECT_EQ(sem["value"], "sem");
  EXPECT_EQ(sem["credit"]["first_touch"], 3.0);
  EXPECT_EQ(sem["credit"]["last_touch"], 1.0);
  EXPECT_NEAR(sem["credit"]["linear"].get<double>(), 11.0 / 6, 1e-12);
  EXPECT_DOUBLE_EQ(sem["share"]["first_touch"].get<double>(), 0.5);
  EXPECT_EQ(sem["conversions"], 3);
  EXPECT_EQ(a["rows"][4]["value"], "website");
  EXPECT_EQ(a["rows"][4]["credit"]["last_touch"], 2.0);
}

TEST_P(AttributionQueryTest, ShorterLookbackDropsOlderTouches) {
  // 7d: a1's window starts Mar 3 10:00 → 微信, website → 微信. a4's touches are a month
  // old → $direct. a2 and a5 as before; a3 $direct.
  json a = Run({{"lookback", "7d"}});
  EXPECT_EQ(Rows(a), (V{"sem=2/2", "$direct=2/2", "video=1/1", "微信=1/1", "website=0/2"}));
}

TEST_P(AttributionQueryTest, FirstConversionOnlyCountsEachEntityOnce) {
  // a2's second purchase is dropped: sem keeps a1 and a2 #1.
  json a = Run({{"conversions", "first"}});
  EXPECT_EQ(a["conversions"], 5);
  EXPECT_EQ(Rows(a), (V{"sem=2/2", "微信=1/2", "video=1/1", "$direct=1/1", "website=0/1"}));
}

TEST_P(AttributionQueryTest, AnyEventCarryingThePropertyIsATouch) {
  // With "$any", a3's 注册 {channel: referral} is a touch: no $direct conversion left.
  json a = Run({{"touch", {{"event", "$any"}, {"property", "channel"}}}});
  EXPECT_EQ(a["direct_conversions"], 0);
  EXPECT_EQ(Rows(a), (V{"sem=3/3", "微信=1/2", "referral=1/1", "video=1/1", "website=0/2"}));
}

TEST_P(AttributionQueryTest, AccountsPoolTheTouchesOfTheirPeople) {
  // acc-X touches: sem Mar 1, 微信 Mar 5, website Mar 9, sem Mar 10 09:00, website Mar 11.
  // Its three conversions all start with the sem of Mar 1 → sem 3; 微信 and website are
  // touched in all three. acc-Y: a3 and a4 convert at the same moment, both windows hold only 微信
  // (Feb 9 10:00) → 微信 2. a5 and a6 have no account.
  json a = Run({{"aggregate_by", "account"}});
  EXPECT_EQ(a["conversions"], 5);
  EXPECT_EQ(Rows(a), (V{"sem=3/3", "微信=2/5", "website=0/3"}));
  json limited = Run({{"aggregate_by", "account"}, {"limit", 1}});
  EXPECT_EQ(Rows(limited), (V{"sem=3/3"}));
  EXPECT_EQ(limited["conversions"], 5);
}

TEST_P(AttributionQueryTest, NoConversionsGiveNoRows) {
  json a = Run({{"conversion", "不存在"}});
  EXPECT_EQ(a["conversions"], 0);
  EXPECT_TRUE(a["rows"].empty());
}

TEST_P(AttributionQueryTest, SpecErrorsNameTheirField) {
  json no_conversion = {{"conversion", nullptr}};
  EXPECT_EQ(ErrorField(no_conversion), "conversion");
  EXPECT_EQ(ErrorField({{"conversion", {{"filters", json::array()}}}}), "conversion.event");
  EXPECT_EQ(ErrorField({{"touch", {{"event", "$pageview"}}}}), "touch.property");
  EXPECT_EQ(ErrorField({{"touch", "channel"}}), "touch");
  EXPECT_EQ(
      ErrorField(
          {{"touch", {{"property", "channel"}, {"filters", {{{"property", "x"}, {"op", "~"}}}}}}}),
      "touch.filters[0].op");
  EXPECT_EQ(ErrorField({{"model", "w_shaped"}}), "model");
  EXPECT_EQ(ErrorField({{"lookback", "30m"}}), "lookback");
  EXPECT_EQ(ErrorField({{"conversions", "some"}}), "conversions");
  EXPECT_EQ(ErrorField({{"limit", 0}}), "limit");
  EXPECT_EQ(ErrorField({{"aggregate_by", "team"}}), "aggregate_by");
}

INSTANTIATE_MEMTABLE_AND_SEGMENTS(AttributionQueryTest);

}  // namespace
}  // namespace tobops::query
