#include "ops/iso_week.h"

#include <chrono>
#include <cstdio>

namespace tobops::ops {
namespace {

int64_t LocalMidnightMs(const cctz::civil_day& day, const cctz::time_zone& zone) {
  const auto tp = cctz::convert(cctz::civil_second(day), zone);
  return std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
}

// Days since Monday: Monday 0 … Sunday 6.
int DaysFromMonday(const cctz::civil_day& day) {
  switch (cctz::get_weekday(day)) {
    case cctz::weekday::monday:
      return 0;
    case cctz::weekday::tuesday:
      return 1;
    case cctz::weekday::wednesday:
      return 2;
    case cctz::weekday::thursday:
      return 3;
    case cctz::weekday::friday:
      return 4;
    case cctz::weekday::saturday:
      return 5;
    case cctz::weekday::sunday:
      return 6;
  }
  return 0;
}

}  // namespace

IsoWeek IsoWeekOf(const cctz::civil_day& day) {
  // The Thursday of the day's week lies in the week's ISO year, and its day of year
  // gives the week number.
  const cctz::civil_day thursday = day - DaysFromMonday(day) + 3;
  return {thursday.year(), (cctz::get_yearday(thursday) - 1) / 7 + 1};
}

cctz::civil_day MondayOf(const IsoWeek& week) {
  // January 4th is always in week 1.
  const cctz::civil_day jan4(week.year, 1, 4);
  return jan4 - DaysFromMonday(jan4) + 7 * (week.week - 1);
}

IsoWeek PreviousWeek(const IsoWeek& week) { return IsoWeekOf(MondayOf(week) - 7); }

Result<IsoWeek> ParseIsoWeek(std::string_view text) {
  int year = 0, number = 0;
  char w = 0;
  char extra = 0;
  const std::string s(text);
  if (s.size() < 7 || std::sscanf(s.c_str(), "%4d-%c%2d%c", &year, &w, &number, &extra) != 3 ||
      (w != 'W' && w != 'w') || year < 1970 || year > 9999) {
    return InvalidArgument("week must look like 2026-W47 (ISO year, W, week number)", "week");
  }
  const IsoWeek week{year, number};
  // A week number the year does not have maps to another year's week: refuse it.
  if (number < 1 || number > 53 || !(IsoWeekOf(MondayOf(week)) == week)) {
    return InvalidArgument("week " + s + " does not exist (ISO years have 52 or 53 weeks)", "week");
  }
  return week;
}

std::string FormatIsoWeek(const IsoWeek& week) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-W%02d", static_cast<long long>(week.year), week.week);
  return buf;
}

WeekBounds BoundsOf(const IsoWeek& week, const cctz::time_zone& zone) {
  const cctz::civil_day monday = MondayOf(week);
  return {LocalMidnightMs(monday, zone), LocalMidnightMs(monday + 7, zone)};
}

IsoWeek LastFullWeek(int64_t now_ms, const cctz::time_zone& zone) {
  const auto tp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>(
      std::chrono::milliseconds(now_ms));
  const cctz::civil_day today = cctz::civil_day(cctz::convert(tp, zone));
  return PreviousWeek(IsoWeekOf(today));
}

}  // namespace tobops::ops
