#include "query/trend_query.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <xxhash.h>

namespace tobops::query {
namespace {

uint64_t HashId(std::string_view id) { return XXH3_64bits(id.data(), id.size()); }

store::PropertyValue FindTrait(const ingest::Traits& traits, const std::string& key) {
  auto it = std::lower_bound(traits.begin(), traits.end(), key,
                             [](const store::Property& p, const std::string& k) { return p.key < k; });
  if (it != traits.end() && it->key == key) return it->value;
  return std::monostate{};
}

// Breakdown key: "" when the value is absent, "\x01" + text otherwise, so that an
// empty-string value and an absent value stay apart.
std::string BreakdownKey(const store::PropertyValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return {};
  return "\x01" + store::PropertyValueToString(value);
}

struct Cell {
  std::vector<double> counts;                              // events measure
  std::vector<std::unordered_set<uint64_t>> per_bucket;    // distinct measures
  std::unordered_set<uint64_t> total;
};

struct WorkerState {
  // breakdown key → one Cell per series
  std::unordered_map<std::string, std::vector<Cell>> cells;
};

std::string DefaultLabel(const TrendSeriesSpec& s) {
  std::string event = s.event.empty() ? "all events" : s.event;
  switch (s.measure) {
    case Measure::kEvents: return event;
    case Measure::kPersons: return event + " (persons)";
    case Measure::kAccounts: return event + " (accounts)";
  }
  return event;
}

}  // namespace

bool ParseMeasure(const std::string& text, Measure* measure) {
  if (text == "events" || text == "count") *measure = Measure::kEvents;
  else if (text == "persons" || text == "unique_persons") *measure = Measure::kPersons;
  else if (text == "accounts" || text == "unique_accounts") *measure = Measure::kAccounts;
  else return false;
  return true;
}

const char* MeasureName(Measure measure) {
  switch (measure) {
    case Measure::kEvents: return "events";
    case Measure::kPersons: return "persons";
    case Measure::kAccounts: return "accounts";
  }
  return "events";
}

Result<TrendResult> RunTrend(const TrendSpec& spec, const QueryContext& ctx) {
  if (spec.series.empty()) return InvalidArgument("a trend needs at least one series", "series");
  ASSIGN_OR_RETURN(TimeBuckets buckets,
                   TimeBuckets::Make(spec.from_ms, spec.to_ms, spec.interval, ctx.zone));
  const size_t num_series = spec.series.size();
  const size_t num_buckets = buckets.size();

  // Every filter a series applies: the global ones, then its own.
  std::vector<std::vector<const PropertyFilter*>> series_filters(num_series);
  std::vector<const PropertyFilter*> all_filters;
  for (const auto& f : spec.filters) all_filters.push_back(&f);
  for (size_t s = 0; s < num_series; ++s) {
    for (const auto& f : spec.filters) series_filters[s].push_back(&f);
    for (const auto& f : spec.series[s].filters) {
      series_filters[s].push_back(&f);
      all_filters.push_back(&f);
    }
  }

  store::ScanRequest request;
  request.from_ms = buckets.begin_ms();
  request.to_ms = buckets.end_ms();
  request.max_threads = std::max(1, ctx.threads);
  bool all_events = false;
  for (const auto& s : spec.series) {
    if (s.event.empty()) all_events = true;
    else request.events.push_back(s.event);
  }
  if (all_events) request.events.clear();
  auto column_of = [&](const std::string& key) {
    auto it = std::find(request.properties.begin(), request.properties.end(), key);
    if (it != request.properties.end()) return static_cast<int>(it - request.properties.begin());
    request.properties.push_back(key);
    return static_cast<int>(request.properties.size() - 1);
  };
  std::unordered_map<const PropertyFilter*, int> filter_column;
  for (const PropertyFilter* f : all_filters) {
    if (f->source == PropertySource::kEvent) filter_column[f] = column_of(f->property);
  }
  int breakdown_column = -1;
  if (spec.breakdown && spec.breakdown->source == PropertySource::kEvent) {
    breakdown_column = column_of(spec.breakdown->property);
  }
  bool need_person_traits = spec.breakdown && spec.breakdown->source == PropertySource::kPerson;
  bool need_account_traits = spec.breakdown && spec.breakdown->source == PropertySource::kAccount;
  for (const PropertyFilter* f : all_filters) {
    need_person_traits |= f->source == PropertySource::kPerson;
    need_account_traits |= f->source == PropertySource::kAccount;
  }

  std::vector<WorkerState> workers(request.max_threads);
  Status scan = ctx.store->Scan(request, [&](const store::ColumnBlock& block, int worker) {
    WorkerState& state = workers[worker];
    // Per-block lookups, computed once per dictionary entry rather than per row.
    std::vector<int> series_event(num_series, -1);  // event code each series counts; -2 = any
    for (size_t s = 0; s < num_series; ++s) {
      if (spec.series[s].event.empty()) {
        series_event[s] = -2;
        continue;
      }
      for (size_t e = 0; e < block.event_dict.size(); ++e) {
        if (block.event_dict[e] == spec.series[s].event) series_event[s] = static_cast<int>(e);
      }
    }
    std::vector<std::string> canonical;
    ctx.identity->CanonicalPersons(block.person_dict, &canonical);
    std::vector<uint64_t> person_hash(canonical.size());
    for (size_t i = 0; i < canonical.size(); ++i) person_hash[i] = HashId(canonical[i]);
    std::vector<uint64_t> account_hash(block.account_dict.size());
    for (size_t i = 0; i < block.account_dict.size(); ++i) {
      account_hash[i] = HashId(block.account_dict[i]);
    }
    std::vector<ingest::Traits> person_traits, account_traits;
    if (need_person_traits) {
      person_traits.reserve(canonical.size());
      for (const auto& p : canonical) person_traits.push_back(ctx.identity->PersonTraits(p));
    }
    if (need_account_traits) {
      account_traits.reserve(block.account_dict.size());
      for (const auto& a : block.account_dict) {
        account_traits.push_back(a.empty() ? ingest::Traits{} : ctx.identity->AccountTraits(a));
      }
    }
    // pass[f][code]: does dictionary entry `code` satisfy filter f.
    std::unordered_map<const PropertyFilter*, std::vector<char>> pass;
    for (const PropertyFilter* f : all_filters) {
      std::vector<char>& p = pass[f];
      switch (f->source) {
        case PropertySource::kEvent: {
          const auto& col = block.properties[filter_column[f]];
          p.resize(col.dict.size() + 1);
          p[0] = f->Matches(std::monostate{});
          for (size_t c = 0; c < col.dict.size(); ++c) p[c + 1] = f->Matches(col.dict[c]);
          break;
        }
        case PropertySource::kPerson:
          p.resize(person_traits.size());
          for (size_t i = 0; i < person_traits.size(); ++i) {
            p[i] = f->Matches(FindTrait(person_traits[i], f->property));
          }
          break;
        case PropertySource::kAccount:
          p.resize(account_traits.size());
          for (size_t i = 0; i < account_traits.size(); ++i) {
            p[i] = f->Matches(FindTrait(account_traits[i], f->property));
          }
          break;
      }
    }
    // Breakdown cells per dictionary entry of the breakdown source.
    auto cells_for = [&](const std::string& key) -> std::vector<Cell>* {
      auto [it, inserted] = state.cells.try_emplace(key);
      if (inserted) {
        it->second.resize(num_series);
        for (size_t s = 0; s < num_series; ++s) {
          if (spec.series[s].measure == Measure::kEvents) it->second[s].counts.assign(num_buckets, 0);
          else it->second[s].per_bucket.resize(num_buckets);
        }
      }
      return &it->second;
    };
    std::vector<std::vector<Cell>*> breakdown_cells;
    std::vector<Cell>* only_cells = nullptr;
    if (!spec.breakdown) {
      only_cells = cells_for("");
    } else if (spec.breakdown->source == PropertySource::kEvent) {
      const auto& col = block.properties[breakdown_column];
      breakdown_cells.push_back(cells_for(""));
      for (const auto& v : col.dict) breakdown_cells.push_back(cells_for(BreakdownKey(v)));
    } else {
      const auto& traits = spec.breakdown->source == PropertySource::kPerson ? person_traits
                                                                              : account_traits;
      for (const auto& t : traits) {
        breakdown_cells.push_back(cells_for(BreakdownKey(FindTrait(t, spec.breakdown->property))));
      }
    }

    // Each series' filters resolved to (pass table, code column) once per block, so the
    // row loop does no map lookups: the code is codes[row], person or account.
    struct BoundFilter {
      const char* pass;
      const uint32_t* codes;  // event column codes, or nullptr for person/account
      PropertySource source;
    };
    std::vector<std::vector<BoundFilter>> bound(num_series);
    for (size_t s = 0; s < num_series; ++s) {
      for (const PropertyFilter* f : series_filters[s]) {
        const uint32_t* codes = f->source == PropertySource::kEvent
                                    ? block.properties[filter_column[f]].codes
                                    : nullptr;
        bound[s].push_back(BoundFilter{pass[f].data(), codes, f->source});
      }
    }

    for (size_t row = 0; row < block.rows; ++row) {
      const int bucket = buckets.BucketOf(block.timestamp_ms[row]);
      if (bucket < 0) continue;
      const uint32_t event_code = block.event[row];
      const uint32_t person = block.person[row];
      const uint32_t account = block.account[row];
      std::vector<Cell>* cells = only_cells;
      if (!cells) {
        switch (spec.breakdown->source) {
          case PropertySource::kEvent: cells = breakdown_cells[block.properties[breakdown_column].codes[row]]; break;
          case PropertySource::kPerson: cells = breakdown_cells[person]; break;
          case PropertySource::kAccount: cells = breakdown_cells[account]; break;
        }
      }
      for (size_t s = 0; s < num_series; ++s) {
        if (series_event[s] != -2 && series_event[s] != static_cast<int>(event_code)) continue;
        bool ok = true;
        for (const BoundFilter& f : bound[s]) {
          switch (f.source) {
            case PropertySource::kEvent: ok = f.pass[f.codes[row]]; break;
            case PropertySource::kPerson: ok = f.pass[person]; break;
            case PropertySource::kAccount: ok = f.pass[account]; break;
          }
          if (!ok) break;
        }
        if (!ok) continue;
        Cell& cell = (*cells)[s];
        switch (spec.series[s].measure) {
          case Measure::kEvents: cell.counts[bucket] += 1; break;
          case Measure::kPersons:
            cell.per_bucket[bucket].insert(person_hash[person]);
            cell.total.insert(person_hash[person]);
            break;
          case Measure::kAccounts:
            if (block.account_dict[account].empty()) break;  // no account: not counted
            cell.per_bucket[bucket].insert(account_hash[account]);
            cell.total.insert(account_hash[account]);
            break;
        }
      }
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(scan);

  // Merge the workers into the first.
  WorkerState& merged = workers[0];
  for (size_t w = 1; w < workers.size(); ++w) {
    for (auto& [key, cells] : workers[w].cells) {
      auto [it, inserted] = merged.cells.try_emplace(key, std::move(cells));
      if (inserted) continue;
      for (size_t s = 0; s < num_series; ++s) {
        Cell& into = it->second[s];
        Cell& from = cells[s];
        for (size_t b = 0; b < from.counts.size(); ++b) into.counts[b] += from.counts[b];
        for (size_t b = 0; b < from.per_bucket.size(); ++b) {
          into.per_bucket[b].insert(from.per_bucket[b].begin(), from.per_bucket[b].end());
        }
        into.total.insert(from.total.begin(), from.total.end());
      }
    }
  }

  struct Row {
    std::string key;
    double rank_total = 0;
    std::vector<TrendSeriesResult> series;
  };
  std::vector<Row> rows;
  for (auto& [key, cells] : merged.cells) {
    Row row;
    row.key = key;
    for (size_t s = 0; s < num_series; ++s) {
      TrendSeriesResult r;
      r.series_index = s;
      r.has_breakdown = spec.breakdown.has_value();
      if (spec.breakdown && !key.empty()) r.breakdown_value = key.substr(1);
      const Cell& cell = cells[s];
      r.values.assign(num_buckets, 0);
      if (spec.series[s].measure == Measure::kEvents) {
        r.values = cell.counts;
        for (double v : r.values) r.total += v;
      } else {
        for (size_t b = 0; b < num_buckets; ++b) r.values[b] = double(cell.per_bucket[b].size());
        r.total = double(cell.total.size());
      }
      row.rank_total += r.total;
      row.series.push_back(std::move(r));
    }
    if (row.rank_total > 0 || !spec.breakdown) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.rank_total != b.rank_total) return a.rank_total > b.rank_total;
    return a.key < b.key;
  });
  if (spec.breakdown && rows.size() > spec.limit) rows.resize(spec.limit);

  TrendResult result{std::move(buckets), {}};
  if (!spec.breakdown && rows.empty()) {
    // No matching events: still answer every series with zero points.
    Row empty;
    for (size_t s = 0; s < num_series; ++s) {
      TrendSeriesResult r;
      r.series_index = s;
      r.values.assign(num_buckets, 0);
      empty.series.push_back(std::move(r));
    }
    rows.push_back(std::move(empty));
  }
  for (size_t s = 0; s < num_series; ++s) {
    for (auto& row : rows) {
      TrendSeriesResult r = std::move(row.series[s]);
      std::string base = spec.series[s].label.empty() ? DefaultLabel(spec.series[s]) : spec.series[s].label;
      if (spec.breakdown) base += " · " + (r.breakdown_value ? *r.breakdown_value : std::string("null"));
      r.label = std::move(base);
      result.series.push_back(std::move(r));
    }
  }
  return result;
}

}  // namespace tobops::query
