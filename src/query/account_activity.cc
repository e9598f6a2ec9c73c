#include "query/account_activity.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <limits>
#include <unordered_map>

#include <cctz/civil_time.h>
#include <xxhash.h>

#include "common/parallel_chunks.h"
#include "query/block_filters.h"
#include "query/entity_directory.h"
#include "query/flat_id_map.h"
#include "query/entity_timeline.h"
#include "query/time_buckets.h"
#include "query/timeline_scan.h"

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
constexpr uint32_t kNoPerson = UINT32_MAX;
constexpr uint32_t kNoCode = UINT32_MAX;
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// A feature value's identity: the 64-bit XXH3 of its PropertyValueKey, as ids are
// interned elsewhere (query/entity_directory.h). Never 0.
uint64_t FeatureHash(const store::PropertyValue& value) {
  const std::string key = store::PropertyValueKey(value);
  const uint64_t h = XXH3_64bits(key.data(), key.size());
  return h == 0 ? 1 : h;
}

// An active (account, canonical person, window day), by directory keys and day index.
struct PersonDay {
  uint32_t account;
  uint32_t person;
  uint32_t day;
  bool operator==(const PersonDay&) const = default;
};
// A feature used by an account: its FeatureHash.
struct AccountFeature {
  uint32_t account;
  uint64_t value;
};

// What one scan worker saw, by directory account key. Rows arrive grouped by account and
// person, in time order, so dropping repeats within a run of rows (person-days: of one
// person; features: of one account) leaves few to deduplicate exactly after the scan.
struct WorkerActivity {
  std::vector<int64_t> events;   // activity events
  std::vector<int64_t> last_ms;  // the latest one; kNoTime when none
  std::vector<PersonDay> person_days;
  std::vector<AccountFeature> features;
};

// One pass over the window: every row the plan keeps (filters; condition 0 any event,
// 1 a feature use), minus identity calls, folded straight into WorkerActivity — no
// per-account timelines to collect and sort (the kernel's whole cost before).
Result<std::vector<WorkerActivity>> ScanActivity(const TimelineScan& plan, const TimeBuckets& days,
                                                 bool count_features) {
  const store::ScanRequest& scan = plan.store_request();
  struct Scratch {
    TimelineBlock bound;
    std::vector<char> identity_call;   // per event_dict entry
    std::vector<uint64_t> value_hash;  // per feature column code; 0 = absent
    std::vector<uint32_t> value_seen;  // per feature column code: the account run that last used it
  };
  std::vector<WorkerActivity> workers(size_t(scan.max_threads));
  std::vector<Scratch> scratch(size_t(scan.max_threads));
  RETURN_IF_ERROR(plan.ctx().store->Scan(scan, [&](const store::ColumnBlock& block, int worker) {
    WorkerActivity& out = workers[size_t(worker)];
    Scratch& s = scratch[size_t(worker)];
    s.bound.Bind(plan, block);
    const TimelineBlock& b = s.bound;
    // Every key the block's maps name is below the directory's count, read after Bind.
    const size_t keys = plan.directory().account_key_count();
    if (out.events.size() < keys) {
      out.events.resize(keys, 0);
      out.last_ms.resize(keys, kNoTime);
    }
    s.identity_call.resize(block.event_dict.size());
    for (size_t e = 0; e < block.event_dict.size(); ++e) s.identity_call[e] = IsIdentityCall(block.event_dict[e]);
    const uint32_t* feature_codes = nullptr;
    if (count_features) {
      const store::PropertyColumn& column = block.properties[size_t(plan.value_column(0))];
      feature_codes = column.codes;
      s.value_hash.assign(1, 0);
      for (const auto& value : column.dict) {
        s.value_hash.push_back(std::holds_alternative<std::monostate>(value) ? 0 : FeatureHash(value));
      }
      s.value_seen.assign(s.value_hash.size(), 0);
    }
    uint32_t account_run = 0;  // counts the block's runs of one account
    uint32_t account_code = kNoCode, account = EntityDirectory::kNoKey;
    uint32_t person_code = kNoCode, person = 0;
    int64_t day_start = 0, day_end = 0;  // the current day's [start, end)
    uint32_t day = 0;
    PersonDay last_day{kNoCode, kNoCode, kNoCode};
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t code = b.EntityCode(row);
      if (code != account_code) {
        account_code = code;
        account = b.EntityKey(code);
        ++account_run;
      }
      if (account == EntityDirectory::kNoKey) continue;  // an event without an account
      uint32_t mask = 0;
      if (!b.Keep(row, &mask) || s.identity_call[block.event[row]]) continue;
      const int64_t ts = block.timestamp_ms[row];
      if (ts < day_start || ts >= day_end) {
        const int d = days.BucketOf(ts);
        if (d < 0) continue;
        day = uint32_t(d);
        day_start = days.start(size_t(d));
        day_end = size_t(d) + 1 < days.size() ? days.start(size_t(d) + 1) : days.end_ms();
      }
      ++out.events[account];
      out.last_ms[account] = std::max(out.last_ms[account], ts);
      if (block.person[row] != person_code) {
        person_code = block.person[row];
        person = b.PersonKey(person_code);
      }
      const PersonDay person_day{account, person, day};
      if (!(person_day == last_day)) {
        out.person_days.push_back(person_day);
        last_day = person_day;
      }
      if (feature_codes != nullptr && (mask & 2u)) {
        const uint32_t value = feature_codes[row];
        if (s.value_hash[value] != 0 && s.value_seen[value] != account_run) {
          s.value_seen[value] = account_run;  // once per feature and run of the account
          out.features.push_back(AccountFeature{account, s.value_hash[value]});
        }
      }
    }
    return Status::Ok();
  }));
  return workers;
}

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
  ASSIGN_OR_RETURN(TimelineScan plan, TimelineScan::Make(timeline_request, ctx));
  ASSIGN_OR_RETURN(TimeBuckets days, TimeBuckets::Make(out.from_ms, out.to_ms, Interval::kDay, ctx.zone));
  ASSIGN_OR_RETURN(std::vector<WorkerActivity> workers, ScanActivity(plan, days, count_features));
  const EntityDirectory& directory = plan.directory();

  // Per account key: events and the latest one, over all workers.
  std::vector<int64_t> events_of_key(directory.account_key_count(), 0);
  std::vector<int64_t> last_of_key(directory.account_key_count(), kNoTime);
  for (const WorkerActivity& w : workers) {
    for (size_t k = 0; k < w.events.size(); ++k) {
      events_of_key[k] += w.events[k];
      last_of_key[k] = std::max(last_of_key[k], w.last_ms[k]);
    }
  }

  // The listed accounts, by id: every account with activity, and every account the
  // identity graph knows that passes the account filters.
  std::vector<const PropertyFilter*> account_filters;
  for (const auto& f : request.filters) {
    if (f.source == PropertySource::kAccount) account_filters.push_back(&f);
  }
  // Known accounts come from the graph's account book (sorted by id, shared by queries
  // until the graph changes); only an account that account cohorts add traits to gets
  // its own merged copy.
  out.book = ctx.identity->Book();
  const ingest::AccountBook& book = *out.book;
  std::vector<const ingest::Traits*> known_traits(book.accounts.size());
  std::vector<char> known_listed(book.accounts.size(), 1);
  for (size_t i = 0; i < book.accounts.size(); ++i) {
    const auto& [id, traits] = book.accounts[i];
    known_traits[i] = &traits;
    if (ctx.cohorts != nullptr && ctx.cohorts->accounts.count(id) != 0) {
      ingest::Traits merged = traits;
      AddAccountCohortTraits(ctx, id, &merged);
      known_traits[i] = &out.merged_traits.emplace_back(std::move(merged));
    }
    known_listed[i] = !id.empty();
    for (const PropertyFilter* f : account_filters) {
      known_listed[i] = known_listed[i] && f->Matches(FindTrait(*known_traits[i], f->property));
    }
  }
  std::vector<std::pair<std::string_view, uint32_t>> active;  // (id, account key)
  for (uint32_t k = 0; k < events_of_key.size(); ++k) {
    if (events_of_key[k] > 0) active.emplace_back(directory.AccountId(k), k);
  }
  std::sort(active.begin(), active.end());
  // Merge the two sorted lists: known accounts that pass, and every active account
  // (with its traits when known).
  static const ingest::Traits kNoTraits;
  std::vector<int32_t> listing_of_key(directory.account_key_count(), kNoIndex);
  size_t k = 0;
  for (size_t e = 0; k < book.accounts.size() || e < active.size();) {
    const bool take_known =
        e == active.size() || (k < book.accounts.size() && book.accounts[k].first <= active[e].first);
    const bool is_active = e < active.size() && (!take_known || book.accounts[k].first == active[e].first);
    AccountActivity a;
    a.traits = &kNoTraits;
    if (take_known) {
      if (!known_listed[k] && !is_active) {
        ++k;
        continue;
      }
      a.account = book.accounts[k].first;
      a.traits = known_traits[k];
      ++k;
    } else {
      a.account = std::string(active[e].first);
    }
    if (is_active) {
      const uint32_t key = active[e].second;
      listing_of_key[key] = int32_t(out.accounts.size());
      a.events = events_of_key[key];
      a.last_active_ms = last_of_key[key];
      ++e;
    }
    a.roles.resize(request.roles.size());
    out.accounts.push_back(std::move(a));
  }

  // Each worker's person-days and features of active accounts, grouped by listing index:
  // (person key << 32 | day) and feature value hashes.
  const size_t listed = out.accounts.size();
  std::vector<size_t> day_begin(listed + 1, 0), feature_begin(listed + 1, 0);
  for (const WorkerActivity& w : workers) {
    for (const PersonDay& d : w.person_days) ++day_begin[size_t(listing_of_key[d.account]) + 1];
    for (const AccountFeature& f : w.features) ++feature_begin[size_t(listing_of_key[f.account]) + 1];
  }
  for (size_t i = 0; i < listed; ++i) {
    day_begin[i + 1] += day_begin[i];
    feature_begin[i + 1] += feature_begin[i];
  }
  std::vector<uint64_t> person_days(day_begin[listed]), features(feature_begin[listed]);
  {
    std::vector<size_t> day_fill(day_begin.begin(), day_begin.end() - 1);
    std::vector<size_t> feature_fill(feature_begin.begin(), feature_begin.end() - 1);
    for (WorkerActivity& w : workers) {
      for (const PersonDay& d : w.person_days) {
        person_days[day_fill[size_t(listing_of_key[d.account])]++] = uint64_t{d.person} << 32 | d.day;
      }
      for (const AccountFeature& f : w.features) features[feature_fill[size_t(listing_of_key[f.account])]++] = f.value;
      w = WorkerActivity{};
    }
  }

  // Members: per account the known persons and roles; per active person its account
  // (listing index) and role index, to tell which active persons are members. Active
  // persons are found by the hash of their canonical id (as the directory interns
  // them), so each member of the book is looked up without a string map.
  struct Member {
    int32_t account = kNoIndex;
    int32_t role = kNoIndex;
  };
  std::vector<uint32_t> dense_of_person(directory.person_key_count(), kNoPerson);
  std::vector<Member> member_of_person;  // by dense index
  FlatIdMap active_person;               // id hash → dense index
  for (uint64_t v : person_days) {
    uint32_t& dense = dense_of_person[v >> 32];
    if (dense != kNoPerson) continue;
    dense = uint32_t(member_of_person.size());
    member_of_person.emplace_back();
    bool inserted = false;
    const std::string& id = directory.PersonId(uint32_t(v >> 32));
    active_person.FindOrInsert(XXH3_64bits(id.data(), id.size()), dense, &inserted);
  }
  // The book's members: account and role indexes resolved once per distinct value.
  std::unordered_map<std::string_view, int32_t> index_of;
  index_of.reserve(out.accounts.size());
  for (size_t i = 0; i < out.accounts.size(); ++i) index_of.emplace(out.accounts[i].account, int32_t(i));
  std::vector<int32_t> listing_of_member_account(book.member_accounts.size(), kNoIndex);
  for (size_t i = 0; i < book.member_accounts.size(); ++i) {
    auto it = index_of.find(book.member_accounts[i]);
    if (it != index_of.end()) listing_of_member_account[i] = it->second;  // else left out by the filters
  }
  std::vector<int32_t> role_of_book_role(book.roles.size(), kNoIndex);
  for (size_t r = 0; r < book.roles.size(); ++r) {
    auto pos = std::find(request.roles.begin(), request.roles.end(), book.roles[r]);
    if (pos != request.roles.end()) role_of_book_role[r] = int32_t(pos - request.roles.begin());
  }
  for (const ingest::AccountBook::Member& member : book.members) {
    Member m{listing_of_member_account[member.account], kNoIndex};
    if (m.account == kNoIndex) continue;
    if (member.role != ingest::AccountBook::kNoRole) m.role = role_of_book_role[member.role];
    AccountActivity& a = out.accounts[size_t(m.account)];
    ++a.known_persons;
    if (m.role != kNoIndex) ++a.roles[size_t(m.role)].known;
    const uint32_t p = active_person.Find(XXH3_64bits(member.person.data(), member.person.size()));
    if (p != FlatIdMap::kAbsent) member_of_person[p] = m;
  }

  // Per account: distinct persons and person-days, the roles of active members, and
  // distinct features. Accounts are independent: on the query's threads. A window of at
  // most 64 days (the usual case) marks each person's days in a bitmask, with no sort.
  const int threads = std::max(1, ctx.threads);
  const bool day_masks = days.size() <= 64;
  struct Scratch {
    std::vector<uint32_t> stamp;     // per dense person: the account tag it was last seen in
    std::vector<uint64_t> day_mask;  // per dense person: its days in that account
    std::vector<uint32_t> persons;   // the account's persons, in first-seen order
  };
  std::vector<Scratch> scratch(static_cast<size_t>(threads));
  ParallelChunks(listed, threads, [&](size_t begin, size_t end, int worker) {
    Scratch& sc = scratch[size_t(worker)];
    if (day_masks && sc.stamp.empty()) {
      sc.stamp.assign(member_of_person.size(), 0);
      sc.day_mask.assign(member_of_person.size(), 0);
    }
    for (size_t i = begin; i < end; ++i) {
      AccountActivity& a = out.accounts[i];
      auto first = person_days.begin() + ptrdiff_t(day_begin[i]);
      auto last = person_days.begin() + ptrdiff_t(day_begin[i + 1]);
      auto count_person = [&](uint32_t dense) {
        ++a.active_persons;
        const Member& m = member_of_person[dense];
        if (m.account == int32_t(i) && m.role != kNoIndex) ++a.roles[size_t(m.role)].active;
      };
      if (day_masks) {
        const uint32_t tag = uint32_t(i) + 1;
        sc.persons.clear();
        for (auto it = first; it != last; ++it) {
          const uint32_t dense = dense_of_person[*it >> 32];
          if (sc.stamp[dense] != tag) {
            sc.stamp[dense] = tag;
            sc.day_mask[dense] = 0;
            sc.persons.push_back(dense);
          }
          sc.day_mask[dense] |= uint64_t{1} << (*it & 63);
        }
        for (uint32_t dense : sc.persons) {
          count_person(dense);
          a.active_person_days += std::popcount(sc.day_mask[dense]);
        }
      } else {
        std::sort(first, last);
        uint64_t previous = UINT64_MAX;
        for (auto it = first; it != last; ++it) {
          if (*it == previous) continue;
          const bool new_person = previous == UINT64_MAX || (*it >> 32) != (previous >> 32);
          previous = *it;
          ++a.active_person_days;
          if (new_person) count_person(dense_of_person[*it >> 32]);
        }
      }
      auto f_first = features.begin() + ptrdiff_t(feature_begin[i]);
      auto f_last = features.begin() + ptrdiff_t(feature_begin[i + 1]);
      std::sort(f_first, f_last);
      a.features_used = std::unique(f_first, f_last) - f_first;
    }
  });
  // Features any listed account used: each account's distinct ones are now at the front
  // of its range.
  std::vector<uint64_t> any;
  for (size_t i = 0; i < listed; ++i) {
    any.insert(any.end(), features.begin() + ptrdiff_t(feature_begin[i]),
               features.begin() + ptrdiff_t(feature_begin[i]) + out.accounts[i].features_used);
  }
  std::sort(any.begin(), any.end());
  out.features_any = std::unique(any.begin(), any.end()) - any.begin();
  return out;
}

}  // namespace tobops::query
