#include "demo/demo_story.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace tobops::demo {
namespace {

template <size_t N>
constexpr std::array<double, N> Cumulative(const std::array<double, N>& weights) {
  std::array<double, N> cdf{};
  double acc = 0;
  for (size_t i = 0; i < N; ++i) cdf[i] = acc += weights[i];
  return cdf;
}

constexpr auto kChannelCdf = Cumulative(kChannelWeights);
constexpr auto kIndustryCdf = Cumulative(kIndustryWeights);
constexpr auto kSizeCdf = Cumulative(kSizeWeights);
constexpr auto kRegionCdf = Cumulative(kRegionWeights);
constexpr auto kFeatureCdf = Cumulative(kFeatureWeights);
constexpr auto kWebPageCdf = Cumulative(kWebPageWeights);
// Channels through which the later members of a decision chain first arrive.
constexpr auto kDecisionMakerChannelCdf =
    Cumulative(std::array<double, kChannelCount>{10, 2, 4, 6, 22, 18, 20, 10, 8});

template <size_t N>
int PickFrom(DemoRandom& rng, const std::array<double, N>& cdf) {
  return rng.Pick(cdf.data(), static_cast<int>(N));
}

constexpr uint32_t kAppPageBit = 1u << 16;
constexpr int64_t kMinStepMs = 4'000;
constexpr uint32_t kMaxStepMs = 200'000;
constexpr int kSignupMethodInvite = 3;  // arg of kSignup: index into kSignupMethods, 3 = invite

int LandingPage(Channel channel) {
  const std::string_view path = kChannels[static_cast<size_t>(channel)].landing_path;
  for (size_t i = 0; i < kWebPages.size(); ++i) {
    if (kWebPages[i].path == path) return static_cast<int>(i);
  }
  return kPageHome;
}

// Index of the first content item of a type.
constexpr int kContentCaseBegin = 0, kContentCaseEnd = 4;
constexpr int kContentReportBegin = 6, kContentReportEnd = 9;

// Builds the records of one session: a clock that moves forward a few seconds to a
// few minutes per message and never leaves the day. A session that would start at or
// after the day's limit (later than end_ms on the partial last day) has not happened
// yet: it makes the same random draws but records nothing.
class SessionWriter {
 public:
  SessionWriter(std::vector<StoryRecord>* out, DemoRandom* rng, int64_t start_ms, int64_t limit_ms,
                uint32_t account, uint32_t person)
      : out_(out), rng_(rng), t_(start_ms), limit_ms_(limit_ms), account_(account), person_(person),
        future_(start_ms >= limit_ms) {}

  void set_visitor(uint64_t visitor) { visitor_ = visitor; }
  void set_identity(Identity identity) { identity_ = identity; }
  void set_channel(Channel channel, bool campaign) {
    channel_ = channel;
    campaign_ = campaign;
  }

  void Add(MessageKind kind, uint32_t arg = 0) {
    if (future_) {
      rng_->Below(kMaxStepMs);  // keep the draws of the rest of the day unchanged
      return;
    }
    StoryRecord r;
    r.timestamp_ms = t_;
    r.visitor = visitor_;
    r.account = account_;
    r.person = person_;
    r.kind = kind;
    r.channel = channel_;
    r.identity = identity_;
    r.flags = campaign_ ? kFlagCampaign : 0;
    r.arg = arg;
    out_->push_back(r);
    ++count_;
    // Invariant: every record stays inside its day, so days can be emitted in order.
    t_ = std::min(t_ + kMinStepMs + rng_->Below(kMaxStepMs), limit_ms_ - 1);
  }
  // A web-site page view; remembers it as the referrer of the next page.
  void WebPage(int page) {
    Add(MessageKind::kPage, static_cast<uint32_t>(page) | (static_cast<uint32_t>(prev_page_ + 1) << 8));
    prev_page_ = page;
  }
  void AppPage(int page) { Add(MessageKind::kPage, static_cast<uint32_t>(page) | kAppPageBit); }
  void Skip(int64_t ms) {
    if (!future_) t_ = std::min(t_ + ms, limit_ms_ - 1);
  }
  int64_t now() const { return t_; }
  uint64_t count() const { return count_; }

 private:
  std::vector<StoryRecord>* out_;
  DemoRandom* rng_;
  int64_t t_;
  int64_t limit_ms_;
  uint32_t account_;
  uint32_t person_;
  uint64_t visitor_ = 0;
  Identity identity_ = Identity::kBrowser;
  Channel channel_ = Channel::kWebsite;
  bool campaign_ = false;
  int prev_page_ = -1;
  uint64_t count_ = 0;
  bool future_;
};

bool IsConferenceWindow(const DemoDay& d) {
  // Conferences (mid-April, mid-September, late November) and the week after them.
  return (d.month == 4 && d.day_of_month >= 18 && d.day_of_month <= 25) ||
         (d.month == 9 && d.day_of_month >= 12 && d.day_of_month <= 19) ||
         (d.month == 11 && d.day_of_month >= 20 && d.day_of_month <= 27);
}

}  // namespace

Stage DemoAccount::StageOn(int32_t day) const {
  if (day < signup_day) return Stage::kProspect;
  if (day >= purchase_day) {
    if (day >= churn_day) return Stage::kChurned;
    return day >= purchase_day + 365 ? Stage::kRenewed : Stage::kCustomer;
  }
  if (day >= trial_day) {
    return day < trial_end_day || purchase_day != kNever ? Stage::kTrial : Stage::kLapsed;
  }
  return Stage::kRegistered;
}

DemoStory::DemoStory(uint64_t seed, const DemoCalendar* calendar) : seed_(seed), calendar_(calendar) {}

int32_t DemoStory::WebinarDay(int32_t n) const {
  int32_t day = 9 + 21 * n;
  if (day >= 0 && day < calendar_->days()) {
    // Move to the next Tuesday-Thursday that is not a holiday (at most a few days).
    for (int i = 0; i < 6 && day + 1 < calendar_->days(); ++i) {
      const DemoDay& d = calendar_->Day(day);
      if (d.weekday >= 1 && d.weekday <= 3 && !d.holiday) break;
      ++day;
    }
  }
  return day;
}

uint32_t DemoStory::AddAccount() {
  const auto index = static_cast<uint32_t>(accounts_.size());
  DemoRandom rng(Mix(seed_, 0xACC0, index));
  DemoAccount a;
  a.index = index;
  a.key = rng.Next();
  a.industry = static_cast<uint8_t>(PickFrom(rng, kIndustryCdf));
  a.size = static_cast<uint8_t>(PickFrom(rng, kSizeCdf));
  a.region = static_cast<uint8_t>(PickFrom(rng, kRegionCdf));
  static constexpr std::array<double, 4> kKeyChance = {0.03, 0.12, 0.3, 0.6};
  a.key_account = rng.Chance(kKeyChance[a.size]);
  a.owner = static_cast<uint8_t>(a.region == kOverseasRegion ? 8 + rng.Below(2) : rng.Below(8));
  a.channel = static_cast<Channel>(PickFrom(rng, kChannelCdf));
  if (a.key_account && rng.Chance(0.3)) {
    static constexpr std::array<Channel, 3> kKeyChannels = {Channel::kConference, Channel::kPartner,
                                                            Channel::kCaseStudy};
    a.channel = kKeyChannels[rng.Below(3)];
  }
  static constexpr std::array<double, 4> kEnterpriseChance = {0.0, 0.05, 0.4, 0.85};
  static constexpr std::array<double, 4> kStarterChance = {0.7, 0.3, 0.0, 0.0};
  a.plan = rng.Chance(kEnterpriseChance[a.size]) ? 2 : rng.Chance(kStarterChance[a.size]) ? 0 : 1;
  static constexpr std::array<std::array<int, 2>, 4> kSeats = {{{3, 10}, {8, 30}, {20, 80}, {50, 300}}};
  a.seats = static_cast<uint16_t>(rng.Between(kSeats[a.size][0], kSeats[a.size][1]));
  a.arr_cny = static_cast<uint32_t>(a.seats) * static_cast<uint32_t>(kSeatPriceCny[a.plan]);
  a.engagement = static_cast<float>(0.5 + rng.Uniform() + (a.key_account ? 0.25 : 0.0));

  const int32_t days = calendar_->days();
  const bool existing_customer = rng.Chance(0.22);
  if (existing_customer) {
    // Bought before the story starts, so its first renewal falls inside it.
    a.purchase_day = -rng.Between(5, 330);
    a.quote_day = a.purchase_day - rng.Between(3, 21);
    a.trial_day = a.quote_day - rng.Between(10, 30);
    a.trial_end_day = a.trial_day + 30;
    a.signup_day = a.trial_day - (rng.Chance(0.7) ? 0 : rng.Between(1, 3));
    a.first_visit_day = a.signup_day - rng.Between(0, 21);
  } else {
    // Marketing grows: more accounts arrive late in the year than early.
    a.first_visit_day = static_cast<int32_t>(days * std::pow(rng.Uniform(), 0.75)) - 20;
    a.signup_day = a.first_visit_day + (rng.Chance(0.3) ? 0 : rng.Between(1, 28));
    if (rng.Chance(0.88)) {
      a.trial_day = a.signup_day + (rng.Chance(0.7) ? 0 : rng.Between(1, 3));
      a.trial_end_day = a.trial_day + (a.key_account || rng.Chance(0.3) ? 30 : 14);
      double convert = a.key_account ? 0.5 : 0.2;
      if (a.size == 3) convert += 0.05;
      convert *= 0.6 + 0.4 * a.engagement;
      if (rng.Chance(convert)) {
        if (rng.Chance(0.75)) a.demo_day = a.trial_day + rng.Between(2, 12);
        a.quote_day = a.trial_day + rng.Between(10, 30) + (a.key_account ? rng.Between(0, 30) : 0);
        a.purchase_day = a.quote_day + rng.Between(3, 21);
        // Deals cluster at month end: move a share of them to the next month-end weekday.
        if (rng.Chance(0.4)) {
          for (int32_t d = a.purchase_day; d < a.purchase_day + 10 && d >= 0 && d < days; ++d) {
            const DemoDay& cal = calendar_->Day(d);
            if (cal.month_end && !cal.weekend && !cal.holiday) {
              a.purchase_day = d;
              break;
            }
          }
        }
      } else {
        if (rng.Chance(0.2)) a.demo_day = a.trial_day + rng.Between(2, 10);
        if (rng.Chance(0.08)) a.quote_day = a.trial_day + rng.Between(8, 20);
      }
    }
  }
  if (a.purchase_day != kNever) {
    const double renew = (a.key_account ? 0.9 : 0.76) * std::min(1.0, 0.75 + 0.25 * a.engagement);
    for (int32_t k = 1; a.purchase_day + 365 * k < days + 365; ++k) {
      if (!rng.Chance(renew)) {
        a.churn_day = a.purchase_day + 365 * k;
        break;
      }
    }
    if (rng.Chance(a.key_account ? 0.4 : 0.22)) {
      const int32_t d = a.purchase_day + rng.Between(60, 300);
      if (d < a.churn_day) a.recommend_day = d;
    }
  }

  a.first_sim_day = std::max(0, a.first_visit_day);
  int32_t last = days - 1;
  if (a.churn_day != kNever) {
    last = a.churn_day;
  } else if (a.purchase_day == kNever) {
    last = a.trial_day != kNever ? a.trial_end_day + 60 : a.signup_day + 30;
  }
  a.last_sim_day = std::min(last, days - 1);
  PlanPeople(a, rng);
  accounts_.push_back(a);
  return index;
}

void DemoStory::PlanPeople(DemoAccount& a, DemoRandom& rng) {
  static constexpr std::array<std::array<int, 2>, 4> kPeople = {{{2, 4}, {3, 7}, {5, 12}, {8, 22}}};
  int n = rng.Between(kPeople[a.size][0], kPeople[a.size][1]);
  if (a.key_account) n = n * 13 / 10;
  std::vector<Role> roles(static_cast<size_t>(n), Role::kUser);
  roles[0] = rng.Chance(0.45) ? Role::kEvaluator : Role::kUser;
  if (n >= 2) roles[1] = Role::kDecisionMaker;
  if (n >= 3) roles[2] = Role::kSigner;
  if (n >= 4) roles[3] = Role::kBudgetHolder;
  if (n >= 5 && roles[0] != Role::kEvaluator) roles[4] = Role::kEvaluator;
  if (n >= 10) roles[5] = Role::kEvaluator;

  const bool converter = a.purchase_day != kNever;
  const int32_t start = a.trial_day != kNever ? a.trial_day : a.signup_day;
  const int32_t leave = a.churn_day != kNever ? a.churn_day + 1 : a.last_sim_day + 1;
  a.person_begin = static_cast<uint32_t>(people_.size());
  a.person_count = static_cast<uint16_t>(n);
  for (int i = 0; i < n; ++i) {
    DemoPerson p;
    p.key = rng.Next();
    p.account = a.index;
    p.local_index = static_cast<uint16_t>(i);
    p.role = roles[static_cast<size_t>(i)];
    p.activity = static_cast<float>(0.4 + 1.2 * rng.Uniform());
    p.leave_day = leave;
    p.channel = Channel::kWebsite;
    int32_t signup = kNever;
    double browse_chance = 0.15;
    if (i == 0) {
      signup = a.signup_day;
      p.channel = a.channel;
      browse_chance = 1.0;
    } else {
      switch (p.role) {
        case Role::kDecisionMaker:
          if (converter || rng.Chance(0.45)) {
            signup = start + rng.Between(3, 20);
            if (converter) signup = std::max(start + 1, std::min(signup, a.purchase_day - 1));
          }
          p.channel = static_cast<Channel>(PickFrom(rng, kDecisionMakerChannelCdf));
          browse_chance = 0.7;
          break;
        case Role::kEvaluator:
          if (a.trial_day != kNever || rng.Chance(0.3)) signup = start + rng.Between(0, 5);
          browse_chance = 0.4;
          break;
        case Role::kBudgetHolder:
          if (converter) {
            signup = a.quote_day - rng.Between(0, 5);
          } else if (rng.Chance(0.2)) {
            signup = start + rng.Between(5, 25);
          }
          browse_chance = 0.3;
          break;
        case Role::kSigner:
          // Signers appear only when a deal is about to close.
          if (converter) signup = a.purchase_day - rng.Between(0, 7);
          break;
        case Role::kUser:
          if (converter) {
            signup = rng.Chance(0.5) ? start + rng.Between(1, 14) : a.purchase_day + rng.Between(0, 150);
          } else if (a.trial_day != kNever && rng.Chance(0.55)) {
            signup = start + rng.Between(1, 14);
          }
          break;
      }
      if (signup != kNever) signup = std::max(signup, a.signup_day + 1);
    }
    p.signup_day = signup;
    p.browses = signup != kNever && rng.Chance(browse_chance);
    p.alias_on_signup = rng.Chance(0.3);
    if (p.browses && i != 0) p.channel = p.role == Role::kDecisionMaker ? p.channel
                                          : static_cast<Channel>(PickFrom(rng, kChannelCdf));
    p.join_day = signup == kNever ? kNever
                 : i == 0         ? a.first_visit_day
                 : p.browses      ? signup - rng.Between(1, 12)
                                  : signup;
    if (p.role == Role::kUser && i != 0 && rng.Chance(0.06)) {
      p.leave_day = std::min(p.leave_day, signup + rng.Between(30, 200));  // a seat that went quiet
    }
    people_.push_back(p);
  }
}

const DemoPerson& DemoStory::Actor(const DemoAccount& a, Role preferred, int32_t day) const {
  for (uint32_t i = 0; i < a.person_count; ++i) {
    const DemoPerson& p = people_[a.person_begin + i];
    if (p.role == preferred && p.signup_day <= day && day < p.leave_day) return p;
  }
  return people_[a.person_begin];
}

void DemoStory::SimulateAccountDay(uint32_t account, int32_t day, std::vector<StoryRecord>* out) const {
  assert(account < accounts_.size());
  const DemoAccount& a = accounts_[account];
  if (day < a.first_sim_day || day > a.last_sim_day) return;
  DemoRandom rng(Mix(seed_, a.key, static_cast<uint64_t>(day)));
  EmitMilestones(a, day, rng, out);
  const Stage stage = a.StageOn(day);
  for (uint32_t i = 0; i < a.person_count; ++i) {
    const uint32_t person = a.person_begin + i;
    const DemoPerson& p = people_[person];
    if (day < p.join_day || day >= p.leave_day) continue;
    if (day < p.signup_day) {
      EmitBrowse(a, p, day, rng, out);
    } else {
      if (day == p.signup_day) EmitSignup(a, p, day, rng, out);
      EmitSession(a, p, stage, day, rng, out);
    }
    EmitWebinar(a, p, day, out);
  }
}

void DemoStory::EmitMilestones(const DemoAccount& a, int32_t day, DemoRandom& rng,
                               std::vector<StoryRecord>* out) const {
  const DemoDay& cal = calendar_->Day(day);
  const auto group = [&](SessionWriter& w, Stage stage) {
    w.set_identity(Identity::kServer);
    w.Add(MessageKind::kGroup, static_cast<uint32_t>(stage));
  };
  const auto person_index = [&](const DemoPerson& p) { return a.person_begin + p.local_index; };

  if (day == 0 && a.signup_day < 0) {
    // Accounts that existed before the story: the backend syncs account and people.
    const DemoPerson& champion = people_[a.person_begin];
    SessionWriter w(out, &rng, cal.start_ms + 2 * 3'600'000 + rng.Below(600'000), cal.limit_ms, a.index,
                    person_index(champion));
    group(w, a.StageOn(day));
    for (uint32_t i = 0; i < a.person_count; ++i) {
      const DemoPerson& p = people_[a.person_begin + i];
      if (p.signup_day >= 0 || day >= p.leave_day) continue;
      SessionWriter pw(out, &rng, w.now() + i * 1000, cal.limit_ms, a.index, a.person_begin + i);
      pw.set_identity(Identity::kServer);
      pw.Add(MessageKind::kIdentify);
    }
  }
  if (day == a.trial_day && a.trial_day != a.signup_day) {
    // A trial started on the signup day is part of the signup session (EmitSignup).
    const DemoPerson& champion = people_[a.person_begin];
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index,
                    person_index(champion));
    w.AppPage(0);
    w.Add(MessageKind::kTrialStarted, a.plan);
    group(w, Stage::kTrial);
  }
  if (day == a.demo_day) {
    const DemoPerson& p = Actor(a, Role::kDecisionMaker, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.set_channel(p.channel, false);
    w.WebPage(kPageDemo);
    w.Add(MessageKind::kDemoRequested);
  }
  if (day == a.quote_day) {
    const DemoPerson& p = Actor(a, Role::kBudgetHolder, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.WebPage(kPagePricing);
    w.Add(MessageKind::kQuoteRequested, a.seats);
  }
  if (day == a.purchase_day) {
    const DemoPerson& p = Actor(a, Role::kSigner, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.AppPage(kAppPageBilling);
    w.set_identity(Identity::kServer);
    w.Add(MessageKind::kPurchase, a.arr_cny);
    group(w, Stage::kCustomer);
  }
  if (a.IsRenewalDay(day)) {
    const DemoPerson& signer = Actor(a, Role::kSigner, day);
    const DemoPerson& p = signer.role == Role::kSigner ? signer : Actor(a, Role::kBudgetHolder, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.set_identity(Identity::kServer);
    // Renewals often expand by a few seats.
    w.Add(MessageKind::kRenewal, a.arr_cny + a.arr_cny / 100 * rng.Below(25));
    group(w, Stage::kRenewed);
  }
  if (day == a.churn_day) {
    const DemoPerson& p = Actor(a, Role::kDecisionMaker, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.set_identity(Identity::kServer);
    w.Add(MessageKind::kChurned, rng.Below(static_cast<uint32_t>(kChurnReasons.size())));
    group(w, Stage::kChurned);
  }
  if (day == a.trial_end_day && a.purchase_day == kNever) {
    SessionWriter w(out, &rng, cal.start_ms + 3'600'000, cal.limit_ms, a.index, a.person_begin);
    group(w, Stage::kLapsed);
  }
  if (day == a.recommend_day) {
    const DemoPerson& p = Actor(a, Role::kDecisionMaker, day);
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person_index(p));
    w.set_channel(Channel::kReferral, false);
    w.Add(MessageKind::kRecommended, static_cast<uint32_t>(rng.Next() >> 40));
  }
}

void DemoStory::EmitBrowse(const DemoAccount& a, const DemoPerson& p, int32_t day, DemoRandom& rng,
                           std::vector<StoryRecord>* out) const {
  const DemoDay& cal = calendar_->Day(day);
  const bool first_visit = day == p.join_day;
  if (!first_visit && !rng.Chance(0.3 * cal.traffic_factor)) return;
  SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index,
                  a.person_begin + p.local_index);
  w.set_identity(Identity::kAnonymous);
  // Later visits of a person mostly come back directly through the web site.
  const Channel channel = first_visit || rng.Chance(0.4) ? p.channel : Channel::kWebsite;
  w.set_channel(channel, true);
  w.WebPage(first_visit ? LandingPage(channel) : PickFrom(rng, kWebPageCdf));
  const int more = rng.Chance(0.6) ? rng.Between(1, 4) : 0;
  for (int i = 0; i < more; ++i) {
    int page = PickFrom(rng, kWebPageCdf);
    if (p.role == Role::kDecisionMaker && rng.Chance(0.4)) {
      page = rng.Chance(0.5) ? kPagePricing : kPageCasesBegin + static_cast<int>(rng.Below(3));
    } else if (p.role == Role::kBudgetHolder && rng.Chance(0.4)) {
      page = kPagePricing;
    } else if (p.role == Role::kEvaluator && rng.Chance(0.4)) {
      page = kPageDocsBegin + static_cast<int>(rng.Below(kPageDocsEnd - kPageDocsBegin));
    }
    w.WebPage(page);
  }
  const double content = channel == Channel::kCaseStudy ? 0.5 : p.role == Role::kDecisionMaker ? 0.25 : 0.1;
  if (rng.Chance(content)) {
    const bool report = p.role == Role::kDecisionMaker && rng.Chance(0.4);
    const uint32_t item = report ? kContentReportBegin + rng.Below(kContentReportEnd - kContentReportBegin)
                          : channel == Channel::kCaseStudy
                              ? kContentCaseBegin + rng.Below(kContentCaseEnd - kContentCaseBegin)
                              : rng.Below(static_cast<uint32_t>(kContents.size()));
    w.Add(MessageKind::kContentViewed, item);
    if (rng.Chance(0.12)) w.Add(MessageKind::kContentShared, item);
  }
}

void DemoStory::EmitSignup(const DemoAccount& a, const DemoPerson& p, int32_t day, DemoRandom& rng,
                           std::vector<StoryRecord>* out) const {
  const DemoDay& cal = calendar_->Day(day);
  const uint32_t person = a.person_begin + p.local_index;
  const int64_t start = calendar_->SampleMoment(day, rng);
  if (p.local_index == 0) {
    SessionWriter w(out, &rng, start, cal.limit_ms, a.index, person);
    w.set_identity(Identity::kAnonymous);
    w.set_channel(p.channel, true);
    w.WebPage(kPageSignup);
    w.set_identity(Identity::kBrowser);
    w.Add(MessageKind::kIdentify);
    if (p.alias_on_signup) w.Add(MessageKind::kAlias);
    w.Add(MessageKind::kSignup, rng.Below(3));
    w.set_channel(p.channel, false);
    w.Add(MessageKind::kGroup, static_cast<uint32_t>(a.StageOn(day)));
    if (day == a.trial_day) w.Add(MessageKind::kTrialStarted, a.plan);
    return;
  }
  // Invited by the champion a little earlier the same day.
  const DemoPerson& champion = people_[a.person_begin];
  if (champion.signup_day <= day) {
    const int64_t invite_at = std::max(cal.start_ms, start - 60'000 - rng.Below(7'200'000));
    SessionWriter iw(out, &rng, invite_at, cal.limit_ms, a.index, a.person_begin);
    iw.Add(MessageKind::kInviteSent, static_cast<uint32_t>(p.role) | (static_cast<uint32_t>(p.local_index) << 8));
  }
  SessionWriter w(out, &rng, start, cal.limit_ms, a.index, person);
  w.set_channel(p.channel, false);
  w.Add(MessageKind::kIdentify);
  if (p.browses && p.alias_on_signup) w.Add(MessageKind::kAlias);
  w.Add(MessageKind::kSignup, kSignupMethodInvite);
  w.Add(MessageKind::kGroup, static_cast<uint32_t>(a.StageOn(day)));
}

void DemoStory::EmitSession(const DemoAccount& a, const DemoPerson& p, Stage stage, int32_t day,
                            DemoRandom& rng, std::vector<StoryRecord>* out) const {
  // Daily session chance on an ordinary weekday, by stage and role
  // (user, evaluator, budget_holder, decision_maker, signer).
  static constexpr std::array<std::array<double, kRoleCount>, 7> kBase = {{
      {0, 0, 0, 0, 0},                         // prospect
      {0.04, 0.04, 0.03, 0.03, 0.02},          // registered
      {0.5, 0.6, 0.15, 0.22, 0.3},             // trial
      {0.02, 0.02, 0.01, 0.01, 0.01},          // lapsed trial
      {0.55, 0.3, 0.1, 0.12, 0.02},            // customer
      {0.55, 0.3, 0.1, 0.12, 0.02},            // renewed
      {0, 0, 0, 0, 0},                         // churned
  }};
  const DemoDay& cal = calendar_->Day(day);
  const auto role = static_cast<size_t>(p.role);
  double chance = kBase[static_cast<size_t>(stage)][role] * cal.work_factor * a.engagement * p.activity;
  if (chance <= 0) return;
  if (stage == Stage::kCustomer || stage == Stage::kRenewed) {
    if (day - a.purchase_day < 30) chance *= 0.6 + 0.4 * (day - a.purchase_day) / 30.0;  // onboarding ramp
    if (a.churn_day != kNever && day > a.churn_day - 120) {
      chance *= std::max(0.1, (a.churn_day - day) / 120.0);  // usage fades before a churn
    }
  } else if (stage == Stage::kTrial && a.purchase_day == kNever && day > a.trial_day + 7) {
    chance *= std::max(0.15, 1.0 - (day - a.trial_day - 7) / 20.0);
  }
  if (!rng.Chance(std::min(chance, 0.95))) return;

  const int sessions = (p.role == Role::kUser || p.role == Role::kEvaluator) && rng.Chance(0.25) ? 2 : 1;
  const uint32_t person = a.person_begin + p.local_index;
  for (int s = 0; s < sessions; ++s) {
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index, person);
    if (rng.Chance(0.5)) w.Add(MessageKind::kLogin, a.plan == 2 && rng.Chance(0.6) ? 1 : rng.Below(3));
    if (rng.Chance(0.03)) w.Add(MessageKind::kIdentify);
    w.AppPage(0);
    const auto feature = [&](bool any) {
      uint32_t f = any ? rng.Below(static_cast<uint32_t>(kFeatures.size()))
                       : static_cast<uint32_t>(PickFrom(rng, kFeatureCdf));
      if ((f == 8 || f == 9) && a.plan == 0) f = 0;  // api_access and sso need a paid tier
      w.Add(MessageKind::kFeatureUsed, f);
    };
    switch (p.role) {
      case Role::kUser: {
        const int n = rng.Between(1, 6);
        for (int i = 0; i < n; ++i) {
          if (rng.Chance(0.3)) w.AppPage(1 + static_cast<int>(rng.Below(3)));
          feature(false);
        }
        if (rng.Chance(cal.month_end ? 0.2 : 0.07)) w.Add(MessageKind::kReportExported, rng.Below(4));
        break;
      }
      case Role::kEvaluator: {
        const int n = rng.Between(1, 5);
        for (int i = 0; i < n; ++i) feature(true);
        if (rng.Chance(0.3)) {
          w.set_channel(Channel::kWebsite, false);
          w.WebPage(kPageDocsBegin + static_cast<int>(rng.Below(kPageDocsEnd - kPageDocsBegin)));
        }
        break;
      }
      case Role::kBudgetHolder:
        w.AppPage(rng.Chance(0.5) ? 3 : kAppPageBilling);
        if (rng.Chance(0.25)) w.Add(MessageKind::kReportExported, 3);
        if (rng.Chance(0.2)) w.WebPage(kPagePricing);
        break;
      case Role::kDecisionMaker: {
        w.AppPage(2);
        const int n = rng.Between(0, 2);
        static constexpr std::array<uint32_t, 3> kDmFeatures = {0, 3, 11};
        for (int i = 0; i < n; ++i) w.Add(MessageKind::kFeatureUsed, kDmFeatures[rng.Below(3)]);
        if (rng.Chance(stage == Stage::kTrial ? 0.3 : 0.08)) w.WebPage(kPagePricing);
        if (rng.Chance(0.2)) w.WebPage(kPageCasesBegin + static_cast<int>(rng.Below(kPageCasesEnd - kPageCasesBegin)));
        if (rng.Chance(0.15)) {
          const uint32_t item = rng.Chance(0.6) ? kContentCaseBegin + rng.Below(kContentCaseEnd - kContentCaseBegin)
                                                : kContentReportBegin + rng.Below(kContentReportEnd - kContentReportBegin);
          w.set_channel(Channel::kCaseStudy, false);
          w.Add(MessageKind::kContentViewed, item);
          if (rng.Chance(0.15)) w.Add(MessageKind::kContentShared, item);
        }
        break;
      }
      case Role::kSigner:
        if (rng.Chance(0.5)) w.WebPage(kPagePricing);
        if (rng.Chance(0.5)) w.AppPage(kAppPageBilling);
        break;
    }
    if (rng.Chance(0.02)) {
      w.set_channel(Channel::kCaseStudy, false);
      w.Add(MessageKind::kContentViewed, rng.Below(static_cast<uint32_t>(kContents.size())));
    }
  }
}

void DemoStory::EmitWebinar(const DemoAccount& a, const DemoPerson& p, int32_t day,
                            std::vector<StoryRecord>* out) const {
  // The next webinar on or after `day` is number n or n + 1 (a webinar moves at most
  // a few days from its three-week slot).
  int32_t n = day >= 9 ? (day - 9) / 21 : 0;
  int32_t webinar_day = WebinarDay(n);
  if (webinar_day < day) webinar_day = WebinarDay(++n);
  if (webinar_day - day > 10) return;
  static constexpr std::array<uint32_t, kRoleCount> kPerMille = {35, 80, 40, 110, 10};
  const uint64_t h = Mix(seed_, p.key, static_cast<uint64_t>(n), 0x3EB1);
  if (h % 1000 >= kPerMille[static_cast<size_t>(p.role)]) return;
  const int32_t register_day = webinar_day - 1 - static_cast<int32_t>((h >> 12) % 10);
  const Identity identity = day < p.signup_day ? Identity::kAnonymous : Identity::kBrowser;
  const DemoDay& cal = calendar_->Day(day);
  DemoRandom rng(h);
  if (day == register_day) {
    SessionWriter w(out, &rng, calendar_->SampleMoment(day, rng), cal.limit_ms, a.index,
                    a.person_begin + p.local_index);
    w.set_identity(identity);
    w.set_channel(Channel::kWebinar, true);
    w.Add(MessageKind::kWebinarRegistered, static_cast<uint32_t>(n));
  } else if (day == webinar_day && register_day >= p.join_day && (h >> 24) % 100 < 45) {
    // Webinars start at 14:00 local; attendees join within the first half hour.
    SessionWriter w(out, &rng, cal.start_ms + 14 * 3'600'000 + rng.Below(1'800'000), cal.limit_ms, a.index,
                    a.person_begin + p.local_index);
    w.set_identity(identity);
    w.set_channel(Channel::kWebinar, true);
    w.Add(MessageKind::kWebinarAttended, static_cast<uint32_t>(n));
  }
}

void DemoStory::SimulateTrafficDay(int32_t day, uint64_t budget, std::vector<StoryRecord>* out) const {
  if (budget == 0) return;
  const DemoDay& cal = calendar_->Day(day);
  DemoRandom rng(Mix(seed_, 0x7AFF1C, static_cast<uint64_t>(day)));
  auto weights = kChannelWeights;
  if (IsConferenceWindow(cal)) {
    weights[static_cast<size_t>(Channel::kConference)] *= 5;
    weights[static_cast<size_t>(Channel::kBrochureQr)] *= 4;
  }
  const auto cdf = Cumulative(weights);
  const uint32_t sessions_per_day = static_cast<uint32_t>(std::max<uint64_t>(1, budget / 3));
  uint64_t emitted = 0;
  for (uint64_t s = 0; emitted < budget; ++s) {
    // A quarter of the sessions are visitors coming back from an earlier day.
    const bool returning = rng.Chance(0.25);
    const uint64_t visitor = returning ? Mix(seed_, 0x715, static_cast<uint64_t>(day - rng.Between(1, 30)),
                                             rng.Below(sessions_per_day))
                                       : Mix(seed_, 0x715, static_cast<uint64_t>(day), s);
    const auto channel = static_cast<Channel>(rng.Pick(cdf.data(), kChannelCount));
    std::vector<StoryRecord>::size_type before = out->size();
    // Drawn from the elapsed part of the day, so every session happens and the loop
    // meets the budget (which the generator already scaled by ElapsedShare).
    SessionWriter w(out, &rng, calendar_->SampleElapsedMoment(day, rng), cal.limit_ms, kNoAccount, 0);
    w.set_visitor(visitor);
    w.set_identity(Identity::kAnonymous);
    w.set_channel(channel, true);
    const uint64_t left = budget - emitted;
    w.WebPage(returning ? PickFrom(rng, kWebPageCdf) : LandingPage(channel));
    const int more = rng.Chance(0.5) ? rng.Between(1, 4) : 0;
    for (int i = 0; i < more && w.count() < left; ++i) w.WebPage(PickFrom(rng, kWebPageCdf));
    if (w.count() < left && rng.Chance(channel == Channel::kCaseStudy ? 0.4 : 0.05)) {
      const uint32_t item = channel == Channel::kCaseStudy
                                ? kContentCaseBegin + rng.Below(kContentCaseEnd - kContentCaseBegin)
                                : rng.Below(static_cast<uint32_t>(kContents.size()));
      w.Add(MessageKind::kContentViewed, item);
      if (w.count() < left && rng.Chance(0.08)) w.Add(MessageKind::kContentShared, item);
    }
    emitted += out->size() - before;
  }
}

}  // namespace tobops::demo
