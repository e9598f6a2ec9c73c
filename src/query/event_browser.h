// File: query/event_browser.h
// Small scans behind the console: event names with counts and last-seen times,
// the top values of a property, and the newest events matching a search (the live
// stream). Thread-safety: reentrant functions over a QueryContext.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/query_context.h"
#include "store/event.h"

namespace tobops::query {

struct NameCount {
  std::string name;
  uint64_t count = 0;
  int64_t last_seen_ms = 0;
};

// Events per name in [from_ms, to_ms), by descending count.
Result<std::vector<NameCount>> CountEventsByName(const QueryContext& ctx, int64_t from_ms,
                                                 int64_t to_ms);

// Events per value of the event property `property` (events without it use
// `fallback_property`; events with neither are not counted), top `limit` by count.
Result<std::vector<NameCount>> CountByPropertyValue(const QueryContext& ctx, int64_t from_ms,
                                                    int64_t to_ms, const std::string& property,
                                                    const std::string& fallback_property,
                                                    size_t limit);

struct EventSearch {
  size_t limit = 50;                 // at most 500
  int64_t before_ms = INT64_MAX;     // only events with timestamp_ms < before_ms
  std::string text;                  // case-insensitive substring of name, ids, account, values
  std::string event;                 // exact event name, empty = any
};

// The newest events (by event time) matching `search`, newest first. Widens its time
// window step by step so recent pages read only recent data.
Result<std::vector<store::Event>> FindRecentEvents(const QueryContext& ctx, const EventSearch& search);

}  // namespace tobops::query
