#include "query/entity_timeline.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

#include <xxhash.h>

#include "common/parallel_chunks.h"
#include "query/block_filters.h"
#include "query/flat_id_map.h"
#include "query/timeline_scan.h"

namespace tobops::query {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

uint64_t HashText(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

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
  std::unordered_map<std::string, uint32_t> index;  // PropertyValueKey → id (1-based)
  std::vector<store::PropertyValue> values;
  uint32_t Intern(const store::PropertyValue& value) {
    if (std::holds_alternative<std::monostate>(value)) return 0;
    auto [it, inserted] = index.try_emplace(store::PropertyValueKey(value), uint32_t(values.size() + 1));
    if (inserted) values.push_back(value);
    return it->second;
  }
};

// Entities and persons are named by their entity directory keys
// (query/entity_directory.h) until the merge numbers them densely; event names and
// values by worker-local ids.
struct Worker {
  Interner events;
  ValueInterner values[2];
  // Per entity key: kUnsetKey until looked at, then kSkipKey or kKeepKey.
  std::vector<uint8_t> entity_state;
  std::vector<int64_t> window_from, window_to;  // per entity key, with entity_windows
  std::vector<uint32_t> row_entity;  // entity key of each row
  std::vector<TimelineEvent> rows;   // person: the person key
};
constexpr uint8_t kUnsetKey = 0, kSkipKey = 1, kKeepKey = 2;

inline bool RowLess(const TimelineEvent& a, const TimelineEvent& b) {
  if (a.timestamp_ms != b.timestamp_ms) return a.timestamp_ms < b.timestamp_ms;
  if (a.event != b.event) return a.event < b.event;
  if (a.mask != b.mask) return a.mask < b.mask;
  if (a.value[0] != b.value[0]) return a.value[0] < b.value[0];
  if (a.value[1] != b.value[1]) return a.value[1] < b.value[1];
  return a.person < b.person;
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
    std::vector<uint32_t> event_id, value_ids[2];
  };
  const bool by_person = request.entity == EntityKind::kPerson;
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
    // Every key the block's maps name is below the directory's count, read after Bind.
    const size_t entity_keys =
        by_person ? plan.directory().person_key_count() : plan.directory().account_key_count();
    if (worker.entity_state.size() < entity_keys) {
      worker.entity_state.resize(entity_keys, kUnsetKey);
      if (request.entity_windows) {
        worker.window_from.resize(entity_keys, 0);
        worker.window_to.resize(entity_keys, 0);
      }
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
            if (usage.account(a)) value_ids[v][a] = worker.values[v].Intern(FindTrait(*traits.accounts()[a], ref.property));
          }
          break;
      }
    }
    const bool with_values = request.values[0] || request.values[1];
    // Rows come grouped by entity: look the entity up only when the code changes.
    uint32_t last_code = kNone, key = EntityDirectory::kNoKey;
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t entity_code = bound.EntityCode(row);
      if (entity_code != last_code) {
        last_code = entity_code;
        key = bound.EntityKey(entity_code);
      }
      if (key == EntityDirectory::kNoKey) continue;  // an event without an account
      uint8_t& state = worker.entity_state[key];
      if (state == kSkipKey) continue;
      uint32_t mask = 0;
      if (!bound.Keep(row, &mask)) continue;
      if (state == kUnsetKey) {
        // Entities are looked at when their first row is kept, so an entity with no
        // kept row does not exist.
        state = kKeepKey;
        const std::string& id = bound.EntityId(entity_code);
        if (request.only_entities && !request.only_entities->count(id)) {
          state = kSkipKey;
          continue;
        }
        if (request.entity_windows) {
          auto it = request.entity_windows->find(id);
          if (it == request.entity_windows->end()) {
            state = kSkipKey;
            continue;
          }
          worker.window_from[key] = it->second.first;
          worker.window_to[key] = it->second.second;
        }
      }
      if (request.entity_windows &&
          (block.timestamp_ms[row] < worker.window_from[key] || block.timestamp_ms[row] > worker.window_to[key])) {
        continue;
      }
      TimelineEvent out;
      out.timestamp_ms = block.timestamp_ms[row];
      out.mask = mask;
      out.event = event_id[block.event[row]];
      out.person = by_person ? key : bound.PersonKey(block.person[row]);
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
      worker.row_entity.push_back(key);
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);

  // Merge: entities and persons numbered densely in order of first appearance, event
  // names and values through global dictionaries.
  EntityTimelines out;
  out.entity_kind_ = request.entity;
  const EntityDirectory& directory = plan.directory();
  std::vector<uint32_t> entity_of_key(by_person ? directory.person_key_count() : directory.account_key_count(), kNone);
  std::vector<uint32_t> entity_keys;
  std::vector<uint32_t> person_of_key(by_person ? 0 : directory.person_key_count(), kNone);
  std::vector<uint32_t> person_keys;
  Interner events;
  ValueInterner values[2];
  std::vector<std::vector<uint32_t>> event_map(workers.size()), value_map[2];
  for (int v = 0; v < 2; ++v) value_map[v].resize(workers.size());
  for (size_t w = 0; w < workers.size(); ++w) {
    Worker& worker = workers[w];
    for (uint32_t& key : worker.row_entity) {
      uint32_t& e = entity_of_key[key];
      if (e == kNone) {
        e = uint32_t(entity_keys.size());
        entity_keys.push_back(key);
      }
      key = e;  // from here on: the dense entity id
    }
    if (!by_person) {
      for (TimelineEvent& row : worker.rows) {
        uint32_t& p = person_of_key[row.person];
        if (p == kNone) {
          p = uint32_t(person_keys.size());
          person_keys.push_back(row.person);
        }
        row.person = p;
      }
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
              [&](uint32_t a, uint32_t b) { return store::PropertyValueKey(list[a]) < store::PropertyValueKey(list[b]); });
    std::vector<uint32_t> rank(order.size() + 1, 0);
    std::vector<store::PropertyValue> sorted(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) {
      rank[order[r] + 1] = r + 1;
      sorted[r] = std::move(list[order[r]]);
    }
    list = std::move(sorted);
    for (auto& map : value_map[v]) for (auto& id : map) id = rank[id];
  }
  const size_t num_entities = entity_keys.size();
  out.offsets_.assign(num_entities + 1, 0);
  for (size_t w = 0; w < workers.size(); ++w) {
    for (uint32_t e : workers[w].row_entity) ++out.offsets_[e + 1];
  }
  for (size_t e = 0; e < num_entities; ++e) out.offsets_[e + 1] += out.offsets_[e];
  out.rows_.resize(out.offsets_[num_entities]);
  std::vector<size_t> fill(out.offsets_.begin(), out.offsets_.end() - 1);
  for (size_t w = 0; w < workers.size(); ++w) {
    Worker& worker = workers[w];
    for (size_t i = 0; i < worker.rows.size(); ++i) {
      TimelineEvent row = worker.rows[i];
      const uint32_t entity = worker.row_entity[i];
      row.event = event_map[w][row.event];
      if (by_person) row.person = entity;
      for (int v = 0; v < 2; ++v) row.value[v] = value_map[v][w][row.value[v]];
      out.rows_[fill[entity]++] = row;
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
  out.entity_ids_.reserve(num_entities);
  for (uint32_t key : entity_keys) {
    out.entity_ids_.push_back(by_person ? directory.PersonId(key) : directory.AccountId(key));
  }
  out.person_ids_.reserve(person_keys.size());
  for (uint32_t key : person_keys) out.person_ids_.push_back(directory.PersonId(key));
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
