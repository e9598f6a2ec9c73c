#include "query/health_query.h"

#include <algorithm>
#include <cmath>

#include "common/parallel_chunks.h"
#include "common/time_format.h"
#include "query/account_activity.h"
#include "query/block_filters.h"
#include "query/record_events.h"
#include "query/spec_parsing.h"

namespace tobops::query {
namespace {

using nlohmann::json;

constexpr HealthPart kParts[kHealthParts] = {HealthPart::kActivity, HealthPart::kSeats, HealthPart::kBreadth,
                                             HealthPart::kRecency, HealthPart::kRoles};

// The account traits an answer row carries when present.
constexpr const char* kShownTraits[] = {"name", "industry", "level", "lifecycle_stage", "renewal_date", "arr", "seats"};

// A trait as a positive number (numbers, or text that is one); 0 otherwise.
double PositiveNumber(const store::PropertyValue& value) {
  double d = 0;
  if (const double* n = std::get_if<double>(&value)) d = *n;
  else if (const std::string* s = std::get_if<std::string>(&value)) {
    char* end = nullptr;
    d = s->empty() ? 0 : std::strtod(s->c_str(), &end);
    if (s->empty() || end != s->c_str() + s->size()) d = 0;
  }
  return std::isfinite(d) && d > 0 ? d : 0;
}

std::string TraitText(const ingest::Traits& traits, const char* key) {
  const store::PropertyValue v = FindTrait(traits, key);
  return std::holds_alternative<std::monostate>(v) ? std::string() : store::PropertyValueToString(v);
}

}  // namespace

const char* HealthPartName(HealthPart part) {
  switch (part) {
    case HealthPart::kActivity: return "activity";
    case HealthPart::kSeats: return "seats";
    case HealthPart::kBreadth: return "breadth";
    case HealthPart::kRecency: return "recency";
    case HealthPart::kRoles: return "roles";
  }
  return "activity";
}

Result<HealthSpec> ParseHealthSpec(const json& j) {
  HealthSpec spec;
  ASSIGN_OR_RETURN(int64_t days, ParseIntMember(j, "days", 1, 3650, spec.days));
  spec.days = int(days);
  if (j.contains("weights") && !j["weights"].is_null()) {
    const json& w = j["weights"];
    if (!w.is_object()) return InvalidArgument("weights must be an object such as {\"activity\": 0.3}", "weights");
    // Given weights replace the defaults: a part left out weighs 0.
    spec.weights.fill(0);
    for (const auto& [key, value] : w.items()) {
      size_t part = kHealthParts;
      for (size_t p = 0; p < kHealthParts; ++p) {
        if (key == HealthPartName(kParts[p])) part = p;
      }
      if (part == kHealthParts) {
        return InvalidArgument("unknown part '" + key + "'; parts are activity, seats, breadth, recency, roles",
                               "weights." + key);
      }
      if (!value.is_number() || value.get<double>() < 0 || !std::isfinite(value.get<double>())) {
        return InvalidArgument("a weight must be a number >= 0", "weights." + key);
      }
      spec.weights[part] = value.get<double>();
    }
    double sum = 0;
    for (double x : spec.weights) sum += x;
    if (sum <= 0) return InvalidArgument("at least one weight must be above 0", "weights");
  }
  if (j.contains("features")) {
    const json& f = j["features"];
    if (f.is_null()) {
      spec.feature_event.clear();  // breadth is not measured
    } else {
      if (!f.is_object()) return InvalidArgument("features must be an object {\"event\", \"property\"}", "features");
      for (const char* member : {"event", "property"}) {
        if (!f.contains(member)) continue;
        if (!f[member].is_string() || f[member].get<std::string>().empty()) {
          return InvalidArgument(std::string(member) + " must be a non-empty string", std::string("features.") + member);
        }
      }
      spec.feature_event = f.value("event", spec.feature_event);
      spec.feature_property = f.value("property", spec.feature_property);
      if (f.contains("total") && !f["total"].is_null()) {
        if (!f["total"].is_number_integer() || f["total"].get<int64_t>() < 1 || f["total"].get<int64_t>() > 100000) {
          return InvalidArgument("total must be an integer from 1 to 100000", "features.total");
        }
        spec.features_total = f["total"].get<int64_t>();
      }
    }
  }
  if (j.contains("activity_target") && !j["activity_target"].is_null()) {
    const json& t = j["activity_target"];
    if (!t.is_number() || t.get<double>() <= 0 || t.get<double>() > 1) {
      return InvalidArgument("activity_target must be a number in (0, 1]", "activity_target");
    }
    spec.activity_target = t.get<double>();
  }
  ASSIGN_OR_RETURN(spec.roles, ParseRoles(j, spec.roles));
  if (j.contains("sort") && !j["sort"].is_null()) {
    static const std::pair<const char*, HealthSort> kSorts[] = {
        {"score_asc", HealthSort::kScoreAsc}, {"score_desc", HealthSort::kScoreDesc},
        {"account", HealthSort::kAccount},    {"name", HealthSort::kName},
        {"renewal_date", HealthSort::kRenewalDate}};
    bool found = false;
    for (const auto& [name, sort] : kSorts) {
      if (j["sort"].is_string() && j["sort"].get<std::string>() == name) spec.sort = sort, found = true;
    }
    if (!found) {
      return InvalidArgument("sort must be score_asc, score_desc, account, name or renewal_date", "sort");
    }
  }
  ASSIGN_OR_RETURN(int64_t limit, ParseIntMember(j, "limit", 1, 100000, 100));
  spec.limit = size_t(limit);
  ASSIGN_OR_RETURN(int64_t offset, ParseIntMember(j, "offset", 0, 1000000000, 0));
  spec.offset = size_t(offset);
  ASSIGN_OR_RETURN(spec.filters, ParseFilters(j.value("filters", json()), "filters"));
  // Record events (a visit logged, a stage moved) are not product activity.
  spec.filters.push_back(NotARecordEvent());
  return spec;
}

Result<json> RunHealth(const HealthSpec& spec, const QueryContext& ctx) {
  double weight_sum = 0;
  for (double w : spec.weights) weight_sum += w;
  if (weight_sum <= 0) return InvalidArgument("at least one weight must be above 0", "weights");
  std::array<double, kHealthParts> weights{};
  // Weights that already sum to 1 (the defaults) are kept as given, so the answer shows
  // 0.3 rather than 0.30000000000000004.
  const double scale = std::abs(weight_sum - 1) < 1e-9 ? 1 : weight_sum;
  for (size_t p = 0; p < kHealthParts; ++p) weights[p] = spec.weights[p] / scale;

  AccountActivityRequest request;
  request.days = spec.days;
  request.filters = spec.filters;
  request.roles = spec.roles;
  request.feature_event = spec.feature_event;
  request.feature_property = spec.feature_property;
  ASSIGN_OR_RETURN(AccountActivityResult activity, CollectAccountActivity(request, ctx));
  const int64_t features_of = spec.features_total > 0 ? spec.features_total : activity.features_any;

  struct Row {
    const AccountActivity* account;
    double score;  // 0..100, rounded to one decimal
    json parts;
  };
  // Accounts are scored independently: on the query's threads (a book of thousands of
  // accounts spends more time building these explanations than scanning).
  std::vector<Row> rows(activity.accounts.size());
  ParallelChunks(rows.size(), ctx.threads, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      const AccountActivity& a = activity.accounts[i];
      std::array<double, kHealthParts> score{};
      std::array<json, kHealthParts> part;
      // activity: active person-days / (active persons × days): the average share of the
      // window's days an active person was active (DAU/MAU for a 30-day window).
      const double stickiness = a.active_persons > 0
                                    ? double(a.active_person_days) / (double(a.active_persons) * spec.days)
                                    : 0;
      score[0] = std::min(1.0, stickiness / spec.activity_target);
      part[0] = {{"value", stickiness}, {"active_person_days", a.active_person_days},
                 {"active_persons", a.active_persons}, {"days", spec.days}, {"target", spec.activity_target}};
      // seats: active persons / the `seats` trait, else / max(members, active persons).
      const store::PropertyValue* seats_trait = FindTraitIn(a.traits, "seats");
      const double seats = seats_trait != nullptr ? PositiveNumber(*seats_trait) : 0;
      const double seats_of = seats > 0 ? seats : double(std::max(a.known_persons, a.active_persons));
      score[1] = seats_of > 0 ? std::min(1.0, double(a.active_persons) / seats_of) : 0;
      part[1] = {{"value", a.active_persons}, {"of", seats_of}, {"basis", seats > 0 ? "seats" : "known_persons"}};
      // breadth: features used / features used by any account (or features.total).
      score[2] = features_of > 0 ? std::min(1.0, double(a.features_used) / double(features_of)) : 0;
      part[2] = {{"value", a.features_used}, {"of", features_of}};
      // recency: 1 − (calendar days since the last activity) / days; 0 without activity.
      if (a.last_active_ms) {
        const int64_t since = DaysBefore(activity.today_start_ms, *a.last_active_ms, ctx.zone);
        score[3] = std::max(0.0, 1.0 - double(since) / spec.days);
        part[3] = {{"value", since}};
      } else {
        part[3] = {{"value", nullptr}};
      }
      // roles: roles with an active member / roles asked for.
      int64_t covered = 0;
      json missing = json::array();
      for (size_t r = 0; r < spec.roles.size(); ++r) {
        if (a.roles[r].active > 0) ++covered;
        else missing.push_back(spec.roles[r]);
      }
      score[4] = double(covered) / double(spec.roles.size());
      part[4] = {{"value", covered}, {"of", spec.roles.size()}, {"missing", std::move(missing)}};

      double total = 0;
      json parts = json::object();
      for (size_t p = 0; p < kHealthParts; ++p) {
        total += weights[p] * score[p];
        part[p]["score"] = score[p];
        part[p]["weight"] = weights[p];
        parts[HealthPartName(kParts[p])] = std::move(part[p]);
      }
      // Rounded before sorting, so that accounts showing the same score are ordered by id
      // rather than by floating-point noise (0.5 × 0.7 + 0.5 × 0.2 vs 0.5 × 0.9).
      rows[i] = Row{&a, std::round(1000 * total) / 10, std::move(parts)};
    }
  });

  auto text_before = [](const std::string& x, const std::string& y) {
    // Present values first, ascending; absent ones (empty) last.
    if (x.empty() != y.empty()) return !x.empty();
    return x < y;
  };
  std::sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
    switch (spec.sort) {
      case HealthSort::kScoreAsc:
        if (x.score != y.score) return x.score < y.score;
        break;
      case HealthSort::kScoreDesc:
        if (x.score != y.score) return x.score > y.score;
        break;
      case HealthSort::kName:
      case HealthSort::kRenewalDate: {
        const char* key = spec.sort == HealthSort::kName ? "name" : "renewal_date";
        const std::string a = TraitText(x.account->traits, key), b = TraitText(y.account->traits, key);
        if (a != b) return text_before(a, b);
        break;
      }
      case HealthSort::kAccount: break;
    }
    return x.account->account < y.account->account;
  });

  const size_t page_begin = std::min(spec.offset, rows.size());
  const size_t page_end = std::min(rows.size(), page_begin + spec.limit);
  std::vector<json> entries(page_end - page_begin);
  ParallelChunks(entries.size(), ctx.threads, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      Row& row = rows[page_begin + i];
      const AccountActivity& a = *row.account;
      json entry = {{"account", a.account}};
      for (const char* key : kShownTraits) {
        const store::PropertyValue* v = FindTraitIn(a.traits, key);
        if (v != nullptr && !std::holds_alternative<std::monostate>(*v)) entry[key] = PropertyValueToJson(*v);
      }
      entry["score"] = row.score;
      entry["parts"] = std::move(row.parts);
      entry["events"] = a.events;
      entry["last_active"] =
          a.last_active_ms ? json(FormatIso8601Seconds(*a.last_active_ms, ctx.zone)) : json(nullptr);
      entry["reason"] = a.events == 0 ? json("no activity in the last " + std::to_string(spec.days) + " days")
                                      : json(nullptr);
      entries[i] = std::move(entry);
    }
  });
  json accounts = json::array();
  accounts.get_ref<json::array_t&>() = std::move(entries);
  json weights_json = json::object();
  for (size_t p = 0; p < kHealthParts; ++p) weights_json[HealthPartName(kParts[p])] = weights[p];
  return json{{"kind", "health"},
              {"days", spec.days},
              {"from", FormatIso8601Seconds(activity.from_ms, ctx.zone)},
              {"to", FormatIso8601Seconds(activity.to_ms - 1, ctx.zone)},
              {"timezone", ctx.zone.name()},
              {"weights", std::move(weights_json)},
              {"roles", spec.roles},
              {"features", spec.feature_event.empty()
                               ? json(nullptr)
                               : json{{"event", spec.feature_event}, {"property", spec.feature_property},
                                      {"total", features_of}}},
              {"total", rows.size()},
              {"offset", spec.offset},
              {"accounts", std::move(accounts)}};
}

Result<json> RunHealthJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(HealthSpec parsed, ParseHealthSpec(spec));
  return RunHealth(parsed, ctx);
}

}  // namespace tobops::query
