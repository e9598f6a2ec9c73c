// File: ops/iso_week.h
// IsoWeek: an ISO 8601 week ("2026-W47": weeks start on Monday; week 1 is the week
// holding the year's first Thursday) and its bounds in a time zone. The weekly report
// names and bounds its weeks with it. Thread-safety: pure functions.
#pragma once

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tobops::ops {

struct IsoWeek {
  int64_t year =
      0;         // the ISO week-numbering year (may differ from the calendar year near New Year)
  int week = 0;  // 1 – 53
  bool operator==(const IsoWeek&) const = default;
};

// Parses "YYYY-Www" (W case-insensitive). kInvalidArgument naming "week" when malformed
// or when the year has no such week (week 53 exists only in long years).
[[nodiscard]] Result<IsoWeek> ParseIsoWeek(std::string_view text);
std::string FormatIsoWeek(const IsoWeek& week);

// The week holding `day`, and the Monday that starts a week.
IsoWeek IsoWeekOf(const cctz::civil_day& day);
cctz::civil_day MondayOf(const IsoWeek& week);
// The week before.
IsoWeek PreviousWeek(const IsoWeek& week);

// [from_ms, to_ms): Monday 00:00 local to the next Monday 00:00 local in `zone`.
struct WeekBounds {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};
WeekBounds BoundsOf(const IsoWeek& week, const cctz::time_zone& zone);

// The last full week before `now_ms`: the week before the one holding now (local).
IsoWeek LastFullWeek(int64_t now_ms, const cctz::time_zone& zone);

}  // namespace tobops::ops
