#include "ops/partner_tiers.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <vector>

#include "common/time_format.h"
#include "ops/partner_points.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

struct Tier {
  const char* name;
  int64_t min;
};
constexpr Tier kTiers[] = {{"bronze", 0}, {"silver", 500}, {"gold", 2000}, {"platinum", 5000}};

struct Sums {
  int64_t earned = 0, penalties = 0, balance = 0;
};

}  // namespace

TierStanding TierFor(int64_t points) {
  points = std::max<int64_t>(points, 0);
  size_t i = 0;
  while (i + 1 < std::size(kTiers) && points >= kTiers[i + 1].min) ++i;
  TierStanding s;
  s.tier = kTiers[i].name;
  if (i + 1 < std::size(kTiers)) {
    const Tier& next = kTiers[i + 1];
    s.next = next.name;
    s.points_to_next = next.min - points;
    const double share = static_cast<double>(points - kTiers[i].min) / static_cast<double>(next.min - kTiers[i].min);
    s.progress = std::round(share * 1000.0) / 10.0;
  }
  return s;
}

Result<json> BuildPartnerRanking(const OpsContext& ctx) {
  records::RecordQuery all;
  all.limit = records::RecordStore::kMaxListLimit;
  ASSIGN_OR_RETURN(records::RecordPage partners, ctx.records->Get("partners").List(ctx.project_id, all));
  ASSIGN_OR_RETURN(records::RecordPage entries, ctx.records->Get("point_entries").List(ctx.project_id, all));

  const int64_t from_ms = ctx.now_ms - kTierWindowMs;
  std::map<int64_t, Sums> sums;
  for (const auto& e : entries.records) {
    Sums& s = sums[IntegerOf(e, "partner_id")];
    const int64_t points = IntegerOf(e, "points");
    s.balance += points;
    auto at = ParseIso8601Ms(TextOf(e, "created_at"));
    if (!at.ok() || *at < from_ms || *at > ctx.now_ms) continue;
    const std::string kind = TextOf(e, "kind");
    if (IsEarnKind(kind)) s.earned += points;
    else if (kind == "penalty") s.penalties -= points;
  }

  struct Row {
    json partner;
    Sums sums;
    int64_t points;
  };
  std::vector<Row> rows;
  for (auto& p : partners.records) {
    Sums s = sums[IntegerOf(p, "id")];
    rows.push_back({std::move(p), s, std::max<int64_t>(s.earned - s.penalties, 0)});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.points != b.points) return a.points > b.points;
    const std::string an = TextOf(a.partner, "name"), bn = TextOf(b.partner, "name");
    if (an != bn) return an < bn;
    return IntegerOf(a.partner, "id") < IntegerOf(b.partner, "id");
  });

  json items = json::array();
  int64_t rank = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i == 0 || rows[i].points != rows[i - 1].points) rank = static_cast<int64_t>(i) + 1;
    const Row& r = rows[i];
    const TierStanding t = TierFor(r.points);
    items.push_back({{"rank", rank},
                     {"partner_id", IntegerOf(r.partner, "id")},
                     {"name", TextOf(r.partner, "name")},
                     {"kind", TextOf(r.partner, "kind")},
                     {"certification", TextOf(r.partner, "certification")},
                     {"region", r.partner.value("region", json(nullptr))},
                     {"owner", r.partner.value("owner", json(nullptr))},
                     {"earned_12m", r.sums.earned},
                     {"penalties_12m", r.sums.penalties},
                     {"points_12m", r.points},
                     {"balance", r.sums.balance},
                     {"tier", t.tier},
                     {"next_tier", t.next ? json(*t.next) : json(nullptr)},
                     {"points_to_next", t.points_to_next},
                     {"progress", t.progress}});
  }
  json tiers = json::array();
  for (const Tier& t : kTiers) tiers.push_back({{"tier", t.name}, {"min", t.min}});
  const cctz::time_zone utc = cctz::utc_time_zone();
  return json{{"window", {{"from", FormatIso8601Ms(from_ms, utc)}, {"to", FormatIso8601Ms(ctx.now_ms, utc)}}},
              {"tiers", std::move(tiers)},
              {"items", std::move(items)}};
}

exporting::Table RankingToTable(const json& ranking) {
  exporting::Table table;
  table.columns = {"rank",       "partner_id", "name",    "kind", "certification",  "region",        "owner",
                   "earned_12m", "penalties_12m", "points_12m", "balance", "tier", "next_tier", "points_to_next",
                   "progress"};
  auto cell = [](const json& v) -> exporting::TableCell {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return std::monostate{};
  };
  for (const auto& item : ranking["items"]) {
    std::vector<exporting::TableCell> row;
    for (const auto& c : table.columns) row.push_back(cell(item.contains(c) ? item[c] : json(nullptr)));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace tobops::ops
