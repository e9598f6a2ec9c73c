#include "query/time_buckets.h"

#include <algorithm>
#include <chrono>

namespace tobops::query {
namespace {

using Seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

cctz::civil_second Civil(int64_t utc_ms, const cctz::time_zone& zone) {
  int64_t seconds = utc_ms >= 0 ? utc_ms / 1000 : -((-utc_ms + 999) / 1000);
  return cctz::convert(Seconds(std::chrono::seconds(seconds)), zone);
}

int64_t ToMs(const cctz::civil_second& civil, const cctz::time_zone& zone) {
  // For a civil time skipped or repeated by a DST change, take the earlier instant.
  return int64_t(zone.lookup(civil).pre.time_since_epoch().count()) * 1000;
}

cctz::civil_second FloorCivil(const cctz::civil_second& cs, Interval interval) {
  switch (interval) {
    case Interval::kHour: return cctz::civil_hour(cs);
    case Interval::kDay: return cctz::civil_day(cs);
    case Interval::kWeek: {
      cctz::civil_day day(cs);
      return cctz::prev_weekday(day + 1, cctz::weekday::monday);
    }
    case Interval::kMonth: return cctz::civil_month(cs);
  }
  return cs;
}

cctz::civil_second Next(const cctz::civil_second& start, Interval interval) {
  switch (interval) {
    case Interval::kHour: return cctz::civil_hour(start) + 1;
    case Interval::kDay: return cctz::civil_day(start) + 1;
    case Interval::kWeek: return cctz::civil_day(start) + 7;
    case Interval::kMonth: return cctz::civil_month(start) + 1;
  }
  return start;
}

}  // namespace

bool ParseInterval(const std::string& text, Interval* interval) {
  if (text == "hour") *interval = Interval::kHour;
  else if (text == "day") *interval = Interval::kDay;
  else if (text == "week") *interval = Interval::kWeek;
  else if (text == "month") *interval = Interval::kMonth;
  else return false;
  return true;
}

const char* IntervalName(Interval interval) {
  switch (interval) {
    case Interval::kHour: return "hour";
    case Interval::kDay: return "day";
    case Interval::kWeek: return "week";
    case Interval::kMonth: return "month";
  }
  return "day";
}

int64_t TimeBuckets::Floor(int64_t utc_ms, Interval interval, const cctz::time_zone& zone) {
  return ToMs(FloorCivil(Civil(utc_ms, zone), interval), zone);
}

Result<TimeBuckets> TimeBuckets::Make(int64_t from_ms, int64_t to_ms, Interval interval,
                                      const cctz::time_zone& zone, size_t max_buckets) {
  if (to_ms <= from_ms) return InvalidArgument("the range ends before it starts", "range");
  TimeBuckets buckets;
  cctz::civil_second start = FloorCivil(Civil(from_ms, zone), interval);
  int64_t start_ms = ToMs(start, zone);
  while (start_ms < to_ms) {
    if (buckets.starts_.size() >= max_buckets) {
      return InvalidArgument("the range has more than " + std::to_string(max_buckets) +
                                 " " + IntervalName(interval) + " buckets; pick a coarser interval",
                             "interval");
    }
    buckets.starts_.push_back(start_ms);
    start = Next(start, interval);
    start_ms = ToMs(start, zone);
  }
  buckets.end_ms_ = start_ms;
  return buckets;
}

int TimeBuckets::BucketOf(int64_t utc_ms) const {
  if (starts_.empty() || utc_ms < starts_.front() || utc_ms >= end_ms_) return -1;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), utc_ms);
  return static_cast<int>(it - starts_.begin()) - 1;
}

}  // namespace tobops::query
