#include "demo/demo_calendar.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdlib>

namespace tobops::demo {
namespace {

struct Civil {
  int year, month, day;
};

// Howard Hinnant's days-from-civil algorithms (proleptic Gregorian).
Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// Lunar New Year's day (正月初一) by Gregorian year.
struct SpringFestival {
  int year, month, day;
};
constexpr std::array<SpringFestival, 16> kSpringFestivals = {{
    {2019, 2, 5}, {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22}, {2024, 2, 10},
    {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},
    {2031, 1, 23}, {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19}}};

// Returns the offset of `epoch_day` from the Spring Festival of its year (or of the
// next/previous year), or a large value when none is near.
int SpringFestivalOffset(int64_t epoch_day, int year) {
  int best = 1000;
  for (const auto& sf : kSpringFestivals) {
    if (sf.year < year - 1 || sf.year > year + 1) continue;
    const int64_t off = epoch_day - DaysFromCivil(sf.year, sf.month, sf.day);
    if (off > -60 && off < 60 && std::abs(off) < std::abs(best)) best = static_cast<int>(off);
  }
  return best;
}

// Hour-of-day weights in local time: working hours dominate, a lunch dip at 12:00.
constexpr std::array<double, 24> kWorkdayHourWeights = {
    0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 2.5, 7, 9.5, 9, 5, 6.5, 9, 9.5, 9, 7.5, 4.5, 2.5, 2, 1.8, 1.2, 0.6};
constexpr std::array<double, 24> kRestdayHourWeights = {
    0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 3, 4, 4.5, 3.5, 3.5, 4.5, 4.5, 4, 3.5, 3, 3, 3.5, 3.5, 2.5, 1.2};

struct HourCdf {
  std::array<double, 24> cdf{};
  explicit constexpr HourCdf(const std::array<double, 24>& w) {
    double acc = 0;
    for (size_t i = 0; i < 24; ++i) cdf[i] = acc += w[i];
  }
};
constexpr HourCdf kWorkdayCdf(kWorkdayHourWeights);
constexpr HourCdf kRestdayCdf(kRestdayHourWeights);

}  // namespace

DemoCalendar::DemoCalendar(int64_t end_ms, int days) {
  assert(days >= 1);
  const int64_t end_local = end_ms + kShanghaiOffsetMs;
  // The local day containing end_ms (end_ms itself is exclusive, so use end_ms - 1).
  const int64_t last_epoch_day = (end_local - 1 >= 0 ? (end_local - 1) / kMsPerDay
                                                     : (end_local - kMsPerDay) / kMsPerDay);
  days_.resize(static_cast<size_t>(days));
  for (int i = 0; i < days; ++i) {
    const int64_t epoch_day = last_epoch_day - (days - 1 - i);
    DemoDay& d = days_[static_cast<size_t>(i)];
    d.start_ms = epoch_day * kMsPerDay - kShanghaiOffsetMs;
    d.limit_ms = std::min(d.start_ms + kMsPerDay, end_ms);
    d.weekday = static_cast<int>(((epoch_day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    const Civil c = CivilFromDays(epoch_day);
    d.year = c.year;
    d.month = c.month;
    d.day_of_month = c.day;
    d.weekend = d.weekday >= 5;
    d.month_end = c.day > DaysInMonth(c.year, c.month) - 3;
    const int sf = SpringFestivalOffset(epoch_day, c.year);
    const bool spring_festival = sf >= -1 && sf <= 6;
    const bool national_day = c.month == 10 && c.day <= 7;
    const bool labour_day = c.month == 5 && c.day <= 5;
    const bool new_year = c.month == 1 && c.day == 1;
    const bool qingming = c.month == 4 && c.day >= 4 && c.day <= 6;
    d.holiday = spring_festival || national_day || labour_day || new_year || qingming;

    double work = d.weekend ? 0.12 : 1.0;
    double traffic = d.weekend ? 0.45 : 1.0;
    if (d.holiday) {
      work = spring_festival ? 0.05 : 0.1;
      traffic = spring_festival ? 0.2 : 0.35;
    } else if (sf >= -10 && sf < -1) {
      work *= 0.8;  // people leave early for the Spring Festival
      traffic *= 0.8;
    } else if (sf > 6 && sf <= 15) {
      work *= 0.85;  // slow return after the holiday (元宵 season)
      traffic *= 0.9;
    }
    if (d.month_end && !d.weekend && !d.holiday) work *= 1.1;
    d.work_factor = work;
    d.traffic_factor = traffic;
  }
}

namespace {

constexpr int64_t kMsPerHour = 3'600'000;

const std::array<double, 24>& HourCdfOf(const DemoDay& d) {
  return d.weekend || d.holiday ? kRestdayCdf.cdf : kWorkdayCdf.cdf;
}
const std::array<double, 24>& HourWeightsOf(const DemoDay& d) {
  return d.weekend || d.holiday ? kRestdayHourWeights : kWorkdayHourWeights;
}

// Profile mass of the first `elapsed_ms` of a day (0 < elapsed_ms <= kMsPerDay).
double MassBefore(const DemoDay& d, int64_t elapsed_ms) {
  const auto& cdf = HourCdfOf(d);
  const auto& w = HourWeightsOf(d);
  const int64_t hour = std::min<int64_t>(elapsed_ms / kMsPerHour, 24);
  double mass = hour > 0 ? cdf[static_cast<size_t>(hour - 1)] : 0.0;
  if (hour < 24) mass += w[static_cast<size_t>(hour)] * static_cast<double>(elapsed_ms - hour * kMsPerHour) / kMsPerHour;
  return mass;
}

}  // namespace

int64_t DemoCalendar::SampleMoment(int day, DemoRandom& rng) const {
  const DemoDay& d = Day(day);
  const auto& cdf = HourCdfOf(d);
  const int hour = rng.Pick(cdf.data(), 24);
  return d.start_ms + hour * kMsPerHour + static_cast<int64_t>(rng.Below(kMsPerHour));
}

int64_t DemoCalendar::SampleElapsedMoment(int day, DemoRandom& rng) const {
  const DemoDay& d = Day(day);
  const int64_t span = d.limit_ms - d.start_ms;
  if (span >= kMsPerDay) return SampleMoment(day, rng);
  if (span <= 0) return d.start_ms;
  // Inverse transform over the profile truncated at limit_ms: pick an hour by its
  // mass before the limit, then a uniform moment in the part of it that exists.
  const auto& cdf = HourCdfOf(d);
  const double u = rng.Uniform() * MassBefore(d, span);
  const int last_hour = static_cast<int>((span - 1) / kMsPerHour);
  int hour = 0;
  while (hour < last_hour && u >= cdf[static_cast<size_t>(hour)]) ++hour;
  const int64_t hour_start = hour * kMsPerHour;
  const auto length = static_cast<uint32_t>(std::min(kMsPerHour, span - hour_start));
  return d.start_ms + hour_start + static_cast<int64_t>(rng.Below(length));
}

double DemoCalendar::ElapsedShare(int day) const {
  const DemoDay& d = Day(day);
  const int64_t span = d.limit_ms - d.start_ms;
  if (span >= kMsPerDay) return 1.0;
  if (span <= 0) return 0.0;
  return MassBefore(d, span) / HourCdfOf(d)[23];
}

void DemoCalendar::FormatTimestamp(int64_t utc_ms, char* out) {
  const int64_t local = utc_ms + kShanghaiOffsetMs;
  int64_t epoch_day = local / kMsPerDay;
  int64_t ms_of_day = local % kMsPerDay;
  if (ms_of_day < 0) {
    ms_of_day += kMsPerDay;
    --epoch_day;
  }
  const Civil c = CivilFromDays(epoch_day);
  const auto put2 = [](char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  const int y = c.year;
  out[0] = static_cast<char>('0' + (y / 1000) % 10);
  out[1] = static_cast<char>('0' + (y / 100) % 10);
  out[2] = static_cast<char>('0' + (y / 10) % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  put2(out + 5, c.month);
  out[7] = '-';
  put2(out + 8, c.day);
  out[10] = 'T';
  const int secs = static_cast<int>(ms_of_day / 1000);
  const int ms = static_cast<int>(ms_of_day % 1000);
  put2(out + 11, secs / 3600);
  out[13] = ':';
  put2(out + 14, (secs / 60) % 60);
  out[16] = ':';
  put2(out + 17, secs % 60);
  out[19] = '.';
  out[20] = static_cast<char>('0' + ms / 100);
  put2(out + 21, ms % 100);
  out[23] = '+';
  out[24] = '0';
  out[25] = '8';
  out[26] = ':';
  out[27] = '0';
  out[28] = '0';
}

}  // namespace tobops::demo
