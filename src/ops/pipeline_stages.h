// File: ops/pipeline_stages.h
// PipelineStages: the configurable sales stages of a project (records of the
// `pipeline_stages` resource) — the default set seeded when a project has none, the
// stages in position order, and the change hooks that keep opportunities on real
// stages: an opportunity whose stage is not a key of its project's stages is refused,
// and a stage that opportunities still use cannot be deleted or renamed.
// Callers: server/workspace.cc (InstallPipelineHooks once at Open, EnsureDefaultStages
// per project), the demo generator, the board / forecast / weekly report.
// Thread-safety: free functions over the thread-safe record stores. The hooks run
// inside the writing transaction (they read with its connection).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "ops/ops_context.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

struct PipelineStage {
  std::string key;
  std::string label;
  int64_t position = 0;
  double probability = 0;  // 0 – 100: the chance an opportunity here is won
  std::string outcome;     // open | won | lost
};

// lead 10, qualified 25, solution 50, negotiation 75 (open), won 100 (won), lost 0 (lost).
std::vector<PipelineStage> DefaultStages();

// Creates the default stages when the project has no stage at all; leaves a project
// with any stage alone (a team that configured its own keeps them). Safe to call
// concurrently (a lost race on the unique key is not an error). Errors: record errors.
[[nodiscard]] Status EnsureDefaultStages(records::ResourceCatalog& catalog,
                                         const std::string& project_id);
[[nodiscard]] Status EnsureDefaultStages(const OpsContext& ctx);

// The project's stages by position (then id); the default stages (not stored) when it
// has none. Errors: record errors.
[[nodiscard]] Result<std::vector<PipelineStage>> LoadStages(records::ResourceCatalog& catalog,
                                                            const std::string& project_id);

// Adds the stage-validation hooks to the opportunities and pipeline_stages stores:
//  - opportunity create, or update that changes `stage`: kInvalidArgument (field
//    "stage") unless the stage is a key of the project's stages (the defaults when it
//    has none); the message lists the keys in position order;
//  - pipeline stage delete, or update that changes `key`: kFailedPrecondition naming
//    how many opportunities of the project use the old key.
// Call once per catalog, before serving requests.
void InstallPipelineHooks(records::ResourceCatalog& catalog);

}  // namespace tobops::ops
