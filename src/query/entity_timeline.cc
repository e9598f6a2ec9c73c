#include "query/entity_timeline.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include <xxhash.h>

#include "query/block_filters.h"
#include "query/flat_id_map.h"
#include "query/timeline_scan.h"

namespace tobops::query {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

uint64_t HashText(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

// Value key: the type tag then the text, so 1 (number) and "1" (string) stay apart.
std::string ValueKey(const store::PropertyValue& value) {
  return std::string(1, char('0' + value.index())) + store::PropertyValueToString(value);
}

// Strings interned by their 64-bit hash: ids, event names and values are compared by
// XXH3 hash, whose collision chance is negligible at the entity counts we handle
// (≈ 3e-6 at 10 million distinct ids).
struct Interner {
  FlatIdMap index;
  std::vector<std::string> texts;
  uint32_t Intern(std::string_view text) {
    bool inserted = false;
    const uint32_t id = index.FindOrInsert(HashText(text), uint32_t(texts.size()), &inserted);
    if (inserted) texts.emplace_back(text);
    return id;
  }
};

struct ValueInterner {
  std::unordered_map<std::string, uint32_t> index;  // ValueKey → id (1-based)
  std::vector<store::PropertyValue> values;
  uint32_t Intern(const store::PropertyValue& value) {
    if (std::holds_alternative<std::monostate>(value)) return 0;
    auto [it, inserted] = index.try_emplace(ValueKey(value), uint32_t(values.size() + 1));
    if (inserted) values.push_back(value);
    return it->second;
  }
};

struct Worker {
  Interner entities, persons, events;
  ValueInterner values[2];
  std::vector<uint32_t> row_entity;
  std::vector<TimelineEvent> rows;  // ids are worker-local until the merge
};

inline bool RowLess(const TimelineEvent& a, const TimelineEvent& b) {
  if (a.timestamp_ms != b.timestamp_ms) return a.timestamp_ms < b.timestamp_ms;
  if (a.event != b.event) return a.event < b.event;
  if (a.mask != b.mask) return a.mask < b.mask;
  if (a.value[0] != b.value[0]) return a.value[0] < b.value[0];
  if (a.value[1] != b.value[1]) return a.value[1] < b.value[1];
  return a.person < b.person;
}

// Runs fn(begin, end, worker) over [0, n) split into `threads` contiguous chunks.
void ParallelChunks(size_t n, int threads, const std::function<void(size_t, size_t, int)>& fn) {
  threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(n / 256, 1))));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    const size_t begin = n * t / threads, end = n * (t + 1) / threads;
    pool.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

bool ParseEntityKind(const std::string& text, EntityKind* kind) {
  if (text == "person" || text == "persons") *kind = EntityKind::kPerson;
  else if (text == "account" || text == "accounts") *kind = EntityKind::kAccount;
  else return false;
  return true;
}

Result<EntityKind> ParseAggregateBy(const nlohmann::json& spec) {
  const nlohmann::json value = spec.value("aggregate_by", nlohmann::json("person"));
  EntityKind kind = EntityKind::kPerson;
  if (!value.is_string() || !ParseEntityKind(value.get<std::string>(), &kind)) {
    return InvalidArgument("aggregate_by must be person or account", "aggregate_by");
  }
  return kind;
}

const char* EntityKindName(EntityKind kind) {
  return kind == EntityKind::kPerson ? "person" : "account";
}

Result<EntityTimelines> EntityTimelines::Collect(const TimelineRequest& request,
                                                 const QueryContext& ctx) {
  ASSIGN_OR_RETURN(TimelineScan plan, TimelineScan::Make(request, ctx));
  const store::ScanRequest& scan = plan.store_request();

  struct BlockState {
    TimelineBlock bound;
    std::vector<uint32_t> event_id, person_id, entity_of, value_ids[2];
    std::vector<int64_t> window_from, window_to;  // per entity code, with entity_windows
  };
  std::vector<Worker> workers(scan.max_threads);
  std::vector<BlockState> states(scan.max_threads);
  Status status = ctx.store->Scan(scan, [&](const store::ColumnBlock& block, int w) {
    Worker& worker = workers[w];
    BlockState& state = states[w];
    TimelineBlock& bound = state.bound;
    bound.Bind(plan, block);
    const BlockUsage& usage = bound.usage();
    const BlockTraits& traits = bound.traits();
    // Per dictionary entry: local ids.
    std::vector<uint32_t>& event_id = state.event_id;
    event_id.resize(block.event_dict.size());
    for (size_t e = 0; e < block.event_dict.size(); ++e) event_id[e] = worker.events.Intern(block.event_dict[e]);
    // Persons are interned when a row of theirs is kept (kNone until then).
    std::vector<uint32_t>& person_id = state.person_id;
    person_id.assign(block.person_dict.size(), kNone);
    // Entities are interned when their first row is kept, so an entity with no kept row
    // does not exist. kUnset: not looked at yet; kNone: an event without an account.
    constexpr uint32_t kUnset = kNone - 1;
    std::vector<uint32_t>& entity_of = state.entity_of;
    entity_of.assign(bound.entity_codes(), kUnset);
    std::vector<int64_t>& window_from = state.window_from;
    std::vector<int64_t>& window_to = state.window_to;
    if (request.entity_windows) {
      window_from.assign(bound.entity_codes(), 0);
      window_to.assign(bound.entity_codes(), 0);
    }
    // Value slots: local value id per dictionary entry of the value's source.
    std::vector<uint32_t>* value_ids = state.value_ids;
    for (int v = 0; v < 2; ++v) {
      value_ids[v].clear();
      if (!request.values[v]) continue;
      const PropertyRef& ref = *request.values[v];
      switch (ref.source) {
        case PropertySource::kEvent: {
          const auto& col = block.properties[plan.value_column(v)];
          value_ids[v].push_back(0);
          for (const auto& value : col.dict) value_ids[v].push_back(worker.values[v].Intern(value));
          break;
        }
        case PropertySource::kPerson:
          value_ids[v].assign(traits.persons().size(), 0);
          for (size_t p = 0; p < traits.persons().size(); ++p) {
            if (usage.person(p)) value_ids[v][p] = worker.values[v].Intern(FindTrait(traits.persons()[p], ref.property));
          }
          break;
        case PropertySource::kAccount:
          value_ids[v].assign(traits.accounts().size(), 0);
          for (size_t a = 0; a < traits.accounts().size(); ++a) {
            if (usage.account(a)) value_ids[v][a] = worker.values[v].Intern(FindTrait(traits.accounts()[a], ref.property));
          }
          break;
      }
    }
    const bool with_values = request.values[0] || request.values[1];
    const bool by_person = request.entity == EntityKind::kPerson;
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t entity_code = bound.EntityCode(row);
      uint32_t& entity = entity_of[entity_code];
      if (entity == kNone) continue;
      uint32_t mask = 0;
      if (!bound.Keep(row, &mask)) continue;
      if (entity == kUnset) {
        if (!bound.EntityPossible(entity_code)) {
          entity = kNone;
          continue;
        }
        const std::string& id = bound.EntityId(entity_code);
        if (request.only_entities && !request.only_entities->count(id)) {
          entity = kNone;
          continue;
        }
        if (request.entity_windows) {
          auto it = request.entity_windows->find(id);
          if (it == request.entity_windows->end()) {
            entity = kNone;
            continue;
          }
          window_from[entity_code] = it->second.first;
          window_to[entity_code] = it->second.second;
        }
        entity = worker.entities.Intern(id);
      }
      if (request.entity_windows &&
          (block.timestamp_ms[row] < window_from[entity_code] || block.timestamp_ms[row] > window_to[entity_code])) {
        continue;
      }
      TimelineEvent out;
      out.timestamp_ms = block.timestamp_ms[row];
      out.mask = mask;
      out.event = event_id[block.event[row]];
      if (by_person) {
        out.person = entity;  // the entity is the row's canonical person
      } else {
        uint32_t& person = person_id[block.person[row]];
        if (person == kNone) person = worker.persons.Intern(bound.Canonical(block.person[row]));
        out.person = person;
      }
      if (with_values) {
        for (int v = 0; v < 2; ++v) {
          if (!request.values[v]) continue;
          switch (request.values[v]->source) {
            case PropertySource::kEvent: out.value[v] = value_ids[v][block.properties[plan.value_column(v)].codes[row]]; break;
            case PropertySource::kPerson: out.value[v] = value_ids[v][block.person[row]]; break;
            case PropertySource::kAccount: out.value[v] = value_ids[v][block.account[row]]; break;
          }
        }
      }
      worker.rows.push_back(out);
      worker.row_entity.push_back(entity);
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);

  // Merge the workers' dictionaries into global ids.
  const bool by_person = request.entity == EntityKind::kPerson;
  EntityTimelines out;
  out.entity_kind_ = request.entity;
  Interner entities, persons, events;
  ValueInterner values[2];
  std::vector<std::vector<uint32_t>> entity_map(workers.size()), person_map(workers.size()),
      event_map(workers.size()), value_map[2];
  for (int v = 0; v < 2; ++v) value_map[v].resize(workers.size());
  // Worker 0's entities and persons keep their ids; the others are interned after them.
  auto identity_map = [](size_t n) {
    std::vector<uint32_t> map(n);
    for (uint32_t i = 0; i < n; ++i) map[i] = i;
    return map;
  };
  entity_map[0] = identity_map(workers[0].entities.texts.size());
  entities = std::move(workers[0].entities);
  person_map[0] = identity_map(workers[0].persons.texts.size());
  persons = std::move(workers[0].persons);
  for (size_t w = 0; w < workers.size(); ++w) {
    Worker& worker = workers[w];
    if (w > 0) {
      for (const auto& t : worker.entities.texts) entity_map[w].push_back(entities.Intern(t));
      for (const auto& t : worker.persons.texts) person_map[w].push_back(persons.Intern(t));
    }
    for (const auto& t : worker.events.texts) event_map[w].push_back(events.Intern(t));
    for (int v = 0; v < 2; ++v) {
      value_map[v][w].push_back(0);
      for (const auto& value : worker.values[v].values) value_map[v][w].push_back(values[v].Intern(value));
    }
  }
  // Event names and values get ids in sorted order, so that the row order at equal
  // timestamps does not depend on which worker saw a name first.
  {
    std::vector<uint32_t> order(events.texts.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return events.texts[a] < events.texts[b]; });
    std::vector<uint32_t> rank(order.size());
    std::vector<std::string> sorted(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) {
      rank[order[r]] = r;
      sorted[r] = std::move(events.texts[order[r]]);
    }
    events.texts = std::move(sorted);
    for (auto& map : event_map) for (auto& id : map) id = rank[id];
  }
  for (int v = 0; v < 2; ++v) {
    auto& list = values[v].values;
    std::vector<uint32_t> order(list.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return ValueKey(list[a]) < ValueKey(list[b]); });
    std::vector<uint32_t> rank(order.size() + 1, 0);
    std::vector<store::PropertyValue> sorted(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) {
      rank[order[r] + 1] = r + 1;
      sorted[r] = std::move(list[order[r]]);
    }
    list = std::move(sorted);
    for (auto& map : value_map[v]) for (auto& id : map) id = rank[id];
  }
  const size_t num_entities = entities.texts.size();
  out.offsets_.assign(num_entities + 1, 0);
  for (size_t w = 0; w < workers.size(); ++w) {
    for (uint32_t e : workers[w].row_entity) ++out.offsets_[entity_map[w][e] + 1];
  }
  for (size_t e = 0; e < num_entities; ++e) out.offsets_[e + 1] += out.offsets_[e];
  out.rows_.resize(out.offsets_[num_entities]);
  std::vector<size_t> fill(out.offsets_.begin(), out.offsets_.end() - 1);
  for (size_t w = 0; w < workers.size(); ++w) {
    Worker& worker = workers[w];
    for (size_t i = 0; i < worker.rows.size(); ++i) {
      TimelineEvent row = worker.rows[i];
      row.event = event_map[w][row.event];
      row.person = by_person ? entity_map[w][row.person] : person_map[w][row.person];
      for (int v = 0; v < 2; ++v) row.value[v] = value_map[v][w][row.value[v]];
      out.rows_[fill[entity_map[w][worker.row_entity[i]]]++] = row;
    }
    worker.rows = {};
    worker.row_entity = {};
  }
  ParallelChunks(num_entities, scan.max_threads, [&](size_t begin, size_t end, int) {
    for (size_t e = begin; e < end; ++e) {
      // Rows of one person usually arrive in time order already (blocks are sorted by
      // account, person, time), so check before sorting.
      auto first = out.rows_.begin() + ptrdiff_t(out.offsets_[e]);
      auto last = out.rows_.begin() + ptrdiff_t(out.offsets_[e + 1]);
      // A lambda, not the function pointer, so that the comparison is inlined.
      auto less = [](const TimelineEvent& a, const TimelineEvent& b) { return RowLess(a, b); };
      if (!std::is_sorted(first, last, less)) std::sort(first, last, less);
    }
  });
  out.entity_ids_ = std::move(entities.texts);
  out.person_ids_ = std::move(persons.texts);
  out.event_names_ = std::move(events.texts);
  for (int v = 0; v < 2; ++v) out.values_[v] = std::move(values[v].values);
  return out;
}

void EntityTimelines::ForEach(
    int threads,
    const std::function<void(size_t, std::span<const TimelineEvent>, int)>& fn) const {
  ParallelChunks(entity_count(), threads, [&](size_t begin, size_t end, int worker) {
    for (size_t e = begin; e < end; ++e) fn(e, events(e), worker);
  });
}

}  // namespace tobops::query
