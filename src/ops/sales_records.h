// File: ops/sales_records.h
// Small record reads shared by the sales views (account overview and timeline,
// decision chain, pre-sales brief, visit minutes) and the other ops code that reads
// records: listing every record of a resource that matches equality filters, reading
// optional members of a record in its API form, and the analytics account id of an
// account record. Callers: ops/account_*.cc, ops/decision_chain.cc,
// ops/presales_brief.cc, ops/visit_minutes.cc, ops/content_*.cc, ops/demo_*.cc,
// ops/partner_*.cc, ops/pipeline_stages.cc, ops/weekly_report.cc.
// Thread-safety: free functions over the (thread-safe) record store.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"
#include "store/event.h"

namespace tobops::ops {

// Every record of `resource` in the project whose fields equal the given values
// (API form, reference names included), in `sort` order (empty = the resource's
// default sort and order). Errors: those of RecordStore::List.
[[nodiscard]] Result<std::vector<nlohmann::json>> ListAllRecords(
    const OpsContext& ctx, const std::string& resource,
    const std::vector<std::pair<std::string, nlohmann::json>>& equals, const std::string& sort = {},
    bool descending = false);

// record[key] as text; "" when absent, null or not a string.
std::string TextOf(const nlohmann::json& record, const std::string& key);
// record[key] as an integer; 0 when absent, null or not an integer.
int64_t IntegerOf(const nlohmann::json& record, const std::string& key);
// record[key] as a list of strings (non-strings skipped); empty when absent or null.
std::vector<std::string> TextListOf(const nlohmann::json& record, const std::string& key);

// The account id analytics knows an account record by: its group_id, or
// "record-account-<id>" for an account without one (the timeline outbox writes its
// events under that id, contract A of the sales workspace).
std::string AnalyticsAccountId(const nlohmann::json& account);

// An event property value as JSON (absent → null).
nlohmann::json PropertyValueJson(const store::PropertyValue& value);

// Validates a `days` window (1 – 3650, as the health and coverage kinds accept).
// kInvalidArgument naming "days" otherwise.
[[nodiscard]] Status CheckDays(int64_t days);

}  // namespace tobops::ops
