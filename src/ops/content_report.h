// File: ops/content_report.h
// ContentReport: the monthly content report — every content item's reads and shares in one
// calendar month of the project time zone (ops/content_metrics.h), totals, the same by
// kind and by channel, and the target accounts that read the most; as JSON, as one export
// table (CSV/XLSX) and as a standalone printable HTML page in zh-CN.
// Callers: server/content_routes.cc (GET /api/reports/content[.html|/export]).
// Thread-safety: reentrant; reads the thread-safe stores.
// Exact definitions: docs/growth/content.md "Monthly report".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "export/table.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// A calendar month and its bounds [first day 00:00, first day of the next month 00:00)
// in a time zone.
struct ContentMonth {
  int64_t year = 0;
  int month = 0;  // 1 – 12
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string name;      // "2026-11"
  std::string from, to;  // first and last day, "YYYY-MM-DD"
};

// "YYYY-MM" in `zone`; empty text = the last full month before now_ms (local).
// kInvalidArgument naming "month" when malformed.
[[nodiscard]] Result<ContentMonth> ParseContentMonth(std::string_view text, const cctz::time_zone& zone,
                                                     int64_t now_ms);

// How many target accounts the report lists.
inline constexpr size_t kTopTargetAccounts = 10;

// {"month","from","to",
//  "totals":{items, items_read, pv, uv, target_account_readers, target_accounts, shares,
//            share_events, exposure, media_reposts},
//  "items":[ContentItemWithMetrics…] by pv desc (items published after the month left out),
//  "by_kind":[{kind, items, pv, uv, target_account_readers, shares}] (by pv desc),
//  "by_channel":[{channel, …same}] ("" for items without a channel),
//  "top_target_accounts":[{account, account_id, name, readers, reads, items:[titles]}]
//  (readers desc, reads desc, at most kTopTargetAccounts)}.
// uv and readers in totals and groups are distinct persons, not sums.
[[nodiscard]] Result<nlohmann::json> BuildContentReport(const OpsContext& ctx, const ContentMonth& month);

// Columns title, kind, industry, channel, published_on, pv, uv, target_account_readers,
// target_accounts, shares, exposure, media_reposts, readers_by_role ("role n; …");
// one row per item, then a row titled "合计 total" with the totals.
exporting::Table ContentReportToTable(const nlohmann::json& report);

// The report as a complete HTML document (zh-CN, inline styles, print-friendly); every
// value is escaped.
std::string ContentReportHtml(const nlohmann::json& report);

}  // namespace tobops::ops
