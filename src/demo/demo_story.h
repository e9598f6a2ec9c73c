// File: demo/demo_story.h
// DemoStory: the simulated world behind the demo data — accounts (companies) with
// their lifecycle plan (first visit, signup, trial, demo, quote, purchase, renewals,
// churn, referral), the people of each account with decision-chain roles, and the
// day-by-day behaviour that turns those plans into StoryRecords. A StoryRecord is a
// compact, not yet rendered message; MessageWriter renders it as Segment JSON.
// Accounts are independent: the records of (account, day) come from a random stream
// keyed by (seed, account, day), so an account can be simulated alone (to count its
// records) and again later (to emit them) with identical results.
// Callers: demo_generator.cc, message_writer.cc (reads accounts and people).
// Thread-safety: const methods are safe concurrently; AddAccount is not.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "demo/demo_calendar.h"
#include "demo/demo_catalog.h"
#include "demo/demo_random.h"

namespace tobops::demo {

inline constexpr int32_t kNever = std::numeric_limits<int32_t>::max() / 4;
inline constexpr uint32_t kNoAccount = std::numeric_limits<uint32_t>::max();

// What a record becomes once rendered.
enum class MessageKind : uint8_t {
  kPage,
  kIdentify,
  kGroup,
  kAlias,
  kSignup,
  kTrialStarted,
  kFeatureUsed,
  kInviteSent,
  kDemoRequested,
  kQuoteRequested,
  kPurchase,
  kRenewal,
  kChurned,
  kRecommended,
  kWebinarRegistered,
  kWebinarAttended,
  kContentViewed,
  kContentShared,
  kLogin,
  kReportExported,
};
inline constexpr int kMessageKindCount = 20;

// Which identifiers a record carries.
enum class Identity : uint8_t {
  kAnonymous,  // anonymousId only (before signup)
  kBrowser,    // userId and anonymousId (browser of a signed-up person)
  kServer,     // userId only (sent by the vendor's backend)
};

// Lifecycle stage of an account on a given day; also the group trait lifecycle_stage.
enum class Stage : uint8_t { kProspect, kRegistered, kTrial, kLapsed, kCustomer, kRenewed, kChurned };
inline constexpr std::array<std::string_view, 7> kStageNames = {
    "prospect", "registered", "trial", "trial_expired", "customer", "renewed", "churned"};

inline constexpr uint8_t kFlagCampaign = 1;  // context.campaign is rendered from the channel

struct StoryRecord {
  int64_t timestamp_ms = 0;
  uint64_t visitor = 0;         // anonymous visitor key when person == kNoPerson
  uint32_t account = kNoAccount;
  uint32_t person = 0;          // global person index; meaningless when account == kNoAccount
  MessageKind kind = MessageKind::kPage;
  Channel channel = Channel::kWebsite;
  Identity identity = Identity::kAnonymous;
  uint8_t flags = 0;
  // Kind-specific: page index (low 8 bits) | previous page + 1 (bits 8-15) | app page
  // bit 16; feature, content, webinar, report index; stage; or an amount in CNY.
  uint32_t arg = 0;
};

struct DemoPerson {
  uint64_t key = 0;          // stable random key: name, ids, ip, user agent
  uint32_t account = 0;
  uint16_t local_index = 0;  // 0 = the champion who signed the account up
  Role role = Role::kUser;
  Channel channel = Channel::kWebsite;  // first-touch channel of this person
  bool browses = false;      // has an anonymous browsing phase before signup
  bool alias_on_signup = false;
  float activity = 1;        // personal usage multiplier
  int32_t join_day = kNever;    // first visit (anonymous if before signup_day)
  int32_t signup_day = kNever;  // identified from this day on
  int32_t leave_day = kNever;   // no activity from this day on
};

struct DemoAccount {
  uint32_t index = 0;
  uint64_t key = 0;
  uint8_t industry = 0, size = 0, region = 0, owner = 0, plan = 0;
  Channel channel = Channel::kWebsite;
  bool key_account = false;
  uint16_t seats = 0;
  uint32_t arr_cny = 0;       // contract value per year once a customer
  float engagement = 1;
  int32_t first_visit_day = kNever;
  int32_t signup_day = kNever;
  int32_t trial_day = kNever;
  int32_t trial_end_day = kNever;
  int32_t demo_day = kNever;
  int32_t quote_day = kNever;
  int32_t purchase_day = kNever;
  int32_t churn_day = kNever;      // the renewal day that was not renewed
  int32_t recommend_day = kNever;
  int32_t first_sim_day = 0;       // first day with possible records, clipped to the story
  int32_t last_sim_day = 0;        // last such day (inclusive)
  uint32_t person_begin = 0;
  uint16_t person_count = 0;

  Stage StageOn(int32_t day) const;
  bool IsRenewalDay(int32_t day) const {
    return purchase_day != kNever && day > purchase_day && day < churn_day &&
           (day - purchase_day) % 365 == 0;
  }
};

class DemoStory {
 public:
  // `calendar` must outlive the story.
  DemoStory(uint64_t seed, const DemoCalendar* calendar);

  // Plans account number accounts().size() and its people; returns its index.
  uint32_t AddAccount();

  const std::vector<DemoAccount>& accounts() const { return accounts_; }
  const std::vector<DemoPerson>& people() const { return people_; }
  uint64_t seed() const { return seed_; }

  // Appends the records of `account` on `day` (any order; timestamps inside the day).
  // Requires account < accounts().size(). Days outside the account's sim range add nothing.
  void SimulateAccountDay(uint32_t account, int32_t day, std::vector<StoryRecord>* out) const;

  // Appends anonymous website traffic for `day`: exactly `budget` records of sessions
  // by visitors who never sign up (within this story).
  void SimulateTrafficDay(int32_t day, uint64_t budget, std::vector<StoryRecord>* out) const;

  // Day index of webinar `n` (webinars run every three weeks on a Tuesday to Thursday).
  int32_t WebinarDay(int32_t n) const;

 private:
  void PlanPeople(DemoAccount& account, DemoRandom& rng);
  void EmitSession(const DemoAccount& a, const DemoPerson& p, Stage stage, int32_t day,
                   DemoRandom& rng, std::vector<StoryRecord>* out) const;
  void EmitBrowse(const DemoAccount& a, const DemoPerson& p, int32_t day, DemoRandom& rng,
                  std::vector<StoryRecord>* out) const;
  void EmitSignup(const DemoAccount& a, const DemoPerson& p, int32_t day, DemoRandom& rng,
                  std::vector<StoryRecord>* out) const;
  void EmitMilestones(const DemoAccount& a, int32_t day, DemoRandom& rng,
                      std::vector<StoryRecord>* out) const;
  void EmitWebinar(const DemoAccount& a, const DemoPerson& p, int32_t day,
                   std::vector<StoryRecord>* out) const;
  // The person who acts for `preferred` on `day`: the first present person with that
  // role, else the champion.
  const DemoPerson& Actor(const DemoAccount& a, Role preferred, int32_t day) const;

  uint64_t seed_;
  const DemoCalendar* calendar_;
  std::vector<DemoAccount> accounts_;
  std::vector<DemoPerson> people_;
};

}  // namespace tobops::demo
