#include "query/event_browser.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <tuple>
#include <unordered_map>

namespace tobops::query {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool Contains(std::string_view haystack, const std::string& lower_needle) {
  if (lower_needle.empty()) return true;
  return Lower(haystack).find(lower_needle) != std::string::npos;
}

void SortByCount(std::vector<NameCount>* out) {
  std::sort(out->begin(), out->end(), [](const NameCount& a, const NameCount& b) {
    return a.count != b.count ? a.count > b.count : a.name < b.name;
  });
}

}  // namespace

Result<std::vector<NameCount>> CountEventsByName(const QueryContext& ctx, int64_t from_ms,
                                                 int64_t to_ms) {
  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.max_threads = std::max(1, ctx.threads);
  std::mutex mu;
  std::unordered_map<std::string, NameCount> totals;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    std::vector<uint64_t> counts(block.event_dict.size(), 0);
    std::vector<int64_t> last(block.event_dict.size(), INT64_MIN);
    for (size_t row = 0; row < block.rows; ++row) {
      const int64_t ts = block.timestamp_ms[row];
      if (ts < from_ms || ts >= to_ms) continue;
      counts[block.event[row]]++;
      last[block.event[row]] = std::max(last[block.event[row]], ts);
    }
    std::lock_guard lock(mu);
    for (size_t e = 0; e < counts.size(); ++e) {
      if (counts[e] == 0) continue;
      NameCount& t = totals[block.event_dict[e]];
      t.name = block.event_dict[e];
      t.count += counts[e];
      t.last_seen_ms = std::max(t.last_seen_ms, last[e]);
    }
    return Status::Ok();
  }));
  std::vector<NameCount> out;
  for (auto& [name, t] : totals) out.push_back(std::move(t));
  SortByCount(&out);
  return out;
}

Result<std::vector<NameCount>> CountByPropertyValue(const QueryContext& ctx, int64_t from_ms,
                                                    int64_t to_ms, const std::string& property,
                                                    const std::string& fallback_property,
                                                    size_t limit) {
  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.max_threads = std::max(1, ctx.threads);
  request.properties = {property};
  if (!fallback_property.empty()) request.properties.push_back(fallback_property);
  std::mutex mu;
  std::unordered_map<std::string, NameCount> totals;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    std::unordered_map<std::string, uint64_t> local;
    const store::PropertyColumn& primary = block.properties[0];
    const store::PropertyColumn* fallback =
        block.properties.size() > 1 ? &block.properties[1] : nullptr;
    for (size_t row = 0; row < block.rows; ++row) {
      const int64_t ts = block.timestamp_ms[row];
      if (ts < from_ms || ts >= to_ms) continue;
      uint32_t code = primary.codes[row];
      const store::PropertyColumn* col = &primary;
      if (code == 0 && fallback) {
        code = fallback->codes[row];
        col = fallback;
      }
      if (code == 0) continue;
      local[store::PropertyValueToString(col->dict[code - 1])]++;
    }
    std::lock_guard lock(mu);
    for (auto& [name, count] : local) {
      NameCount& t = totals[name];
      t.name = name;
      t.count += count;
    }
    return Status::Ok();
  }));
  std::vector<NameCount> out;
  for (auto& [name, t] : totals) out.push_back(std::move(t));
  SortByCount(&out);
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<EventCursor> ParseEventCursor(const std::string& text) {
  EventCursor cursor;
  if (text.empty()) return cursor;
  try {
    size_t used = 0;
    const size_t colon = text.find(':');
    const std::string ms = text.substr(0, colon);
    const int64_t value = std::stoll(ms, &used);
    if (used != ms.size()) throw std::invalid_argument("ms");
    if (colon == std::string::npos) {
      cursor.at_or_before_ms = value == INT64_MIN ? value : value - 1;  // strictly before
      return cursor;
    }
    const std::string skip = text.substr(colon + 1);
    const long long n = std::stoll(skip, &used);
    if (used != skip.size() || n < 0) throw std::invalid_argument("skip");
    cursor.at_or_before_ms = value;
    cursor.skip = static_cast<size_t>(n);
    return cursor;
  } catch (...) {
    return InvalidArgument("before must be a cursor from next_before (\"<ms>:<n>\") or epoch ms",
                           "before");
  }
}

std::string FormatEventCursor(const EventCursor& cursor) {
  return std::to_string(cursor.at_or_before_ms) + ":" + std::to_string(cursor.skip);
}

Result<EventPage> FindRecentEvents(const QueryContext& ctx, const EventSearch& search) {
  const size_t limit = std::clamp<size_t>(search.limit, 1, 500);
  const size_t wanted = limit + search.cursor.skip;
  const std::string needle = Lower(search.text);
  const int64_t bound = std::min(search.cursor.at_or_before_ms,
                                 ctx.now_ms + int64_t{366} * 86400 * 1000);
  const int64_t end = bound == INT64_MAX ? bound : bound + 1;  // scan bound is exclusive
  static constexpr int64_t kHour = 3600 * 1000;
  const int64_t windows[] = {kHour, 24 * kHour, 7 * 24 * kHour, 31 * 24 * kHour,
                             366 * 24 * kHour, INT64_MAX};
  std::vector<store::Event> found;
  for (int64_t window : windows) {
    found.clear();
    store::ScanRequest request;
    request.to_ms = end;
    request.from_ms = window == INT64_MAX ? INT64_MIN : end - window;
    request.all_properties = true;
    request.with_identity_columns = true;
    if (!search.event.empty()) request.events = {search.event};
    std::mutex mu;
    RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
      std::vector<store::Event> local;
      for (size_t row = 0; row < block.rows; ++row) {
        store::Event ev;
        ev.timestamp_ms = block.timestamp_ms[row];
        if (ev.timestamp_ms > bound) continue;
        ev.type = block.type[row];
        ev.event = block.event_dict[block.event[row]];
        if (!search.event.empty() && ev.event != search.event) continue;
        ev.person = block.person_dict[block.person[row]];
        ev.account = block.account_dict[block.account[row]];
        ev.received_at_ms = block.received_at_ms[row];
        ev.anonymous_id = block.id_dict[block.anonymous_id[row]];
        ev.user_id = block.id_dict[block.user_id[row]];
        ev.message_id = block.id_dict[block.message_id[row]];
        bool match = needle.empty() || Contains(ev.event, needle) || Contains(ev.person, needle) ||
                     Contains(ev.account, needle) || Contains(ev.message_id, needle);
        for (size_t c = 0; c < block.properties.size(); ++c) {
          const uint32_t code = block.properties[c].codes[row];
          if (code == 0) continue;
          const store::PropertyValue& v = block.properties[c].dict[code - 1];
          if (!match && Contains(store::PropertyValueToString(v), needle)) match = true;
          ev.properties.push_back({std::string(block.property_keys[c]), v});
        }
        if (!match) continue;
        local.push_back(std::move(ev));
      }
      std::lock_guard lock(mu);
      for (auto& e : local) found.push_back(std::move(e));
      return Status::Ok();
    }));
    if (found.size() >= wanted || window == INT64_MAX) break;
  }
  std::sort(found.begin(), found.end(), [](const store::Event& a, const store::Event& b) {
    return std::tie(b.timestamp_ms, b.received_at_ms, b.message_id, a.person, a.event) <
           std::tie(a.timestamp_ms, a.received_at_ms, a.message_id, b.person, b.event);
  });
  // Events exactly at the cursor time that earlier pages returned come first: skip them.
  size_t skipped = 0;
  while (skipped < search.cursor.skip && skipped < found.size() &&
         found[skipped].timestamp_ms == search.cursor.at_or_before_ms) {
    ++skipped;
  }
  EventPage page;
  const size_t available = found.size() - skipped;
  const bool more = available > limit;
  for (size_t i = skipped; i < found.size() && page.events.size() < limit; ++i) {
    page.events.push_back(std::move(found[i]));
  }
  for (auto& e : page.events) {
    std::sort(e.properties.begin(), e.properties.end(),
              [](const store::Property& a, const store::Property& b) { return a.key < b.key; });
  }
  if (more) {
    EventCursor next;
    next.at_or_before_ms = page.events.back().timestamp_ms;
    for (const auto& e : page.events) next.skip += e.timestamp_ms == next.at_or_before_ms;
    if (next.at_or_before_ms == search.cursor.at_or_before_ms) next.skip += skipped;
    page.next = next;
  }
  return page;
}

}  // namespace tobops::query
