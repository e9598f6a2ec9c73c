#include "query/trend_query.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "common/parallel_chunks.h"
#include "query/block_filters.h"
#include "query/entity_directory.h"

namespace tobops::query {
namespace {

constexpr double kNull = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kNoId = UINT32_MAX;
constexpr int kAnyEvent = -2;   // series_event: the series counts every event
constexpr int kNoEvent = -1;    // series_event: the series' event is not in the block

bool IsDistinct(Measure m) { return m == Measure::kPersons || m == Measure::kAccounts; }

// The level of a percentile measure; 0 for the others.
double PercentileLevel(Measure m) {
  switch (m) {
    case Measure::kP50: return 0.5;
    case Measure::kP90: return 0.9;
    case Measure::kP95: return 0.95;
    case Measure::kP99: return 0.99;
    default: return 0;
  }
}

// The level-quantile by linear interpolation between closest ranks, on the values in
// ascending order x[0..n-1]: h = (n − 1)·level, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) —
// the rule (and arithmetic) of the distribution and interval kinds: numpy's default, R's
// type 7, ClickHouse's quantileExactInclusive. Null for no values. Reorders `values`;
// O(n) by selection, not a sort.
double InterpolatedQuantile(std::vector<double>* values, double level) {
  if (values->empty()) return kNull;
  const double h = double(values->size() - 1) * level;
  const size_t lo = size_t(std::floor(h));
  std::nth_element(values->begin(), values->begin() + std::ptrdiff_t(lo), values->end());
  const double low = (*values)[lo];
  if (lo + 1 >= values->size()) return low;
  // After nth_element every later element is >= x[lo]; the next rank is their minimum.
  const double high = *std::min_element(values->begin() + std::ptrdiff_t(lo) + 1, values->end());
  return low + (h - double(lo)) * (high - low);
}

// A property value as a number for the numeric measures: numbers, and strings that
// parse completely as a finite number (CSV imports store "199.5" as text); NaN for
// anything else, which the measures skip.
double NumericValue(const store::PropertyValue& value) {
  if (const double* d = std::get_if<double>(&value)) return std::isfinite(*d) ? *d : kNull;
  if (const std::string* s = std::get_if<std::string>(&value)) {
    if (s->empty() || std::isspace(static_cast<unsigned char>(s->front()))) return kNull;
    char* end = nullptr;
    const double d = std::strtod(s->c_str(), &end);
    if (end != s->c_str() + s->size() || !std::isfinite(d)) return kNull;
    return d;
  }
  return kNull;
}

// Breakdown key: "" when the value is absent, "\x01" + text otherwise, so that an
// empty-string value and an absent value stay apart.
std::string BreakdownKey(const store::PropertyValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return {};
  return "\x01" + store::PropertyValueToString(value);
}

// The bucket of an instant. When every bucket boundary lies a whole number of hours
// after the first (any zone whose offset changes by whole hours), a table per hour of
// the range answers with one division; otherwise TimeBuckets::BucketOf's binary search.
class BucketLookup {
 public:
  explicit BucketLookup(const TimeBuckets& buckets) : buckets_(buckets) {
    const int64_t span = buckets.end_ms() - buckets.begin_ms();
    bool whole_hours = span % kHourMs == 0 && span / kHourMs <= kMaxTableHours;
    for (size_t b = 0; whole_hours && b < buckets.size(); ++b) {
      whole_hours = (buckets.start(b) - buckets.begin_ms()) % kHourMs == 0;
    }
    if (!whole_hours) return;
    table_.resize(size_t(span / kHourMs));
    uint32_t bucket = 0;
    for (size_t h = 0; h < table_.size(); ++h) {
      const int64_t at = buckets.begin_ms() + int64_t(h) * kHourMs;
      while (bucket + 1 < buckets.size() && buckets.start(bucket + 1) <= at) ++bucket;
      table_[h] = bucket;
    }
  }
  // The bucket holding utc_ms, or -1 outside the range.
  int Of(int64_t utc_ms) const {
    if (utc_ms < buckets_.begin_ms() || utc_ms >= buckets_.end_ms()) return -1;
    if (table_.empty()) return buckets_.BucketOf(utc_ms);
    return int(table_[size_t((utc_ms - buckets_.begin_ms()) / kHourMs)]);
  }

 private:
  static constexpr int64_t kHourMs = 3600 * 1000;
  static constexpr int64_t kMaxTableHours = int64_t(1) << 20;  // 4 MiB, about 120 years
  const TimeBuckets& buckets_;
  std::vector<uint32_t> table_;
};

// One (breakdown value, series) accumulator of one worker. Vectors are allocated at the
// first matching row, so breakdown values a series never meets cost nothing.
struct Acc {
  std::vector<double> sum;      // events: count; sum/avg: sum of values (per bucket)
  std::vector<double> count;    // avg: number of values per bucket
  std::vector<double> extreme;  // min/max per bucket; NaN until the first value
  std::vector<std::vector<double>> samples;  // percentiles: the values per bucket
  // persons/accounts: (bucket << 32 | worker-local id), mostly de-duplicated already
  // (see Worker::last_tag); the merge counts each id once per bucket.
  std::vector<uint64_t> pairs;
  uint64_t hits[2] = {0, 0};    // matching rows per period
};

// What a kernel needs of a canonical person, resolved once per worker.
struct PersonInfo {
  bool resolved = false;
  uint32_t cell = kNoId;  // breakdown cell (person-trait breakdown)
};

struct Worker {
  std::unordered_map<std::string, uint32_t> cell_of_key;
  std::vector<std::string> cell_keys;
  std::vector<Acc> accs;        // cell * num_series + series
  // Persons and accounts are counted by their entity directory keys
  // (query/entity_directory.h), which are the same in every worker and block.
  // Segments share one person dictionary among all their row groups, so a block's
  // dictionary is far larger than the persons its rows use: person breakdown cells are
  // resolved lazily, per person a row uses, and memoised per worker by key.
  std::vector<PersonInfo> person_info;  // person key → info
  // [series][key]: the (cell + 1) << 32 | bucket a distinct series last added for the
  // key. Rows of one person cluster in time, so most repeats stop here instead of
  // growing `pairs`.
  std::vector<std::vector<uint64_t>> last_tag;
  // Per-block scratch, kept to reuse its capacity.
  BlockTraits traits;
  std::vector<BlockFilters> filters;  // [0] global, [1 + s] series s
  std::vector<std::string> canonical;
  std::vector<uint32_t> cell_of_code;
  std::unordered_map<uint64_t, std::vector<uint32_t>> account_cells;  // dict_key → cell_of_code
  std::vector<std::vector<double>> numeric;  // [series][code]: value or NaN
};

// Per aggregated row (breakdown value) and series: values of every scanned bucket and
// the total of each period.
struct SeriesValues {
  std::vector<double> values;
  double totals[2] = {0, 0};
  uint64_t hits[2] = {0, 0};
};

struct Aggregation {
  std::vector<std::string> keys;                   // breakdown key per row
  std::vector<std::vector<SeriesValues>> rows;     // [row][series]
};

// Scans `buckets` (periods × period_buckets buckets; the last period is the queried one)
// and aggregates every series per breakdown value.
Result<Aggregation> Aggregate(const TrendSpec& spec, const TimeBuckets& buckets,
                              size_t period_buckets, const QueryContext& ctx) {
  const size_t num_series = spec.series.size();
  const size_t num_buckets = buckets.size();
  const size_t periods = num_buckets / period_buckets;

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
    if (it != request.properties.end()) return int(it - request.properties.begin());
    request.properties.push_back(key);
    return int(request.properties.size() - 1);
  };
  bool need_person_traits = false, need_account_traits = false;
  // Filter lists: [0] the global filters, [1 + s] series s's own.
  std::vector<std::vector<const PropertyFilter*>> filter_sets(num_series + 1);
  std::vector<std::vector<int>> filter_columns(num_series + 1);
  auto add_filter = [&](size_t set, const PropertyFilter& f) {
    filter_sets[set].push_back(&f);
    filter_columns[set].push_back(f.source == PropertySource::kEvent ? column_of(f.property) : -1);
    need_person_traits |= f.source == PropertySource::kPerson;
    need_account_traits |= f.source == PropertySource::kAccount;
  };
  for (const auto& f : spec.filters) add_filter(0, f);
  bool need_person_ids = false, need_account_ids = false;
  std::vector<int> value_column(num_series, -1);
  for (size_t s = 0; s < num_series; ++s) {
    for (const auto& f : spec.series[s].filters) add_filter(s + 1, f);
    need_person_ids |= spec.series[s].measure == Measure::kPersons;
    need_account_ids |= spec.series[s].measure == Measure::kAccounts;
    if (MeasureNeedsProperty(spec.series[s].measure)) value_column[s] = column_of(spec.series[s].property);
  }
  int breakdown_column = -1;
  if (spec.breakdown) {
    switch (spec.breakdown->source) {
      case PropertySource::kEvent: breakdown_column = column_of(spec.breakdown->property); break;
      case PropertySource::kPerson: break;  // read lazily, per person a row uses
      case PropertySource::kAccount: need_account_traits = true; break;
    }
  }
  const bool person_breakdown = spec.breakdown && spec.breakdown->source == PropertySource::kPerson;
  const bool need_person_info = need_person_ids || person_breakdown;

  const BucketLookup bucket_of(buckets);
  const std::shared_ptr<EntityDirectory> directory = DirectoryOf(ctx);
  std::vector<Worker> workers(size_t(request.max_threads));
  for (Worker& w : workers) {
    w.filters.resize(num_series + 1);
    w.last_tag.resize(num_series);
    w.numeric.resize(num_series);
  }
  Status scan = ctx.store->Scan(request, [&](const store::ColumnBlock& block, int worker_index) {
    Worker& w = workers[size_t(worker_index)];
    // Per-block lookups, computed once per dictionary entry rather than per row.
    std::vector<int> series_event(num_series, kNoEvent);
    for (size_t s = 0; s < num_series; ++s) {
      if (spec.series[s].event.empty()) {
        series_event[s] = kAnyEvent;
        continue;
      }
      for (size_t e = 0; e < block.event_dict.size(); ++e) {
        if (block.event_dict[e] == spec.series[s].event) series_event[s] = int(e);
      }
    }
    const std::shared_ptr<const EntityDirectory::CodeMaps> maps =
        need_person_info || need_account_ids || need_person_traits ? directory->MapsOf(block, *ctx.identity) : nullptr;
    // Traits and filter tables only for the persons and accounts this block's rows use.
    BlockUsage usage;
    if (need_person_traits || need_account_traits) usage.Compute(block);
    if (need_person_traits) {
      w.canonical.assign(block.person_dict.size(), std::string());
      for (size_t p = 0; p < block.person_dict.size(); ++p) {
        if (usage.person(p)) w.canonical[p] = *maps->person_ids[p];
      }
    }
    w.traits.Reset(block, w.canonical, *ctx.identity, need_person_traits, need_account_traits, ctx.cohorts.get(),
                   &usage);
    for (size_t set = 0; set <= num_series; ++set) {
      w.filters[set].Bind(filter_sets[set], filter_columns[set], block, w.traits, &usage);
    }
    // Keys below these counts index last_tag directly; the directory only grows.
    const size_t person_keys = need_person_ids ? directory->person_key_count() : 0;
    const size_t account_keys = need_account_ids ? directory->account_key_count() : 0;
    for (size_t s = 0; s < num_series; ++s) {
      const Measure m = spec.series[s].measure;
      const size_t keys = m == Measure::kPersons ? person_keys : m == Measure::kAccounts ? account_keys : 0;
      if (w.last_tag[s].size() < keys) w.last_tag[s].resize(keys, 0);
      if (value_column[s] >= 0) {
        const auto& col = block.properties[size_t(value_column[s])];
        w.numeric[s].resize(col.dict.size() + 1);
        w.numeric[s][0] = kNull;
        for (size_t c = 0; c < col.dict.size(); ++c) w.numeric[s][c + 1] = NumericValue(col.dict[c]);
      }
    }
    // The breakdown cell of a key; new cells get their (empty) accumulators.
    auto cell_for = [&](std::string key) {
      auto [it, inserted] = w.cell_of_key.try_emplace(std::move(key), uint32_t(w.cell_keys.size()));
      if (inserted) {
        w.cell_keys.push_back(it->first);
        w.accs.resize(w.accs.size() + num_series);
      }
      return it->second;
    };
    // The breakdown cell of the person of a dictionary code.
    auto person_cell = [&](uint32_t code) -> uint32_t {
      const uint32_t key = maps->person_keys[code];
      if (key >= w.person_info.size()) w.person_info.resize(std::max<size_t>(key + 1, w.person_info.size() * 2));
      PersonInfo& info = w.person_info[key];
      if (!info.resolved) {
        info.resolved = true;
        info.cell = cell_for(BreakdownKey(
            FindTrait(PersonTraitsOf(ctx, *maps->person_ids[code]), spec.breakdown->property)));
      }
      return info.cell;
    };
    // Breakdown cells: per row through cell_of_code (account traits, event values
    // resolved lazily) or through the person.
    const uint32_t* cell_codes = nullptr;
    const store::PropertyColumn* breakdown_values = nullptr;
    if (!spec.breakdown) {
      w.cell_of_code.assign(1, cell_for(""));
    } else if (spec.breakdown->source == PropertySource::kEvent) {
      breakdown_values = &block.properties[size_t(breakdown_column)];
      w.cell_of_code.assign(breakdown_values->dict.size() + 1, kNoId);
      cell_codes = breakdown_values->codes;
    } else if (spec.breakdown->source == PropertySource::kAccount) {
      // A segment's row groups share its account dictionary: its cells are worked out
      // once per worker and query.
      auto memo = block.dict_key != 0 ? w.account_cells.find(block.dict_key) : w.account_cells.end();
      if (memo != w.account_cells.end()) {
        w.cell_of_code = memo->second;
      } else {
        w.cell_of_code.clear();
        for (const ingest::Traits* t : w.traits.accounts()) {
          w.cell_of_code.push_back(cell_for(BreakdownKey(FindTrait(*t, spec.breakdown->property))));
        }
        if (block.dict_key != 0) w.account_cells.emplace(block.dict_key, w.cell_of_code);
      }
      cell_codes = block.account;
    }
    auto cell_of_row = [&](size_t row) -> uint32_t {
      if (person_breakdown) return person_cell(block.person[row]);
      if (!cell_codes) return w.cell_of_code[0];
      uint32_t& cell = w.cell_of_code[cell_codes[row]];
      if (cell == kNoId) {
        const uint32_t code = cell_codes[row];
        cell = cell_for(code == 0 ? std::string() : BreakdownKey(breakdown_values->dict[code - 1]));
      }
      return cell;
    };

    for (size_t row = 0; row < block.rows; ++row) {
      const int b = bucket_of.Of(block.timestamp_ms[row]);
      if (b < 0) continue;
      const uint32_t bucket = uint32_t(b);
      if (!w.filters[0].Pass(block, row)) continue;
      const uint32_t cell = cell_of_row(row);
      const int event_code = int(block.event[row]);
      const size_t period = bucket / period_buckets;
      for (size_t s = 0; s < num_series; ++s) {
        if (series_event[s] != kAnyEvent && series_event[s] != event_code) continue;
        if (!w.filters[s + 1].Pass(block, row)) continue;
        const Measure measure = spec.series[s].measure;
        double value = 0;
        if (value_column[s] >= 0) {
          value = w.numeric[s][block.properties[size_t(value_column[s])].codes[row]];
          if (std::isnan(value)) continue;  // absent or not a number: not a value
        }
        // Resolved before `acc` is taken: resolving a new person may add cells (and so
        // move w.accs) under a person breakdown.
        uint32_t id = kNoId;
        if (measure == Measure::kPersons) id = maps->person_keys[block.person[row]];
        if (measure == Measure::kAccounts) {
          // Events without an account are not counted by the accounts measure.
          id = maps->account_keys[block.account[row]];
          if (id == EntityDirectory::kNoKey) continue;
        }
        Acc& acc = w.accs[size_t(cell) * num_series + s];
        switch (measure) {
          case Measure::kEvents:
          case Measure::kSum:
            if (acc.sum.empty()) acc.sum.assign(num_buckets, 0);
            acc.sum[bucket] += measure == Measure::kEvents ? 1 : value;
            break;
          case Measure::kAvg:
            if (acc.sum.empty()) acc.sum.assign(num_buckets, 0), acc.count.assign(num_buckets, 0);
            acc.sum[bucket] += value;
            acc.count[bucket] += 1;
            break;
          case Measure::kMin:
          case Measure::kMax: {
            if (acc.extreme.empty()) acc.extreme.assign(num_buckets, kNull);
            double& e = acc.extreme[bucket];
            if (std::isnan(e) || (measure == Measure::kMin ? value < e : value > e)) e = value;
            break;
          }
          case Measure::kP50:
          case Measure::kP90:
          case Measure::kP95:
          case Measure::kP99:
            if (acc.samples.empty()) acc.samples.resize(num_buckets);
            acc.samples[bucket].push_back(value);
            break;
          case Measure::kPersons:
          case Measure::kAccounts: {
            const uint64_t tag = (uint64_t(cell) + 1) << 32 | bucket;
            uint64_t& last = w.last_tag[s][id];
            if (last != tag) {
              last = tag;
              acc.pairs.push_back(uint64_t(bucket) << 32 | id);
            }
            break;
          }
        }
        ++acc.hits[period];
      }
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(scan);

  // Global rows (breakdown keys) and, per row, the worker cells that feed it.
  Aggregation out;
  std::unordered_map<std::string, uint32_t> row_of_key;
  std::vector<std::vector<std::pair<size_t, uint32_t>>> sources;  // row → (worker, cell)
  for (size_t wi = 0; wi < workers.size(); ++wi) {
    for (uint32_t c = 0; c < workers[wi].cell_keys.size(); ++c) {
      auto [it, inserted] = row_of_key.try_emplace(workers[wi].cell_keys[c], uint32_t(out.keys.size()));
      if (inserted) {
        out.keys.push_back(workers[wi].cell_keys[c]);
        sources.emplace_back();
      }
      sources[it->second].emplace_back(wi, c);
    }
  }
  // Rows (breakdown values) are merged independently, on the scan's threads: each takes
  // the next row not yet taken. Per thread, stamp[key] == current: the person or account
  // is already counted in the current total (allocated at the thread's first distinct
  // count: 4 bytes per key).
  const size_t stamp_size = std::max(directory->person_key_count(), directory->account_key_count());
  out.rows.resize(out.keys.size());
  std::atomic<size_t> next_row{0};
  ParallelChunks(workers.size(), int(workers.size()), [&](size_t, size_t, int) {
    std::vector<uint32_t> stamp;
    uint32_t current_stamp = 0;
    for (size_t r = next_row++; r < out.keys.size(); r = next_row++) {
      out.rows[r].resize(num_series);
      for (size_t s = 0; s < num_series; ++s) {
        const Measure measure = spec.series[s].measure;
        SeriesValues& sv = out.rows[r][s];
        std::vector<const Acc*> accs;
        for (const auto& [wi, c] : sources[r]) {
          const Acc& acc = workers[wi].accs[size_t(c) * num_series + s];
          accs.push_back(&acc);
          for (size_t p = 0; p < periods; ++p) sv.hits[p] += acc.hits[p];
        }
        sv.values.assign(num_buckets, 0);
        auto period_range = [&](size_t p) {
          return std::pair<size_t, size_t>(p * period_buckets, (p + 1) * period_buckets);
        };
        switch (measure) {
          case Measure::kEvents:
          case Measure::kSum:
            for (const Acc* acc : accs) {
              for (size_t b = 0; b < acc->sum.size(); ++b) sv.values[b] += acc->sum[b];
            }
            for (size_t p = 0; p < periods; ++p) {
              auto [lo, hi] = period_range(p);
              for (size_t b = lo; b < hi; ++b) sv.totals[p] += sv.values[b];
            }
            break;
          case Measure::kAvg: {
            std::vector<double> sum(num_buckets, 0), count(num_buckets, 0);
            for (const Acc* acc : accs) {
              for (size_t b = 0; b < acc->sum.size(); ++b) sum[b] += acc->sum[b], count[b] += acc->count[b];
            }
            for (size_t b = 0; b < num_buckets; ++b) sv.values[b] = count[b] > 0 ? sum[b] / count[b] : kNull;
            for (size_t p = 0; p < periods; ++p) {
              auto [lo, hi] = period_range(p);
              double total_sum = 0, total_count = 0;
              for (size_t b = lo; b < hi; ++b) total_sum += sum[b], total_count += count[b];
              sv.totals[p] = total_count > 0 ? total_sum / total_count : kNull;
            }
            break;
          }
          case Measure::kMin:
          case Measure::kMax: {
            const bool is_min = measure == Measure::kMin;
            auto better = [&](double a, double b) {  // combine; NaN = none
              if (std::isnan(a)) return b;
              if (std::isnan(b)) return a;
              return is_min ? std::min(a, b) : std::max(a, b);
            };
            sv.values.assign(num_buckets, kNull);
            for (const Acc* acc : accs) {
              for (size_t b = 0; b < acc->extreme.size(); ++b) sv.values[b] = better(sv.values[b], acc->extreme[b]);
            }
            for (size_t p = 0; p < periods; ++p) {
              auto [lo, hi] = period_range(p);
              sv.totals[p] = kNull;
              for (size_t b = lo; b < hi; ++b) sv.totals[p] = better(sv.totals[p], sv.values[b]);
            }
            break;
          }
          case Measure::kP50:
          case Measure::kP90:
          case Measure::kP95:
          case Measure::kP99: {
            const double level = PercentileLevel(measure);
            for (size_t p = 0; p < periods; ++p) {
              auto [lo, hi] = period_range(p);
              std::vector<double> all;
              for (size_t b = lo; b < hi; ++b) {
                std::vector<double> bucket_values;
                for (const Acc* acc : accs) {
                  if (acc->samples.empty()) continue;
                  bucket_values.insert(bucket_values.end(), acc->samples[b].begin(), acc->samples[b].end());
                }
                all.insert(all.end(), bucket_values.begin(), bucket_values.end());
                sv.values[b] = InterpolatedQuantile(&bucket_values, level);
              }
              sv.totals[p] = InterpolatedQuantile(&all, level);
            }
            break;
          }
          case Measure::kPersons:
          case Measure::kAccounts: {
            // Group the ids by bucket with a counting sort (buckets are few), then count
            // each bucket's and each period's distinct ids with `stamp`: no comparison sort.
            std::vector<uint32_t> begin(num_buckets + 1, 0);
            for (const auto& [wi, c] : sources[r]) {
              for (uint64_t pair : workers[wi].accs[size_t(c) * num_series + s].pairs) ++begin[(pair >> 32) + 1];
            }
            for (size_t b = 0; b < num_buckets; ++b) begin[b + 1] += begin[b];
            if (stamp.empty()) stamp.assign(stamp_size, 0);
            std::vector<uint32_t> ids(begin[num_buckets]);
            std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
            for (const auto& [wi, c] : sources[r]) {
              for (uint64_t pair : workers[wi].accs[size_t(c) * num_series + s].pairs) {
                ids[fill[pair >> 32]++] = uint32_t(pair);  // directory keys: the same in every worker
              }
            }
            for (size_t b = 0; b < num_buckets; ++b) {
              ++current_stamp;
              for (uint32_t i = begin[b]; i < begin[b + 1]; ++i) {
                if (stamp[ids[i]] != current_stamp) stamp[ids[i]] = current_stamp, sv.values[b] += 1;
              }
            }
            for (size_t p = 0; p < periods; ++p) {
              auto [lo, hi] = period_range(p);
              ++current_stamp;
              double distinct = 0;
              for (uint32_t i = begin[lo]; i < begin[hi]; ++i) {
                if (stamp[ids[i]] != current_stamp) stamp[ids[i]] = current_stamp, distinct += 1;
              }
              sv.totals[p] = distinct;
            }
            break;
          }
        }
      }
    }
  }, 1);
  return out;
}

// Values for a series that met no event: 0 for counts and sums, null for statistics.
SeriesValues EmptySeriesValues(Measure measure, size_t num_buckets) {
  const bool zero = measure == Measure::kEvents || measure == Measure::kSum || IsDistinct(measure);
  SeriesValues sv;
  sv.values.assign(num_buckets, zero ? 0 : kNull);
  sv.totals[0] = sv.totals[1] = zero ? 0 : kNull;
  return sv;
}

std::string DefaultLabel(const TrendSeriesSpec& s) {
  std::string event = s.event.empty() ? "all events" : s.event;
  switch (s.measure) {
    case Measure::kEvents: return event;
    case Measure::kPersons: return event + " (persons)";
    case Measure::kAccounts: return event + " (accounts)";
    default: return event + " (" + MeasureName(s.measure) + " of " + s.property + ")";
  }
}

}  // namespace

bool ParseMeasure(const std::string& text, Measure* measure) {
  static const std::pair<const char*, Measure> kMeasures[] = {
      {"events", Measure::kEvents},   {"count", Measure::kEvents},
      {"persons", Measure::kPersons}, {"unique_persons", Measure::kPersons},
      {"accounts", Measure::kAccounts}, {"unique_accounts", Measure::kAccounts},
      {"sum", Measure::kSum}, {"avg", Measure::kAvg}, {"min", Measure::kMin},
      {"max", Measure::kMax}, {"p50", Measure::kP50}, {"p90", Measure::kP90},
      {"p95", Measure::kP95}, {"p99", Measure::kP99},
  };
  for (const auto& [name, m] : kMeasures) {
    if (text == name) {
      *measure = m;
      return true;
    }
  }
  return false;
}

const char* MeasureName(Measure measure) {
  switch (measure) {
    case Measure::kEvents: return "events";
    case Measure::kPersons: return "persons";
    case Measure::kAccounts: return "accounts";
    case Measure::kSum: return "sum";
    case Measure::kAvg: return "avg";
    case Measure::kMin: return "min";
    case Measure::kMax: return "max";
    case Measure::kP50: return "p50";
    case Measure::kP90: return "p90";
    case Measure::kP95: return "p95";
    case Measure::kP99: return "p99";
  }
  return "events";
}

bool MeasureNeedsProperty(Measure measure) {
  return !(measure == Measure::kEvents || IsDistinct(measure));
}

Result<TrendResult> RunTrend(const TrendSpec& spec, const QueryContext& ctx) {
  if (spec.series.empty()) return InvalidArgument("a trend needs at least one series", "series");
  for (size_t s = 0; s < spec.series.size(); ++s) {
    if (MeasureNeedsProperty(spec.series[s].measure) && spec.series[s].property.empty()) {
      return InvalidArgument(std::string("the measure ") + MeasureName(spec.series[s].measure) +
                                 " needs a numeric event property",
                             "series[" + std::to_string(s) + "].property");
    }
  }
  ASSIGN_OR_RETURN(TimeBuckets buckets,
                   TimeBuckets::Make(spec.from_ms, spec.to_ms, spec.interval, ctx.zone));
  const size_t num_series = spec.series.size();
  const size_t n = buckets.size();

  // With a comparison, one scan covers the previous period and the queried one: the
  // previous period is the n buckets just before the first queried bucket.
  TimeBuckets scanned = buckets;
  std::optional<TimeBuckets> previous;
  if (spec.compare_previous) {
    int64_t start = buckets.begin_ms();
    for (size_t i = 0; i < n; ++i) start = TimeBuckets::Floor(start - 1, spec.interval, ctx.zone);
    ASSIGN_OR_RETURN(previous, TimeBuckets::Make(start, buckets.begin_ms(), spec.interval, ctx.zone));
    ASSIGN_OR_RETURN(scanned, TimeBuckets::Make(start, buckets.end_ms(), spec.interval, ctx.zone, 2 * n + 1));
    if (previous->size() != n || scanned.size() != 2 * n) {
      // Only a time zone whose calendar skips a whole bucket could get here.
      return InvalidArgument("the previous period does not have the same number of buckets", "compare");
    }
  }
  const size_t current = spec.compare_previous ? 1 : 0;  // period index of the queried range
  ASSIGN_OR_RETURN(Aggregation agg, Aggregate(spec, scanned, n, ctx));

  struct Row {
    std::string key;
    double rank_total = 0;
    std::vector<SeriesValues> series;
  };
  std::vector<Row> rows;
  for (size_t r = 0; r < agg.keys.size(); ++r) {
    Row row{std::move(agg.keys[r]), 0, std::move(agg.rows[r])};
    uint64_t hits = 0;
    for (const SeriesValues& sv : row.series) {
      if (std::isfinite(sv.totals[current])) row.rank_total += sv.totals[current];
      hits += sv.hits[current];
    }
    // A breakdown value is listed when some series met an event of it in the range.
    if (hits > 0 || !spec.breakdown) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.rank_total != b.rank_total) return a.rank_total > b.rank_total;
    return a.key < b.key;
  });
  if (spec.breakdown && rows.size() > spec.limit) rows.resize(spec.limit);
  if (!spec.breakdown && rows.empty()) {
    // No matching events: still answer every series with zero (or null) points.
    Row empty;
    for (const auto& s : spec.series) empty.series.push_back(EmptySeriesValues(s.measure, scanned.size()));
    rows.push_back(std::move(empty));
  }

  TrendResult result{std::move(buckets), std::move(previous), {}};
  auto label_suffix = [&](const Row& row, bool prev) {
    std::string suffix;
    if (spec.breakdown) suffix += " · " + (row.key.empty() ? std::string("null") : row.key.substr(1));
    if (prev) suffix += " (previous period)";
    return suffix;
  };
  auto base_entry = [&](const Row& row, bool prev) {
    TrendSeriesResult r;
    r.previous = prev;
    r.has_breakdown = spec.breakdown.has_value();
    if (spec.breakdown && !row.key.empty()) r.breakdown_value = row.key.substr(1);
    return r;
  };
  const size_t periods = spec.compare_previous ? 2 : 1;
  for (size_t pass = 0; pass < periods; ++pass) {
    const bool prev = pass == 1;
    const size_t period = prev ? 0 : current;
    const size_t offset = period * n;
    for (size_t s = 0; s < num_series; ++s) {
      for (const Row& row : rows) {
        TrendSeriesResult r = base_entry(row, prev);
        r.series_index = s;
        const SeriesValues& sv = row.series[s];
        r.values.assign(sv.values.begin() + std::ptrdiff_t(offset), sv.values.begin() + std::ptrdiff_t(offset + n));
        r.total = sv.totals[period];
        r.label = (spec.series[s].label.empty() ? DefaultLabel(spec.series[s]) : spec.series[s].label) +
                  label_suffix(row, prev);
        result.series.push_back(std::move(r));
      }
    }
    for (size_t f = 0; f < spec.formulas.size(); ++f) {
      const TrendFormulaSpec& formula = spec.formulas[f];
      for (const Row& row : rows) {
        TrendSeriesResult r = base_entry(row, prev);
        r.formula_index = int(f);
        std::vector<double> operands(num_series);
        r.values.resize(n);
        for (size_t b = 0; b < n; ++b) {
          for (size_t s = 0; s < num_series; ++s) operands[s] = row.series[s].values[offset + b];
          r.values[b] = formula.formula.Evaluate(operands);
        }
        for (size_t s = 0; s < num_series; ++s) operands[s] = row.series[s].totals[period];
        r.total = formula.formula.Evaluate(operands);
        r.label = (formula.label.empty() ? formula.expression : formula.label) + label_suffix(row, prev);
        result.series.push_back(std::move(r));
      }
    }
  }
  return result;
}

}  // namespace tobops::query
