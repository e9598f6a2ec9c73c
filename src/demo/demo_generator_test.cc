#include "demo/demo_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tobops::demo {
namespace {

using nlohmann::json;

constexpr int64_t kEndMs = 1772553600000;  // 2026-03-04T00:00:00+08:00

DemoOptions Options(uint64_t target, uint64_t seed = 42) {
  DemoOptions o;
  o.seed = seed;
  o.target_events = target;
  o.end_ms = kEndMs;
  o.days = 365;
  return o;
}

std::vector<std::string> GenerateAll(const DemoOptions& options, size_t batch = 10'000) {
  DemoGenerator g(options);
  std::vector<std::string> all, out;
  while (g.NextBatch(batch, &out)) {
    EXPECT_LE(out.size(), batch);
    all.insert(all.end(), out.begin(), out.end());
  }
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(g.generated(), all.size());
  EXPECT_EQ(g.expected_total(), all.size());
  return all;
}

// Parses and checks one story once per process; the tests below read the results.
struct Story {
  std::vector<std::string> raw;
  std::vector<json> messages;
};
const Story& Story100k() {
  static const Story* story = [] {
    auto* s = new Story;
    s->raw = GenerateAll(Options(100'000));
    s->messages.reserve(s->raw.size());
    for (const auto& m : s->raw) s->messages.push_back(json::parse(m, nullptr, false));
    return s;
  }();
  return *story;
}

TEST(DemoGenerator, SameSeedGivesIdenticalOutputWhateverTheBatchSize) {
  const auto a = GenerateAll(Options(50'000), 1'000);
  const auto b = GenerateAll(Options(50'000), 7'777);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b);
}

TEST(DemoGenerator, DifferentSeedGivesDifferentOutput) {
  const auto a = GenerateAll(Options(20'000, 1));
  const auto b = GenerateAll(Options(20'000, 2));
  size_t same = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) same += a[i] == b[i];
  EXPECT_LT(same, a.size() / 100);
}

TEST(DemoGenerator, CountIsWithinFivePercentOfTarget) {
  for (uint64_t target : {100'000ULL, 1'000'000ULL}) {
    DemoGenerator g(Options(target));
    std::vector<std::string> out;
    uint64_t n = 0;
    while (g.NextBatch(65'536, &out)) n += out.size();
    EXPECT_NEAR(static_cast<double>(n), static_cast<double>(target), 0.05 * static_cast<double>(target)) << target;
    EXPECT_EQ(n, g.expected_total());
  }
}

TEST(DemoGenerator, AccountsScaleWithTarget) {
  DemoGenerator small(Options(100'000));
  DemoGenerator large(Options(1'000'000));
  EXPECT_GE(small.account_count(), 30u);
  const double ratio = static_cast<double>(large.account_count()) / static_cast<double>(small.account_count());
  EXPECT_GT(ratio, 7.0);
  EXPECT_LT(ratio, 13.0);
}

TEST(DemoGenerator, EveryMessageIsValidSegmentJson) {
  const Story& s = Story100k();
  std::set<std::string> message_ids;
  size_t with_sent_at = 0;
  for (size_t i = 0; i < s.messages.size(); ++i) {
    const json& m = s.messages[i];
    SCOPED_TRACE(s.raw[i]);
    ASSERT_TRUE(m.is_object());
    const std::string type = m.at("type").get<std::string>();
    ASSERT_TRUE(m.at("messageId").is_string());
    EXPECT_TRUE(message_ids.insert(m["messageId"].get<std::string>()).second);
    const std::string ts = m.at("timestamp").get<std::string>();
    ASSERT_EQ(ts.size(), 29u);
    EXPECT_EQ(ts.substr(23), "+08:00");
    EXPECT_EQ(ts[10], 'T');
    with_sent_at += m.contains("sentAt");
    EXPECT_TRUE(m.contains("userId") || m.contains("anonymousId"));
    ASSERT_TRUE(m.at("context").is_object());
    const json& ctx = m["context"];
    if (ctx.contains("campaign")) {
      for (const char* k : {"source", "medium", "name"}) EXPECT_TRUE(ctx["campaign"][k].is_string()) << k;
    }
    if (m.contains("userId") && type != "alias") {
      EXPECT_TRUE(ctx.contains("groupId"));
    }
    if (type == "track") {
      EXPECT_TRUE(m.at("event").is_string());
      EXPECT_TRUE(m.at("properties").is_object());
    } else if (type == "page") {
      EXPECT_TRUE(m.at("name").is_string());
      for (const char* k : {"url", "path", "title", "referrer", "channel"}) {
        EXPECT_TRUE(m["properties"][k].is_string()) << k;
      }
      for (const char* k : {"url", "referrer", "title"}) EXPECT_TRUE(ctx["page"][k].is_string()) << k;
    } else if (type == "identify") {
      EXPECT_TRUE(m.at("userId").is_string());
      for (const char* k : {"email", "name", "title", "role", "company"}) {
        EXPECT_TRUE(m["traits"][k].is_string()) << k;
      }
    } else if (type == "group") {
      EXPECT_TRUE(m.at("groupId").is_string());
      for (const char* k : {"name", "industry", "size", "region", "level", "owner", "plan", "lifecycle_stage"}) {
        EXPECT_TRUE(m["traits"][k].is_string()) << k;
      }
      EXPECT_TRUE(m["traits"]["arr"].is_number());
    } else if (type == "alias") {
      EXPECT_TRUE(m.at("previousId").is_string());
      EXPECT_TRUE(m.at("userId").is_string());
    } else {
      ADD_FAILURE() << "unexpected type " << type;
    }
  }
  // Ingest corrects clock skew from sentAt relative to the time it receives a message,
  // which would move backfilled history to the moment of loading.
  EXPECT_EQ(with_sent_at, 0u);
}

TEST(DemoGenerator, TimestampsNeverDecrease) {
  const Story& s = Story100k();
  // Same fixed-width format and offset: string order is time order.
  for (size_t i = 1; i < s.messages.size(); ++i) {
    ASSERT_LE(s.messages[i - 1]["timestamp"].get<std::string>(), s.messages[i]["timestamp"].get<std::string>())
        << i;
  }
  EXPECT_LT(s.messages.back()["timestamp"].get<std::string>(), "2026-03-04T00:00:00.000+08:00");
  EXPECT_GE(s.messages.front()["timestamp"].get<std::string>(), "2025-03-04T00:00:00.000+08:00");
}

TEST(DemoGenerator, FunnelHasARealisticShape) {
  const Story& s = Story100k();
  std::map<std::string, size_t> events;
  std::set<std::string> page_visitors, signed_up;
  for (const json& m : s.messages) {
    const std::string type = m["type"];
    if (type == "track") ++events[m["event"].get<std::string>()];
    if (type == "page" && m.contains("anonymousId")) page_visitors.insert(m["anonymousId"].get<std::string>());
    if (type == "track" && m["event"] == "signup") signed_up.insert(m["userId"].get<std::string>());
  }
  for (const char* e : {"signup", "trial_started", "feature_used", "invite_sent", "demo_requested",
                        "quote_requested", "purchase", "renewal", "churned", "recommended",
                        "webinar_registered", "webinar_attended", "content_viewed", "content_shared",
                        "login", "report_exported"}) {
    EXPECT_GT(events[e], 0u) << e;
  }
  EXPECT_LT(signed_up.size() * 10, page_visitors.size());
  EXPECT_LT(events["trial_started"], events["signup"]);
  EXPECT_LT(events["purchase"], events["trial_started"]);
  EXPECT_LT(events["quote_requested"], events["trial_started"]);
  EXPECT_LT(events["webinar_attended"], events["webinar_registered"]);
  EXPECT_LT(events["content_shared"], events["content_viewed"]);
  EXPECT_LT(events["churned"], events["renewal"]);
  EXPECT_GT(events["feature_used"], events["login"]);
}

TEST(DemoGenerator, EveryPersonHasAValidRoleAndRolesBehaveDifferently) {
  const Story& s = Story100k();
  const std::set<std::string> valid = {"user", "evaluator", "budget_holder", "decision_maker", "signer"};
  std::map<std::string, std::string> role_of;
  std::set<std::string> seen_roles;
  for (const json& m : s.messages) {
    if (m["type"] != "identify") continue;
    const std::string role = m["traits"]["role"];
    EXPECT_TRUE(valid.count(role)) << role;
    seen_roles.insert(role);
    const std::string user = m["userId"];
    auto [it, inserted] = role_of.emplace(user, role);
    EXPECT_EQ(it->second, role) << user;
  }
  EXPECT_EQ(seen_roles, valid);
  // Users use features; decision makers look at pricing; signers appear near purchase.
  std::map<std::string, size_t> features_by_role, pricing_by_role, people_by_role;
  for (const auto& [user, role] : role_of) ++people_by_role[role];
  for (const json& m : s.messages) {
    if (!m.contains("userId")) continue;
    auto it = role_of.find(m["userId"]);
    if (it == role_of.end()) continue;
    if (m["type"] == "track" && m["event"] == "feature_used") ++features_by_role[it->second];
    if (m["type"] == "page" && m["properties"]["path"] == "/pricing") ++pricing_by_role[it->second];
  }
  const auto per_person = [&](std::map<std::string, size_t>& counts, const std::string& role) {
    return static_cast<double>(counts[role]) / static_cast<double>(std::max<size_t>(1, people_by_role[role]));
  };
  EXPECT_GT(per_person(features_by_role, "user"), 3 * per_person(features_by_role, "decision_maker"));
  EXPECT_GT(per_person(pricing_by_role, "decision_maker"), per_person(pricing_by_role, "user"));
}

TEST(DemoGenerator, AllChannelsAppearWithUtm) {
  const Story& s = Story100k();
  std::set<std::string> channels, campaign_mediums;
  bool sem_term = false;
  for (const json& m : s.messages) {
    if (m.contains("properties") && m["properties"].contains("channel")) {
      channels.insert(m["properties"]["channel"].get<std::string>());
    }
    if (m["context"].contains("campaign")) {
      campaign_mediums.insert(m["context"]["campaign"]["medium"].get<std::string>());
      sem_term = sem_term || m["context"]["campaign"].contains("term");
    }
  }
  for (const char* c : {"website", "sem", "video", "brochure_qr", "case_study", "webinar", "conference",
                        "referral", "partner"}) {
    EXPECT_TRUE(channels.count(c)) << c;
  }
  EXPECT_GE(campaign_mediums.size(), 8u);
  EXPECT_TRUE(sem_term);
}

TEST(DemoGenerator, AnonymousVisitorsBecomeIdentifiedOnSignup) {
  const Story& s = Story100k();
  std::set<std::string> anonymous_page_ids;
  for (const json& m : s.messages) {
    if (m["type"] == "page" && !m.contains("userId")) anonymous_page_ids.insert(m["anonymousId"].get<std::string>());
  }
  size_t stitched = 0, aliases = 0;
  for (const json& m : s.messages) {
    if (m["type"] == "identify" && m.contains("anonymousId") && anonymous_page_ids.count(m["anonymousId"])) {
      ++stitched;
    }
    if (m["type"] == "alias") ++aliases;
  }
  EXPECT_GT(stitched, 20u);
  EXPECT_GT(aliases, 0u);
}

TEST(DemoGenerator, WeekdaysAndWorkingHoursDominate) {
  const Story& s = Story100k();
  size_t working_hours = 0;
  for (const json& m : s.messages) {
    const int hour = std::stoi(m["timestamp"].get<std::string>().substr(11, 2));
    working_hours += hour >= 9 && hour < 19;
  }
  EXPECT_GT(working_hours, s.messages.size() * 6 / 10);
}

// UTC ms of "YYYY-MM-DDTHH:MM:SS.mmm+08:00".
int64_t ParseLocalMs(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%d", &y, &mo, &d, &h, &mi, &sec, &ms), 7) << text;
  EXPECT_EQ(text.substr(23), "+08:00");
  y -= mo <= 2;  // days from civil (Howard Hinnant)
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return ((days * 24 + h - 8) * 60 + mi) * 60'000 + sec * 1000 + ms;
}

// The last (possibly partial) day of the story looks like its neighbours: no day,
// least of all the final one, piles up far more messages than an ordinary weekday,
// whatever the time of day the story ends at. Days are counted as ingest stores the
// messages when it loads them at end_ms: Segment's clock-skew correction
// (timestamp += receivedAt - sentAt) applies to any message carrying sentAt.
TEST(DemoGenerator, LastDayIsNotASpike) {
  // 2026-03-03 (a Tuesday) at these local hours; 2026-03-04T00:00+08:00 is kEndMs.
  for (const int64_t end_hour : {20, 2, 10}) {
    DemoOptions o = Options(300'000);
    o.end_ms = kEndMs - (24 - end_hour) * int64_t{3'600'000};
    DemoGenerator g(o);
    std::map<std::string, uint64_t> per_day;  // "day-NNNNNN" (local day since 1970) -> messages
    std::vector<std::string> out;
    uint64_t total = 0;
    while (g.NextBatch(65'536, &out)) {
      for (const std::string& m : out) {
        // MessageWriter writes timestamp (and any sentAt) before every nested object.
        const auto field = [&](std::string_view key) {
          const size_t at = m.find(key);
          return at == std::string::npos ? std::string() : m.substr(at + key.size(), 29);
        };
        int64_t t = ParseLocalMs(field("\"timestamp\":\""));
        const std::string sent_at = field("\"sentAt\":\"");
        if (!sent_at.empty()) t += o.end_ms - ParseLocalMs(sent_at);
        const int64_t local_day = (t + 8 * int64_t{3'600'000}) / 86'400'000;
        char date[32];
        std::snprintf(date, sizeof date, "day-%06lld", static_cast<long long>(local_day));
        ++per_day[date];
      }
      total += out.size();
    }
    EXPECT_EQ(total, o.target_events) << end_hour;
    // 2026-03-03 is day 20515 since 1970-01-01.
    ASSERT_EQ(per_day.rbegin()->first, "day-020515") << end_hour;
    // Median of the full weekdays of the last eight weeks (robust to the few Spring
    // Festival days among them).
    std::vector<uint64_t> weekdays;
    auto it = per_day.rbegin();
    ++it;  // skip the partial last day
    for (int i = 0; i < 56 && it != per_day.rend(); ++i, ++it) {
      // 2026-03-02 was a Monday; the weekday of a date i + 1 days earlier follows.
      const int weekday = (7 - i % 7) % 7;  // 0 = Monday
      if (weekday < 5) weekdays.push_back(it->second);
    }
    ASSERT_GE(weekdays.size(), 30u);
    std::nth_element(weekdays.begin(), weekdays.begin() + weekdays.size() / 2, weekdays.end());
    const uint64_t median = weekdays[weekdays.size() / 2];
    for (const auto& [date, count] : per_day) {
      EXPECT_LE(count, 3 * median) << "end " << end_hour << ":00, " << date;
    }
    // The partial last day holds about its elapsed share of a weekday, not a whole one.
    const double elapsed = static_cast<double>(end_hour) / 24;
    const uint64_t last = per_day.rbegin()->second;
    EXPECT_LE(static_cast<double>(last), 3 * elapsed * static_cast<double>(median) + 50)
        << "end " << end_hour << ":00";
  }
}

}  // namespace
}  // namespace tobops::demo
