#include "query/funnel_drivers.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "query/block_filters.h"

namespace tobops::query {
namespace {

constexpr size_t kMaxDrivers = 20;
constexpr double kSignificance = 0.05;
// The account traits compared (the breakdown-capable ones of docs/demo_data.md).
const char* const kAccountTraits[] = {"industry", "size", "level"};

struct Counts {
  int64_t converters = 0;
  int64_t dropped = 0;
};

}  // namespace

double OddsRatio(int64_t a, int64_t b, int64_t c, int64_t d) {
  double fa = double(a), fb = double(b), fc = double(c), fd = double(d);
  if (a == 0 || b == 0 || c == 0 || d == 0) {
    fa += 0.5;
    fb += 0.5;
    fc += 0.5;
    fd += 0.5;
  }
  return (fa * fd) / (fb * fc);
}

double YatesChiSquarePValue(int64_t a, int64_t b, int64_t c, int64_t d) {
  const double n = double(a + b + c + d);
  const double r1 = double(a + b), r2 = double(c + d), c1 = double(a + c), c2 = double(b + d);
  if (r1 == 0 || r2 == 0 || c1 == 0 || c2 == 0) return 1.0;
  const double diff = std::max(0.0, std::fabs(double(a) * double(d) - double(b) * double(c)) - n / 2);
  const double chi2 = n * diff * diff / (r1 * r2 * c1 * c2);
  // One degree of freedom: P(X > chi2) = erfc(sqrt(chi2 / 2)).
  return std::erfc(std::sqrt(chi2 / 2));
}

Result<std::vector<FunnelDriver>> FindFunnelDrivers(const FunnelDriverRequest& request,
                                                    const std::vector<FunnelSubject>& subjects,
                                                    const QueryContext& ctx) {
  std::vector<FunnelDriver> drivers;
  int64_t total_converters = 0, total_dropped = 0;
  for (const auto& s : subjects) (s.converted ? total_converters : total_dropped) += 1;
  if (subjects.empty()) return drivers;

  std::unordered_map<std::string_view, uint32_t> subject_of;
  subject_of.reserve(subjects.size());
  for (uint32_t i = 0; i < subjects.size(); ++i) subject_of.emplace(subjects[i].entity, i);

  // Events done between the first step and the end of the window, once per entity.
  TimelineRequest timeline;
  timeline.entity = request.entity;
  timeline.from_ms = request.from_ms;
  timeline.to_ms = request.to_ms;
  timeline.filters = request.filters;
  timeline.keep_unmatched = true;
  ASSIGN_OR_RETURN(EntityTimelines rows, EntityTimelines::Collect(timeline, ctx));
  const size_t names = rows.event_names().size();
  std::vector<char> is_step(names, 0);
  for (size_t e = 0; e < names; ++e) {
    for (const auto& step : request.step_events) {
      if (step.empty() || step == rows.event_names()[e]) is_step[e] = 1;
    }
  }
  const int threads = std::max(1, ctx.threads);
  struct Worker {
    std::vector<Counts> events;
    std::vector<uint32_t> seen;  // per event name: last entity + 1 that counted it
  };
  std::vector<Worker> workers(threads);
  for (auto& w : workers) {
    w.events.assign(names, {});
    w.seen.assign(names, 0);
  }
  rows.ForEach(threads, [&](size_t entity, std::span<const TimelineEvent> events, int w) {
    auto it = subject_of.find(rows.entity_id(entity));
    if (it == subject_of.end()) return;
    const FunnelSubject& s = subjects[it->second];
    Worker& worker = workers[w];
    for (const auto& row : events) {
      if (row.timestamp_ms < s.start_ms) continue;
      if (row.timestamp_ms - s.start_ms > request.window_ms) break;
      if (is_step[row.event] || worker.seen[row.event] == uint32_t(entity + 1)) continue;
      worker.seen[row.event] = uint32_t(entity + 1);
      (s.converted ? worker.events[row.event].converters : worker.events[row.event].dropped) += 1;
    }
  });

  auto consider = [&](std::string kind, std::string name, store::PropertyValue value, const Counts& with) {
    const int64_t a = with.converters, b = with.dropped;
    const int64_t c = total_converters - a, d = total_dropped - b;
    const double p = YatesChiSquarePValue(a, b, c, d);
    if (!(p < kSignificance)) return;
    drivers.push_back({std::move(kind), std::move(name), std::move(value), a, b, OddsRatio(a, b, c, d), p});
  };
  for (size_t e = 0; e < names; ++e) {
    Counts sum;
    for (const auto& w : workers) {
      sum.converters += w.events[e].converters;
      sum.dropped += w.events[e].dropped;
    }
    if (sum.converters + sum.dropped > 0) consider("event", rows.event_names()[e], std::monostate{}, sum);
  }

  // Account traits: the account's current traits (for persons: their current account).
  std::map<std::pair<int, std::string>, std::pair<store::PropertyValue, Counts>> traits;
  for (const auto& s : subjects) {
    const std::string account =
        request.entity == EntityKind::kAccount ? s.entity : ctx.identity->PersonAccount(s.entity);
    if (account.empty()) continue;
    const ingest::Traits t = ctx.identity->AccountTraits(account);
    for (int k = 0; k < 3; ++k) {
      store::PropertyValue value = FindTrait(t, kAccountTraits[k]);
      if (std::holds_alternative<std::monostate>(value)) continue;
      auto& [stored, counts] = traits[{k, store::PropertyValueToString(value)}];
      stored = value;
      (s.converted ? counts.converters : counts.dropped) += 1;
    }
  }
  for (const auto& [key, entry] : traits) consider("account", kAccountTraits[key.first], entry.first, entry.second);

  std::sort(drivers.begin(), drivers.end(), [](const FunnelDriver& x, const FunnelDriver& y) {
    const double lx = std::fabs(std::log(x.odds_ratio)), ly = std::fabs(std::log(y.odds_ratio));
    if (lx != ly) return lx > ly;
    if (x.kind != y.kind) return x.kind < y.kind;
    if (x.name != y.name) return x.name < y.name;
    return store::PropertyValueToString(x.value) < store::PropertyValueToString(y.value);
  });
  if (drivers.size() > kMaxDrivers) drivers.resize(kMaxDrivers);
  return drivers;
}

}  // namespace tobops::query
