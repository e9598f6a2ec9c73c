// File: demo/demo_catalog.h
// DemoCatalog: the fixed vocabularies of the demo story — industries, company sizes,
// regions, sales owners, plans, acquisition channels with their utm values, pages,
// content, features, person names and titles. docs/demo_data.md lists them.
// Every string here is JSON-safe (no quote, backslash or control character), so the
// message writer appends them without escaping; demo_generator_test checks that.
// Callers: demo_story.cc (draws indices), message_writer.cc (renders them).
// Thread-safety: immutable constants.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tobops::demo {

// A person's place in the decision chain (DESIGN.md glossary).
enum class Role : uint8_t { kUser, kEvaluator, kBudgetHolder, kDecisionMaker, kSigner };
inline constexpr int kRoleCount = 5;
inline constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "user", "evaluator", "budget_holder", "decision_maker", "signer"};

// Acquisition channels; the `channel` property of page and marketing events.
enum class Channel : uint8_t {
  kWebsite, kSem, kVideo, kBrochureQr, kCaseStudy, kWebinar, kConference, kReferral, kPartner
};
inline constexpr int kChannelCount = 9;

struct ChannelInfo {
  std::string_view name;                    // value of the `channel` property
  std::string_view medium;                  // utm_medium
  std::array<std::string_view, 3> sources;  // utm_source choices
  std::array<std::string_view, 3> campaigns;  // utm_campaign choices
  std::string_view referrer;                // page referrer (empty: direct)
  std::string_view landing_path;            // typical first page
};

inline constexpr std::array<ChannelInfo, kChannelCount> kChannels = {{
    {"website", "organic", {"baidu", "bing", "google"}, {"seo", "seo", "seo"},
     "https://www.baidu.com/", "/"},
    {"sem", "cpc", {"baidu", "bing", "sogou"},
     {"sem_brand", "sem_competitor", "sem_solution"}, "https://www.baidu.com/", "/product/analytics"},
    {"video", "video", {"bilibili", "douyin", "wechat_channels"},
     {"product_walkthrough", "customer_story_video", "founder_talk"}, "https://www.bilibili.com/", "/"},
    {"brochure_qr", "qr", {"brochure", "booth_poster", "sales_kit"},
     {"expo_brochure", "industry_handbook", "sales_leaflet"}, "", "/product/account-insights"},
    {"case_study", "content", {"wechat", "zhihu", "linkedin"},
     {"case_manufacturing", "case_finance", "case_retail"}, "https://mp.weixin.qq.com/", "/cases/manufacturing-digital"},
    {"webinar", "email", {"webinar", "edm", "wechat"},
     {"b2b_growth_live", "abm_masterclass", "renewal_playbook"}, "", "/webinars"},
    {"conference", "offline", {"b2b_growth_summit", "world_ai_conference", "cio_forum"},
     {"summit_booth", "keynote_followup", "vip_dinner"}, "", "/demo"},
    {"referral", "referral", {"customer_referral", "customer_referral", "advocate_program"},
     {"refer_a_friend", "refer_a_friend", "advocate_reward"}, "", "/"},
    {"partner", "partner", {"aliyun_market", "huawei_cloud", "si_partner"},
     {"marketplace_listing", "joint_solution", "co_selling"}, "https://market.aliyun.com/", "/product/integrations"},
}};

// Search keywords carried as utm_term by SEM visits.
inline constexpr std::array<std::string_view, 12> kSemKeywords = {
    "B2B增长分析", "客户成功平台", "私有化部署 数据分析", "营销自动化", "用户行为分析",
    "ABM 工具", "CRM 集成", "销售漏斗分析", "product analytics", "account based marketing",
    "续费率 提升", "渠道归因"};

// Channel mix of first touches for accounts and for anonymous traffic (weights).
inline constexpr std::array<double, kChannelCount> kChannelWeights = {
    30, 20, 8, 6, 9, 8, 6, 6, 7};

inline constexpr std::array<std::string_view, 8> kIndustries = {
    "制造业", "金融", "零售", "医疗", "教育", "互联网", "物流", "能源"};
inline constexpr std::array<std::string_view, 8> kIndustrySlugs = {
    "mfg", "fin", "retail", "health", "edu", "net", "logistics", "energy"};
inline constexpr std::array<double, 8> kIndustryWeights = {20, 12, 14, 8, 8, 18, 10, 10};

inline constexpr std::array<std::string_view, 4> kSizes = {"1-50", "51-200", "201-1000", "1000+"};
inline constexpr std::array<double, 4> kSizeWeights = {38, 32, 20, 10};

inline constexpr std::array<std::string_view, 6> kRegions = {"华东", "华北", "华南", "西南", "华中", "海外"};
inline constexpr std::array<double, 6> kRegionWeights = {32, 22, 20, 9, 9, 8};
inline constexpr int kOverseasRegion = 5;

inline constexpr std::array<std::string_view, 10> kOwners = {
    "张伟", "李娜", "王磊", "刘洋", "陈静", "杨帆", "赵敏", "周杰", "Emily Chen", "David Wu"};

// Plans by tier; list price per seat per year in CNY.
inline constexpr std::array<std::string_view, 3> kPlans = {"starter", "growth", "enterprise"};
inline constexpr std::array<int, 3> kSeatPriceCny = {1200, 2400, 4800};

// Product features named by the `feature` property of feature_used.
inline constexpr std::array<std::string_view, 15> kFeatures = {
    "dashboard", "funnel_analysis", "retention_analysis", "account_360", "journey_map",
    "segment_builder", "report_builder", "data_import", "api_access", "sso",
    "alerting", "health_score", "campaign_roi", "crm_sync", "ai_assistant"};
inline constexpr std::array<double, 15> kFeatureWeights = {
    22, 12, 7, 10, 5, 8, 9, 4, 3, 2, 4, 5, 4, 3, 6};

struct PageInfo {
  std::string_view path;
  std::string_view name;   // Segment page name
  std::string_view title;  // document title
};

// Marketing-site pages (host kWebHost).
inline constexpr std::array<PageInfo, 16> kWebPages = {{
    {"/", "Home", "云雀数据 Skylark - B2B 增长运营平台"},
    {"/pricing", "Pricing", "价格 - 云雀数据"},
    {"/product/analytics", "Product Analytics", "行为分析 - 云雀数据"},
    {"/product/account-insights", "Account Insights", "客户洞察 - 云雀数据"},
    {"/product/journey", "Journey", "旅程编排 - 云雀数据"},
    {"/product/integrations", "Integrations", "集成 - 云雀数据"},
    {"/cases/manufacturing-digital", "Case Manufacturing", "案例: 制造业数字化增长"},
    {"/cases/finance-abm", "Case Finance", "案例: 金融客户 ABM 实践"},
    {"/cases/retail-renewal", "Case Retail", "案例: 零售 SaaS 续费提升"},
    {"/blog/b2b-funnel-guide", "Blog", "B2B 漏斗分析指南"},
    {"/blog/decision-chain", "Blog", "读懂客户决策链"},
    {"/docs/quick-start", "Docs", "快速开始 - 文档"},
    {"/docs/segment-integration", "Docs", "Segment 接入 - 文档"},
    {"/webinars", "Webinars", "直播活动 - 云雀数据"},
    {"/demo", "Request Demo", "预约演示 - 云雀数据"},
    {"/signup", "Sign Up", "注册 - 云雀数据"},
}};
inline constexpr int kPageHome = 0;
inline constexpr int kPagePricing = 1;
inline constexpr int kPageCasesBegin = 6;
inline constexpr int kPageCasesEnd = 9;
inline constexpr int kPageDocsBegin = 11;
inline constexpr int kPageDocsEnd = 13;
inline constexpr int kPageDemo = 14;
inline constexpr int kPageSignup = 15;
inline constexpr std::array<double, 16> kWebPageWeights = {
    30, 14, 10, 8, 5, 5, 4, 3, 3, 6, 4, 4, 2, 3, 2, 0};

// In-product pages (host kAppHost).
inline constexpr std::array<PageInfo, 6> kAppPages = {{
    {"/app/dashboard", "App Dashboard", "工作台 - 云雀数据"},
    {"/app/funnels", "App Funnels", "漏斗 - 云雀数据"},
    {"/app/accounts", "App Accounts", "客户 - 云雀数据"},
    {"/app/reports", "App Reports", "报表 - 云雀数据"},
    {"/app/settings/members", "App Members", "成员管理 - 云雀数据"},
    {"/app/billing", "App Billing", "账单 - 云雀数据"},
}};
inline constexpr int kAppPageBilling = 5;

inline constexpr std::string_view kWebHost = "https://www.skylark-data.example";
inline constexpr std::string_view kAppHost = "https://app.skylark-data.example";

struct ContentInfo {
  std::string_view id;
  std::string_view type;  // case_study / whitepaper / industry_report / video / blog
  std::string_view title;
};
inline constexpr std::array<ContentInfo, 12> kContents = {{
    {"cs-mfg-01", "case_study", "某汽车零部件集团的线索转化提升 3 倍"},
    {"cs-fin-01", "case_study", "城商行对公业务的 ABM 实践"},
    {"cs-retail-01", "case_study", "连锁零售 SaaS 续费率从 72% 到 91%"},
    {"cs-net-01", "case_study", "How a dev-tools startup found its PQLs"},
    {"wp-abm-2026", "whitepaper", "2026 ABM 实战白皮书"},
    {"wp-decision-chain", "whitepaper", "B2B 决策链运营白皮书"},
    {"ir-mfg-2026", "industry_report", "2026 制造业数字化采购报告"},
    {"ir-saas-renewal", "industry_report", "中国 SaaS 续费基准报告"},
    {"ir-health-it", "industry_report", "医疗信息化预算趋势"},
    {"vd-onboarding", "video", "10 分钟上手云雀数据"},
    {"bl-funnel-guide", "blog", "B2B 漏斗分析指南"},
    {"bl-health-score", "blog", "客户健康分怎么设计"},
}};

inline constexpr std::array<std::string_view, 6> kWebinarTitles = {
    "B2B 增长运营直播: 从线索到续费", "ABM 大师课: 锁定关键客户", "续费保卫战: 健康分实战",
    "制造业数字化采购新趋势", "Partner Day: 生态共赢", "Product analytics for B2B teams"};

// Person names: {hanzi, pinyin}.
struct NamePart {
  std::string_view hanzi;
  std::string_view pinyin;
};
inline constexpr std::array<NamePart, 20> kSurnames = {{
    {"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"},
    {"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"},
    {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"},
    {"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"高", "gao"}, {"罗", "luo"}}};
inline constexpr std::array<NamePart, 24> kGivenNames = {{
    {"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"},
    {"磊", "lei"}, {"强", "qiang"}, {"洋", "yang"}, {"艳", "yan"}, {"勇", "yong"},
    {"军", "jun"}, {"杰", "jie"}, {"婷", "ting"}, {"欣怡", "xinyi"}, {"浩然", "haoran"},
    {"子涵", "zihan"}, {"宇航", "yuhang"}, {"思远", "siyuan"}, {"晓明", "xiaoming"},
    {"佳琪", "jiaqi"}, {"志强", "zhiqiang"}, {"雪", "xue"}, {"鹏", "peng"}, {"琳", "lin"}}};
inline constexpr std::array<std::string_view, 12> kEnglishGivenNames = {
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mason", "Chloe", "Ryan"};
inline constexpr std::array<std::string_view, 12> kEnglishSurnames = {
    "Smith", "Tan", "Garcia", "Lee", "Mueller", "Nguyen", "Kumar", "Sato", "Brown", "Lim", "Rossi", "Khan"};

// Titles per role (Chinese, then English for overseas accounts).
inline constexpr std::array<std::array<std::string_view, 3>, kRoleCount> kTitles = {{
    {"数据分析师", "运营专员", "产品经理"},
    {"IT 经理", "数据平台负责人", "解决方案架构师"},
    {"财务总监", "运营总监", "部门预算负责人"},
    {"CEO", "CTO", "市场副总裁"},
    {"采购经理", "法务经理", "总经理"},
}};
inline constexpr std::array<std::array<std::string_view, 3>, kRoleCount> kEnglishTitles = {{
    {"Data Analyst", "Ops Specialist", "Product Manager"},
    {"IT Manager", "Head of Data Platform", "Solutions Architect"},
    {"Finance Director", "Head of Operations", "Budget Owner"},
    {"CEO", "CTO", "VP Marketing"},
    {"Procurement Manager", "Legal Counsel", "General Manager"},
}};

// Company names: prefix (hanzi, pinyin) + middle + industry word.
inline constexpr std::array<NamePart, 24> kCompanyPrefixes = {{
    {"华信", "huaxin"}, {"中科", "zhongke"}, {"远航", "yuanhang"}, {"金桥", "jinqiao"},
    {"东方", "dongfang"}, {"恒通", "hengtong"}, {"瑞丰", "ruifeng"}, {"天成", "tiancheng"},
    {"博远", "boyuan"}, {"启明", "qiming"}, {"新锐", "xinrui"}, {"汇智", "huizhi"},
    {"凯达", "kaida"}, {"鼎盛", "dingsheng"}, {"长风", "changfeng"}, {"海纳", "haina"},
    {"星河", "xinghe"}, {"云帆", "yunfan"}, {"众诚", "zhongcheng"}, {"和光", "heguang"},
    {"蓝海", "lanhai"}, {"优创", "youchuang"}, {"嘉禾", "jiahe"}, {"明德", "mingde"}}};
inline constexpr std::array<NamePart, 10> kCompanyMiddles = {{
    {"", ""}, {"智能", "ai"}, {"数字", "digital"}, {"科技", "tech"}, {"国际", "intl"},
    {"创新", "inno"}, {"云", "cloud"}, {"联合", "united"}, {"精密", "precision"}, {"未来", "future"}}};
inline constexpr std::array<std::string_view, 8> kIndustryCompanyWords = {
    "制造", "金融服务", "零售", "医疗", "教育", "网络", "物流", "能源"};
inline constexpr std::array<std::string_view, 8> kEnglishIndustryWords = {
    "Manufacturing", "Capital", "Retail", "Health", "Learning", "Labs", "Logistics", "Energy"};

inline constexpr std::array<std::string_view, 5> kUserAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36 Edg/122.0",
    "Mozilla/5.0 (Linux; Android 14; M2102K1C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
};

inline constexpr std::array<std::string_view, 6> kChurnReasons = {
    "budget_cut", "low_adoption", "switched_competitor", "champion_left", "price", "project_ended"};
inline constexpr std::array<std::string_view, 4> kReports = {
    "weekly_funnel", "account_health", "channel_attribution", "renewal_forecast"};
inline constexpr std::array<std::string_view, 3> kExportFormats = {"xlsx", "pdf", "csv"};
inline constexpr std::array<std::string_view, 4> kShareTargets = {"wechat", "wecom", "email", "linkedin"};
inline constexpr std::array<std::string_view, 3> kLoginMethods = {"password", "sso", "wechat"};
inline constexpr std::array<std::string_view, 3> kSignupMethods = {"email", "phone", "wechat"};

}  // namespace tobops::demo
