// File: demo/demo_calendar.h
// DemoCalendar: the day grid of the demo story in Asia/Shanghai (+08:00, no DST) —
// which days exist, how busy each one is (weekends, Chinese public holidays such as
// the Spring Festival, month-end), when during a day people work, and the ISO-8601
// text of a timestamp. Day 0 is the first local day of the story; the last day is the
// one containing DemoOptions::end_ms and is cut at end_ms.
// Callers: demo_story.cc, message_writer.cc, demo_generator.cc.
// Thread-safety: immutable after construction; const methods are safe concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "demo/demo_random.h"

namespace tobops::demo {

inline constexpr int64_t kMsPerDay = 86'400'000;
inline constexpr int64_t kShanghaiOffsetMs = 8 * 3'600'000;

struct DemoDay {
  int64_t start_ms = 0;   // local midnight, UTC ms
  int64_t limit_ms = 0;   // exclusive end: next midnight, or end_ms on the last day
  int weekday = 0;        // 0 = Monday ... 6 = Sunday
  int year = 0, month = 0, day_of_month = 0;
  bool weekend = false;
  bool holiday = false;   // Chinese public holiday (Spring Festival, Labour Day, National Day, ...)
  bool month_end = false; // one of the last three days of the month
  double work_factor = 1; // multiplier on product usage (1 = ordinary weekday)
  double traffic_factor = 1;  // multiplier on website traffic
};

class DemoCalendar {
 public:
  // `end_ms`: UTC ms at which the story stops; `days` >= 1 local days end there.
  DemoCalendar(int64_t end_ms, int days);

  int days() const { return static_cast<int>(days_.size()); }
  // Requires 0 <= day < days().
  const DemoDay& Day(int day) const { return days_[static_cast<size_t>(day)]; }

  // A moment of `day` drawn from the working-hours profile (most mass 9:00-19:00
  // local, flatter on weekends and holidays), in [start_ms, start_ms + kMsPerDay).
  // On the partial last day it may be >= limit_ms: a moment that has not happened
  // yet, and callers drop what would start there (so the day holds only its elapsed
  // share of activity instead of a whole day squeezed into the elapsed hours).
  int64_t SampleMoment(int day, DemoRandom& rng) const;
  // Like SampleMoment, but drawn from the part of the profile before limit_ms, so it
  // is always in [start_ms, limit_ms). Same draws as SampleMoment on full days.
  int64_t SampleElapsedMoment(int day, DemoRandom& rng) const;
  // Share of the day's activity profile that lies before limit_ms: 1 on full days,
  // less on the partial last day (e.g. ~0.13 of a weekday at 10:00).
  double ElapsedShare(int day) const;

  // Writes "YYYY-MM-DDTHH:MM:SS.mmm+08:00" (29 bytes, no terminator) to `out`.
  static void FormatTimestamp(int64_t utc_ms, char* out);
  static constexpr int kTimestampLength = 29;

 private:
  std::vector<DemoDay> days_;
};

}  // namespace tobops::demo
