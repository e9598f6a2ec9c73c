// File: ops/content_cases.h
// ContentCases: the case library — content items of kind case_study grouped by industry,
// each with its reads (ops/content_metrics.h), so sales can pick the case a prospect's
// industry reads most. Callers: server/content_routes.cc (GET /api/content/cases).
// Thread-safety: reentrant; reads the thread-safe stores.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "ops/ops_context.h"

namespace tobops::ops {

// Where the case library counts reads: [from_ms, to_ms); the default is all history up
// to now (from_ms = 0, to_ms = now + 1 ms).
struct CaseLibraryOptions {
  std::string industry;  // "" = every industry; otherwise exact match on the item's industry
  int64_t from_ms = 0;
  int64_t to_ms = -1;    // -1 = ctx.now_ms + 1
};

// {"industry": filter|null, "industries":[{"industry", "items":[ContentItemWithMetrics…]
// (pv desc, then id)}]} — industries by name, items without an industry under "" last.
// Errors: store and record errors.
[[nodiscard]] Result<nlohmann::json> BuildCaseLibrary(const OpsContext& ctx, const CaseLibraryOptions& options);

}  // namespace tobops::ops
