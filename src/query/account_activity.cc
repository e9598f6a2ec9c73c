#include "query/account_activity.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <cctz/civil_time.h>
#include <xxhash.h>

#include "query/block_filters.h"
#include "query/flat_id_map.h"
#include "query/entity_timeline.h"
#include "query/time_buckets.h"

namespace tobops::query {
namespace {

using Seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

cctz::civil_day DayOf(int64_t utc_ms, const cctz::time_zone& zone) {
  const int64_t seconds = utc_ms >= 0 ? utc_ms / 1000 : -((-utc_ms + 999) / 1000);
  return cctz::civil_day(cctz::convert(Seconds(std::chrono::seconds(seconds)), zone));
}

int64_t DayStartMs(const cctz::civil_day& day, const cctz::time_zone& zone) {
  return int64_t(zone.lookup(cctz::civil_second(day)).pre.time_since_epoch().count()) * 1000;
}

bool IsIdentityCall(const std::string& event) {
  return event == "$identify" || event == "$group" || event == "$alias";
}

constexpr int32_t kNoIndex = -1;

}  // namespace

Result<std::vector<std::string>> ParseRoles(const nlohmann::json& spec, const std::vector<std::string>& fallback) {
  if (!spec.contains("roles") || spec["roles"].is_null()) return fallback;
  const nlohmann::json& roles = spec["roles"];
  if (!roles.is_array() || roles.empty() || roles.size() > 20) {
    return InvalidArgument("roles must be an array of 1 to 20 role names", "roles");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < roles.size(); ++i) {
    const std::string field = "roles[" + std::to_string(i) + "]";
    if (!roles[i].is_string() || roles[i].get<std::string>().empty()) {
      return InvalidArgument("a role must be a non-empty string", field);
    }
    const std::string role = roles[i].get<std::string>();
    if (std::find(out.begin(), out.end(), role) != out.end()) {
      return InvalidArgument("role '" + role + "' is listed twice", field);
    }
    out.push_back(role);
  }
  return out;
}

int64_t DaysBefore(int64_t today_start_ms, int64_t utc_ms, const cctz::time_zone& zone) {
  return int64_t(DayOf(today_start_ms, zone) - DayOf(utc_ms, zone));
}

Result<AccountActivityResult> CollectAccountActivity(const AccountActivityRequest& request,
                                                     const QueryContext& ctx) {
  if (request.days < 1 || request.days > 3650) {
    return InvalidArgument("days must be an integer from 1 to 3650", "days");
  }
  AccountActivityResult out;
  const cctz::civil_day today = DayOf(ctx.now_ms, ctx.zone);
  out.today_start_ms = DayStartMs(today, ctx.zone);
  out.from_ms = DayStartMs(today - (request.days - 1), ctx.zone);
  out.to_ms = ctx.now_ms + 1;

  // Condition 0: any event (identity calls are skipped below); 1: a feature use.
  TimelineRequest timeline_request;
  timeline_request.entity = EntityKind::kAccount;
  timeline_request.from_ms = out.from_ms;
  timeline_request.to_ms = out.to_ms;
  timeline_request.filters = request.filters;
  timeline_request.conditions.push_back(TimelineCondition{"", {}});
  const bool count_features = !request.feature_event.empty() && !request.feature_property.empty();
  if (count_features) {
    timeline_request.conditions.push_back(TimelineCondition{request.feature_event, {}});
    timeline_request.values[0] = PropertyRef{PropertySource::kEvent, request.feature_property};
  }
  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(timeline_request, ctx));

  // The listed accounts: every account with activity rows, and every account the
  // identity graph knows that passes the account filters; then sorted by id.
  std::vector<const PropertyFilter*> account_filters;
  for (const auto& f : request.filters) {
    if (f.source == PropertySource::kAccount) account_filters.push_back(&f);
  }
  struct Known {
    std::string account;
    ingest::Traits traits;
    bool listed;  // passes the account filters
  };
  std::vector<Known> known;
  ctx.identity->ForEachAccount([&](const std::string& account, const ingest::Traits& traits) {
    if (!account.empty()) known.push_back(Known{account, traits, true});
  });
  for (Known& k : known) {
    AddAccountCohortTraits(ctx, k.account, &k.traits);
    for (const PropertyFilter* f : account_filters) k.listed = k.listed && f->Matches(FindTrait(k.traits, f->property));
  }
  std::sort(known.begin(), known.end(), [](const Known& x, const Known& y) { return x.account < y.account; });
  std::vector<std::string_view> active;
  for (size_t e = 0; e < timelines.entity_count(); ++e) active.push_back(timelines.entity_id(e));
  std::sort(active.begin(), active.end());
  // Merge the two sorted lists: known accounts that pass, and every active account
  // (with its traits when known).
  std::unordered_map<std::string_view, int32_t> index_of;
  size_t k = 0;
  for (size_t e = 0; k < known.size() || e < active.size();) {
    const bool take_known = e == active.size() || (k < known.size() && known[k].account <= active[e]);
    const bool is_active = e < active.size() && (!take_known || known[k].account == active[e]);
    AccountActivity a;
    if (take_known) {
      if (!known[k].listed && !is_active) {
        ++k;
        continue;
      }
      a.account = std::move(known[k].account);
      a.traits = std::move(known[k].traits);
      ++k;
    } else {
      a.account = std::string(active[e]);
    }
    if (is_active) ++e;
    a.roles.resize(request.roles.size());
    out.accounts.push_back(std::move(a));
  }
  index_of.reserve(out.accounts.size());
  for (size_t i = 0; i < out.accounts.size(); ++i) index_of.emplace(out.accounts[i].account, int32_t(i));

  // Members: per account the known persons and roles; per canonical person its
  // account (listing index) and role index, to tell which active persons are members.
  struct Member {
    int32_t account = kNoIndex;
    int32_t role = kNoIndex;
  };
  // The timelines' persons by the hash of their id (as EntityTimelines interns them),
  // so that the visit below looks each graph person up without building a string map.
  FlatIdMap timeline_person;
  for (size_t p = 0; p < timelines.person_ids().size(); ++p) {
    bool inserted = false;
    const std::string& id = timelines.person_ids()[p];
    timeline_person.FindOrInsert(XXH3_64bits(id.data(), id.size()), uint32_t(p), &inserted);
  }
  std::vector<Member> member_of_person(timelines.person_ids().size());
  ctx.identity->ForEachPersonWithAccount(
      [&](const std::string& person, const std::string& account, const ingest::Traits& traits) {
        if (account.empty()) return;
        auto it = index_of.find(account);
        if (it == index_of.end()) return;  // an account the filters leave out
        Member m{it->second, kNoIndex};
        const store::PropertyValue* role = FindTraitIn(traits, "role");
        if (const std::string* r = role != nullptr ? std::get_if<std::string>(role) : nullptr) {
          auto pos = std::find(request.roles.begin(), request.roles.end(), *r);
          if (pos != request.roles.end()) m.role = int32_t(pos - request.roles.begin());
        }
        AccountActivity& a = out.accounts[size_t(m.account)];
        ++a.known_persons;
        if (m.role != kNoIndex) ++a.roles[size_t(m.role)].known;
        const uint32_t p = timeline_person.Find(XXH3_64bits(person.data(), person.size()));
        if (p != FlatIdMap::kAbsent) member_of_person[p] = m;
      });
  std::vector<char> skip_event(timelines.event_names().size());
  for (size_t e = 0; e < skip_event.size(); ++e) skip_event[e] = IsIdentityCall(timelines.event_names()[e]);
  std::vector<int32_t> account_of_entity(timelines.entity_count());
  for (size_t e = 0; e < account_of_entity.size(); ++e) account_of_entity[e] = index_of.at(timelines.entity_id(e));

  ASSIGN_OR_RETURN(TimeBuckets days, TimeBuckets::Make(out.from_ms, out.to_ms, Interval::kDay, ctx.zone));
  const int threads = std::max(1, ctx.threads);
  // Per worker: stamps over persons (once per account, once per account-day) and over
  // feature values (once per account), and the features any account used.
  struct Worker {
    std::vector<uint32_t> person_stamp, day_stamp, feature_stamp;
    uint32_t account_tag = 0, day_tag = 0;
    std::vector<char> feature_any;
  };
  const size_t num_values = timelines.values(0).size() + 1;
  std::vector<Worker> workers(static_cast<size_t>(threads));
  for (Worker& w : workers) {
    w.person_stamp.assign(timelines.person_ids().size(), 0);
    w.day_stamp.assign(timelines.person_ids().size(), 0);
    w.feature_stamp.assign(num_values, 0);
    w.feature_any.assign(num_values, 0);
  }
  // Each entity is a distinct account, so workers write disjoint AccountActivity items.
  timelines.ForEach(threads, [&](size_t entity, std::span<const TimelineEvent> rows, int worker) {
    Worker& w = workers[size_t(worker)];
    const int32_t self = account_of_entity[entity];
    AccountActivity& a = out.accounts[size_t(self)];
    const uint32_t account_tag = ++w.account_tag;
    int current_day = -1;
    for (const TimelineEvent& row : rows) {
      if (skip_event[row.event]) continue;
      ++a.events;
      a.last_active_ms = row.timestamp_ms;  // rows are in time order
      const int day = days.BucketOf(row.timestamp_ms);
      if (day != current_day) current_day = day, ++w.day_tag;
      if (w.person_stamp[row.person] != account_tag) {
        w.person_stamp[row.person] = account_tag;
        ++a.active_persons;
        const Member& m = member_of_person[row.person];
        if (m.account == self && m.role != kNoIndex) ++a.roles[size_t(m.role)].active;
      }
      if (w.day_stamp[row.person] != w.day_tag) {
        w.day_stamp[row.person] = w.day_tag;
        ++a.active_person_days;
      }
      if (count_features && (row.mask & 2u) && row.value[0] != 0 && w.feature_stamp[row.value[0]] != account_tag) {
        w.feature_stamp[row.value[0]] = account_tag;
        w.feature_any[row.value[0]] = 1;
        ++a.features_used;
      }
    }
  });
  for (size_t v = 1; v < num_values; ++v) {
    for (const Worker& w : workers) {
      if (w.feature_any[v]) {
        ++out.features_any;
        break;
      }
    }
  }
  return out;
}

}  // namespace tobops::query
