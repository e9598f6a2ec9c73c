// File: query/query_json.h
// The JSON form of query specs and answers (docs/http_api.md "Queries"). The JSON spec
// is the query contract shared by POST /api/query and `tobops query`, so it is parsed
// here once and both front ends print exactly what RunQueryJson returns.
// Thread-safety: free functions, reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "query/query_context.h"
#include "query/trend_query.h"

namespace tobops::query {

// Parses a trend spec. Errors: kInvalidArgument naming the field ("series[0].measure").
Result<TrendSpec> ParseTrendSpec(const nlohmann::json& spec, const QueryContext& ctx);

nlohmann::json TrendResultToJson(const TrendSpec& spec, const TrendResult& result,
                                 const cctz::time_zone& zone);

// Runs `spec` as a trend (the "trend" kind of RunQueryJson).
Result<nlohmann::json> RunTrendJson(const nlohmann::json& spec, const QueryContext& ctx);

// True when `kind` names an analysis kind RunQueryJson runs.
bool IsQueryKind(const std::string& kind);

// Runs any supported kind, dispatching on "kind". `ctx.zone` is replaced by the spec's
// "timezone" when given. Errors: kInvalidArgument for unknown kinds or bad fields.
Result<nlohmann::json> RunQueryJson(const nlohmann::json& spec, QueryContext ctx);

// The same answer as compact JSON text: what JsonText (common/json_text.h) prints for
// RunQueryJson's answer, but kinds with large answers (health) write the text directly
// instead of building a json tree. What POST /api/query sends.
Result<std::string> RunQueryText(const nlohmann::json& spec, QueryContext ctx);

}  // namespace tobops::query
