#include "query/health_query.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/json_writer.h"
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

// One account's numbers; the answer's explanation of its score is written from these.
struct ScoredAccount {
  const AccountActivity* account = nullptr;
  double score = 0;  // 0..100, rounded to one decimal
  std::array<double, kHealthParts> part_score{};  // in kParts order
  double stickiness = 0;         // activity value
  double seats_of = 0;           // seats denominator
  bool seats_basis_trait = false;
  int64_t covered = 0;           // roles with an active member
  std::optional<int64_t> since;  // recency value: days since the last activity
};

// What every row of one answer shares.
struct AnswerConstants {
  const HealthSpec& spec;
  const std::array<double, kHealthParts>& weights;
  int64_t features_of;
  const cctz::time_zone& zone;
};

// kParts indices in the order of their names, as json objects print their keys.
constexpr size_t kPartsByName[kHealthParts] = {0, 2, 3, 4, 1};  // activity breadth recency roles seats

void WriteTrait(const ingest::Traits& traits, const char* key, JsonWriter& w) {
  const store::PropertyValue* v = FindTraitIn(traits, key);
  if (v == nullptr) return;
  if (const std::string* s = std::get_if<std::string>(v)) w.Key(key).String(*s);
  else if (const double* d = std::get_if<double>(v)) w.Key(key).Number(*d);
  else if (const bool* b = std::get_if<bool>(v)) w.Key(key).Bool(*b);
}

// One element of "accounts" (docs/analytics/health.md), keys in sorted order; the
// account traits name, industry, level, lifecycle_stage, renewal_date, arr and seats
// when the account has them.
void WriteAccount(const ScoredAccount& row, const AnswerConstants& c, JsonWriter& w) {
  const AccountActivity& a = *row.account;
  const ingest::Traits& traits = *a.traits;
  w.BeginObject().Key("account").String(a.account);
  WriteTrait(traits, "arr", w);
  w.Key("events").Int(a.events);
  WriteTrait(traits, "industry", w);
  w.Key("last_active");
  if (a.last_active_ms) w.String(FormatIso8601Seconds(*a.last_active_ms, c.zone));
  else w.Null();
  WriteTrait(traits, "level", w);
  WriteTrait(traits, "lifecycle_stage", w);
  WriteTrait(traits, "name", w);
  w.Key("parts").BeginObject();
  w.Key("activity").BeginObject()
      .Key("active_person_days").Int(a.active_person_days)
      .Key("active_persons").Int(a.active_persons)
      .Key("days").Int(c.spec.days)
      .Key("score").Number(row.part_score[0])
      .Key("target").Number(c.spec.activity_target)
      .Key("value").Number(row.stickiness)
      .Key("weight").Number(c.weights[0])
      .EndObject();
  w.Key("breadth").BeginObject()
      .Key("of").Int(c.features_of)
      .Key("score").Number(row.part_score[2])
      .Key("value").Int(a.features_used)
      .Key("weight").Number(c.weights[2])
      .EndObject();
  w.Key("recency").BeginObject().Key("score").Number(row.part_score[3]).Key("value");
  if (row.since) w.Int(*row.since);
  else w.Null();
  w.Key("weight").Number(c.weights[3]).EndObject();
  w.Key("roles").BeginObject().Key("missing").BeginArray();
  for (size_t r = 0; r < c.spec.roles.size(); ++r) {
    if (a.roles[r].active == 0) w.String(c.spec.roles[r]);
  }
  w.EndArray()
      .Key("of").Int(int64_t(c.spec.roles.size()))
      .Key("score").Number(row.part_score[4])
      .Key("value").Int(row.covered)
      .Key("weight").Number(c.weights[4])
      .EndObject();
  w.Key("seats").BeginObject()
      .Key("basis").String(row.seats_basis_trait ? "seats" : "known_persons")
      .Key("of").Number(row.seats_of)
      .Key("score").Number(row.part_score[1])
      .Key("value").Int(a.active_persons)
      .Key("weight").Number(c.weights[1])
      .EndObject();
  w.EndObject();  // parts
  w.Key("reason");
  if (a.events == 0) w.String("no activity in the last " + std::to_string(c.spec.days) + " days");
  else w.Null();
  WriteTrait(traits, "renewal_date", w);
  w.Key("score").Number(row.score);
  WriteTrait(traits, "seats", w);
  w.EndObject();
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

Result<std::string> RunHealth(const HealthSpec& spec, const QueryContext& ctx) {
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

  // Accounts are scored independently, on the query's threads. Only numbers here: the
  // answer's text is written for the page alone (a book of thousands of accounts spent
  // more time building json trees of these explanations than scanning).
  std::vector<ScoredAccount> rows(activity.accounts.size());
  ParallelChunks(rows.size(), ctx.threads, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      const AccountActivity& a = activity.accounts[i];
      ScoredAccount& row = rows[i];
      row.account = &a;
      // activity: active person-days / (active persons × days): the average share of the
      // window's days an active person was active (DAU/MAU for a 30-day window).
      row.stickiness = a.active_persons > 0
                           ? double(a.active_person_days) / (double(a.active_persons) * spec.days)
                           : 0;
      row.part_score[0] = std::min(1.0, row.stickiness / spec.activity_target);
      // seats: active persons / the `seats` trait, else / max(members, active persons).
      const store::PropertyValue* seats_trait = FindTraitIn(*a.traits, "seats");
      const double seats = seats_trait != nullptr ? PositiveNumber(*seats_trait) : 0;
      row.seats_basis_trait = seats > 0;
      row.seats_of = seats > 0 ? seats : double(std::max(a.known_persons, a.active_persons));
      row.part_score[1] = row.seats_of > 0 ? std::min(1.0, double(a.active_persons) / row.seats_of) : 0;
      // breadth: features used / features used by any account (or features.total).
      row.part_score[2] = features_of > 0 ? std::min(1.0, double(a.features_used) / double(features_of)) : 0;
      // recency: 1 − (calendar days since the last activity) / days; 0 without activity.
      if (a.last_active_ms) {
        row.since = DaysBefore(activity.today_start_ms, *a.last_active_ms, ctx.zone);
        row.part_score[3] = std::max(0.0, 1.0 - double(*row.since) / spec.days);
      }
      // roles: roles with an active member / roles asked for.
      for (size_t r = 0; r < spec.roles.size(); ++r) row.covered += a.roles[r].active > 0 ? 1 : 0;
      row.part_score[4] = double(row.covered) / double(spec.roles.size());
      double total = 0;
      for (size_t p = 0; p < kHealthParts; ++p) total += weights[p] * row.part_score[p];
      // Rounded before sorting, so that accounts showing the same score are ordered by id
      // rather than by floating-point noise (0.5 × 0.7 + 0.5 × 0.2 vs 0.5 × 0.9).
      row.score = std::round(1000 * total) / 10;
    }
  });

  auto text_before = [](const std::string& x, const std::string& y) {
    // Present values first, ascending; absent ones (empty) last.
    if (x.empty() != y.empty()) return !x.empty();
    return x < y;
  };
  std::sort(rows.begin(), rows.end(), [&](const ScoredAccount& x, const ScoredAccount& y) {
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
        const std::string a = TraitText(*x.account->traits, key), b = TraitText(*y.account->traits, key);
        if (a != b) return text_before(a, b);
        break;
      }
      case HealthSort::kAccount: break;
    }
    return x.account->account < y.account->account;
  });

  const size_t page_begin = std::min(spec.offset, rows.size());
  const size_t page_end = std::min(rows.size(), page_begin + spec.limit);
  const AnswerConstants constants{spec, weights, features_of, ctx.zone};
  // The page's rows are written on the query's threads, each worker one run of rows.
  std::vector<std::string> parts(static_cast<size_t>(std::max(1, ctx.threads)));
  ParallelChunks(
      page_end - page_begin, ctx.threads,
      [&](size_t begin, size_t end, int worker) {
        std::string& text = parts[size_t(worker)];
        JsonWriter w(&text);
        for (size_t i = begin; i < end; ++i) WriteAccount(rows[page_begin + i], constants, w);
      },
      64);

  std::string out;
  out.reserve(512 + (page_end - page_begin) * 700);
  JsonWriter w(&out);
  w.BeginObject().Key("accounts").BeginArray();
  for (const std::string& part : parts) {
    if (!part.empty()) w.Raw(part);
  }
  w.EndArray();
  w.Key("days").Int(spec.days);
  w.Key("features");
  if (spec.feature_event.empty()) {
    w.Null();
  } else {
    w.BeginObject().Key("event").String(spec.feature_event).Key("property").String(spec.feature_property);
    w.Key("total").Int(features_of).EndObject();
  }
  w.Key("from").String(FormatIso8601Seconds(activity.from_ms, ctx.zone));
  w.Key("kind").String("health");
  w.Key("offset").Int(int64_t(spec.offset));
  w.Key("roles").BeginArray();
  for (const std::string& role : spec.roles) w.String(role);
  w.EndArray();
  w.Key("timezone").String(ctx.zone.name());
  w.Key("to").String(FormatIso8601Seconds(activity.to_ms - 1, ctx.zone));
  w.Key("total").Int(int64_t(rows.size()));
  w.Key("weights").BeginObject();
  for (size_t p : kPartsByName) w.Key(HealthPartName(kParts[p])).Number(weights[p]);
  w.EndObject();
  w.EndObject();
  return out;
}

Result<std::string> RunHealthText(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(HealthSpec parsed, ParseHealthSpec(spec));
  return RunHealth(parsed, ctx);
}

Result<json> RunHealthJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(std::string text, RunHealthText(spec, ctx));
  return json::parse(text);
}

}  // namespace tobops::query
