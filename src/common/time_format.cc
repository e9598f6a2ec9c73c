#include "common/time_format.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

namespace tobops {
namespace {

bool ReadDigits(std::string_view text, size_t* pos, int count, int* out) {
  if (*pos + count > text.size()) return false;
  int value = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += count;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

}  // namespace

Result<int64_t> ParseIso8601Ms(std::string_view text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return InvalidArgument("expected an ISO-8601 date YYYY-MM-DD at the start of '" +
                           std::string(text.substr(0, 40)) + "'");
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return InvalidArgument("expected 'T' and a time after the date in '" +
                           std::string(text.substr(0, 40)) + "'");
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return InvalidArgument("expected a time HH:MM in '" + std::string(text.substr(0, 40)) + "'");
  }
  if (Expect(text, &pos, ':') && !ReadDigits(text, &pos, 2, &second)) {
    return InvalidArgument("expected seconds SS in '" + std::string(text.substr(0, 40)) + "'");
  }
  int millis = 0;
  if (Expect(text, &pos, '.') || Expect(text, &pos, ',')) {
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return InvalidArgument("expected digits after the decimal point");
    for (int d = digits; d < 3; ++d) millis *= 10;
  }
  int offset_seconds = 0;
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      ++pos;
      int off_h, off_m = 0;
      if (!ReadDigits(text, &pos, 2, &off_h)) return InvalidArgument("bad time-zone offset");
      Expect(text, &pos, ':');
      if (pos < text.size() && !ReadDigits(text, &pos, 2, &off_m)) {
        return InvalidArgument("bad time-zone offset minutes");
      }
      if (off_h > 18 || off_m > 59) return InvalidArgument("time-zone offset out of range");
      offset_seconds = (off_h * 3600 + off_m * 60) * (c == '-' ? -1 : 1);
    }
  }
  if (pos != text.size()) {
    return InvalidArgument("unexpected text after the time in '" + std::string(text.substr(0, 40)) +
                           "'");
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return InvalidArgument("date or time field out of range in '" + std::string(text) + "'");
  }
  const cctz::civil_second civil(year, month, day, hour, minute, second);
  if (civil.day() != day) return InvalidArgument("no such day in '" + std::string(text) + "'");
  const auto utc = cctz::convert(civil, cctz::utc_time_zone());
  const int64_t seconds = utc.time_since_epoch().count() - offset_seconds;
  return seconds * 1000 + millis;
}

Result<cctz::civil_day> ParseCivilDay(std::string_view text) {
  size_t pos = 0;
  int year, month, day;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day) || pos != text.size()) {
    return InvalidArgument("expected a day as YYYY-MM-DD, got '" + std::string(text) + "'");
  }
  cctz::civil_day civil(year, month, day);
  if (civil.month() != month || civil.day() != day) {
    return InvalidArgument("no such day '" + std::string(text) + "'");
  }
  return civil;
}

namespace {

std::string Format(int64_t utc_ms, const cctz::time_zone& zone, bool always_millis) {
  int64_t seconds = utc_ms / 1000;
  int64_t millis = utc_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const auto tp = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>(
      std::chrono::seconds(seconds));
  const auto lookup = zone.lookup(tp);
  const cctz::civil_second cs = lookup.cs;
  const int offset = lookup.offset;
  const int abs_offset = offset < 0 ? -offset : offset;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d",
                        static_cast<int>(cs.year()), cs.month(), cs.day(), cs.hour(),
                        cs.minute(), cs.second());
  if (always_millis || millis != 0) {
    n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(millis));
  }
  if (offset == 0) {
    std::snprintf(buf + n, sizeof buf - n, "Z");
  } else {
    std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", offset < 0 ? '-' : '+',
                  abs_offset / 3600, (abs_offset % 3600) / 60);
  }
  return buf;
}

}  // namespace

std::string FormatIso8601Ms(int64_t utc_ms, const cctz::time_zone& zone) {
  return Format(utc_ms, zone, true);
}

std::string FormatIso8601Seconds(int64_t utc_ms, const cctz::time_zone& zone) {
  return Format(utc_ms, zone, false);
}

Result<cctz::time_zone> LoadTimeZone(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, cctz::time_zone> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  cctz::time_zone zone;
  if (name == "UTC") {
    zone = cctz::utc_time_zone();
  } else if (!cctz::load_time_zone(name, &zone)) {
    return InvalidArgument("unknown time zone '" + name + "'", "timezone");
  }
  cache.emplace(name, zone);
  return zone;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tobops
