#include "ops/decision_roles.h"

#include <algorithm>
#include <set>

#include "records/record_store.h"
#include "records/sales_resources.h"

namespace tobops::ops {

Result<std::vector<std::string>> DecisionRoles(const OpsContext& ctx) {
  std::vector<std::string> roles(std::begin(records::kDefaultRoles), std::end(records::kDefaultRoles));
  records::RecordQuery query;
  query.limit = records::RecordStore::kMaxListLimit;
  ASSIGN_OR_RETURN(records::RecordPage contacts, ctx.records->Get("contacts").List(ctx.project_id, query));
  std::set<std::string> extra;
  for (const auto& c : contacts.records) {
    if (!c["role"].is_string()) continue;
    const std::string role = c["role"].get<std::string>();
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) extra.insert(role);
  }
  roles.insert(roles.end(), extra.begin(), extra.end());
  return roles;
}

}  // namespace tobops::ops
