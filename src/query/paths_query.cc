#include "query/paths_query.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <tuple>
#include <unordered_map>

#include "common/time_format.h"

namespace tobops::query {
namespace {

using nlohmann::json;

// A path as label ids in time order, 0-padded: label 0 never names a step, so the
// length is the number of leading non-zero entries.
using PathKey = std::array<uint32_t, kMaxPathDepth>;
struct PathKeyHash {
  size_t operator()(const PathKey& key) const { return XXH3_64bits(key.data(), sizeof(key)); }
};
using PathCounts = std::unordered_map<PathKey, int64_t, PathKeyHash>;

// The label of the merged, less frequent nodes of a step.
constexpr uint32_t kOtherLabel = UINT32_MAX;
constexpr const char* kOtherName = "$other";

size_t PathLength(const PathKey& key) {
  size_t n = 0;
  while (n < key.size() && key[n] != 0) ++n;
  return n;
}

// Walks one entity's rows and returns its path (all zeros when it has no anchor).
// label_of(row) is 0 for rows that are no step (excluded, or lacking the group_by value).
template <typename LabelOf>
PathKey EntityPath(std::span<const TimelineEvent> rows, const PathsSpec& spec,
                   const LabelOf& label_of) {
  PathKey key{};
  const size_t depth = size_t(spec.depth);
  const auto n = ptrdiff_t(rows.size());
  // The anchor: the first (forward) or last (backward) row meeting condition 0 that is
  // a step at all.
  ptrdiff_t anchor = -1;
  if (spec.forward) {
    for (ptrdiff_t i = 0; i < n && anchor < 0; ++i) {
      if ((rows[i].mask & 1u) && label_of(rows[i]) != 0) anchor = i;
    }
  } else {
    for (ptrdiff_t i = n - 1; i >= 0 && anchor < 0; --i) {
      if ((rows[i].mask & 1u) && label_of(rows[i]) != 0) anchor = i;
    }
  }
  if (anchor < 0) return key;
  size_t len = 0;
  key[len++] = label_of(rows[anchor]);
  const ptrdiff_t step = spec.forward ? 1 : -1;
  for (ptrdiff_t j = anchor + step; j >= 0 && j < n && len < depth; j += step) {
    const uint32_t label = label_of(rows[j]);
    if (label == 0) continue;
    // Repeats collapse against the previous kept step, the anchor included.
    if (spec.collapse_repeats && label == key[len - 1]) continue;
    key[len++] = label;
  }
  // Backward paths were built from the anchor towards the past; answers list steps in
  // time order, anchor last.
  if (!spec.forward) std::reverse(key.begin(), key.begin() + ptrdiff_t(len));
  return key;
}

json PropertyRefToJson(const PropertyRef& ref) {
  return {{"source", PropertySourceName(ref.source)}, {"property", ref.property}};
}

}  // namespace

Result<PathsSpec> ParsePathsSpec(const json& j, const QueryContext& ctx) {
  PathsSpec spec;
  const json direction = j.value("direction", json("forward"));
  if (direction == "forward")
    spec.forward = true;
  else if (direction == "backward")
    spec.forward = false;
  else
    return InvalidArgument("direction must be forward or backward", "direction");

  if (j.contains("event") && !j["event"].is_null()) {
    if (!j["event"].is_string() || j["event"].get<std::string>().empty()) {
      return InvalidArgument("event must be an event name or \"$any\"", "event");
    }
    spec.anchor.event = j["event"].get<std::string>();
    if (spec.anchor.event == "$any" || spec.anchor.event == "$all") spec.anchor.event.clear();
  }
  ASSIGN_OR_RETURN(spec.anchor.filters, ParseFilters(j.value("filters", json()), "filters"));
  ASSIGN_OR_RETURN(int64_t depth, ParseIntMember(j, "depth", 2, kMaxPathDepth, 4));
  spec.depth = int(depth);

  if (j.contains("group_by") && !j["group_by"].is_null()) {
    const json& g = j["group_by"];
    if (!(g.is_string() && (g == "event" || g == "$event"))) {
      ASSIGN_OR_RETURN(PropertyRef ref, ParsePropertyRef(g, "group_by"));
      spec.group_by = ref;
    }
  }
  if (j.contains("collapse_repeats") && !j["collapse_repeats"].is_null()) {
    if (!j["collapse_repeats"].is_boolean()) {
      return InvalidArgument("collapse_repeats must be true or false", "collapse_repeats");
    }
    spec.collapse_repeats = j["collapse_repeats"].get<bool>();
  }
  if (j.contains("exclude_events") && !j["exclude_events"].is_null()) {
    const json& list = j["exclude_events"];
    if (!list.is_array())
      return InvalidArgument("exclude_events must be an array of event names", "exclude_events");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string field = "exclude_events[" + std::to_string(i) + "]";
      if (!list[i].is_string() || list[i].get<std::string>().empty()) {
        return InvalidArgument("an excluded event must be a non-empty event name", field);
      }
      const std::string name = list[i].get<std::string>();
      // An excluded anchor could never start a path: a contradiction, not an empty answer.
      if (!spec.anchor.event.empty() && name == spec.anchor.event) {
        return InvalidArgument("the anchor event cannot be excluded", field);
      }
      spec.exclude_events.push_back(name);
    }
  }
  ASSIGN_OR_RETURN(int64_t top, ParseIntMember(j, "top", 1, 100, 20));
  spec.top = int(top);
  ASSIGN_OR_RETURN(int64_t paths_limit, ParseIntMember(j, "paths_limit", 1, 10000, 20));
  spec.paths_limit = int(paths_limit);
  ASSIGN_OR_RETURN(spec.aggregate_by, ParseAggregateBy(j));
  ASSIGN_OR_RETURN(spec.range, ParseRange(j, ctx));
  return spec;
}

Result<json> RunPaths(const PathsSpec& spec, const QueryContext& ctx) {
  TimelineRequest request;
  request.entity = spec.aggregate_by;
  request.from_ms = spec.range.from_ms;
  request.to_ms = spec.range.to_ms;
  request.conditions = {spec.anchor};  // bit 0: a possible anchor
  request.keep_unmatched = true;       // any event can be a step
  if (spec.group_by) {
    request.values[0] = spec.group_by;
    // Rows lacking the label are never steps (nor anchors): drop them in the scan.
    request.filters.push_back(
        {spec.group_by->source, spec.group_by->property, FilterOp::kIsSet, {}});
  }
  if (!spec.anchor.event.empty()) {
    // Only entities with an anchor have a path: find them with a pass that keeps anchor
    // rows only, then collect every event of just those entities.
    TimelineRequest anchors = request;
    anchors.keep_unmatched = false;
    anchors.values = {};
    // Forward paths start at the first anchor, so rows before it are never steps; nor
    // are rows after the last anchor of a backward path: collect only the rows from
    // (up to) that anchor's timestamp. Rows at that timestamp are kept, so the walk below
    // still finds the same anchor row among the entity's rows.
    ASSIGN_OR_RETURN(EntityTimelines with_anchor, EntityTimelines::Collect(anchors, ctx));
    auto windows = std::make_shared<std::unordered_map<std::string, std::pair<int64_t, int64_t>>>();
    windows->reserve(with_anchor.entity_count());
    for (size_t e = 0; e < with_anchor.entity_count(); ++e) {
      const auto rows = with_anchor.events(e);
      if (rows.empty()) continue;
      const int64_t min_ts = std::numeric_limits<int64_t>::min(), max_ts = std::numeric_limits<int64_t>::max();
      windows->emplace(with_anchor.entity_id(e), spec.forward ? std::pair(rows.front().timestamp_ms, max_ts)
                                                              : std::pair(min_ts, rows.back().timestamp_ms));
    }
    request.entity_windows = std::move(windows);
  }
  ASSIGN_OR_RETURN(EntityTimelines timelines, EntityTimelines::Collect(request, ctx));

  const auto& event_names = timelines.event_names();
  std::vector<char> excluded(event_names.size(), 0);
  for (size_t e = 0; e < event_names.size(); ++e) {
    excluded[e] = std::find(spec.exclude_events.begin(), spec.exclude_events.end(),
                            event_names[e]) != spec.exclude_events.end();
  }
  const bool by_property = spec.group_by.has_value();
  // Property labels are the values' text, so values with one text (the number 1 and the
  // string "1") share a label: value id → the first value id with that text.
  std::vector<uint32_t> value_label(timelines.values(0).size() + 1, 0);
  if (by_property) {
    std::unordered_map<std::string, uint32_t> first_with_text;
    for (uint32_t v = 1; v < value_label.size(); ++v) {
      value_label[v] =
          first_with_text.try_emplace(store::PropertyValueToString(timelines.values(0)[v - 1]), v)
              .first->second;
    }
  }
  // Labels are 1-based so that 0 can mean "not a step": event id + 1, or the value label.
  auto label_of = [&](const TimelineEvent& row) -> uint32_t {
    if (excluded[row.event]) return 0;
    return by_property ? value_label[row.value[0]] : row.event + 1;
  };
  auto name_of = [&](uint32_t label) -> std::string {
    if (label == kOtherLabel) return kOtherName;
    return by_property ? store::PropertyValueToString(timelines.values(0)[label - 1])
                       : event_names[label - 1];
  };

  const int threads = std::max(1, ctx.threads);
  std::vector<PathCounts> worker_paths(threads);
  timelines.ForEach(threads, [&](size_t, std::span<const TimelineEvent> rows, int w) {
    const PathKey key = EntityPath(rows, spec, label_of);
    if (key[0] != 0) ++worker_paths[w][key];
  });
  PathCounts& paths = worker_paths[0];
  for (int w = 1; w < threads; ++w) {
    for (const auto& [key, count] : worker_paths[w]) paths[key] += count;
    worker_paths[w] = {};
  }

  // Names once per label, for ordering and output.
  std::unordered_map<uint32_t, std::string> names;
  auto name = [&](uint32_t label) -> const std::string& {
    auto it = names.find(label);
    if (it == names.end()) it = names.emplace(label, name_of(label)).first;
    return it->second;
  };

  // Node counts by distance from the anchor (0 = the anchor): the number of paths long
  // enough to have that step, by its label.
  const size_t depth = size_t(spec.depth);
  int64_t entities = 0;
  std::vector<std::unordered_map<uint32_t, int64_t>> node_counts(depth);
  auto distance = [&](size_t position, size_t len) {
    return spec.forward ? position : len - 1 - position;
  };
  for (const auto& [key, count] : paths) {
    entities += count;
    const size_t len = PathLength(key);
    for (size_t p = 0; p < len; ++p) node_counts[distance(p, len)][key[p]] += count;
  }

  // Keep the top nodes of each step; the rest of a step becomes one "$other" node, so
  // every path still flows through exactly one node per step it reaches.
  struct Node {
    uint32_t label;
    int64_t count;
  };
  std::vector<std::vector<Node>> nodes(depth);
  std::vector<std::unordered_map<uint32_t, bool>> kept(depth);
  for (size_t d = 0; d < depth; ++d) {
    std::vector<Node> all;
    for (const auto& [label, count] : node_counts[d]) all.push_back({label, count});
    std::sort(all.begin(), all.end(), [&](const Node& a, const Node& b) {
      if (a.count != b.count) return a.count > b.count;
      return name(a.label) < name(b.label);
    });
    int64_t other = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      const bool keep = i < size_t(spec.top);
      kept[d][all[i].label] = keep;
      if (keep)
        nodes[d].push_back(all[i]);
      else
        other += all[i].count;
    }
    if (other > 0) nodes[d].push_back({kOtherLabel, other});
  }
  auto node_label = [&](size_t d, uint32_t label) { return kept[d][label] ? label : kOtherLabel; };
  auto step_of = [&](size_t d) { return spec.forward ? int(d) : -int(d); };
  auto node_id = [&](size_t d, uint32_t label) {
    return std::to_string(step_of(d)) + ":" + name(label);
  };

  // Links between consecutive steps in time order, keyed by the earlier step's distance.
  std::map<std::tuple<size_t, uint32_t, uint32_t>, int64_t> links;
  for (const auto& [key, count] : paths) {
    const size_t len = PathLength(key);
    for (size_t p = 0; p + 1 < len; ++p) {
      const size_t d_from = distance(p, len), d_to = distance(p + 1, len);
      links[{d_from, node_label(d_from, key[p]), node_label(d_to, key[p + 1])}] += count;
    }
  }

  json nodes_json = json::array();
  // Steps in time order: forward 0, 1, ...; backward -(depth-1), ..., -1, 0.
  for (size_t i = 0; i < depth; ++i) {
    const size_t d = spec.forward ? i : depth - 1 - i;
    for (const Node& node : nodes[d]) {
      nodes_json.push_back({{"id", node_id(d, node.label)},
                            {"step", step_of(d)},
                            {"name", name(node.label)},
                            {"count", node.count}});
    }
  }
  struct Link {
    size_t d_from, d_to;
    uint32_t from, to;
    int64_t count;
  };
  std::vector<Link> link_list;
  for (const auto& [k, count] : links) {
    const auto& [d_from, from, to] = k;
    link_list.push_back({d_from, spec.forward ? d_from + 1 : d_from - 1, from, to, count});
  }
  std::sort(link_list.begin(), link_list.end(), [&](const Link& a, const Link& b) {
    if (a.d_from != b.d_from) return spec.forward ? a.d_from < b.d_from : a.d_from > b.d_from;
    if (a.count != b.count) return a.count > b.count;
    if (a.from != b.from) return name(a.from) < name(b.from);
    return name(a.to) < name(b.to);
  });
  json links_json = json::array();
  for (const Link& link : link_list) {
    links_json.push_back({{"source", node_id(link.d_from, link.from)},
                          {"target", node_id(link.d_to, link.to)},
                          {"count", link.count}});
  }

  // Top full sequences: count descending, then the step names compared lexicographically
  // (a path that is a prefix of another comes first).
  std::vector<std::pair<PathKey, int64_t>> ranked(paths.begin(), paths.end());
  auto path_less = [&](const std::pair<PathKey, int64_t>& a, const std::pair<PathKey, int64_t>& b) {
    if (a.second != b.second) return a.second > b.second;
    for (size_t p = 0; p < depth; ++p) {
      if (a.first[p] == b.first[p]) {
        if (a.first[p] == 0) return false;
        continue;
      }
      if (a.first[p] == 0) return true;
      if (b.first[p] == 0) return false;
      return name(a.first[p]) < name(b.first[p]);
    }
    return false;
  };
  const size_t listed = std::min(ranked.size(), size_t(spec.paths_limit));
  std::partial_sort(ranked.begin(), ranked.begin() + ptrdiff_t(listed), ranked.end(), path_less);
  json paths_json = json::array();
  for (size_t i = 0; i < listed; ++i) {
    json steps = json::array();
    for (size_t p = 0; p < PathLength(ranked[i].first); ++p)
      steps.push_back(name(ranked[i].first[p]));
    paths_json.push_back({{"steps", std::move(steps)}, {"count", ranked[i].second}});
  }

  json answer = {{"kind", "paths"},
                 {"direction", spec.forward ? "forward" : "backward"},
                 {"event", spec.anchor.event.empty() ? json("$any") : json(spec.anchor.event)},
                 {"depth", spec.depth},
                 {"group_by", spec.group_by ? PropertyRefToJson(*spec.group_by) : json("event")},
                 {"aggregate_by", EntityKindName(spec.aggregate_by)},
                 {"timezone", ctx.zone.name()},
                 {"from", FormatIso8601Seconds(spec.range.from_ms, ctx.zone)},
                 {"to", FormatIso8601Seconds(spec.range.to_ms, ctx.zone)},
                 {"entities", entities},
                 {"distinct_paths", paths.size()},
                 {"nodes", std::move(nodes_json)},
                 {"links", std::move(links_json)},
                 {"paths", std::move(paths_json)}};
  return answer;
}

Result<json> RunPathsJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(PathsSpec parsed, ParsePathsSpec(spec, ctx));
  return RunPaths(parsed, ctx);
}

}  // namespace tobops::query
