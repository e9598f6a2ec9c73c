// File: query/time_buckets.h
// TimeBuckets: the calendar buckets (hour/day/week/month) of a query range in a time
// zone, and the mapping of an instant to its bucket. Weeks start on Monday.
// Thread-safety: immutable after Make; BucketOf is const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "common/status.h"

namespace tobops::query {

enum class Interval { kHour, kDay, kWeek, kMonth };
bool ParseInterval(const std::string& text, Interval* interval);
const char* IntervalName(Interval interval);

class TimeBuckets {
 public:
  // Buckets covering [from_ms, to_ms): the first starts at the interval boundary at or
  // before from_ms, the last ends at the boundary at or after to_ms.
  // Errors: kInvalidArgument when to_ms <= from_ms or more than `max_buckets` result.
  static Result<TimeBuckets> Make(int64_t from_ms, int64_t to_ms, Interval interval,
                                  const cctz::time_zone& zone, size_t max_buckets = 20000);

  // Floors `utc_ms` to the start of its interval in `zone`.
  static int64_t Floor(int64_t utc_ms, Interval interval, const cctz::time_zone& zone);

  size_t size() const { return starts_.size(); }
  int64_t start(size_t i) const { return starts_[i]; }
  int64_t begin_ms() const { return starts_.front(); }
  int64_t end_ms() const { return end_ms_; }
  // Index of the bucket holding `utc_ms`, or -1 outside [begin_ms, end_ms).
  int BucketOf(int64_t utc_ms) const;

 private:
  std::vector<int64_t> starts_;  // bucket start instants, ascending
  int64_t end_ms_ = 0;           // end of the last bucket (exclusive)
};

}  // namespace tobops::query
