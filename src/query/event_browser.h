// File: query/event_browser.h
// Small scans behind the console: event names with counts and last-seen times,
// the top values of a property, and the newest events matching a search (the live
// stream). Thread-safety: reentrant functions over a QueryContext.
#pragma once

#include <cstdint>
#include <optional>
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

// A page position in the newest-first order: events at or before `at_or_before_ms`,
// skipping the first `skip` events whose time is exactly `at_or_before_ms` (those were
// on earlier pages). Text form "<ms>:<skip>"; a plain "<ms>" means strictly before ms.
struct EventCursor {
  int64_t at_or_before_ms = INT64_MAX;
  size_t skip = 0;
};
// Parses the text form. kInvalidArgument (field "before") when malformed.
Result<EventCursor> ParseEventCursor(const std::string& text);
std::string FormatEventCursor(const EventCursor& cursor);

struct EventSearch {
  size_t limit = 50;                 // at most 500
  EventCursor cursor;                // where the page starts
  std::string text;                  // case-insensitive substring of name, ids, account, values
  std::string event;                 // exact event name, empty = any
};

struct EventPage {
  std::vector<store::Event> events;
  std::optional<EventCursor> next;  // where the following page starts; empty at the end
};

// The newest events matching `search`, newest first: by event time, then receive time,
// message id, person and event name, so pages never skip or repeat events that share a
// timestamp. Widens its time window step by step so recent pages read only recent data.
Result<EventPage> FindRecentEvents(const QueryContext& ctx, const EventSearch& search);

}  // namespace tobops::query
