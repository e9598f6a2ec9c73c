#include "ops/pipeline_stages.h"

#include <algorithm>

#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

// The stage keys of a project in position order, read with the writing transaction's
// connection (the hook cannot go through RecordStore: it would take the lock again).
Result<std::vector<std::string>> StageKeys(domain::SqliteConnection& conn,
                                           const std::string& project_id) {
  ASSIGN_OR_RETURN(
      domain::SqliteStatement stmt,
      conn.Prepare(
          "SELECT \"key\" FROM pipeline_stages WHERE project_id = ? ORDER BY position, id"));
  RETURN_IF_ERROR(stmt.BindText(1, project_id));
  std::vector<std::string> keys;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    keys.push_back(stmt.ColumnText(0));
  }
  if (keys.empty()) {
    // A project that has never been seeded validates against the defaults, which
    // EnsureDefaultStages will store.
    for (const auto& s : DefaultStages()) keys.push_back(s.key);
  }
  return keys;
}

Result<int64_t> OpportunitiesOnStage(domain::SqliteConnection& conn, const std::string& project_id,
                                     const std::string& key) {
  ASSIGN_OR_RETURN(
      domain::SqliteStatement stmt,
      conn.Prepare("SELECT COUNT(*) FROM opportunities WHERE project_id = ? AND stage = ?"));
  RETURN_IF_ERROR(stmt.BindText(1, project_id));
  RETURN_IF_ERROR(stmt.BindText(2, key));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

Status CheckOpportunityStage(domain::SqliteConnection& conn, const std::string& project_id,
                             const json* before, const json* after) {
  if (after == nullptr) return Status::Ok();
  const std::string stage = TextOf(*after, "stage");
  // Only a new or changed stage is checked, so an opportunity left on a stage that was
  // since removed from a legacy configuration can still be edited otherwise.
  if (before != nullptr && TextOf(*before, "stage") == stage) return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<std::string> keys, StageKeys(conn, project_id));
  if (std::find(keys.begin(), keys.end(), stage) != keys.end()) return Status::Ok();
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
  return InvalidArgument(
      "stage '" + stage + "' is not a pipeline stage of this project; use one of: " + list,
      "stage");
}

Status CheckStageInUse(domain::SqliteConnection& conn, const std::string& project_id,
                       const json* before, const json* after) {
  if (before == nullptr) return Status::Ok();
  const std::string key = TextOf(*before, "key");
  if (after != nullptr && TextOf(*after, "key") == key) return Status::Ok();
  ASSIGN_OR_RETURN(int64_t used, OpportunitiesOnStage(conn, project_id, key));
  if (used == 0) return Status::Ok();
  const std::string what = after == nullptr ? "deleted" : "renamed";
  return FailedPrecondition("stage '" + key + "' is used by " + std::to_string(used) +
                            (used == 1 ? " opportunity" : " opportunities") + " and cannot be " +
                            what + "; move them to another stage first");
}

PipelineStage FromRecord(const json& r) {
  PipelineStage s;
  s.key = TextOf(r, "key");
  s.label = TextOf(r, "label");
  if (s.label.empty()) s.label = s.key;
  if (r.contains("position") && r["position"].is_number())
    s.position = r["position"].get<int64_t>();
  if (r.contains("probability") && r["probability"].is_number())
    s.probability = r["probability"].get<double>();
  s.outcome = TextOf(r, "outcome");
  if (s.outcome.empty()) s.outcome = "open";
  return s;
}

}  // namespace

std::vector<PipelineStage> DefaultStages() {
  return {{"lead", "lead", 1, 10, "open"},         {"qualified", "qualified", 2, 25, "open"},
          {"solution", "solution", 3, 50, "open"}, {"negotiation", "negotiation", 4, 75, "open"},
          {"won", "won", 5, 100, "won"},           {"lost", "lost", 6, 0, "lost"}};
}

Status EnsureDefaultStages(records::ResourceCatalog& catalog, const std::string& project_id) {
  records::RecordStore& stages = catalog.Get("pipeline_stages");
  records::RecordQuery query;
  query.limit = 1;
  ASSIGN_OR_RETURN(records::RecordPage page, stages.List(project_id, query));
  if (page.total > 0) return Status::Ok();
  for (const auto& s : DefaultStages()) {
    auto created = stages.Create(project_id, {{"key", s.key},
                                              {"label", s.label},
                                              {"position", s.position},
                                              {"probability", s.probability},
                                              {"outcome", s.outcome}});
    // Another request seeding at the same moment stored this key first: fine.
    if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists)
      return created.status();
  }
  return Status::Ok();
}

Status EnsureDefaultStages(const OpsContext& ctx) {
  return EnsureDefaultStages(*ctx.records, ctx.project_id);
}

Result<std::vector<PipelineStage>> LoadStages(records::ResourceCatalog& catalog,
                                              const std::string& project_id) {
  records::RecordQuery query;
  query.limit = records::RecordStore::kMaxListLimit;
  query.sort = "position";
  query.descending = false;
  ASSIGN_OR_RETURN(records::RecordPage page,
                   catalog.Get("pipeline_stages").List(project_id, query));
  std::vector<PipelineStage> out;
  for (const auto& r : page.records) out.push_back(FromRecord(r));
  // Equal positions keep the list's id order (stable sort on position only).
  std::stable_sort(out.begin(), out.end(), [](const PipelineStage& a, const PipelineStage& b) {
    return a.position < b.position;
  });
  if (out.empty()) out = DefaultStages();
  return out;
}

void InstallPipelineHooks(records::ResourceCatalog& catalog) {
  catalog.Get("opportunities").AddChangeHook(CheckOpportunityStage);
  catalog.Get("pipeline_stages").AddChangeHook(CheckStageInUse);
}

}  // namespace tobops::ops
