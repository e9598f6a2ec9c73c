// File: ops/content_metrics.h
// ContentMetrics: how much each content item (content_items records) was read and shared
// in a window, from the page and track events of the event store — PV, UV, readers from
// target accounts, readers by decision-chain role, shares.
//
// Rules (docs/growth/content.md "Metrics"):
// - A read is an event (other than content_shared) whose property content_id equals the
//   item's content_key, or a page event ($pageview) whose path equals the item's
//   page_path; one event counts once per item even when it matches both ways.
// - content_shared events with content_id = content_key are shares, not reads.
// - Record changes written as events ($source = "records") are never reads.
// - PV = reads; UV = distinct readers (canonical persons, identity graph).
// - A target account is an account whose level is "key" (the account record with that
//   group_id, else the account's level trait); target_account_readers = distinct readers
//   whose read carried such an account, target_accounts = distinct such accounts.
// - A reader's role: the role of their contact record, else their role trait, else
//   "unknown"; readers_by_role counts distinct readers per role.
// - shares = the record's shares + content_shared events in the window; exposure and
//   media_reposts are the record's (cumulative, entered by the team).
// Callers: ops/content_report.cc, ops/content_cases.cc, server/content_routes.cc.
// Thread-safety: reentrant; reads the thread-safe stores (the scan runs on one thread).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// The level that marks a target account.
inline constexpr const char* kTargetAccountLevel = "key";
// The role of a reader without a known role.
inline constexpr const char* kUnknownRole = "unknown";

// What the scan found for one content item.
struct ContentReads {
  nlohmann::json record;                          // the content_items record (API form)
  int64_t pv = 0;
  int64_t share_events = 0;
  std::set<std::string> readers;                  // canonical persons
  std::set<std::string> target_readers;           // readers seen in a target account
  std::set<std::string> target_accounts;          // target accounts (account ids) read from
  std::map<std::string, std::set<std::string>> readers_by_role;
  std::map<std::string, int64_t> reads_by_account;  // account id → reads ("" excluded)
};

// A target account seen reading, for the reports' "top target accounts".
struct TargetAccountInfo {
  nlohmann::json record_id = nullptr;  // the account record's id, null when none
  std::string name;
};

struct ContentScan {
  std::vector<ContentReads> items;  // in the order of the records passed in
  // Target accounts seen in any read: account id → info.
  std::map<std::string, TargetAccountInfo> target_accounts;
  // Distinct readers of any item per target account: account id → persons.
  std::map<std::string, std::set<std::string>> target_account_readers;
};

// Scans [from_ms, to_ms) for reads and shares of `records` (content_items in API form).
// Errors: store and record errors.
[[nodiscard]] Result<ContentScan> ScanContentReads(const OpsContext& ctx,
                                                   const std::vector<nlohmann::json>& records,
                                                   int64_t from_ms, int64_t to_ms);

// Every content_items record of the project (API form), in id order.
[[nodiscard]] Result<std::vector<nlohmann::json>> ListContentItems(const OpsContext& ctx);

// The record plus pv, uv, target_account_readers, target_accounts, readers_by_role
// {role: n}, shares (record shares + share events), recorded_shares, share_events.
nlohmann::json ContentItemWithMetrics(const ContentReads& reads);

// A window of whole days in the project zone: [from 00:00, day after `to` 00:00).
struct ContentWindow {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string from, to;  // the days, "YYYY-MM-DD"
};
// from / to as "YYYY-MM-DD" (to inclusive); empty `to` = today, empty `from` = 29 days
// before `to` (30 days in all). kInvalidArgument naming "from" / "to" when malformed or
// when from is after to.
[[nodiscard]] Result<ContentWindow> ParseContentWindow(const OpsContext& ctx, const std::string& from,
                                                       const std::string& to);

// GET /api/content/metrics: {"from","to","items":[ContentItemWithMetrics…]} with items by
// pv descending, then id.
[[nodiscard]] Result<nlohmann::json> BuildContentMetrics(const OpsContext& ctx,
                                                         const ContentWindow& window);

}  // namespace tobops::ops
