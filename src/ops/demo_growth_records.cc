#include "ops/demo_growth_records.h"

#include "ops/lead_scoring.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "common/time_format.h"
#include "demo/demo_catalog.h"
#include "demo/demo_random.h"
#include "ops/demo_replay.h"
#include "ops/partner_points.h"
#include "ops/sales_records.h"
#include "ops/timeline_outbox.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"

namespace tobops::ops {
namespace {

using nlohmann::json;
using Rng = demo::DemoRandom;
using sv = std::string_view;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// ---- the words of the demo -------------------------------------------------------

struct CampaignText {
  sv utm_campaign;
  sv channel;  // demo channel whose events carry the utm_campaign
  sv type;     // campaigns.type
  sv name, theme;
  int budget_low, budget_high;  // CNY thousands
  sv industries;                // comma separated ("" = any)
  sv roles;
};
constexpr std::array<CampaignText, 15> kCampaigns = {{
    {"b2b_growth_live", "webinar", "webinar", "B2B 增长运营直播系列", "从线索到续费的全链路增长",
     30, 60, "", "user,evaluator"},
    {"abm_masterclass", "webinar", "webinar", "ABM 大师课", "锁定关键客户的 ABM 方法", 40, 80,
     "金融,制造业", "decision_maker,budget_holder"},
    {"renewal_playbook", "webinar", "webinar", "续费保卫战直播", "用健康分守住续费率", 30, 50,
     "零售,互联网", "user,decision_maker"},
    {"summit_booth", "conference", "conference_attended", "B2B 增长峰会展位", "展位演示与线索收集",
     150, 300, "", "decision_maker,evaluator"},
    {"keynote_followup", "conference", "conference_hosted", "年度客户大会主题演讲",
     "主题演讲后续跟进", 200, 400, "", "decision_maker"},
    {"vip_dinner", "conference", "conference_hosted", "CIO 闭门晚宴", "高层关系与标杆客户", 80,
     150, "金融,能源,制造业", "decision_maker,signer"},
    {"sem_brand", "sem", "sem", "品牌词搜索投放", "品牌词", 60, 120, "", ""},
    {"sem_competitor", "sem", "sem", "竞品词搜索投放", "竞品词拦截", 80, 160, "", ""},
    {"sem_solution", "sem", "sem", "解决方案词搜索投放", "解决方案词", 60, 120, "", ""},
    {"product_walkthrough", "video", "online_promotion", "产品演示短视频", "B 站与视频号投放", 20,
     50, "互联网", "user"},
    {"customer_story_video", "video", "online_promotion", "客户故事视频", "标杆客户故事", 30, 60,
     "", "decision_maker"},
    {"case_manufacturing", "case_study", "online_promotion", "制造业案例推广", "制造业案例", 15,
     30, "制造业", "evaluator,decision_maker"},
    {"marketplace_listing", "partner", "partner", "云市场上架推广", "云市场联合推广", 20, 40, "",
     ""},
    {"joint_solution", "partner", "partner", "伙伴联合解决方案", "联合解决方案发布", 50, 100,
     "制造业,能源", "evaluator"},
    {"co_selling", "partner", "partner", "伙伴联合销售计划", "联合销售激励", 40, 80, "", ""},
}};
constexpr std::array<sv, 4> kWebinarChecklist = {"确定讲师与议题", "发布报名页与邮件邀约",
                                                 "直播彩排", "会后回放与线索分配"};
constexpr std::array<sv, 4> kConferenceChecklist = {"确认展位与物料", "预约客户会面",
                                                    "现场线索登记", "会后 48 小时内回访"};
constexpr std::array<sv, 3> kOnlineChecklist = {"素材准备", "投放上线", "效果复盘"};
constexpr sv kMarketingOwner = "市场部 林晓";
constexpr std::array<sv, 2> kMarketers = {"林晓", "苏婷"};

struct ContentText {
  sv id;           // demo content id (content_key)
  sv kind;         // content_items.kind
  sv industry;     // "" = any
  sv channel;      // where it is published
  sv page_path;    // "" = none
};
constexpr std::array<ContentText, 12> kContentTexts = {{
    {"cs-mfg-01", "case_study", "制造业", "官网", "/cases/manufacturing-digital"},
    {"cs-fin-01", "case_study", "金融", "官网", "/cases/finance-abm"},
    {"cs-retail-01", "case_study", "零售", "官网", "/cases/retail-renewal"},
    {"cs-net-01", "case_study", "互联网", "LinkedIn", ""},
    {"wp-abm-2026", "whitepaper", "", "微信公众号", ""},
    {"wp-decision-chain", "whitepaper", "", "微信公众号", ""},
    {"ir-mfg-2026", "industry_report", "制造业", "知乎", ""},
    {"ir-saas-renewal", "industry_report", "", "微信公众号", ""},
    {"ir-health-it", "industry_report", "医疗", "知乎", ""},
    {"vd-onboarding", "product_material", "", "B 站", ""},
    {"bl-funnel-guide", "technical_sharing", "", "官网博客", "/blog/b2b-funnel-guide"},
    {"bl-health-score", "technical_sharing", "", "官网博客", ""},
}};
// utm_campaign of the case_study channel → the content the lead read.
constexpr std::array<std::pair<sv, sv>, 3> kCaseCampaignContent = {
    {{"case_manufacturing", "cs-mfg-01"}, {"case_finance", "cs-fin-01"}, {"case_retail", "cs-retail-01"}}};

struct PartnerText {
  sv key;         // utm_source of the partner channel ("" = no channel of its own)
  sv name, kind, certification, region, contact, owner;
};
constexpr std::array<PartnerText, 5> kPartnerTexts = {{
    {"aliyun_market", "阿里云市场", "reseller", "gold", "华东", "阿里云 ISV 经理 周婷", "王磊"},
    {"huawei_cloud", "华为云", "reseller", "silver", "华南", "华为云生态经理 陈凯", "刘洋"},
    {"si_partner", "神州数码", "integrator", "gold", "华北", "解决方案部 赵刚", "李娜"},
    {"", "软通动力", "integrator", "silver", "华东", "交付中心 钱进", "陈静"},
    {"", "东软集团", "supplier", "bronze", "华北", "渠道部 孙悦", "杨帆"},
}};

constexpr std::array<sv, 5> kInvalidReasons = {"联系方式无效", "学生或求职者", "竞争对手调研",
                                               "重复线索", "暂无采购需求"};
constexpr std::array<sv, 5> kMilestones = {"合同签署", "数据接入完成", "团队上线培训",
                                           "首次业务复盘", "续约评估"};
constexpr std::array<int, 5> kMilestoneDays = {0, 14, 30, 90, 300};
constexpr std::array<sv, 2> kCsm = {"韩梅", "曹阳"};

// ---- the planner -----------------------------------------------------------------

class Planner {
 public:
  explicit Planner(const DemoGrowthInput& in) : in_(in) {
    for (const auto& c : in_.contacts) {
      if (!c.person_id.empty()) contact_of_[c.person_id] = &c;
    }
    for (const auto& a : in_.accounts) account_of_[a.id] = &a;
    start_ms_ = in_.story_start_ms > 0 ? in_.story_start_ms : in_.end_ms - 365 * kDay;
  }

  std::vector<DemoRecordWrite> Run() {
    Partners();
    Content();
    Campaigns();
    Playbooks();
    Members();
    Leads();
    Renewals();
    Milestones();
    Ledgers();
    GoalsAndStrategies();
    std::stable_sort(writes_.begin(), writes_.end(),
                     [](const DemoRecordWrite& x, const DemoRecordWrite& y) { return x.at_ms < y.at_ms; });
    return std::move(writes_);
  }

 private:
  // Adds a write when it falls before the story's end; returns whether it did.
  bool Add(int64_t at, bool update, sv resource, std::string key, json fields) {
    if (at >= in_.end_ms) return false;
    writes_.push_back({at, update, std::string(resource), std::move(key), std::move(fields)});
    return true;
  }
  static json Plan(const std::string& key) { return json{{"$plan", key}}; }
  Rng RngFor(sv what, uint64_t n = 0) const { return Rng(demo::Mix(in_.seed, DemoFnv(what), n)); }

  std::string Date(int64_t ms) const {
    const auto tp = std::chrono::time_point_cast<cctz::seconds>(
        std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
    const cctz::civil_day d(cctz::convert(tp, in_.zone));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
    return buf;
  }
  static std::string Iso(int64_t ms) { return FormatIso8601Ms(ms, cctz::utc_time_zone()); }
  static double Thousands(Rng& rng, int low, int high) { return 1000.0 * rng.Between(low, high); }

  // Before everything else: partners and content exist when the story starts.
  int64_t Setup() const { return start_ms_ - 30 * kDay; }

  void Partners() {
    for (size_t i = 0; i < kPartnerTexts.size(); ++i) {
      const PartnerText& p = kPartnerTexts[i];
      json fields = {{"name", p.name},       {"kind", p.kind},       {"certification", p.certification},
                     {"region", p.region},   {"contact", p.contact}, {"owner", p.owner}};
      if (!p.key.empty()) fields["notes"] = "渠道来源 utm_source=" + std::string(p.key);
      if (const int64_t account = PartnerAccount(i); account > 0) fields["account_id"] = account;
      Add(Setup(), false, "partners", PartnerKey(i), std::move(fields));
    }
  }
  // Partner companies that are also customers: the three partners with ledgers of their
  // own deals (0–2) are linked to paying, never churned accounts spread over the id
  // order, so those account pages show the partner's points (partner_points_recorded)
  // and their onboarding milestones. Partners 3–4 stay without an account.
  int64_t PartnerAccount(size_t i) const {
    constexpr size_t kLinked = 3;
    std::vector<int64_t> paying;
    for (const auto& a : in_.accounts) {
      if (a.purchase_ms > 0 && a.churn_ms == 0) paying.push_back(a.id);
    }
    std::sort(paying.begin(), paying.end());
    if (i >= kLinked || paying.empty()) return 0;
    if (paying.size() < kLinked) return i < paying.size() ? paying[i] : 0;
    return paying[i * paying.size() / kLinked];
  }
  static std::string PartnerKey(size_t i) { return "partner:" + std::to_string(i); }
  static int PartnerOfSource(sv source) {
    for (size_t i = 0; i < kPartnerTexts.size(); ++i) {
      if (!kPartnerTexts[i].key.empty() && kPartnerTexts[i].key == source) return static_cast<int>(i);
    }
    return -1;
  }

  void Content() {
    for (size_t i = 0; i < demo::kContents.size(); ++i) {
      const auto& c = demo::kContents[i];
      const ContentText& t = kContentTexts[i];
      Rng rng = RngFor("content", i);
      const int64_t published = Setup() - rng.Between(0, 120) * kDay;
      json fields = {{"title", c.title},
                     {"kind", t.kind},
                     {"industry", t.industry},
                     {"channel", t.channel},
                     {"url", std::string(demo::kWebHost) + "/resources/" + std::string(c.id)},
                     {"content_key", c.id},
                     {"published_on", Date(published)},
                     {"owner", kMarketers[i % kMarketers.size()]},
                     {"shares", rng.Between(20, 300)},
                     {"media_reposts", rng.Between(0, 12)},
                     {"exposure", rng.Between(2'000, 40'000)},
                     {"summary", std::string(c.title) + "。"}};
      if (!t.page_path.empty()) fields["page_path"] = t.page_path;
      Add(published, false, "content_items", ContentKey(c.id), std::move(fields));
    }
  }
  static std::string ContentKey(sv id) { return "content:" + std::string(id); }

  // Campaigns seen in the events: one per utm_campaign of kCampaigns.
  void Campaigns() {
    for (size_t i = 0; i < kCampaigns.size(); ++i) {
      const CampaignText& c = kCampaigns[i];
      const auto seen = in_.utm_seen.find(std::string(c.utm_campaign));
      if (seen == in_.utm_seen.end()) continue;
      const auto [first, last] = seen->second;
      Rng rng = RngFor(c.utm_campaign);
      const double budget = Thousands(rng, c.budget_low, c.budget_high);
      const std::string key = CampaignKey(c.utm_campaign);
      const bool done = last < in_.end_ms - 14 * kDay;
      const sv* tasks = c.type == "webinar" ? kWebinarChecklist.data()
                        : c.channel == "conference" ? kConferenceChecklist.data()
                                                    : kOnlineChecklist.data();
      const size_t task_count = c.type == "webinar" || c.channel == "conference" ? 4 : 3;
      json checklist = json::array();
      for (size_t t = 0; t < task_count; ++t) {
        checklist.push_back({{"task", tasks[t]},
                             {"owner", kMarketers[(i + t) % kMarketers.size()]},
                             {"due_date", Date(first - static_cast<int64_t>(task_count - t) * 3 * kDay)},
                             {"done", done || t + 1 < task_count}});
      }
      json fields = {{"name", c.name},
                     {"type", c.type},
                     {"theme", c.theme},
                     {"starts_on", Date(first)},
                     {"ends_on", Date(last)},
                     {"budget", budget},
                     {"owner", kMarketingOwner},
                     {"status", "running"},
                     {"utm_campaign", c.utm_campaign},
                     {"target_industries", DemoSplitList(c.industries)},
                     {"target_roles", DemoSplitList(c.roles)},
                     {"checklist", std::move(checklist)}};
      const int64_t created = first - 21 * kDay;
      Add(created, false, "campaigns", key, std::move(fields));
      campaign_created_[std::string(c.utm_campaign)] = created;
      // Costs land when the campaign closes (or as of today while it runs).
      const double cost = std::round(budget * (0.75 + 0.35 * rng.Uniform()) / 100.0) * 100.0;
      if (done) {
        Add(last + kDay, true, "campaigns", key, {{"status", "done"}, {"actual_cost", cost}});
      } else {
        Add(in_.end_ms - kHour, true, "campaigns", key, {{"actual_cost", std::round(cost * 0.6)}});
      }
    }
  }
  std::string CampaignKey(sv utm) const { return "campaign:" + std::string(utm); }
  bool HasCampaign(const std::string& utm) const { return campaign_created_.count(utm) > 0; }

  void Playbooks() {
    const int64_t at = Setup();
    Add(at, false, "playbooks", "playbook:seats",
        {{"name", "活跃席位下降预警"},
         {"rule", "active_seats_drop"},
         {"threshold", 30},
         {"window_days", 14},
         {"enabled", true},
         {"task_title", "活跃席位下降，安排客户回访"},
         {"owner", kCsm[0]},
         {"notes", "近 14 天活跃人数比前 14 天下降 30% 以上时开任务。"}});
    Add(at, false, "playbooks", "playbook:dm",
        {{"name", "决策人不活跃"},
         {"rule", "no_decision_maker_active"},
         {"window_days", 30},
         {"enabled", true},
         {"task_title", "决策人 30 天未活跃，安排高层沟通"},
         {"owner", kCsm[1]}});
    Add(at, false, "playbooks", "playbook:trial",
        {{"name", "试用期功能使用不足"},
         {"rule", "trial_low_feature_use"},
         {"threshold", 3},
         {"window_days", 7},
         {"enabled", true},
         {"task_title", "试用客户功能使用不足，安排上手指导"},
         {"notes", "负责人为空时任务交给客户负责人。"}});
  }

  json MemberFields(const GrowthContactFacts& c, const std::string& utm) const {
    json fields = {{"campaign_id", Plan(CampaignKey(utm))}, {"name", c.name.empty() ? c.person_id : c.name},
                   {"contact_id", c.id}};
    if (!c.email.empty()) fields["email"] = c.email;
    if (!c.phone.empty()) fields["phone"] = c.phone;
    if (!c.title.empty()) fields["title"] = c.title;
    if (!c.role.empty()) fields["role"] = c.role;
    if (c.account_id != 0) {
      fields["account_id"] = c.account_id;
      const auto a = account_of_.find(c.account_id);
      if (a != account_of_.end()) fields["company"] = a->second->name;
    }
    return fields;
  }

  // One member per (campaign, person): from webinar events, and conference signups.
  void Members() {
    struct Seen {
      int64_t registered = 0, attended = 0;
    };
    std::map<std::pair<std::string, std::string>, Seen> seen;  // (utm, person) → times
    for (const auto& e : in_.webinar_events) {
      if (!HasCampaign(e.utm_campaign) || contact_of_.count(e.person_id) == 0) continue;
      Seen& s = seen[{e.utm_campaign, e.person_id}];
      int64_t& slot = e.attended ? s.attended : s.registered;
      if (slot == 0) slot = e.at_ms;
    }
    for (const auto& [key, s] : seen) {
      const auto& [utm, person] = key;
      const GrowthContactFacts& c = *contact_of_.at(person);
      const std::string plan_key = "member:" + utm + ":" + person;
      json fields = MemberFields(c, utm);
      if (s.registered != 0 && (s.attended == 0 || s.registered < s.attended)) {
        fields["status"] = "registered";
        fields["registered_at"] = Iso(s.registered);
        Add(std::max(s.registered, campaign_created_[utm] + kMinute), false, "campaign_members", plan_key,
            std::move(fields));
        if (s.attended != 0) {
          Add(s.attended, true, "campaign_members", plan_key, {{"status", "attended"}});
        } else {
          // The webinar is at most ten days after the registration.
          Add(s.registered + 11 * kDay, true, "campaign_members", plan_key, {{"status", "no_show"}});
        }
      } else if (s.attended != 0) {
        fields["status"] = "attended";
        Add(std::max(s.attended, campaign_created_[utm] + kMinute), false, "campaign_members", plan_key,
            std::move(fields));
      }
    }
    // People who signed up through a conference met us there.
    for (const auto& [account_id, signup] : in_.signups) {
      if (signup.channel != "conference" || !HasCampaign(signup.utm_campaign)) continue;
      const auto c = contact_of_.find(signup.person_id);
      if (c == contact_of_.end()) continue;
      json fields = MemberFields(*c->second, signup.utm_campaign);
      fields["status"] = "attended";
      fields["registered_at"] = Iso(signup.at_ms - kDay);
      Add(std::max(signup.at_ms, campaign_created_[signup.utm_campaign] + kMinute), false, "campaign_members",
          "member:" + signup.utm_campaign + ":" + signup.person_id, std::move(fields));
    }
  }

  // One lead per account: its first signup, with the source its channel says.
  void Leads() {
    for (const auto& [account_id, s] : in_.signups) {
      const auto a_it = account_of_.find(account_id);
      const auto c_it = contact_of_.find(s.person_id);
      if (a_it == account_of_.end() || c_it == contact_of_.end()) continue;
      const DemoAccountFacts& a = *a_it->second;
      const GrowthContactFacts& c = *c_it->second;
      Rng rng = RngFor("lead", static_cast<uint64_t>(account_id));
      const std::string key = "lead:" + std::to_string(account_id);
      json fields = {{"name", a.name + " - " + (c.name.empty() ? c.person_id : c.name)},
                     {"contact_id", c.id},
                     {"account_id", account_id},
                     {"channel", s.channel},
                     {"owner", a.owner.empty() ? std::string(kMarketers[0]) : a.owner},
                     {"validity", "pending"},
                     {"status", "new"}};
      std::string source = "channel";
      if (s.channel == "partner") {
        const int p = PartnerOfSource(s.utm_source);
        if (p >= 0) {
          source = "partner";
          fields["partner_id"] = Plan(PartnerKey(static_cast<size_t>(p)));
        }
      } else if (s.channel == "sem") {
        source = "keyword";
        fields["keyword"] = s.utm_term.empty() ? std::string(demo::kSemKeywords[rng.Below(12)]) : s.utm_term;
      } else if (s.channel == "case_study") {
        for (const auto& [utm, content] : kCaseCampaignContent) {
          if (utm == s.utm_campaign) {
            source = "content";
            fields["content_id"] = Plan(ContentKey(content));
          }
        }
      } else if (s.channel == "webinar" || s.channel == "conference" || s.channel == "video") {
        if (HasCampaign(s.utm_campaign)) source = "campaign";
      }
      if (HasCampaign(s.utm_campaign)) fields["campaign_id"] = Plan(CampaignKey(s.utm_campaign));
      fields["source"] = source;
      const int64_t created = s.at_ms + 5 * kMinute;
      if (!Add(created, false, "leads", key, std::move(fields))) continue;

      // The first response: most within hours, some after days, one in ten never.
      if (rng.Chance(0.1)) continue;
      const int64_t responded =
          created + (rng.Chance(0.7) ? rng.Between(10, 8 * 60) * kMinute : rng.Between(1, 5) * kDay);
      const bool engaged = a.trial_ms > 0 || a.demo_ms > 0 || a.purchase_ms > 0;
      json response = {{"first_response_at", Iso(responded)}, {"status", "contacted"}};
      if (!engaged && rng.Chance(0.4)) {
        response["validity"] = "invalid";
        response["invalid_reason"] = kInvalidReasons[rng.Below(kInvalidReasons.size())];
        response["status"] = "disqualified";
        Add(responded, true, "leads", key, std::move(response));
        continue;
      }
      response["validity"] = "valid";
      if (!Add(responded, true, "leads", key, std::move(response))) continue;
      int64_t last = responded;
      const int64_t qualified = a.demo_ms > 0 ? a.demo_ms : a.quote_ms;
      if (qualified > last) {
        Add(qualified, true, "leads", key, {{"status", "qualified"}});
        last = qualified;
      }
      if (a.purchase_ms > last) Add(a.purchase_ms, true, "leads", key, {{"status", "converted"}});
    }
  }

  static std::string ChurnReasonZh(const std::string& reason) {
    for (const auto& [code, zh] : kDemoChurnReasonZh) {
      if (code == reason) return std::string(zh);
    }
    return reason.empty() ? "客户未续约" : reason;
  }

  // A renewal record per renewal event (signed), per churn (lost), and the account's
  // next renewal_date (upcoming / in progress).
  void Renewals() {
    for (const auto& a : in_.accounts) {
      const std::string owner = a.owner.empty() ? std::string(kCsm[0]) : a.owner;
      std::set<std::string> dates;
      size_t n = 0;
      const auto renewal = [&](int64_t at, double arr, const char* outcome, const std::string& reason) {
        const std::string key = "renewal:" + std::to_string(a.id) + ":" + std::to_string(n++);
        const std::string date = Date(at);
        dates.insert(date);
        json fields = {{"account_id", a.id}, {"renewal_date", date}, {"owner", owner}, {"status", "upcoming"}};
        if (arr > 0) fields["arr"] = arr;
        Add(at - 90 * kDay, false, "renewals", key, std::move(fields));
        Add(at - 30 * kDay, true, "renewals", key, {{"status", "in_progress"}});
        json done = {{"status", outcome}};
        if (!reason.empty()) done["lost_reason"] = reason;
        Add(at, true, "renewals", key, std::move(done));
      };
      for (const auto& r : a.renewals) {
        if (a.churn_ms > 0 && r.at_ms > a.churn_ms) continue;  // not after the churn
        renewal(r.at_ms, r.amount > 0 ? r.amount : a.arr, "signed", "");
      }
      if (a.churn_ms > 0) renewal(a.churn_ms, a.arr, "lost", ChurnReasonZh(a.churn_reason));
      if (a.churn_ms > 0 || a.renewal_date.empty() || dates.count(a.renewal_date) > 0) continue;
      auto day = ParseCivilDay(a.renewal_date);
      if (!day.ok()) continue;
      const auto tp = cctz::convert(cctz::civil_second(*day), in_.zone);
      const int64_t due = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
      if (due < in_.end_ms - 30 * kDay) continue;  // a past date the story did not renew: leave it to the account
      const std::string key = "renewal:" + std::to_string(a.id) + ":next";
      const int64_t created = std::min(due - 90 * kDay, in_.end_ms - 2 * kHour);
      json fields = {{"account_id", a.id}, {"renewal_date", a.renewal_date}, {"owner", owner}, {"status", "upcoming"}};
      if (a.arr > 0) fields["arr"] = a.arr;
      if (!Add(created, false, "renewals", key, std::move(fields))) continue;
      const int64_t started = std::max(created + kMinute, due - 45 * kDay);
      Add(started, true, "renewals", key, {{"status", "in_progress"}});
    }
  }

  // Onboarding milestones of every paying account.
  void Milestones() {
    for (const auto& a : in_.accounts) {
      if (a.purchase_ms == 0) continue;
      const std::string owner(kCsm[static_cast<size_t>(a.id) % kCsm.size()]);
      for (size_t i = 0; i < kMilestones.size(); ++i) {
        const int64_t due = a.purchase_ms + kMilestoneDays[i] * kDay;
        const std::string key = "milestone:" + std::to_string(a.id) + ":" + std::to_string(i);
        json fields = {{"account_id", a.id}, {"name", kMilestones[i]}, {"position", static_cast<int>(i + 1)},
                       {"due_date", Date(due)}, {"owner", owner}, {"status", "pending"}};
        if (!Add(a.purchase_ms + kMinute, false, "milestones", key, std::move(fields))) break;
        const bool churned_before = a.churn_ms > 0 && a.churn_ms < due;
        if (churned_before) continue;
        Rng rng = RngFor("milestone", static_cast<uint64_t>(a.id) * 8 + i);
        const int64_t done = due + rng.Between(-3, 5) * kDay;
        if (done <= a.purchase_ms) {
          Add(a.purchase_ms + 2 * kMinute, true, "milestones", key, {{"status", "done"}, {"done_on", Date(a.purchase_ms)}});
        } else if (!Add(done, true, "milestones", key, {{"status", "done"}, {"done_on", Date(done)}})) {
          if (due - 7 * kDay < in_.end_ms) Add(std::max(a.purchase_ms + 2 * kMinute, due - 7 * kDay), true,
                                               "milestones", key, {{"status", "in_progress"}});
        }
      }
    }
  }

  // Partner ledgers: points earned on their accounts' milestones, quarterly redemptions
  // of half the balance, penalties on churn (never more than the balance).
  void Ledgers() {
    struct Entry {
      int64_t at;
      int partner;
      const char* kind;
      int64_t points;
      std::string reason;
    };
    std::vector<Entry> earned;
    for (const auto& a : in_.accounts) {
      int partner = -1;
      const auto s = in_.signups.find(a.id);
      if (s != in_.signups.end() && s->second.channel == "partner") partner = PartnerOfSource(s->second.utm_source);
      if (partner < 0 && a.purchase_ms > 0 && DemoFnv(a.group_id) % 9 == 0) {
        partner = 3 + static_cast<int>(DemoFnv(a.group_id) % 2);  // delivery by an integrator
      }
      if (partner < 0) continue;
      Rng rng = RngFor("points", static_cast<uint64_t>(a.id));
      if (a.demo_ms > 0 && partner < 3) earned.push_back({a.demo_ms + kHour, partner, "presales", 80, "售前支持：" + a.name});
      if (a.quote_ms > 0 && partner < 3)
        earned.push_back({a.quote_ms + kHour, partner, "quote", 50 + 2 * a.quote_seats, "报价协助：" + a.name});
      if (a.purchase_ms > 0) {
        if (partner < 3) {
          const int64_t reward = std::max<int64_t>(50, static_cast<int64_t>(a.purchase_amount / 1000));
          earned.push_back({a.purchase_ms + kHour, partner, "reward", reward, "成交奖励：" + a.name});
        }
        earned.push_back({a.purchase_ms + 30 * kDay, partner, "delivery_rating", rng.Between(60, 120),
                          "交付评分：" + a.name});
      }
      if (a.churn_ms > 0 && a.purchase_ms > 0) earned.push_back({a.churn_ms + kHour, partner, "penalty", -100, "客户流失：" + a.name});
    }
    std::stable_sort(earned.begin(), earned.end(), [](const Entry& x, const Entry& y) { return x.at < y.at; });
    std::array<int64_t, kPartnerTexts.size()> balance{};
    std::array<int64_t, kPartnerTexts.size()> next_redeem{};
    std::array<int, kPartnerTexts.size()> count{};
    for (auto& t : next_redeem) t = start_ms_ + 90 * kDay;
    const auto write = [&](int64_t at, int p, const char* kind, int64_t points, const std::string& reason) {
      const std::string key = "points:" + std::to_string(p) + ":" + std::to_string(count[p]++);
      json fields = {{"partner_id", Plan(PartnerKey(static_cast<size_t>(p)))},
                     {"kind", kind},
                     {"points", points},
                     {"reason", reason},
                     {"idempotency_key", "demo-" + std::to_string(in_.seed) + "-" + key},
                     {"recorded_by", "demo"}};
      if (Add(at, false, "point_entries", key, std::move(fields))) balance[p] += points;
    };
    const auto redeem_until = [&](int p, int64_t at) {
      while (next_redeem[p] <= at && next_redeem[p] < in_.end_ms) {
        const int64_t amount = balance[p] / 2 / 100 * 100;
        if (amount >= 200) write(next_redeem[p], p, "redemption", -amount, "兑换市场发展基金");
        next_redeem[p] += 90 * kDay;
      }
    };
    for (const auto& e : earned) {
      redeem_until(e.partner, e.at);
      int64_t points = e.points;
      if (points < 0) points = -std::min<int64_t>(-points, balance[e.partner]);
      if (points == 0) continue;
      write(e.at, e.partner, e.kind, points, e.reason);
    }
    for (int p = 0; p < static_cast<int>(kPartnerTexts.size()); ++p) redeem_until(p, in_.end_ms);
  }

  // Monthly averages of what the story did, so targets are within reach of the data.
  void GoalsAndStrategies() {
    const double months = std::max(1.0, double(in_.end_ms - start_ms_) / (30.0 * kDay));
    size_t attended = 0, renewals = 0, purchases = 0;
    for (const auto& e : in_.webinar_events) attended += e.attended ? 1 : 0;
    for (const auto& a : in_.accounts) {
      renewals += a.renewals.size();
      purchases += a.purchase_ms > 0 ? 1 : 0;
    }
    const auto target = [](double v, double factor, double minimum) {
      return std::max(minimum, std::round(v * factor));
    };
    const std::string year_start = Date(start_ms_).substr(0, 4) + "-01-01";
    const std::string year_end = Date(in_.end_ms).substr(0, 4) + "-12-31";
    const int64_t at = Setup();
    const auto goal = [&](const std::string& key, sv name, sv metric, const json& query, double t, sv period,
                          sv owner) {
      Add(at, false, "goals", key,
          {{"name", name}, {"metric", metric}, {"query", query.dump()}, {"target", t}, {"period", period},
           {"starts_on", year_start}, {"ends_on", year_end}, {"owner", owner}});
    };
    goal("goal:signups", "月度新注册客户", "新注册客户数",
         {{"kind", "trend"}, {"series", {{{"event", "signup"}, {"measure", "accounts"}, {"label", "注册客户"}}}}},
         target(double(in_.signups.size()) / months, 1.15, 1), "month", "林晓");
    goal("goal:paying", "季度新增付费客户", "试用 → 付费",
         {{"kind", "funnel"},
          {"steps",
           {{{"event", "signup"}, {"label", "注册"}},
            {{"event", "trial_started"}, {"label", "试用"}},
            {{"event", "purchase"}, {"label", "付费"}}}}},
         target(double(purchases) / months * 3, 1.2, 1), "quarter", "张伟");
    goal("goal:webinar", "月度直播参会人数", "直播参会人数",
         {{"kind", "trend"},
          {"series", {{{"event", "webinar_attended"}, {"measure", "persons"}, {"label", "参会人数"}}}}},
         target(double(attended) / months, 1.1, 1), "month", "苏婷");
    goal("goal:renewals", "年度续约客户", "续约客户数",
         {{"kind", "trend"}, {"series", {{{"event", "renewal"}, {"measure", "accounts"}, {"label", "续约客户"}}}}},
         target(double(renewals) / months * 12, 1.2, 1), "year", "韩梅");

    // Strategies tried in the story, each over a past window of the story.
    const auto strategy = [&](const std::string& key, sv name, sv hypothesis, sv metric, const std::string& goal_key,
                              int64_t from, int64_t to, sv decision, sv owner) {
      json fields = {{"name", name},       {"hypothesis", hypothesis}, {"target_metric", metric},
                     {"goal_id", Plan(goal_key)}, {"starts_on", Date(from)}, {"ends_on", Date(to)},
                     {"decision", "pending"},     {"owner", owner}};
      Add(from - 7 * kDay, false, "strategies", key, std::move(fields));
      if (decision != "pending") Add(to + 3 * kDay, true, "strategies", key, {{"decision", decision}});
    };
    const auto count_signups = [&](int64_t from, int64_t to) {
      size_t n = 0;
      for (const auto& [id, s] : in_.signups) n += s.at_ms >= from && s.at_ms < to ? 1 : 0;
      return double(n);
    };
    const auto count_attended = [&](int64_t from, int64_t to) {
      size_t n = 0;
      for (const auto& e : in_.webinar_events) n += e.attended && e.at_ms >= from && e.at_ms < to ? 1 : 0;
      return double(n);
    };
    {
      const int64_t from = in_.end_ms - 150 * kDay, to = in_.end_ms - 90 * kDay;
      strategy("strategy:case", "行业案例定向投放", "向制造业与金融目标客户定向推送行业案例，可提升注册量。",
               "新注册客户数", "goal:signups", from, to, "keep", "林晓");
      const double before = count_signups(from - (to - from), from), during = count_signups(from, to);
      Add(to + 3 * kDay + kMinute, true, "strategies", "strategy:case", {{"baseline", before}, {"outcome", during}});
    }
    {
      const int64_t from = in_.end_ms - 100 * kDay, to = in_.end_ms - 40 * kDay;
      strategy("strategy:webinar", "直播前一天短信提醒", "报名者在直播前一天收到短信提醒，到场率会提高。",
               "直播参会人数", "goal:webinar", from, to, "change", "苏婷");
      const double before = count_attended(from - (to - from), from), during = count_attended(from, to);
      Add(to + 3 * kDay + kMinute, true, "strategies", "strategy:webinar",
          {{"baseline", before}, {"outcome", during}});
    }
    strategy("strategy:renewal", "续约前 90 天健康分预警", "续约前 90 天对健康分低于 50 的客户开启挽回动作，可降低流失。",
             "续约客户数", "goal:renewals", in_.end_ms - 30 * kDay, in_.end_ms + 60 * kDay, "pending", "韩梅");
  }

  const DemoGrowthInput& in_;
  std::unordered_map<std::string, const GrowthContactFacts*> contact_of_;
  std::unordered_map<int64_t, const DemoAccountFacts*> account_of_;
  std::map<std::string, int64_t> campaign_created_;  // utm_campaign → creation time
  std::vector<DemoRecordWrite> writes_;
  int64_t start_ms_ = 0;
};

// ---- collecting and writing (the replay: ops/demo_replay.h) ----------------------

// Growth kinds, referring records first. point_entries are append-only for the API; a
// demo replace removes them with SQL (the whole ledger goes, so no balance is left wrong).
constexpr std::array<std::string_view, 11> kGrowthKinds = {
    "tasks",     "milestones", "strategies", "goals",    "leads",   "campaign_members",
    "renewals",  "playbooks",  "content_items", "campaigns", "partners"};

Status DeleteGrowthRecords(domain::SqliteDatabase& db, records::ResourceCatalog& catalog, const std::string& project) {
  RETURN_IF_ERROR(db.Run([&](domain::SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(domain::SqliteStatement stmt, conn.Prepare("DELETE FROM point_entries WHERE project_id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project));
    return stmt.Run();
  }));
  return DeleteAllRecords(catalog, project, kGrowthKinds);
}

}  // namespace

std::vector<DemoRecordWrite> PlanDemoGrowthRecords(const DemoGrowthInput& input) { return Planner(input).Run(); }

Result<DemoGrowthInput> CollectDemoGrowthFacts(const OpsContext& ctx, uint64_t seed, int64_t end_ms) {
  DemoGrowthInput input;
  input.seed = seed;
  input.end_ms = end_ms;
  input.zone = ctx.zone;
  ASSIGN_OR_RETURN(DemoRecordsInput sales, CollectDemoFacts(ctx, seed, end_ms));
  input.accounts = std::move(sales.accounts);
  std::unordered_map<std::string, int64_t> account_by_group;
  for (auto& a : input.accounts) {
    a.contacts.clear();
    if (!a.group_id.empty()) account_by_group[a.group_id] = a.id;
  }
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListEveryRecord(ctx.records->Get("contacts"), ctx.project_id));
  std::unordered_map<std::string, int64_t> contact_by_person;
  for (const auto& r : contacts) {
    GrowthContactFacts c;
    c.id = r["id"].get<int64_t>();
    const auto acc = r.find("account_id");
    c.account_id = acc != r.end() && acc->is_number_integer() ? acc->get<int64_t>() : 0;
    c.person_id = TextOf(r, "person_id");
    c.name = TextOf(r, "name");
    c.email = TextOf(r, "email");
    c.phone = TextOf(r, "phone");
    c.title = TextOf(r, "title");
    c.role = TextOf(r, "role");
    if (!c.person_id.empty()) contact_by_person[c.person_id] = c.id;
    input.contacts.push_back(std::move(c));
  }
  std::unordered_map<int64_t, int64_t> account_of_contact;
  for (const auto& c : input.contacts) account_of_contact[c.id] = c.account_id;

  store::ScanRequest request;
  request.events = {"signup", "webinar_registered", "webinar_attended", "content_viewed", "content_shared",
                    "demo_requested"};
  request.properties = {"channel", "utm_source", "utm_campaign", "utm_term", "webinar_id"};
  request.to_ms = end_ms;
  struct Row {
    int64_t t;
    std::string event, person, account, channel, source, campaign, term, webinar;
  };
  std::vector<Row> rows;
  int64_t first_ms = 0;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) -> Status {
    const auto text = [&](size_t column, size_t row) {
      const uint32_t code = block.properties[column].codes[row];
      return code == 0 ? std::string() : store::PropertyValueToString(block.properties[column].dict[code - 1]);
    };
    for (size_t i = 0; i < block.rows; ++i) {
      const int64_t t = block.timestamp_ms[i];
      if (first_ms == 0 || t < first_ms) first_ms = t;
      const std::string& event = block.event_dict[block.event[i]];
      std::string campaign = text(2, i);
      if (event != "signup" && event != "webinar_registered" && event != "webinar_attended") {
        // Only when each utm campaign was seen.
        if (!campaign.empty()) rows.push_back({t, event, "", "", "", "", std::move(campaign), "", ""});
        continue;
      }
      rows.push_back({t, event, block.person_dict[block.person[i]], block.account_dict[block.account[i]], text(0, i),
                      text(1, i), std::move(campaign), text(3, i), text(4, i)});
    }
    return Status::Ok();
  }));
  input.story_start_ms = first_ms;
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    return std::tie(x.t, x.event, x.person) < std::tie(y.t, y.event, y.person);
  });
  std::vector<std::string> ids, canonical;
  for (const auto& r : rows) ids.push_back(r.person);
  ctx.identity->CanonicalPersons(ids, &canonical);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (!r.campaign.empty()) {
      auto [it, inserted] = input.utm_seen.try_emplace(r.campaign, r.t, r.t);
      if (!inserted) it->second.second = std::max(it->second.second, r.t);
    }
    if (r.person.empty()) continue;
    const std::string& person = canonical[i];
    if (r.event == "signup") {
      const auto c = contact_by_person.find(person);
      if (c == contact_by_person.end()) continue;
      int64_t account = account_of_contact[c->second];
      if (account == 0) {
        const auto g = account_by_group.find(r.account);
        if (g == account_by_group.end()) continue;
        account = g->second;
      }
      input.signups.try_emplace(account, GrowthSignup{r.t, person, r.channel, r.source, r.campaign, r.term});
    } else {
      input.webinar_events.push_back({r.t, r.event == "webinar_attended", person, r.campaign, r.webinar});
    }
  }
  return input;
}

Result<DemoGrowthReport> GenerateDemoGrowthRecords(const OpsContext& ctx, domain::SqliteDatabase& db,
                                                   const DemoGrowthOptions& options) {
  const auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  DemoGrowthReport report;
  // A catalog of our own whose clock is each write's moment (ops/demo_replay.h).
  ASSIGN_OR_RETURN(std::unique_ptr<DemoReplay> replay, DemoReplay::Open(db, options.end_ms));
  records::ResourceCatalog& catalog = replay->catalog();
  ASSIGN_OR_RETURN(bool existing, replay->HasAny("campaigns", ctx.project_id));
  if (existing) {
    if (!options.replace) {
      report.skipped = true;
      return report;
    }
    say("removing the previous growth records");
    RETURN_IF_ERROR(DeleteGrowthRecords(db, catalog, ctx.project_id));
  }
  TimelineOutbox::Install(catalog);
  InstallPartnerPointsHooks(catalog);
  OpsContext local = ctx;
  local.records = &catalog;

  ASSIGN_OR_RETURN(DemoGrowthInput input, CollectDemoGrowthFacts(ctx, options.seed, options.end_ms));
  const std::vector<DemoRecordWrite> plan = PlanDemoGrowthRecords(input);
  say("planned " + std::to_string(plan.size()) + " growth record writes");

  // Point entries go through the partners' ledger API (ops/partner_points.h), as every ledger write.
  const auto record_points = [&](const DemoRecordWrite& w, json& fields, std::unordered_map<std::string, int64_t>& ids,
                                 DemoReplay::Outcome& counts) -> Result<bool> {
    if (w.resource != "point_entries") return false;
    PointsRequest request;
    request.kind = fields["kind"].get<std::string>();
    request.points = fields["points"].get<int64_t>();
    request.reason = fields.value("reason", "");
    request.idempotency_key = fields["idempotency_key"].get<std::string>();
    request.recorded_by = fields.value("recorded_by", "");
    auto recorded = RecordPoints(catalog, ctx.project_id, fields["partner_id"].get<int64_t>(), request);
    if (!recorded.ok()) {
      return Status(recorded.status().code(), "demo point_entries " + w.key + ": " + recorded.status().message());
    }
    ids[w.key] = recorded->entry["id"].get<int64_t>();
    ++counts.created[w.resource];
    return true;
  };
  ASSIGN_OR_RETURN(DemoReplay::Outcome written, replay->Write(plan, local, options.end_ms, "growth records",
                                                              record_points, options.progress));
  report.created = std::move(written.created);
  report.updates = written.updates;
  // Lead scores (fit + behaviour, ops/lead_scoring.h) as of the demo's end.
  OpsContext scoring = ctx;
  scoring.now_ms = options.end_ms;
  RETURN_IF_ERROR(RecomputeLeadScores(scoring, {}).status());
  return report;
}

}  // namespace tobops::ops
