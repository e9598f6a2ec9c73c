// File: common/time_format.h
// ISO-8601 parsing and formatting of UTC millisecond instants, and time-zone loading.
// Used by ingest (Segment timestamps), query (bucket labels) and the server.
// Thread-safety: free functions, safe from any thread; LoadTimeZone caches internally.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <cctz/time_zone.h>

#include "common/status.h"

namespace tobops {

// Parses "2026-03-04T10:15:00.123+08:00", "...Z", "...+0800", with 0-9 fraction digits,
// 'T' or ' ' between date and time. A missing offset means UTC. Returns UTC ms.
// Errors: kInvalidArgument naming what is wrong (field left empty for the caller to set).
Result<int64_t> ParseIso8601Ms(std::string_view text);

// Parses a calendar day "YYYY-MM-DD" into its civil fields.
Result<cctz::civil_day> ParseCivilDay(std::string_view text);

// Formats `utc_ms` as ISO-8601 with milliseconds in `zone`: "2026-03-04T10:15:00.123+08:00".
std::string FormatIso8601Ms(int64_t utc_ms, const cctz::time_zone& zone);
// Same, without the fraction when it is zero: "2026-03-04T00:00:00+08:00".
std::string FormatIso8601Seconds(int64_t utc_ms, const cctz::time_zone& zone);

// Loads an IANA zone ("Asia/Shanghai") from the system tz database.
// Errors: kInvalidArgument when the name is unknown.
Result<cctz::time_zone> LoadTimeZone(const std::string& name);

// Milliseconds since the Unix epoch, now.
int64_t NowMs();

}  // namespace tobops
