#include "ops/demo_records.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "common/time_format.h"
#include "demo/demo_catalog.h"
#include "demo/demo_random.h"
#include "ops/demo_replay.h"
#include "ops/pipeline_stages.h"
#include "ops/record_sync.h"
#include "ops/sales_records.h"
#include "ops/timeline_outbox.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"

namespace tobops::ops {
namespace {

using nlohmann::json;
using Rng = demo::DemoRandom;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

template <typename T, size_t N>
const T& PickOne(Rng& rng, const std::array<T, N>& items) {
  return items[rng.Below(static_cast<uint32_t>(N))];
}

// Up to `n` distinct items of `items`, in a random order.
template <typename T, size_t N>
std::vector<std::string> PickSome(Rng& rng, const std::array<T, N>& items, size_t n) {
  std::vector<size_t> order(N);
  for (size_t i = 0; i < N; ++i) order[i] = i;
  for (size_t i = 0; i + 1 < N; ++i)
    std::swap(order[i], order[i + rng.Below(static_cast<uint32_t>(N - i))]);
  std::vector<std::string> out;
  for (size_t i = 0; i < std::min(n, N); ++i) out.emplace_back(items[order[i]]);
  return out;
}

// ---- the words of the demo (Chinese first: the demo story is Chinese) ---------------

using sv = std::string_view;

constexpr sv kProductAnalytics = "行为分析";
constexpr sv kProductAccounts = "客户洞察";
constexpr sv kProductJourney = "旅程编排";
constexpr sv kProductCrm = "CRM 集成";
// The `product` property of demo_requested → the product's name.
constexpr std::array<std::pair<sv, sv>, 4> kDemoProductLabels = {
    {{"account-insights", "客户洞察"},
     {"product-analytics", "行为分析"},
     {"journey", "旅程编排"},
     {"private-deployment", "私有化部署"}}};

constexpr std::array<sv, 3> kLostAfterQuote = {"价格超出预算", "选择了竞品", "项目延期至明年"};
constexpr std::array<sv, 3> kLostAfterDemo = {"试用后未形成明确需求", "选择了竞品",
                                              "决策人变动，项目搁置"};
constexpr std::array<sv, 2> kLostAfterTrial = {"试用到期未转化", "暂无预算"};

struct DecisionStepText {
  sv stage;  // the pipeline stage that reaches this decision step
  sv step;
  std::array<sv, 3> drivers;
  std::array<sv, 3> frictions;
};
constexpr std::array<DecisionStepText, 6> kNewBusinessSteps = {{
    {"lead",
     "需求确认",
     {"现有工具看不到客户全貌", "管理层要求提升线索转化率", "竞争对手已上线类似平台"},
     {"内部需求尚未统一", "现有工具合同未到期", "负责人时间有限"}},
    {"qualified",
     "技术评估",
     {"试用中核心功能体验良好", "支持 Segment 协议，接入成本低", "数据团队认可分析能力"},
     {"需要与现有数仓打通", "对数据安全有顾虑", "IT 资源紧张，POC 排期靠后"}},
    {"solution",
     "方案评审",
     {"同行业案例有说服力", "方案覆盖多个部门的诉求", "ROI 测算清晰"},
     {"部门之间对优先级有分歧", "需要补充私有化部署方案", "预算周期尚未开始"}},
    {"negotiation",
     "商务谈判",
     {"季度末前采购可享优惠", "决策人明确支持", "合作伙伴协助推进"},
     {"价格高于预算", "采购流程较长", "法务对数据条款有疑问"}},
    {"won",
     "审批签约",
     {"预算已批复", "签约人认可合同条款", "上线计划已排定"},
     {"审批链条长", "付款条件需协商", "需要补充安全评估材料"}},
    {"lost",
     "审批签约",
     {"仍认可产品价值", "保持联系，明年再议", "部分团队愿意继续试用"},
     {"审批未通过", "预算被削减", "决策人更倾向其他方案"}},
}};
constexpr std::array<DecisionStepText, 4> kRenewalSteps = {{
    {"qualified",
     "续约评估",
     {"使用率稳定增长", "新部门提出增购需求", "健康分保持良好"},
     {"预算收紧", "关键联系人变动", "部分功能使用率偏低"}},
    {"negotiation",
     "续约谈判",
     {"年度使用报告获得认可", "多年合同可享折扣", "高层认可业务价值"},
     {"要求降价续约", "采购要求重新比价", "席位数需要重新核定"}},
    {"won",
     "续约签署",
     {"续约合同按时签署", "增购席位", "升级到更高版本"},
     {"付款周期延长", "合同条款需法务复核", "开票信息变更"}},
    {"lost",
     "续约结果",
     {"产品口碑仍然正面", "愿意保留少量账号", "同意一年后回访"},
     {"续约预算未获批", "业务调整不再需要", "转向内部自研"}},
}};

struct CommunicationText {
  sv role, goal, message, channel, cadence;
};
// One line per decision-chain role, in chain order.
constexpr std::array<CommunicationText, 5> kCommunication = {{
    {"user", "提升日常使用活跃度", "分享上手指南与最佳实践，收集使用中的问题", "企业微信群",
     "每周"},
    {"evaluator", "通过技术评估", "安排 POC 与技术交流，提供集成与安全文档", "线上会议", "每两周"},
    {"budget_holder", "确认预算与投入产出", "提供 ROI 测算与分阶段报价方案", "邮件 + 面谈",
     "按关键节点"},
    {"decision_maker", "获得高层认可", "高层拜访，分享同行业标杆案例与业务价值", "面谈", "每月"},
    {"signer", "顺利完成签约流程", "提前对齐合同条款、采购与付款流程", "邮件", "签约前两周"},
}};

constexpr std::array<sv, 3> kPresales = {"孙涛", "冯雪", "吕博"};
constexpr sv kPresalesOverseas = "Kevin Zhang";
constexpr std::array<sv, 2> kCsm = {"韩梅", "曹阳"};
constexpr sv kCsmOverseas = "Grace Lin";
constexpr sv kSponsor = "高建国";
constexpr std::array<sv, 3> kPartners = {"阿里云市场", "华为云", "神州数码"};
constexpr sv kTeamSales = "客户经理：商务推进与关系维护";
constexpr sv kTeamPresales = "售前顾问：方案设计、演示与 POC";
constexpr sv kTeamCsm = "客户成功：上线实施与培训";
constexpr sv kTeamSponsor = "高管赞助人：高层对接";
constexpr sv kOurSales = "客户经理";
constexpr sv kOurPresales = "售前顾问";
constexpr sv kOurCsm = "客户成功";
constexpr std::array<sv, 3> kBlockerNotes = {"担心预算超支，倾向明年再议", "更倾向现有供应商",
                                             "对数据安全合规存疑"};
constexpr sv kBriefNote = "拜访前请确认参会人员与材料；重点回应客户最关心的两项需求。";
constexpr sv kNewBusinessNote = "由产品试用与演示请求产生的新签商机。";
constexpr sv kRenewalNote = "年度续约商机，关注使用率与健康分。";

struct IndustryText {
  sv industry;
  sv process;
  std::array<sv, 4> needs;
};
constexpr std::array<IndustryText, 9> kIndustryTexts = {{
    {"制造业",
     "订单 → 排产 → 采购 → 生产 → 质检 → 交付；经销商覆盖全国，线索主要来自展会与官网",
     {"打通经销商与官网线索数据", "识别高意向采购客户", "缩短大客户销售周期",
      "展会线索的转化追踪"}},
    {"金融",
     "对公客户营销 → 尽调 → 授信审批 → 放款 → 贷后管理；合规要求高，数据需私有化部署",
     {"满足合规要求的私有化部署", "对公客户 ABM 精准营销", "客户经理行为数据看板",
      "与行内 CRM 打通"}},
    {"零售",
     "会员拉新 → 门店与小程序转化 → 复购运营 → 供应链补货；SaaS 工具分散在各业务线",
     {"提升 SaaS 续费率", "会员运营与复购分析", "门店与线上数据统一", "降低获客成本"}},
    {"医疗",
     "院内信息化采购 → 招投标 → 实施 → 科室推广；决策链长，信息科主导评估",
     {"科室级使用情况分析", "满足数据安全与等保要求", "缩短招投标准备周期", "多院区统一看板"}},
    {"教育",
     "招生线索 → 试听 → 报名 → 续费；销售团队按校区管理",
     {"招生漏斗全链路分析", "续费预警", "校区业绩对比", "渠道投放效果评估"}},
    {"互联网",
     "自助注册 → 试用 → 付费转化 → 增购；依赖行为数据做产品驱动增长",
     {"识别产品合格线索（PQL）", "付费转化漏斗分析", "功能使用深度与留存", "增购机会发现"}},
    {"物流",
     "客户询价 → 报价 → 合同 → 运输调度 → 结算；大客户以年度框架合同为主",
     {"大客户健康度监控", "询价到签约的转化分析", "续约风险预警", "销售过程管理"}},
    {"能源",
     "项目立项 → 招标采购 → 建设 → 运维；集团与二级单位两级决策",
     {"集团多组织权限管理", "项目型销售过程管理", "私有化部署与国产化适配", "经营数据统一口径"}},
    {"",
     "线索获取 → 销售跟进 → 签约 → 交付 → 续费",
     {"统一客户视图", "销售漏斗可视化", "续费风险预警", "线索评分"}},
}};
const IndustryText& Industry(const std::string& industry) {
  for (const auto& t : kIndustryTexts) {
    if (t.industry == industry) return t;
  }
  return kIndustryTexts.back();
}

constexpr sv kTitleIntro = "初次沟通";
constexpr sv kTitleDemo = "产品演示";
constexpr sv kTitleSolution = "方案评审会";
constexpr sv kTitleNegotiation = "商务谈判";
constexpr sv kTitleContract = "合同签署";
constexpr sv kTitleTraining = "上线培训";
constexpr sv kTitleRenewalReview = "续约沟通与年度回顾";
constexpr sv kTitleRenewalTalk = "续约商务谈判";
constexpr sv kTitleSave = "流失挽回沟通";
constexpr sv kTitleNext = "方案交流";
constexpr sv kTitleNextDemo = "产品演示（预约）";
constexpr sv kTitleNextNegotiation = "报价沟通";

struct FollowUpText {
  sv title_of;  // the visit title it follows
  std::array<sv, 2> titles;
};
constexpr std::array<FollowUpText, 9> kFollowUps = {{
    {kTitleIntro, {"发送产品介绍资料", "预约产品演示"}},
    {kTitleDemo, {"发送演示录屏和试用指南", "安排技术交流"}},
    {kTitleSolution, {"提交方案建议书", "补充私有化部署方案"}},
    {kTitleNegotiation, {"提供正式报价单", "确认采购流程与时间表"}},
    {kTitleContract, {"发送合同终稿", "确认开票信息"}},
    {kTitleTraining, {"回访培训效果", "整理常见问题文档"}},
    {kTitleRenewalReview, {"整理年度使用报告", "准备续约报价"}},
    {kTitleRenewalTalk, {"发送续约合同", "确认增购席位"}},
    {kTitleSave, {"提交挽回方案", "安排高层沟通"}},
}};
constexpr sv kFollowUpDoneNote = "已完成并同步给客户。";
constexpr sv kFollowUpCancelledNote = "客户计划调整，取消。";

constexpr std::array<sv, 6> kExtraNeeds = {"报表定时推送",   "企业微信集成",    "权限按部门隔离",
                                           "移动端查看看板", "与 CRM 双向同步", "私有化部署"};
constexpr std::array<sv, 8> kCustomerFeedback = {"对漏斗分析和客户 360 印象深刻",
                                                 "希望支持企业微信登录",
                                                 "关心数据能否私有化部署",
                                                 "觉得价格偏高，希望分阶段采购",
                                                 "希望提供更多同行业案例",
                                                 "对健康分模型很感兴趣",
                                                 "担心内部推广难度",
                                                 "希望报表支持定时推送"};
constexpr sv kSummaryWith = "与";
constexpr sv kSummaryTopic = "进行了";
constexpr sv kSummaryNeeds = "。客户关注：";
constexpr sv kSummaryNext = "。下一步：";
constexpr sv kSummaryKeepInTouch = "保持跟进";

struct FeedbackText {
  sv title, detail, area;
};
constexpr std::array<FeedbackText, 12> kFeedbackItems = {{
    {"支持企业微信登录与通知", "希望通过企业微信扫码登录，并把告警推送到企业微信群", "集成"},
    {"报表定时推送到邮箱", "周报、月报希望每周一早上自动发送给管理层", "报表"},
    {"与国内 CRM 双向同步", "商机与联系人希望与销售易、纷享销客双向同步", "集成"},
    {"权限按部门隔离", "不同事业部只能看到自己的客户与数据", "权限"},
    {"私有化部署支持国产数据库", "需要适配达梦、人大金仓等国产数据库", "部署"},
    {"移动端查看看板", "管理层希望在手机上查看关键指标", "看板"},
    {"健康分权重可自定义", "不同产品线的健康分因素和权重不同", "客户洞察"},
    {"漏斗按客户层级拆分", "希望漏斗能按重点客户与普通客户分别查看", "分析"},
    {"批量导入线下活动名单", "展会与沙龙的签到名单希望一键导入并关联客户", "数据接入"},
    {"英文界面与多币种", "海外子公司需要英文界面和美元报价", "国际化"},
    {"提高 API 调用额度", "数据同步任务经常触发限流", "API"},
    {"看板导出加水印与审批", "导出数据需要水印，并经过审批", "安全"},
}};
constexpr std::array<sv, 2> kFeedbackOwners = {"林悦", "许博"};

struct MaterialText {
  sv title, kind, slug, stages, roles, industries, notes;  // lists comma-separated
};
constexpr std::array<MaterialText, 18> kMaterials = {{
    {"云雀数据公司介绍", "deck", "company-intro", "lead", "", "", "首次沟通通用，15 页"},
    {"云雀数据产品方案（通用版）", "deck", "solution-deck", "qualified,solution",
     "decision_maker,evaluator", "", "覆盖行为分析、客户洞察与旅程编排"},
    {"决策人汇报版：增长运营 ROI", "deck", "roi-deck", "solution,negotiation",
     "decision_maker,budget_holder", "", "给决策人和预算负责人的 10 页精简版"},
    {demo::kContents[0].title, "case_study", demo::kContents[0].id, "qualified,solution",
     "decision_maker,evaluator", "制造业", "制造业标杆案例"},
    {demo::kContents[1].title, "case_study", demo::kContents[1].id, "qualified,solution",
     "decision_maker,evaluator", "金融", "金融行业案例"},
    {demo::kContents[2].title, "case_study", demo::kContents[2].id, "solution,negotiation",
     "decision_maker,budget_holder", "零售", "续费提升案例"},
    {demo::kContents[3].title, "case_study", demo::kContents[3].id, "qualified,solution",
     "evaluator,user", "互联网", "English case study for internet companies"},
    {demo::kContents[4].title, "whitepaper", demo::kContents[4].id, "lead,qualified",
     "decision_maker", "", "市场部白皮书"},
    {demo::kContents[5].title, "whitepaper", demo::kContents[5].id, "qualified,solution",
     "decision_maker,budget_holder", "", "讲清决策链运营方法"},
    {demo::kContents[6].title, "whitepaper", demo::kContents[6].id, "lead,qualified", "", "制造业",
     "行业报告"},
    {demo::kContents[7].title, "whitepaper", demo::kContents[7].id, "negotiation",
     "budget_holder,decision_maker", "零售,互联网", "续费基准数据"},
    {demo::kContents[8].title, "whitepaper", demo::kContents[8].id, "lead,qualified", "", "医疗",
     "行业报告"},
    {"技术白皮书：数据安全与私有化部署", "whitepaper", "security-whitepaper", "solution",
     "evaluator", "金融,医疗,能源", "等保、加密与部署架构"},
    {"标准演示脚本：客户 360 与漏斗", "demo_script", "demo-script", "qualified", "evaluator,user",
     "", "30 分钟演示流程"},
    {"报价单模板（2026 版）", "pricing", "pricing-2026", "negotiation", "budget_holder,signer", "",
     "含阶梯折扣"},
    {"标准服务合同", "contract", "contract-template", "negotiation,won", "signer", "",
     "法务审核版"},
    {demo::kContents[9].title, "video", demo::kContents[9].id, "lead,won", "user,evaluator", "",
     "试用和上线培训前发给使用者"},
    {demo::kContents[10].title, "other", demo::kContents[10].id, "lead,qualified", "evaluator,user",
     "", "博客文章"},
}};

std::string RoleOf(const DemoContactFacts& c) { return c.role.empty() ? "user" : c.role; }

// ---- the planner ----------------------------------------------------------------

struct Step {
  std::string stage;
  int64_t at_ms = 0;
};

// One opportunity's story before it becomes writes.
struct OppPlan {
  std::string key;
  const DemoAccountFacts* account = nullptr;
  bool renewal = false;
  std::string name;
  std::vector<Step> steps;       // steps[0] is the creation; all at_ms < end, increasing
  std::string outcome = "open";  // of the last step
  std::string lost_reason;
  double first_amount = 0, quote_amount = 0, final_amount = 0;
  std::string expected_close;  // of the open opportunity, or the close day
  std::vector<std::string> products;
  int64_t primary_contact = 0;
  std::string intent = "low";
  uint64_t key_hash = 0;
};

class Planner {
 public:
  explicit Planner(const DemoRecordsInput& input) : in_(input) {}

  std::vector<DemoRecordWrite> Run() {
    std::vector<const DemoAccountFacts*> accounts;
    for (const auto& a : in_.accounts) accounts.push_back(&a);
    std::sort(accounts.begin(), accounts.end(),
              [](const DemoAccountFacts* x, const DemoAccountFacts* y) {
                return x->group_id != y->group_id ? x->group_id < y->group_id : x->id < y->id;
              });
    earliest_ms_ = in_.end_ms;
    for (const DemoAccountFacts* a : accounts) {
      PlanAccountProfile(*a);
      if (!SalesLed(*a)) continue;
      if (auto opp = PlanNewBusiness(*a)) EmitOpportunity(*opp);
      for (auto& opp : PlanRenewals(*a)) EmitOpportunity(opp);
    }
    EmitFeedback();
    EmitMaterials();
    // Stable: equal moments keep the order written, which puts creates before uses.
    std::stable_sort(
        writes_.begin(), writes_.end(),
        [](const DemoRecordWrite& x, const DemoRecordWrite& y) { return x.at_ms < y.at_ms; });
    return std::move(writes_);
  }

 private:
  // Plan keys and random streams hang on the group id, not on the record id, so the
  // same story gives the same records whatever ids the records got.
  static std::string AccountKey(const DemoAccountFacts& a) {
    return a.group_id.empty() ? "record-" + std::to_string(a.id) : a.group_id;
  }
  Rng RngFor(const DemoAccountFacts& a, uint64_t salt) const {
    return Rng(demo::Mix(in_.seed, DemoFnv(AccountKey(a)), salt));
  }
  bool Fits(int64_t t) const { return t < in_.end_ms; }

  // Whether sales works the account: key accounts, those of 1000+ people, those of
  // 201-1000 that asked for a demo or a quote, bought or pay, and mid-size ones that
  // asked for a quote or bought; the others (and a few small ones) buy self-serve —
  // their events stay, without sales records — as in a product-led business.
  bool SalesLed(const DemoAccountFacts& a) const {
    if (a.level == "key" || a.size == "1000+") return true;
    const bool intent = a.quote_ms || a.purchase_ms;
    // A churned account's arr trait is back to 0: its renewals and churn say it paid.
    const bool paid = a.arr > 0 || !a.renewals.empty() || a.churn_ms;
    if (a.size == "201-1000") return intent || a.demo_ms || paid;
    if (a.size == "51-200") return intent || (paid && ListValue(a) >= 40'000);
    Rng rng = RngFor(a, 0x5A1E);
    return rng.Chance(0.05);
  }

  // The local day of `ms` as YYYY-MM-DD.
  std::string Date(int64_t ms) const {
    const auto tp = std::chrono::time_point_cast<cctz::seconds>(
        std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
    const cctz::civil_day d(cctz::convert(tp, in_.zone));
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(),
                  d.day());
    return buf;
  }
  // `ms` moved to hour:minute of its local day.
  int64_t AtTime(int64_t ms, int hour, int minute) const {
    const auto tp = std::chrono::time_point_cast<cctz::seconds>(
        std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
    const cctz::civil_day d(cctz::convert(tp, in_.zone));
    const auto at =
        cctz::convert(cctz::civil_second(d.year(), d.month(), d.day(), hour, minute, 0), in_.zone);
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  }
  // A working-hours moment `days` days after `ms` (its local day moved by `days`).
  int64_t WorkMoment(int64_t ms, int64_t days, Rng& rng) const {
    return AtTime(ms + days * kDay, 9 + rng.Between(0, 8), rng.Between(0, 11) * 5);
  }

  void Add(int64_t at, bool update, std::string resource, std::string key, json fields) {
    assert(Fits(at));
    earliest_ms_ = std::min(earliest_ms_, at);
    writes_.push_back({at, update, std::move(resource), std::move(key), std::move(fields)});
  }
  static json Ref(const std::string& key) { return json{{"$plan", key}}; }

  // ---- people ----

  const DemoContactFacts* Contact(const DemoAccountFacts& a, const std::string& person) const {
    if (person.empty()) return nullptr;
    for (const auto& c : a.contacts) {
      if (c.person_id == person) return &c;
    }
    return nullptr;
  }
  // The first contact with `role` present at `t`.
  const DemoContactFacts* WithRole(const DemoAccountFacts& a, std::string_view role,
                                   int64_t t) const {
    for (const auto& c : a.contacts) {
      if (RoleOf(c) == role && c.joined_ms <= t) return &c;
    }
    return nullptr;
  }
  const DemoContactFacts* Champion(const DemoAccountFacts& a, int64_t t) const {
    for (const auto& c : a.contacts) {
      if (c.joined_ms <= t) return &c;
    }
    return a.contacts.empty() ? nullptr : &a.contacts.front();
  }

  // ---- account profile (revenue, employees, website) ----

  void PlanAccountProfile(const DemoAccountFacts& a) {
    if (a.group_id.empty()) return;
    Rng rng = RngFor(a, 0xA11);
    const auto [revenue, employees] = Profile(a, rng);
    profiles_[a.id] = revenue;
    json fields = {{"revenue", revenue},
                   {"employees", employees},
                   {"website", "https://www." + a.group_id + ".example.cn"}};
    pending_profiles_.push_back({a.id, std::move(fields)});  // written by EmitMaterials
  }
  static std::pair<double, int64_t> Profile(const DemoAccountFacts& a, Rng& rng) {
    // Revenue (CNY) and head count by the size band of the account.
    int64_t lo = 10, hi = 50;
    double per_head = 40;  // 万元 per employee
    if (a.size == "51-200") lo = 51, hi = 200, per_head = 60;
    if (a.size == "201-1000") lo = 201, hi = 1000, per_head = 80;
    if (a.size == "1000+") lo = 1000, hi = 12000, per_head = 120;
    const int64_t employees = lo + rng.Below(static_cast<uint32_t>(hi - lo + 1));
    const double revenue =
        std::round(double(employees) * per_head * (0.6 + 0.8 * rng.Uniform())) * 10'000;
    return {revenue, employees};
  }

  // ---- opportunities ----

  double SeatPrice(const DemoAccountFacts& a) const {
    for (size_t i = 0; i < demo::kPlans.size(); ++i) {
      if (demo::kPlans[i] == a.plan) return demo::kSeatPriceCny[i];
    }
    return demo::kSeatPriceCny[1];
  }
  double ListValue(const DemoAccountFacts& a) const {
    if (a.arr > 0) return a.arr;
    return std::max<int64_t>(a.seats, 5) * SeatPrice(a);
  }
  static double Round(double v, double unit) { return std::max(unit, std::round(v / unit) * unit); }

  std::vector<std::string> Products(const DemoAccountFacts& a, Rng& rng) const {
    std::vector<std::string> out{std::string(kProductAnalytics)};
    if (a.plan == "growth" || a.plan == "enterprise") out.emplace_back(kProductAccounts);
    if (a.plan == "enterprise") out.emplace_back(kProductJourney);
    for (const auto& [slug, label] : kDemoProductLabels) {
      if (slug == a.demo_product && std::find(out.begin(), out.end(), label) == out.end())
        out.emplace_back(label);
    }
    if (rng.Chance(0.2)) out.emplace_back(kProductCrm);
    return out;
  }

  // Appends `stage` at `at` when it is at least a day after the last step and before
  // the end; returns whether it was added.
  bool Move(OppPlan& o, const std::string& stage, int64_t at) const {
    // One move per local day at most, so a funnel over the stage events sees each step.
    if (!o.steps.empty() && Date(at) <= Date(o.steps.back().at_ms)) return false;
    if (!Fits(at)) return false;
    o.steps.push_back({stage, at});
    return true;
  }
  // Closes at `at` (won or lost), the day the story says. A step on that same day
  // gives way (one move per day), unless it is the creation.
  void Close(OppPlan& o, const std::string& outcome, int64_t at) const {
    if (!Fits(at)) return;
    while (o.steps.size() > 1 && Date(o.steps.back().at_ms) >= Date(at)) o.steps.pop_back();
    if (Date(o.steps.back().at_ms) >= Date(at)) return;  // created that day: stays open
    o.steps.push_back({outcome, at});
    o.outcome = outcome;
    o.expected_close = Date(at);
  }

  std::optional<OppPlan> PlanNewBusiness(const DemoAccountFacts& a) const {
    const bool intent = a.demo_ms || a.quote_ms || a.purchase_ms;
    Rng rng = RngFor(a, 0x0BB1);
    if (!intent) {
      // Trials alone make a lead only for the bigger or key accounts and a sample of
      // the rest: the others stay product-led (no sales record), as in a real team.
      if (!a.trial_ms) return std::nullopt;
      const bool big = a.level == "key" || a.size == "1000+";
      if (!big && !rng.Chance(0.3)) return std::nullopt;
    }
    OppPlan o;
    o.account = &a;
    o.key = "opp:" + AccountKey(a) + ":new";
    o.key_hash = DemoFnv(o.key);
    o.products = Products(a, rng);
    o.name = a.name + " · " + o.products.front() + "项目";
    int64_t base = a.trial_ms ? a.trial_ms : a.signup_ms;
    for (int64_t m : {a.demo_ms - kDay, a.quote_ms - 3 * kDay, a.purchase_ms - 7 * kDay}) {
      if (m > 0 && (base == 0 || m < base)) base = m;
    }
    if (base == 0) return std::nullopt;
    const int64_t created = WorkMoment(base, rng.Between(0, 2), rng);
    if (!Fits(created)) return std::nullopt;
    o.steps.push_back({"lead", created});
    const double list = ListValue(a);
    o.first_amount = Round(list * (0.8 + 0.5 * rng.Uniform()), 1000);
    o.quote_amount = a.quote_seats > 0 ? a.quote_seats * SeatPrice(a) : Round(list, 1000);
    o.final_amount = a.purchase_amount > 0 ? a.purchase_amount : o.quote_amount;

    const int64_t qualified_at =
        a.demo_ms ? a.demo_ms + 2 * kHour : WorkMoment(created, rng.Between(4, 10), rng);
    // A trial alone qualifies after a week or more for half of the leads; the others stay leads.
    const bool qualified = a.demo_ms || a.quote_ms || a.purchase_ms ||
                           (in_.end_ms - a.trial_ms > 10 * kDay && rng.Chance(0.5));
    if (qualified) Move(o, "qualified", qualified_at);
    if (a.quote_ms || a.purchase_ms || (a.demo_ms && in_.end_ms - a.demo_ms > 7 * kDay)) {
      const int64_t solution_at = a.quote_ms ? WorkMoment(a.quote_ms, -rng.Between(3, 6), rng)
                                  : a.demo_ms
                                      ? WorkMoment(a.demo_ms, rng.Between(4, 8), rng)
                                      : WorkMoment(a.purchase_ms, -rng.Between(10, 14), rng);
      Move(o, "solution", solution_at);
    }
    if (a.quote_ms)
      Move(o, "negotiation", a.quote_ms + 2 * kHour);
    else if (a.purchase_ms)
      Move(o, "negotiation", WorkMoment(a.purchase_ms, -rng.Between(3, 6), rng));

    if (a.purchase_ms) {
      Close(o, "won", a.purchase_ms);
      o.intent = "high";
    } else if (a.quote_ms) {
      o.intent = "high";
      if (in_.end_ms - a.quote_ms > 60 * kDay) {
        o.lost_reason = PickOne(rng, kLostAfterQuote);
        Close(o, "lost", WorkMoment(a.quote_ms, rng.Between(25, 40), rng));
      }
    } else if (a.demo_ms) {
      o.intent = "medium";
      if (in_.end_ms - a.demo_ms > 90 * kDay) {
        o.lost_reason = PickOne(rng, kLostAfterDemo);
        Close(o, "lost", WorkMoment(a.demo_ms, rng.Between(35, 55), rng));
      }
    } else if (in_.end_ms - a.trial_ms > 75 * kDay) {
      o.lost_reason = PickOne(rng, kLostAfterTrial);
      Close(o, "lost", WorkMoment(a.trial_ms, rng.Between(30, 45), rng));
    }
    if (o.outcome == "open") {
      static constexpr std::array<std::pair<std::string_view, std::array<int, 2>>, 4> kCloseIn = {
          {{"lead", {45, 120}},
           {"qualified", {30, 90}},
           {"solution", {20, 60}},
           {"negotiation", {5, 30}}}};
      std::array<int, 2> span = {30, 90};
      for (const auto& [stage, days] : kCloseIn) {
        if (stage == o.steps.back().stage) span = days;
      }
      o.expected_close = Date(in_.end_ms + rng.Between(span[0], span[1]) * kDay);
    }
    const DemoContactFacts* primary = Contact(a, a.quote_person);
    if (!primary) primary = Contact(a, a.demo_person);
    if (!primary) primary = Champion(a, created);
    o.primary_contact = primary ? primary->id : 0;
    return o;
  }

  std::vector<OppPlan> PlanRenewals(const DemoAccountFacts& a) const {
    std::vector<OppPlan> out;
    Rng rng = RngFor(a, 0x4E4E);
    const auto start = [&](int64_t renewal_ms, const std::string& suffix) {
      OppPlan o;
      o.account = &a;
      o.renewal = true;
      o.key = "opp:" + AccountKey(a) + ":renewal:" + suffix;
      o.key_hash = DemoFnv(o.key);
      o.name = a.name + " · " + Date(renewal_ms).substr(0, 4) + " 年续约";
      o.products = Products(a, rng);
      o.intent = "medium";
      o.first_amount = Round(ListValue(a), 1000);
      o.quote_amount = o.first_amount;
      o.final_amount = o.first_amount;
      const int64_t created = WorkMoment(renewal_ms, -rng.Between(50, 70), rng);
      o.steps.push_back({"qualified", created});
      return o;
    };
    for (size_t i = 0; i < a.renewals.size(); ++i) {
      const auto& r = a.renewals[i];
      OppPlan o = start(r.at_ms, std::to_string(i));
      if (!Fits(o.steps[0].at_ms)) continue;
      o.final_amount = r.amount > 0 ? r.amount : o.first_amount;
      o.quote_amount = o.final_amount;
      o.intent = "high";
      Move(o, "negotiation", WorkMoment(r.at_ms, -rng.Between(14, 25), rng));
      Close(o, "won", r.at_ms);
      const DemoContactFacts* p = Contact(a, r.person);
      o.primary_contact = p ? p->id : 0;
      out.push_back(std::move(o));
    }
    if (a.churn_ms) {
      OppPlan o = start(a.churn_ms, "churn");
      if (Fits(o.steps[0].at_ms)) {
        Move(o, "negotiation", WorkMoment(a.churn_ms, -rng.Between(20, 30), rng));
        o.lost_reason = std::string(kDemoChurnReasonZh[0].second);
        for (const auto& [code, zh] : kDemoChurnReasonZh) {
          if (code == a.churn_reason) o.lost_reason = zh;
        }
        Close(o, "lost", a.churn_ms);
        const DemoContactFacts* p = Contact(a, a.churn_person);
        o.primary_contact = p ? p->id : 0;
        out.push_back(std::move(o));
      }
    } else if (!a.renewal_date.empty() && a.arr > 0) {
      // The next renewal, when it falls in the next 120 days: an open renewal deal.
      auto day = ParseCivilDay(a.renewal_date);
      if (day.ok()) {
        const int64_t renewal_ms =
            AtTime(std::chrono::duration_cast<std::chrono::milliseconds>(
                       cctz::convert(cctz::civil_second(*day), in_.zone).time_since_epoch())
                       .count(),
                   10, 0);
        if (renewal_ms > in_.end_ms && renewal_ms - in_.end_ms < 120 * kDay) {
          OppPlan o = start(renewal_ms, "next");
          o.steps[0].at_ms =
              std::min(o.steps[0].at_ms, WorkMoment(in_.end_ms, -rng.Between(5, 15), rng));
          if (renewal_ms - in_.end_ms < 35 * kDay)
            Move(o, "negotiation", WorkMoment(in_.end_ms, -rng.Between(1, 3), rng));
          o.expected_close = a.renewal_date;
          const DemoContactFacts* p = WithRole(a, "budget_holder", o.steps[0].at_ms);
          if (!p) p = Champion(a, o.steps[0].at_ms);
          o.primary_contact = p ? p->id : 0;
          if (Fits(o.steps[0].at_ms)) out.push_back(std::move(o));
        }
      }
    }
    return out;
  }

  // The decision steps reached by `stage`, with drivers and frictions.
  json DecisionNotes(const OppPlan& o, size_t upto, Rng& rng) const {
    json notes = json::array();
    for (size_t i = 0; i <= upto; ++i) {
      const std::string& stage = o.steps[i].stage;
      const DecisionStepText* text = nullptr;
      const auto find = [&](const auto& steps) {
        for (const auto& s : steps) {
          if (s.stage == stage) text = &s;
        }
      };
      if (o.renewal) {
        find(kRenewalSteps);
      } else {
        find(kNewBusinessSteps);
      }
      if (text == nullptr) continue;
      json frictions = PickSome(rng, text->frictions, 1 + rng.Below(2));
      if ((stage == "lost") && !o.lost_reason.empty()) frictions.push_back(o.lost_reason);
      notes.push_back({{"step", text->step},
                       {"drivers", PickSome(rng, text->drivers, 1 + rng.Below(2))},
                       {"frictions", frictions}});
    }
    return notes;
  }

  json CommunicationPlan(const OppPlan& o) const {
    const DemoAccountFacts& a = *o.account;
    std::set<std::string> present;
    for (const auto& c : a.contacts) present.insert(RoleOf(c));
    json plan = json::array();
    for (const auto& text : kCommunication) {
      // Every role the account has, plus the decision maker and the signer whom a deal
      // always needs even before they appear.
      if (!present.count(std::string(text.role)) && text.role != "decision_maker" &&
          text.role != "signer")
        continue;
      std::string owner = a.owner;
      if (text.role == "evaluator") owner = Presales(a);
      if (text.role == "user") owner = Csm(a);
      json item = {{"role", text.role},
                   {"goal", text.goal},
                   {"message", text.message},
                   {"channel", text.channel},
                   {"cadence", text.cadence}};
      if (!owner.empty()) item["owner"] = owner;
      plan.push_back(std::move(item));
    }
    return plan;
  }

  std::string Presales(const DemoAccountFacts& a) const {
    if (a.region == "海外") return std::string(kPresalesOverseas);
    return std::string(kPresales[DemoFnv(a.group_id) % kPresales.size()]);
  }
  std::string Csm(const DemoAccountFacts& a) const {
    if (a.region == "海外") return std::string(kCsmOverseas);
    return std::string(kCsm[(DemoFnv(a.group_id) >> 8) % kCsm.size()]);
  }

  void EmitOpportunity(OppPlan& o) {
    const DemoAccountFacts& a = *o.account;
    Rng rng(demo::Mix(in_.seed, o.key_hash, 0x0990));
    std::string channel = "direct", partner;
    if (a.channel == "partner" || (a.level == "key" && rng.Chance(0.15))) {
      channel = "partner";
      partner = PickOne(rng, kPartners);
    }
    const bool free_pilot =
        !o.renewal && o.outcome == "open" && o.steps.back().stage == "lead" && rng.Chance(0.2);
    json fields = {{"account_id", a.id},
                   {"name", o.name},
                   {"stage", o.steps[0].stage},
                   {"amount", o.first_amount},
                   {"currency", "CNY"},
                   {"products", o.products},
                   {"channel", channel},
                   {"pricing", free_pilot ? "free" : "paid"},
                   {"intent_level", o.renewal                         ? "medium"
                                    : o.steps.size() > 1 || a.demo_ms ? "medium"
                                                                      : "low"},
                   {"communication_plan", CommunicationPlan(o)}};
    {
      // Every write of the notes draws from the same stream, so the steps already
      // noted keep their words as later steps are added.
      Rng notes_rng(demo::Mix(in_.seed, o.key_hash, 0x0A0A));
      fields["decision_notes"] = DecisionNotes(o, 0, notes_rng);
    }
    if (!partner.empty()) fields["partner"] = partner;
    if (!a.owner.empty()) fields["owner"] = a.owner;
    if (o.primary_contact) fields["primary_contact_id"] = o.primary_contact;
    // The first estimate of the close; corrected when it closes.
    fields["expected_close"] = o.outcome == "open"
                                   ? o.expected_close
                                   : Date(o.steps.back().at_ms + rng.Between(-10, 20) * kDay);
    fields["notes"] = o.renewal ? std::string(kRenewalNote) : std::string(kNewBusinessNote);
    Add(o.steps[0].at_ms, false, "opportunities", o.key, fields);

    for (size_t i = 1; i < o.steps.size(); ++i) {
      const Step& s = o.steps[i];
      Rng notes_rng(demo::Mix(in_.seed, o.key_hash, 0x0A0A));
      json patch = {{"stage", s.stage}, {"decision_notes", DecisionNotes(o, i, notes_rng)}};
      if (s.stage == "solution") patch["intent_level"] = "medium";
      if (s.stage == "negotiation") {
        patch["intent_level"] = "high";
        patch["amount"] = o.quote_amount;
      }
      if (s.stage == "won") {
        patch["amount"] = o.final_amount;
        patch["closed_on"] = Date(s.at_ms);
        patch["expected_close"] = Date(s.at_ms);
      }
      if (s.stage == "lost") {
        patch["lost_reason"] = o.lost_reason;
        patch["closed_on"] = Date(s.at_ms);
        patch["expected_close"] = Date(s.at_ms);
      }
      Add(s.at_ms, true, "opportunities", o.key, patch);
    }
    EmitStakeholders(o);
    if (o.outcome == "open") EmitBrief(o);
    EmitVisits(o);
  }

  void EmitStakeholders(const OppPlan& o) {
    const DemoAccountFacts& a = *o.account;
    Rng rng(demo::Mix(in_.seed, o.key_hash, 0x57A4));
    const int64_t created = o.steps.front().at_ms;
    const int64_t last = o.outcome == "open" ? in_.end_ms - kHour : o.steps.back().at_ms - kHour;
    std::map<std::string, int> per_role;
    static constexpr std::array<std::pair<std::string_view, int>, 5> kMax = {{{"decision_maker", 1},
                                                                              {"signer", 1},
                                                                              {"budget_holder", 1},
                                                                              {"evaluator", 2},
                                                                              {"user", 1}}};
    const bool lost = o.outcome == "lost";
    bool blocker_given = false;
    for (const auto& c : a.contacts) {
      const std::string role = RoleOf(c);
      int max = 0;
      for (const auto& [r, n] : kMax) {
        if (r == role) max = n;
      }
      if (per_role[role] >= max) continue;
      if (c.joined_ms > last - kHour) continue;  // joined after the deal closed
      int64_t at = WorkMoment(std::max(created, c.joined_ms), rng.Between(0, 4), rng);
      at = std::min(at, last - kHour);
      if (at <= created) at = created + kMinute * static_cast<int64_t>(5 + per_role.size());
      if (at > last || !Fits(at)) continue;
      ++per_role[role];
      std::string stance = "neutral";
      const double u = rng.Uniform();
      if (role == "evaluator" || role == "user") stance = u < 0.7 ? "supporter" : "neutral";
      if (role == "decision_maker") stance = u < 0.6 ? "supporter" : "neutral";
      if (role == "budget_holder") stance = u < 0.3 ? "supporter" : u < 0.9 ? "neutral" : "blocker";
      if (role == "signer") stance = u < 0.2 ? "supporter" : "neutral";
      if (lost && !blocker_given && (role == "budget_holder" || role == "decision_maker")) {
        stance = "blocker";
        blocker_given = true;
      }
      if (o.outcome == "won" && stance == "blocker") stance = "neutral";
      static constexpr std::array<std::string_view, 4> kEngagement = {"high", "medium", "low",
                                                                      "none"};
      const uint32_t e =
          role == "decision_maker" || role == "signer" ? 1 + rng.Below(3) : rng.Below(3);
      json fields = {{"opportunity_id", Ref(o.key)},
                     {"contact_id", c.id},
                     {"role", role},
                     {"stance", stance},
                     {"engagement", kEngagement[e]}};
      if (stance == "blocker") fields["notes"] = PickOne(rng, kBlockerNotes);
      Add(at, false, "stakeholders", o.key + ":sh:" + std::to_string(c.id), fields);
    }
  }

  void EmitBrief(const OppPlan& o) {
    const DemoAccountFacts& a = *o.account;
    Rng rng(demo::Mix(in_.seed, o.key_hash, 0xB41E));
    const int64_t at = o.steps.size() > 1 ? o.steps[1].at_ms + kHour : o.steps[0].at_ms + kHour;
    if (!Fits(at)) return;
    const IndustryText& text = Industry(a.industry);
    json team = json::array();
    if (!a.owner.empty()) team.push_back({{"member", a.owner}, {"responsibility", kTeamSales}});
    team.push_back({{"member", Presales(a)}, {"responsibility", kTeamPresales}});
    team.push_back({{"member", Csm(a)}, {"responsibility", kTeamCsm}});
    if (a.level == "key") team.push_back({{"member", kSponsor}, {"responsibility", kTeamSponsor}});
    json fields = {{"opportunity_id", Ref(o.key)},
                   {"business_process", text.process},
                   {"core_needs", PickSome(rng, text.needs, 2 + rng.Below(2))},
                   {"intent_level", o.intent},
                   {"products_fit", o.products},
                   {"project_team", team},
                   {"notes", kBriefNote}};
    auto profile = profiles_.find(a.id);
    if (profile != profiles_.end()) fields["revenue"] = profile->second;
    Add(at, false, "briefs", o.key + ":brief", fields);
  }

  // ---- visits, follow-ups, feedback mentions ----

  struct VisitPlan {
    std::string kind;
    int64_t at_ms;
    std::vector<std::string> roles;  // customer roles wanted, in order
    std::vector<std::string> actions;
    std::string_view title;
    bool presales = false, csm = false;
  };

  std::string StageAt(const OppPlan& o, int64_t t) const {
    std::string stage = o.steps.front().stage;
    for (const auto& s : o.steps) {
      if (s.at_ms <= t) stage = s.stage;
    }
    return stage;
  }

  json Attendees(const OppPlan& o, const VisitPlan& v,
                 std::vector<std::string>* customer_names) const {
    const DemoAccountFacts& a = *o.account;
    json out = json::array();
    std::set<int64_t> taken;
    for (const auto& role : v.roles) {
      for (const auto& c : a.contacts) {
        if (RoleOf(c) != role || c.joined_ms > v.at_ms || taken.count(c.id)) continue;
        taken.insert(c.id);
        out.push_back(
            {{"contact_id", c.id}, {"name", c.name}, {"role", role}, {"side", "customer"}});
        customer_names->push_back(c.name);
        break;
      }
    }
    if (out.empty()) {
      if (const DemoContactFacts* c = Champion(a, v.at_ms)) {
        out.push_back(
            {{"contact_id", c->id}, {"name", c->name}, {"role", RoleOf(*c)}, {"side", "customer"}});
        customer_names->push_back(c->name);
      }
    }
    if (!a.owner.empty()) out.push_back({{"name", a.owner}, {"role", kOurSales}, {"side", "ours"}});
    if (v.presales)
      out.push_back({{"name", Presales(a)}, {"role", kOurPresales}, {"side", "ours"}});
    if (v.csm) out.push_back({{"name", Csm(a)}, {"role", kOurCsm}, {"side", "ours"}});
    return out;
  }

  void EmitVisits(const OppPlan& o) {
    const DemoAccountFacts& a = *o.account;
    Rng rng(demo::Mix(in_.seed, o.key_hash, 0x7151));
    std::vector<VisitPlan> visits;
    const auto stage_time = [&](const std::string& stage) -> int64_t {
      for (const auto& s : o.steps) {
        if (s.stage == stage) return s.at_ms;
      }
      return 0;
    };
    const int64_t created = o.steps.front().at_ms;
    if (!o.renewal) {
      // Not every step gets a meeting: a first call for most deals, the contract
      // signed on paper for the key ones, training for most customers.
      const bool key = a.level == "key";
      if (rng.Chance(0.6))
        visits.push_back({"call",
                          WorkMoment(created, rng.Between(0, 2), rng),
                          {"evaluator", "user"},
                          {"introduction"},
                          kTitleIntro});
      if (int64_t t = stage_time("qualified"))
        visits.push_back({"demo",
                          WorkMoment(t, rng.Between(1, 3), rng),
                          {"decision_maker", "evaluator", "user"},
                          {"demo", "technical_exchange"},
                          kTitleDemo,
                          true});
      if (int64_t t = stage_time("solution"))
        visits.push_back({"meeting",
                          WorkMoment(t, rng.Between(0, 2), rng),
                          {"evaluator", "budget_holder", "decision_maker"},
                          {"solution_review", "technical_exchange"},
                          kTitleSolution,
                          true});
      if (int64_t t = stage_time("negotiation"))
        visits.push_back({"visit",
                          WorkMoment(t, rng.Between(1, 3), rng),
                          {"budget_holder", "decision_maker", "signer"},
                          {"negotiation"},
                          kTitleNegotiation});
      if (int64_t t = stage_time("won")) {
        if (key || rng.Chance(0.3))
          visits.push_back({"visit",
                            WorkMoment(t, -1, rng),
                            {"signer", "decision_maker"},
                            {"contract"},
                            kTitleContract});
        if (key || rng.Chance(0.6))
          visits.push_back({"training",
                            WorkMoment(t, rng.Between(7, 14), rng),
                            {"user", "evaluator"},
                            {"training"},
                            kTitleTraining,
                            false,
                            true});
      }
    } else {
      visits.push_back({"meeting",
                        WorkMoment(created, rng.Between(3, 8), rng),
                        {"budget_holder", "decision_maker", "user"},
                        {"solution_review"},
                        kTitleRenewalReview,
                        false,
                        true});
      if (int64_t t = stage_time("negotiation"))
        visits.push_back({"visit",
                          WorkMoment(t, rng.Between(1, 3), rng),
                          {"budget_holder", "signer"},
                          {"negotiation"},
                          o.outcome == "lost" ? kTitleSave : kTitleRenewalTalk,
                          false,
                          true});
    }
    // Held visits: before the end and, for closed deals, no later than a couple of weeks after.
    const int64_t close = o.outcome == "open" ? in_.end_ms : o.steps.back().at_ms + 16 * kDay;
    int n = 0;
    for (const auto& v : visits) {
      if (!Fits(v.at_ms) || v.at_ms > close || v.at_ms < created) continue;
      EmitVisit(o, v, "held", std::max(v.at_ms, created + kMinute), n++);
    }
    if (o.outcome == "open") {
      // The next planned meeting, booked a day or two before the end.
      const std::string stage = o.steps.back().stage;
      VisitPlan next{"meeting",
                     WorkMoment(in_.end_ms, rng.Between(2, 12), rng),
                     {"decision_maker", "evaluator"},
                     {"solution_review"},
                     kTitleNext,
                     true};
      if (stage == "lead")
        next = {"demo", next.at_ms, {"evaluator", "user"}, {"demo"}, kTitleNextDemo, true};
      if (stage == "negotiation")
        next = {"visit",
                next.at_ms,
                {"budget_holder", "signer"},
                {"negotiation"},
                kTitleNextNegotiation};
      const int64_t booked =
          std::max(created + kHour, WorkMoment(in_.end_ms, -rng.Between(1, 3), rng));
      if (Fits(booked)) EmitVisit(o, next, "planned", booked, n++);
    }
  }

  void EmitVisit(const OppPlan& o, const VisitPlan& v, const std::string& status, int64_t write_at,
                 int n) {
    const DemoAccountFacts& a = *o.account;
    Rng rng(demo::Mix(in_.seed, o.key_hash, 0x715A, static_cast<uint64_t>(n)));
    const std::string key = o.key + ":visit:" + std::to_string(n);
    std::vector<std::string> customers;
    json attendees = Attendees(o, v, &customers);
    const IndustryText& text = Industry(a.industry);
    const bool held = status == "held";
    json fields = {{"account_id", a.id},
                   {"opportunity_id", Ref(o.key)},
                   {"kind", v.kind},
                   {"title", std::string(v.title) + " · " + a.name},
                   {"held_at", FormatIso8601Ms(v.at_ms, in_.zone)},
                   {"status", status},
                   {"stage", StageAt(o, held ? v.at_ms : in_.end_ms)},
                   {"attendees", attendees},
                   {"actions", v.actions}};
    if (!a.owner.empty()) fields["owner"] = a.owner;
    std::string follow_title;
    const FollowUpText* follow = nullptr;
    for (const auto& f : kFollowUps) {
      if (f.title_of == v.title) follow = &f;
    }
    if (held) {
      std::vector<std::string> needs = PickSome(rng, text.needs, 1 + rng.Below(2));
      if (rng.Chance(0.5)) needs.emplace_back(PickOne(rng, kExtraNeeds));
      fields["needs_found"] = needs;
      const std::string feedback(PickOne(rng, kCustomerFeedback));
      fields["feedback"] = feedback;
      if (follow != nullptr) follow_title = follow->titles[rng.Below(2)];
      std::string who;
      for (const auto& c : customers) who += (who.empty() ? "" : "、") + c;
      std::string summary = std::string(kSummaryWith) + who + std::string(kSummaryTopic) +
                            std::string(v.title) + std::string(kSummaryNeeds);
      for (size_t i = 0; i < needs.size(); ++i) summary += (i ? "；" : "") + needs[i];
      summary += std::string(kSummaryNext) +
                 (follow_title.empty() ? std::string(kSummaryKeepInTouch) : follow_title) + "。";
      fields["summary"] = summary;
    }
    Add(write_at, false, "visits", key, fields);
    if (!held) return;

    // Follow-ups: most visits leave one, some two; most get done, some run late.
    const int count = rng.Chance(0.25) ? 0 : rng.Chance(0.25) ? 2 : 1;
    for (int i = 0; i < count && follow != nullptr; ++i) {
      const std::string title(
          follow->titles[(i + (follow_title == follow->titles[0] ? 0 : 1)) % 2]);
      const int64_t due = WorkMoment(v.at_ms, rng.Between(2, 7), rng);
      const std::string owner = i == 0 && !a.owner.empty() ? a.owner : Presales(a);
      const std::string fkey = key + ":fu:" + std::to_string(i);
      const int64_t write = v.at_ms + kHour;
      if (!Fits(write)) continue;
      Add(write, false, "follow_ups", fkey,
          {{"visit_id", Ref(key)},
           {"account_id", a.id},
           {"opportunity_id", Ref(o.key)},
           {"title", title},
           {"owner", owner},
           {"due_date", Date(due)},
           {"status", "open"}});
      // Old ones were long settled (done, a few dropped); of the last two weeks' about
      // half are done and the rest open and overdue; later ones are still open.
      const int64_t done =
          std::max(write + kHour, due - rng.Between(0, 2) * kDay + rng.Between(0, 3) * kHour);
      const double u = rng.Uniform();
      if (due < in_.end_ms - 14 * kDay) {
        if (u < 0.92) {
          Add(done, true, "follow_ups", fkey, {{"status", "done"}, {"notes", kFollowUpDoneNote}});
        } else {
          Add(done, true, "follow_ups", fkey,
              {{"status", "cancelled"}, {"notes", kFollowUpCancelledNote}});
        }
      } else if (due < in_.end_ms && u < 0.5 && Fits(done)) {
        Add(done, true, "follow_ups", fkey, {{"status", "done"}, {"notes", kFollowUpDoneNote}});
      }
    }
    // A request for the product backlog.
    if ((v.kind == "demo" || v.kind == "meeting" || v.kind == "training") && rng.Chance(0.35)) {
      const size_t item = (DemoFnv(a.industry) + rng.Below(5)) % kFeedbackItems.size();
      mentions_.push_back({v.at_ms + 2 * kHour, item, a.id, key, "visit"});
    }
    if (v.kind == "training" && rng.Chance(0.2)) {
      const int64_t at = WorkMoment(v.at_ms, rng.Between(20, 90), rng);
      if (Fits(at))
        mentions_.push_back(
            {at, rng.Below(static_cast<uint32_t>(kFeedbackItems.size())), a.id, "", "support"});
    }
  }

  // ---- feedback backlog ----

  struct Mention {
    int64_t at_ms;
    size_t item;
    int64_t account;
    std::string visit_key;  // empty: from support
    std::string source;
  };

  void EmitFeedback() {
    std::stable_sort(mentions_.begin(), mentions_.end(),
                     [](const Mention& x, const Mention& y) { return x.at_ms < y.at_ms; });
    std::map<size_t, std::vector<int64_t>> accounts;
    for (const auto& m : mentions_) {
      if (!Fits(m.at_ms)) continue;
      const FeedbackText& text = kFeedbackItems[m.item];
      const std::string key = "feedback:" + std::to_string(m.item);
      auto it = accounts.find(m.item);
      if (it == accounts.end()) {
        json fields = {{"title", text.title},
                       {"detail", text.detail},
                       {"account_ids", {m.account}},
                       {"source", m.source},
                       {"status", "evaluating"},
                       {"product_area", text.area},
                       {"owner", kFeedbackOwners[m.item % kFeedbackOwners.size()]}};
        if (!m.visit_key.empty()) fields["visit_id"] = Ref(m.visit_key);
        Add(m.at_ms, false, "feedback", key, fields);
        accounts[m.item] = {m.account};
        // The product team decides after a few weeks; some of it ships later.
        Rng rng(demo::Mix(in_.seed, 0xFEED, m.item));
        const int64_t decided = WorkMoment(m.at_ms, rng.Between(20, 60), rng);
        const double u = rng.Uniform();
        if (u < 0.55 && Fits(decided)) {
          Add(decided, true, "feedback", key, {{"status", "planned"}});
          const int64_t shipped = WorkMoment(decided, rng.Between(30, 90), rng);
          if (rng.Chance(0.5) && Fits(shipped))
            Add(shipped, true, "feedback", key, {{"status", "shipped"}});
        } else if (u < 0.7 && Fits(decided)) {
          Add(decided, true, "feedback", key, {{"status", "declined"}});
        }
        continue;
      }
      if (std::find(it->second.begin(), it->second.end(), m.account) != it->second.end()) continue;
      it->second.push_back(m.account);
      Add(m.at_ms, true, "feedback", key, {{"account_ids", it->second}});
    }
  }

  // ---- materials and account profiles, at the start of the history ----

  void EmitMaterials() {
    const int64_t at = std::min(earliest_ms_, in_.end_ms - kDay) - kDay;
    for (size_t i = 0; i < kMaterials.size(); ++i) {
      const MaterialText& m = kMaterials[i];
      json fields = {{"title", m.title},
                     {"kind", m.kind},
                     {"url", std::string(demo::kWebHost) + "/resources/" + std::string(m.slug)},
                     {"stages", DemoSplitList(m.stages)},
                     {"roles", DemoSplitList(m.roles)},
                     {"industries", DemoSplitList(m.industries)},
                     {"notes", m.notes}};
      Add(at, false, "materials", "material:" + std::to_string(i), fields);
    }
    // Account profiles are today's knowledge (the records were synced today).
    for (auto& [id, fields] : pending_profiles_) {
      Add(in_.end_ms - kMinute, true, "accounts", "account:" + std::to_string(id),
          std::move(fields));
    }
  }

  const DemoRecordsInput& in_;
  std::vector<DemoRecordWrite> writes_;
  std::vector<Mention> mentions_;
  std::map<int64_t, double> profiles_;  // account id → revenue
  std::vector<std::pair<int64_t, json>> pending_profiles_;
  int64_t earliest_ms_ = 0;
};

// ---- collecting facts ----------------------------------------------------------

double Number(const json& record, const char* field) {
  const auto it = record.find(field);
  return it != record.end() && it->is_number() ? it->get<double>() : 0.0;
}

}  // namespace

std::vector<DemoRecordWrite> PlanDemoRecords(const DemoRecordsInput& input) {
  return Planner(input).Run();
}

Result<DemoRecordsInput> CollectDemoFacts(const OpsContext& ctx, uint64_t seed, int64_t end_ms) {
  DemoRecordsInput input;
  input.seed = seed;
  input.end_ms = end_ms;
  input.zone = ctx.zone;
  ASSIGN_OR_RETURN(std::vector<json> accounts,
                   ListEveryRecord(ctx.records->Get("accounts"), ctx.project_id));
  ASSIGN_OR_RETURN(std::vector<json> contacts,
                   ListEveryRecord(ctx.records->Get("contacts"), ctx.project_id));
  std::unordered_map<std::string, size_t> by_group;
  std::unordered_map<int64_t, size_t> by_id;
  for (const auto& r : accounts) {
    DemoAccountFacts a;
    a.id = r["id"].get<int64_t>();
    a.group_id = TextOf(r, "group_id");
    a.name = TextOf(r, "name");
    a.industry = TextOf(r, "industry");
    a.size = TextOf(r, "size");
    a.region = TextOf(r, "region");
    a.level = TextOf(r, "level");
    a.owner = TextOf(r, "owner");
    a.plan = TextOf(r, "plan");
    a.lifecycle_stage = TextOf(r, "lifecycle_stage");
    a.renewal_date = TextOf(r, "renewal_date");
    a.arr = Number(r, "arr");
    a.seats = static_cast<int64_t>(Number(r, "seats"));
    by_id[a.id] = input.accounts.size();
    if (!a.group_id.empty()) by_group[a.group_id] = input.accounts.size();
    input.accounts.push_back(std::move(a));
  }

  // Milestones, and when each person signed up.
  store::ScanRequest request;
  request.events = {"signup",   "trial_started", "demo_requested", "quote_requested",
                    "purchase", "renewal",       "churned"};
  request.properties = {"channel", "product", "seats", "amount", "reason"};
  request.to_ms = end_ms;
  struct Row {
    int64_t t;
    std::string event, person, account, channel, product, reason;
    double seats = 0, amount = 0;
  };
  std::vector<Row> rows;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) -> Status {
    const auto prop = [&](size_t column, size_t row) -> const store::PropertyValue* {
      const uint32_t code = block.properties[column].codes[row];
      return code == 0 ? nullptr : &block.properties[column].dict[code - 1];
    };
    const auto text = [&](size_t column, size_t row) {
      const store::PropertyValue* v = prop(column, row);
      return v ? store::PropertyValueToString(*v) : std::string();
    };
    const auto number = [&](size_t column, size_t row) {
      const store::PropertyValue* v = prop(column, row);
      return v && std::holds_alternative<double>(*v) ? std::get<double>(*v) : 0.0;
    };
    for (size_t i = 0; i < block.rows; ++i) {
      rows.push_back({block.timestamp_ms[i], block.event_dict[block.event[i]],
                      block.person_dict[block.person[i]], block.account_dict[block.account[i]],
                      text(0, i), text(1, i), text(4, i), number(2, i), number(3, i)});
    }
    return Status::Ok();
  }));
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return x.t < y.t; });
  std::vector<std::string> ids, canonical;
  for (const auto& r : rows) ids.push_back(r.person);
  ctx.identity->CanonicalPersons(ids, &canonical);
  std::unordered_map<std::string, int64_t> joined;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const std::string& person = canonical[i];
    if (r.event == "signup") joined.emplace(person, r.t);
    auto it = by_group.find(r.account);
    if (it == by_group.end()) continue;
    DemoAccountFacts& a = input.accounts[it->second];
    const auto first = [&](int64_t* slot, std::string* who) {
      if (*slot == 0) {
        *slot = r.t;
        if (who) *who = person;
        return true;
      }
      return false;
    };
    if (r.event == "signup") {
      if (first(&a.signup_ms, nullptr)) a.channel = r.channel;
    } else if (r.event == "trial_started") {
      first(&a.trial_ms, nullptr);
    } else if (r.event == "demo_requested") {
      if (first(&a.demo_ms, &a.demo_person)) a.demo_product = r.product;
    } else if (r.event == "quote_requested") {
      if (first(&a.quote_ms, &a.quote_person)) a.quote_seats = static_cast<int64_t>(r.seats);
    } else if (r.event == "purchase") {
      if (first(&a.purchase_ms, &a.purchase_person)) a.purchase_amount = r.amount;
    } else if (r.event == "renewal") {
      a.renewals.push_back({r.t, r.amount, person});
    } else if (r.event == "churned") {
      if (first(&a.churn_ms, &a.churn_person)) a.churn_reason = r.reason;
    }
  }
  for (const auto& r : contacts) {
    const auto account = r.find("account_id");
    if (account == r.end() || !account->is_number_integer()) continue;
    auto it = by_id.find(account->get<int64_t>());
    if (it == by_id.end()) continue;
    DemoContactFacts c;
    c.id = r["id"].get<int64_t>();
    c.person_id = TextOf(r, "person_id");
    c.name = TextOf(r, "name");
    c.role = TextOf(r, "role");
    c.title = TextOf(r, "title");
    auto j = joined.find(c.person_id);
    c.joined_ms = j == joined.end() ? 0 : j->second;
    input.accounts[it->second].contacts.push_back(std::move(c));
  }
  for (auto& a : input.accounts) {
    std::stable_sort(a.contacts.begin(), a.contacts.end(),
                     [](const DemoContactFacts& x, const DemoContactFacts& y) {
                       return x.joined_ms < y.joined_ms;
                     });
  }
  return input;
}

namespace {

// Record kinds the demo writes, in an order that deletes referring records first.
constexpr std::array<std::string_view, 7> kDemoKinds = {
    "follow_ups", "feedback", "stakeholders", "briefs", "visits", "opportunities", "materials"};

}  // namespace

Result<DemoRecordsReport> GenerateDemoRecords(const OpsContext& ctx, domain::SqliteDatabase& db,
                                              const DemoRecordsOptions& options) {
  const auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  DemoRecordsReport report;
  // A catalog of our own whose clock is each write's moment: record times (and so the
  // timeline events made from them) are the story's, not today's (ops/demo_replay.h).
  ASSIGN_OR_RETURN(std::unique_ptr<DemoReplay> replay, DemoReplay::Open(db, options.end_ms));
  records::ResourceCatalog& catalog = replay->catalog();
  ASSIGN_OR_RETURN(bool existing, replay->HasAny("opportunities", ctx.project_id));
  if (existing) {
    if (!options.replace) {
      report.skipped = true;
      return report;
    }
    // Before the hooks are installed: deleting old demo records writes no events.
    say("removing the previous demo records");
    RETURN_IF_ERROR(DeleteAllRecords(catalog, ctx.project_id, kDemoKinds));
  }
  TimelineOutbox::Install(catalog);
  InstallPipelineHooks(catalog);
  OpsContext local = ctx;
  local.records = &catalog;

  say("syncing accounts and contacts");
  const auto sync_start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(SyncCounts synced, RecordSync::SyncAll(ctx));
  (void)synced;
  const auto facts_start = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(EnsureDefaultStages(catalog, ctx.project_id));
  ASSIGN_OR_RETURN(DemoRecordsInput input, CollectDemoFacts(ctx, options.seed, options.end_ms));
  std::unordered_map<int64_t, std::string> group_of;
  for (const auto& a : input.accounts) group_of[a.id] = a.group_id;
  const auto plan_start = std::chrono::steady_clock::now();
  const std::vector<DemoRecordWrite> plan = PlanDemoRecords(input);
  const auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  char planned[200];
  std::snprintf(
      planned, sizeof planned,
      "planned %zu record writes for %zu accounts (sync %.1f s, milestones %.1f s, plan %.1f s)",
      plan.size(), input.accounts.size(), seconds(sync_start, facts_start),
      seconds(facts_start, plan_start), seconds(plan_start, std::chrono::steady_clock::now()));
  say(planned);

  // Profile fields no trait carries: a system write, so nothing is marked as edited by hand.
  const auto upsert_account = [&](const DemoRecordWrite& w, json& fields, std::unordered_map<std::string, int64_t>&,
                                  DemoReplay::Outcome& counts) -> Result<bool> {
    if (w.resource != "accounts") return false;
    const int64_t id = std::stoll(w.key.substr(w.key.find(':') + 1));
    fields["group_id"] = group_of[id];
    ASSIGN_OR_RETURN(size_t changed,
                     catalog.Get("accounts").UpsertByKey(ctx.project_id, "group_id", {fields}, false));
    counts.updates += changed;
    return true;
  };
  ASSIGN_OR_RETURN(DemoReplay::Outcome written,
                   replay->Write(plan, local, options.end_ms, "records", upsert_account, options.progress));
  report.created = std::move(written.created);
  report.updates = written.updates;
  char timing[160];
  std::snprintf(timing, sizeof timing, "records: %zu writes in %.1f s, their timeline events in %.1f s",
                written.writes, written.seconds - written.drain_seconds, written.drain_seconds);
  say(timing);
  return report;
}

}  // namespace tobops::ops
