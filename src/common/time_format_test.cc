#include "common/time_format.h"

#include <gtest/gtest.h>

namespace tobops {
namespace {

TEST(ParseIso8601Ms, AcceptsOffsetsFractionsAndZulu) {
  // 2026-03-04T02:15:00Z = 1772590500 s since the epoch.
  EXPECT_EQ(*ParseIso8601Ms("2026-03-04T02:15:00Z"), 1772590500000);
  EXPECT_EQ(*ParseIso8601Ms("2026-03-04T10:15:00+08:00"), 1772590500000);
  EXPECT_EQ(*ParseIso8601Ms("2026-03-04T10:15:00.123+08:00"), 1772590500123);
  EXPECT_EQ(*ParseIso8601Ms("2026-03-04T10:15:00.1234567+0800"), 1772590500123);
  EXPECT_EQ(*ParseIso8601Ms("2026-03-03T21:15:00.5-05:00"), 1772590500500);
  EXPECT_EQ(*ParseIso8601Ms("2026-03-04 02:15"), 1772590500000);
}

TEST(ParseIso8601Ms, RejectsMalformedText) {
  for (const char* bad : {"yesterday", "2026-03-04", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-03-04T25:00:00Z", "2026-03-04T10:15:00+08:00 extra", ""}) {
    EXPECT_FALSE(ParseIso8601Ms(bad).ok()) << bad;
  }
}

TEST(FormatIso8601, UsesTheZoneOffset) {
  auto shanghai = LoadTimeZone("Asia/Shanghai");
  ASSERT_TRUE(shanghai.ok());
  EXPECT_EQ(FormatIso8601Ms(1772590500123, *shanghai), "2026-03-04T10:15:00.123+08:00");
  EXPECT_EQ(FormatIso8601Seconds(1772590500000, *shanghai), "2026-03-04T10:15:00+08:00");
  EXPECT_EQ(FormatIso8601Seconds(1772590500000, cctz::utc_time_zone()), "2026-03-04T02:15:00Z");
}

TEST(LoadTimeZone, UnknownZoneIsInvalidArgument) {
  auto zone = LoadTimeZone("Mars/Olympus");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tobops
