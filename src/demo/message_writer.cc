#include "demo/message_writer.h"

#include <cassert>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace tobops::demo {
namespace {

using std::string_view;

constexpr std::array<string_view, kMessageKindCount> kEventNames = {
    "",              "",
    "",              "",
    "signup",        "trial_started",
    "feature_used",  "invite_sent",
    "demo_requested", "quote_requested",
    "purchase",      "renewal",
    "churned",       "recommended",
    "webinar_registered", "webinar_attended",
    "content_viewed", "content_shared",
    "login",         "report_exported"};

constexpr std::array<string_view, 8> kIpPrefixes = {"114.88", "61.135", "183.60", "120.79",
                                                    "223.104", "58.246", "101.227", "117.136"};
constexpr std::array<string_view, 3> kCampaignContents = {"hero_banner", "sidebar_cta", "footer_link"};
constexpr std::array<string_view, 8> kCities = {"上海", "北京", "深圳", "成都", "杭州", "武汉", "南京", "苏州"};
constexpr std::array<string_view, 4> kDemoProducts = {"account-insights", "product-analytics", "journey",
                                                      "private-deployment"};

// Appends into a fixed stack buffer: one bounds check per append, no reallocation.
// Every message is built from bounded catalogue strings (well under 2 KB), so running
// out of room is a programmer error (CHECK).
class Out {
 public:
  static constexpr size_t kCapacity = 16 * 1024;
  explicit Out(char* buffer) : begin_(buffer), p_(buffer), end_(buffer + kCapacity) {}

  Out& operator<<(string_view v) {
    Reserve(v.size());
    std::memcpy(p_, v.data(), v.size());
    p_ += v.size();
    return *this;
  }
  Out& operator<<(char c) {
    Reserve(1);
    *p_++ = c;
    return *this;
  }
  Out& Int(uint64_t v) {
    Reserve(24);
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
    return *this;
  }
  Out& Padded(uint64_t v, int width) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    Reserve(static_cast<size_t>(width) + 24);
    for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) *p_++ = '0';
    return *this << string_view(buf, static_cast<size_t>(r.ptr - buf));
  }
  Out& Hex(uint64_t v, int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    Reserve(static_cast<size_t>(digits));
    for (int i = digits - 1; i >= 0; --i) *p_++ = kHex[(v >> (4 * i)) & 15];
    return *this;
  }
  // "key":"value", preceded by a comma unless it opens an object.
  Out& Str(string_view key, string_view value) {
    Key(key);
    Reserve(value.size() + 2);
    *p_++ = '"';
    std::memcpy(p_, value.data(), value.size());
    p_ += value.size();
    *p_++ = '"';
    return *this;
  }
  Out& Num(string_view key, uint64_t value) {
    Key(key);
    return Int(value);
  }
  Out& Key(string_view key) {
    Reserve(key.size() + 4);
    if (p_ != begin_ && p_[-1] != '{') *p_++ = ',';
    *p_++ = '"';
    std::memcpy(p_, key.data(), key.size());
    p_ += key.size();
    *p_++ = '"';
    *p_++ = ':';
    return *this;
  }
  Out& Open(string_view key) {
    Key(key);
    return *this << '{';
  }
  Out& Close() { return *this << '}'; }
  Out& Time(int64_t ms) {
    Reserve(DemoCalendar::kTimestampLength + 2);
    *p_++ = '"';
    DemoCalendar::FormatTimestamp(ms, p_);
    p_ += DemoCalendar::kTimestampLength;
    *p_++ = '"';
    return *this;
  }
  string_view view() const { return {begin_, static_cast<size_t>(p_ - begin_)}; }

 private:
  void Reserve(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) std::abort();  // CHECK: catalogue strings are bounded
  }

  char* begin_;
  char* p_;
  char* end_;
};

void AppendUserId(Out& o, const DemoPerson& p) {
  o << "u-";
  o.Padded(p.account, 6) << '-';
  o.Padded(p.local_index, 2);
}

void AppendAnonymousId(Out& o, uint64_t key) {
  o << "anon-";
  o.Hex(key, 16);
}

uint64_t PersonAnonymousKey(const DemoPerson& p) { return Mix64(p.key ^ 0xA7011ULL); }

struct CompanyName {
  const NamePart* prefix;
  const NamePart* middle;
  uint32_t generation;
};

CompanyName CompanyNameParts(uint32_t index) {
  // (r, q) -> (prefix, q) is a bijection, so names repeat only across generations,
  // which get a city suffix.
  const uint32_t r = index % kCompanyPrefixes.size();
  const uint32_t q = index / static_cast<uint32_t>(kCompanyPrefixes.size());
  const uint32_t prefix = (r * 7 + q) % kCompanyPrefixes.size();
  return {&kCompanyPrefixes[prefix], &kCompanyMiddles[q % kCompanyMiddles.size()],
          q / static_cast<uint32_t>(kCompanyMiddles.size())};
}

void AppendCapitalized(Out& o, string_view s) {
  if (s.empty()) return;
  o << static_cast<char>(s[0] - 'a' + 'A') << s.substr(1);
}

void AppendCompanyName(Out& o, uint32_t index, int industry, bool english) {
  const CompanyName n = CompanyNameParts(index);
  if (english) {
    AppendCapitalized(o, n.prefix->pinyin);
    if (!n.middle->pinyin.empty()) {
      o << ' ';
      AppendCapitalized(o, n.middle->pinyin);
    }
    o << ' ' << kEnglishIndustryWords[static_cast<size_t>(industry)];
  } else {
    o << n.prefix->hanzi << n.middle->hanzi << kIndustryCompanyWords[static_cast<size_t>(industry)];
  }
  if (n.generation > 0) {
    const uint32_t g = n.generation - 1;
    o << (english ? " (" : "(") << kCities[g % kCities.size()];
    if (g >= kCities.size()) o.Int(g / kCities.size() + 1);
    o << ')';
  }
}

void AppendDomain(Out& o, const DemoAccount& a) {
  const CompanyName n = CompanyNameParts(a.index);
  o << n.prefix->pinyin << n.middle->pinyin;
  o.Int(a.index) << (a.region == kOverseasRegion ? ".com" : ".com.cn");
}

void AppendPersonName(Out& o, const DemoPerson& p, bool english) {
  if (english) {
    o << kEnglishGivenNames[(p.key >> 16) % kEnglishGivenNames.size()] << ' '
      << kEnglishSurnames[(p.key >> 24) % kEnglishSurnames.size()];
  } else {
    o << kSurnames[p.key % kSurnames.size()].hanzi << kGivenNames[(p.key >> 8) % kGivenNames.size()].hanzi;
  }
}

void AppendEmail(Out& o, const DemoPerson& p, const DemoAccount& a, bool english) {
  if (english) {
    string_view given = kEnglishGivenNames[(p.key >> 16) % kEnglishGivenNames.size()];
    string_view surname = kEnglishSurnames[(p.key >> 24) % kEnglishSurnames.size()];
    for (char c : given) o << static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    o << '.';
    for (char c : surname) o << static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  } else {
    o << kGivenNames[(p.key >> 8) % kGivenNames.size()].pinyin << '.'
      << kSurnames[p.key % kSurnames.size()].pinyin;
  }
  if (p.local_index > 0) o.Int(p.local_index);
  o << '@';
  AppendDomain(o, a);
}

}  // namespace

MessageWriter::MessageWriter(const DemoStory* story, const DemoCalendar* calendar)
    : story_(story), calendar_(calendar) {
  char buffer[Out::kCapacity];
  Out o(buffer);
  o << "dm-";
  o.Hex(Mix64(story->seed()), 8) << '-';
  message_id_prefix_ = std::string(o.view());
}

void MessageWriter::Write(const StoryRecord& r, uint64_t sequence, std::string* out) const {
  char buffer[Out::kCapacity];
  Out o(buffer);
  const bool has_person = r.account != kNoAccount;
  const DemoAccount* a = has_person ? &story_->accounts()[r.account] : nullptr;
  const DemoPerson* p = has_person ? &story_->people()[r.person] : nullptr;
  const bool english = a != nullptr && a->region == kOverseasRegion;
  const uint64_t anon_key = has_person ? PersonAnonymousKey(*p) : r.visitor;
  const uint64_t person_key = has_person ? p->key : r.visitor;

  string_view type = "track";
  switch (r.kind) {
    case MessageKind::kPage: type = "page"; break;
    case MessageKind::kIdentify: type = "identify"; break;
    case MessageKind::kGroup: type = "group"; break;
    case MessageKind::kAlias: type = "alias"; break;
    default: break;
  }
  o << "{\"type\":\"" << type << "\",\"messageId\":\"" << message_id_prefix_;
  o.Hex(sequence, 10) << '"';
  o.Key("timestamp").Time(r.timestamp_ms);
  const uint64_t noise = Mix(story_->seed(), sequence, 0x5E47);
  // No sentAt: the story is history loaded long after it happened, and ingest corrects
  // clock skew as Segment does (timestamp += receivedAt - sentAt), which would move
  // every message carrying a sentAt to the moment of loading — a spike on the last day.

  // Identifiers.
  if (r.kind == MessageKind::kAlias) {
    o.Key("previousId") << '"';
    AppendAnonymousId(o, anon_key);
    o << '"';
    o.Key("userId") << '"';
    AppendUserId(o, *p);
    o << '"';
  } else {
    if (r.identity != Identity::kAnonymous) {
      o.Key("userId") << '"';
      AppendUserId(o, *p);
      o << '"';
    }
    if (r.identity != Identity::kServer) {
      o.Key("anonymousId") << '"';
      AppendAnonymousId(o, anon_key);
      o << '"';
    }
  }
  const string_view channel = kChannels[static_cast<size_t>(r.channel)].name;
  const auto plan = [&]() { return kPlans[a->plan]; };

  // Body.
  bool page_context = false;
  string_view page_path, page_title;
  bool app_page = false;
  int prev_page = -1;
  switch (r.kind) {
    case MessageKind::kPage: {
      app_page = (r.arg & (1u << 16)) != 0;
      const PageInfo& page = app_page ? kAppPages[r.arg & 0xFF] : kWebPages[r.arg & 0xFF];
      prev_page = static_cast<int>((r.arg >> 8) & 0xFF) - 1;
      page_context = true;
      page_path = page.path;
      page_title = page.title;
      o.Str("name", page.name);
      o.Open("properties");
      break;
    }
    case MessageKind::kIdentify: {
      o.Open("traits");
      o.Key("email") << '"';
      AppendEmail(o, *p, *a, english);
      o << '"';
      o.Key("name") << '"';
      AppendPersonName(o, *p, english);
      o << '"';
      const auto role = static_cast<size_t>(p->role);
      o.Str("title", (english ? kEnglishTitles : kTitles)[role][(p->key >> 32) % 3]);
      o.Str("role", kRoleNames[role]);
      o.Key("company") << '"';
      AppendCompanyName(o, a->index, a->industry, english);
      o << '"';
      o.Close();
      break;
    }
    case MessageKind::kGroup: {
      o.Key("groupId") << "\"acc-";
      o.Padded(a->index, 6) << '"';
      o.Open("traits");
      o.Key("name") << '"';
      AppendCompanyName(o, a->index, a->industry, english);
      o << '"';
      o.Str("industry", kIndustries[a->industry]);
      o.Str("size", kSizes[a->size]);
      o.Str("region", kRegions[a->region]);
      o.Str("level", a->key_account ? "key" : "normal");
      o.Str("owner", kOwners[a->owner]);
      o.Str("plan", plan());
      const auto stage = static_cast<Stage>(r.arg);
      const bool paying = stage == Stage::kCustomer || stage == Stage::kRenewed;
      o.Num("arr", paying ? a->arr_cny : 0);
      o.Num("seats", a->seats);
      o.Str("lifecycle_stage", kStageNames[r.arg]);
      if (paying) {
        // Next renewal after the message's day.
        const int64_t day = (r.timestamp_ms - calendar_->Day(0).start_ms) / kMsPerDay;
        int64_t renewal = a->purchase_day + 365;
        while (renewal <= day) renewal += 365;
        char buf[DemoCalendar::kTimestampLength];
        DemoCalendar::FormatTimestamp(calendar_->Day(0).start_ms + renewal * kMsPerDay, buf);
        o.Str("renewal_date", string_view(buf, 10));
      }
      o.Close();
      break;
    }
    case MessageKind::kAlias:
      break;
    default:
      o.Str("event", kEventNames[static_cast<size_t>(r.kind)]);
      o.Open("properties");
      break;
  }

  // Properties of pages and tracks.
  switch (r.kind) {
    case MessageKind::kPage: {
      const string_view host = app_page ? kAppHost : kWebHost;
      const bool landing = !app_page && prev_page < 0 && (r.flags & kFlagCampaign) != 0 &&
                           r.channel != Channel::kWebsite;
      const auto url = [&]() {
        o << '"' << host << page_path;
        if (landing) {
          const ChannelInfo& ch = kChannels[static_cast<size_t>(r.channel)];
          o << "?utm_source=" << ch.sources[person_key % 3] << "&utm_medium=" << ch.medium
            << "&utm_campaign=" << ch.campaigns[(person_key >> 8) % 3];
        }
        o << '"';
      };
      const auto referrer = [&]() {
        o << '"';
        if (app_page) {
          if (page_path != kAppPages[0].path) o << kAppHost << kAppPages[0].path;
        } else if (prev_page >= 0) {
          o << kWebHost << kWebPages[static_cast<size_t>(prev_page)].path;
        } else if ((r.flags & kFlagCampaign) != 0) {
          o << kChannels[static_cast<size_t>(r.channel)].referrer;
        }
        o << '"';
      };
      o.Key("url");
      url();
      o.Str("path", page_path);
      o.Str("title", page_title);
      o.Key("referrer");
      referrer();
      o.Str("channel", channel);
      o.Close();
      // context.page is written below from the same values.
      o.Open("context");
      o.Open("page").Key("url");
      url();
      o.Key("referrer");
      referrer();
      o.Str("title", page_title).Close();
      break;
    }
    case MessageKind::kSignup:
      o.Str("channel", channel);
      o.Str("method", r.arg < kSignupMethods.size() ? kSignupMethods[r.arg] : string_view("invite"));
      o.Str("plan_interest", plan());
      break;
    case MessageKind::kTrialStarted:
      o.Str("plan", kPlans[r.arg]);
      o.Num("trial_days", static_cast<uint64_t>(a->trial_end_day - a->trial_day));
      break;
    case MessageKind::kFeatureUsed:
      o.Str("feature", kFeatures[r.arg]);
      o.Str("plan", plan());
      break;
    case MessageKind::kInviteSent: {
      const DemoPerson& invitee = story_->people()[a->person_begin + (r.arg >> 8)];
      o.Str("invitee_role", kRoleNames[r.arg & 0xFF]);
      o.Key("invitee_email") << '"';
      AppendEmail(o, invitee, *a, english);
      o << '"';
      break;
    }
    case MessageKind::kDemoRequested:
      o.Str("channel", channel);
      o.Str("product", kDemoProducts[(person_key >> 12) % kDemoProducts.size()]);
      break;
    case MessageKind::kQuoteRequested:
      o.Str("plan", plan());
      o.Num("seats", r.arg);
      break;
    case MessageKind::kPurchase:
      o.Num("amount", r.arg);
      o.Str("currency", "CNY");
      o.Str("plan", plan());
      o.Num("seats", a->seats);
      o.Key("order_id") << "\"SO-";
      o.Padded(a->index, 6) << '"';
      break;
    case MessageKind::kRenewal:
      o.Num("amount", r.arg);
      o.Str("currency", "CNY");
      o.Str("plan", plan());
      o.Num("term_months", 12);
      break;
    case MessageKind::kChurned:
      o.Str("reason", kChurnReasons[r.arg % kChurnReasons.size()]);
      o.Str("plan", plan());
      o.Num("arr", a->arr_cny);
      break;
    case MessageKind::kRecommended: {
      o.Str("channel", channel);
      o.Key("referred_company") << '"';
      AppendCompanyName(o, r.arg % 240, static_cast<int>(r.arg % 8), english);
      o << '"';
      break;
    }
    case MessageKind::kWebinarRegistered:
    case MessageKind::kWebinarAttended:
      o.Key("webinar_id") << "\"wb-";
      o.Padded(r.arg, 3) << '"';
      o.Str("title", kWebinarTitles[r.arg % kWebinarTitles.size()]);
      o.Str("channel", channel);
      if (r.kind == MessageKind::kWebinarAttended) o.Num("duration_min", 10 + (person_key >> 20) % 50);
      break;
    case MessageKind::kContentViewed:
    case MessageKind::kContentShared: {
      const ContentInfo& c = kContents[r.arg];
      o.Str("content_id", c.id);
      o.Str("content_type", c.type);
      o.Str("title", c.title);
      o.Str("channel", channel);
      if (r.kind == MessageKind::kContentShared) o.Str("share_to", kShareTargets[noise % kShareTargets.size()]);
      break;
    }
    case MessageKind::kLogin:
      o.Str("method", kLoginMethods[r.arg % kLoginMethods.size()]);
      break;
    case MessageKind::kReportExported:
      o.Str("report", kReports[r.arg % kReports.size()]);
      o.Str("format", kExportFormats[(noise >> 16) % kExportFormats.size()]);
      break;
    default:
      break;
  }
  const bool track = r.kind != MessageKind::kPage && r.kind != MessageKind::kIdentify &&
                     r.kind != MessageKind::kGroup && r.kind != MessageKind::kAlias;
  if (track) o.Close();

  // Context.
  if (!page_context) o.Open("context");
  if (has_person && r.identity != Identity::kAnonymous) {
    o.Key("groupId") << "\"acc-";
    o.Padded(a->index, 6) << '"';
  }
  if ((r.flags & kFlagCampaign) != 0) {
    const ChannelInfo& ch = kChannels[static_cast<size_t>(r.channel)];
    o.Open("campaign");
    o.Str("source", ch.sources[person_key % 3]);
    o.Str("medium", ch.medium);
    o.Str("name", ch.campaigns[(person_key >> 8) % 3]);
    if (r.channel == Channel::kSem) o.Str("term", kSemKeywords[(person_key >> 16) % kSemKeywords.size()]);
    o.Str("content", kCampaignContents[(person_key >> 28) % kCampaignContents.size()]);
    o.Close();
  }
  if (r.identity == Identity::kServer) {
    o.Open("library").Str("name", "analytics-node").Str("version", "2.1.0").Close();
  } else {
    o.Key("ip") << '"' << kIpPrefixes[person_key % kIpPrefixes.size()] << '.';
    o.Int((person_key >> 8) & 0xFF) << '.';
    o.Int((person_key >> 16) % 254 + 1) << '"';
    o.Str("userAgent", kUserAgents[(person_key >> 40) % kUserAgents.size()]);
    o.Str("locale", english ? "en-US" : "zh-CN");
    o.Open("library").Str("name", "analytics.js").Str("version", "4.1.0").Close();
  }
  o.Close();  // context
  o.Close();  // message
  out->assign(o.view());
}

}  // namespace tobops::demo
