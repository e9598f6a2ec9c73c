// File: query/retention_query.h
// The retention analysis: entities (persons or accounts) grouped into cohorts by the
// calendar period in which they did a start event, and for each later period how many
// of them came back (did a return event), optionally with the revenue of those returns
// and split by a breakdown value. Built on EntityTimelines: one scan, then one walk per
// entity on all cores.
// Spec, answer and exact semantics: docs/analytics/retention.md. Called by RunQueryJson
// (kind "retention"). Thread-safety: free functions, reentrant.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "query/entity_timeline.h"
#include "query/property_filter.h"
#include "query/query_context.h"
#include "query/spec_parsing.h"
#include "query/time_buckets.h"

namespace tobops::query {

enum class RetentionMode {
  kFirstTime,  // cohort = period of the entity's first start event ever
  kRecurring,  // every period with a start event is a cohort membership
};

// More cohorts than this would make an unreadable matrix and a large answer.
inline constexpr size_t kMaxRetentionCohorts = 366;
inline constexpr int kMaxRetentionPeriods = 52;

struct RetentionSpec {
  TimelineCondition start;      // event "" = any event
  TimelineCondition returning;  // the spec's "return"; "" = any event
  RetentionMode mode = RetentionMode::kFirstTime;
  Interval period = Interval::kWeek;  // day, week (Monday) or month
  int periods = 8;                    // follow-up periods after the cohort period, 1..52
  EntityKind aggregate_by = EntityKind::kPerson;
  std::optional<PropertyRef> breakdown;
  std::optional<std::string> revenue_property;  // a numeric event property of return events
  TimeRange range;                              // cohorts: the periods overlapping it
  std::vector<PropertyFilter> filters;          // global: rows failing them do not exist
  size_t limit = 10;                            // breakdown values kept, largest first
};

// Parses the JSON spec. Errors: kInvalidArgument naming the field ("start.event",
// "periods", "period", "mode", "aggregate_by", "revenue.property", "range", ...).
Result<RetentionSpec> ParseRetentionSpec(const nlohmann::json& spec, const QueryContext& ctx);

// Runs `spec` and returns the answer JSON (docs/analytics/retention.md). Periods that
// start after ctx.now_ms are not reported. Errors: kInvalidArgument for a range with more
// than kMaxRetentionCohorts periods; store errors pass through.
Result<nlohmann::json> RunRetention(const RetentionSpec& spec, const QueryContext& ctx);

// ParseRetentionSpec then RunRetention: the "retention" kind of RunQueryJson.
Result<nlohmann::json> RunRetentionJson(const nlohmann::json& spec, const QueryContext& ctx);

}  // namespace tobops::query
