#include "query/coverage_query.h"

#include <algorithm>

#include "common/time_format.h"
#include "query/account_activity.h"
#include "query/block_filters.h"
#include "query/record_events.h"
#include "query/spec_parsing.h"

namespace tobops::query {

using nlohmann::json;

Result<CoverageSpec> ParseCoverageSpec(const json& j) {
  CoverageSpec spec;
  ASSIGN_OR_RETURN(int64_t days, ParseIntMember(j, "days", 1, 3650, spec.days));
  spec.days = int(days);
  ASSIGN_OR_RETURN(spec.roles, ParseRoles(j, spec.roles));
  if (j.contains("sort") && !j["sort"].is_null()) {
    const std::string sort = j["sort"].is_string() ? j["sort"].get<std::string>() : std::string();
    if (sort == "coverage_asc") spec.sort = CoverageSort::kCoverageAsc;
    else if (sort == "coverage_desc") spec.sort = CoverageSort::kCoverageDesc;
    else if (sort == "account") spec.sort = CoverageSort::kAccount;
    else return InvalidArgument("sort must be coverage_asc, coverage_desc or account", "sort");
  }
  ASSIGN_OR_RETURN(int64_t limit, ParseIntMember(j, "limit", 1, 100000, 100));
  spec.limit = size_t(limit);
  ASSIGN_OR_RETURN(int64_t offset, ParseIntMember(j, "offset", 0, 1000000000, 0));
  spec.offset = size_t(offset);
  ASSIGN_OR_RETURN(spec.filters, ParseFilters(j.value("filters", json()), "filters"));
  // Record events (a visit logged, a stage moved) are not product activity.
  spec.filters.push_back(NotARecordEvent());
  return spec;
}

Result<json> RunCoverage(const CoverageSpec& spec, const QueryContext& ctx) {
  AccountActivityRequest request;
  request.days = spec.days;
  request.filters = spec.filters;
  request.roles = spec.roles;
  ASSIGN_OR_RETURN(AccountActivityResult activity, CollectAccountActivity(request, ctx));

  const size_t num_roles = spec.roles.size();
  struct Row {
    const AccountActivity* account;
    size_t covered;  // roles with an active member
  };
  std::vector<Row> rows;
  std::vector<int64_t> with_known(num_roles, 0), with_active(num_roles, 0);
  int64_t fully_covered = 0;
  for (const AccountActivity& a : activity.accounts) {
    size_t covered = 0;
    for (size_t r = 0; r < num_roles; ++r) {
      if (a.roles[r].known > 0) ++with_known[r];
      if (a.roles[r].active > 0) ++with_active[r], ++covered;
    }
    if (covered == num_roles) ++fully_covered;
    rows.push_back(Row{&a, covered});
  }
  // Comparing covered counts is comparing coverage: every row has the same role count.
  std::sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
    if (spec.sort == CoverageSort::kCoverageAsc && x.covered != y.covered) return x.covered < y.covered;
    if (spec.sort == CoverageSort::kCoverageDesc && x.covered != y.covered) return x.covered > y.covered;
    return x.account->account < y.account->account;
  });

  json accounts = json::array();
  for (size_t i = spec.offset; i < rows.size() && i < spec.offset + spec.limit; ++i) {
    const AccountActivity& a = *rows[i].account;
    json entry = {{"account", a.account}};
    for (const char* key : {"name", "industry", "level", "lifecycle_stage"}) {
      const store::PropertyValue v = FindTrait(*a.traits, key);
      if (!std::holds_alternative<std::monostate>(v)) entry[key] = PropertyValueToJson(v);
    }
    entry["coverage"] = double(rows[i].covered) / double(num_roles);
    json roles = json::object();
    json missing = json::array();
    for (size_t r = 0; r < num_roles; ++r) {
      roles[spec.roles[r]] = {{"known", a.roles[r].known}, {"active", a.roles[r].active}};
      if (a.roles[r].active == 0) missing.push_back(spec.roles[r]);
    }
    entry["roles"] = std::move(roles);
    entry["missing"] = std::move(missing);
    entry["known_persons"] = a.known_persons;
    entry["active_persons"] = a.active_persons;
    entry["last_active"] = a.last_active_ms ? json(FormatIso8601Seconds(*a.last_active_ms, ctx.zone)) : json(nullptr);
    accounts.push_back(std::move(entry));
  }
  json by_role = json::object();
  for (size_t r = 0; r < num_roles; ++r) {
    by_role[spec.roles[r]] = {{"accounts_with_known", with_known[r]}, {"accounts_with_active", with_active[r]}};
  }
  return json{{"kind", "coverage"},
              {"days", spec.days},
              {"from", FormatIso8601Seconds(activity.from_ms, ctx.zone)},
              {"to", FormatIso8601Seconds(activity.to_ms - 1, ctx.zone)},
              {"timezone", ctx.zone.name()},
              {"roles", spec.roles},
              {"total", rows.size()},
              {"offset", spec.offset},
              {"accounts", std::move(accounts)},
              {"summary", {{"accounts", rows.size()},
                           {"accounts_fully_covered", fully_covered},
                           {"by_role", std::move(by_role)}}}};
}

Result<json> RunCoverageJson(const json& spec, const QueryContext& ctx) {
  ASSIGN_OR_RETURN(CoverageSpec parsed, ParseCoverageSpec(spec));
  return RunCoverage(parsed, ctx);
}

}  // namespace tobops::query
