// Campaigns and leads (docs/growth/campaigns_and_leads.md):
//   POST /api/campaigns/ID/members/import        CSV body (or JSON {"csv": "..."})
//   GET  /api/campaigns/ID/postmortem             and /postmortem/export?format=csv|xlsx
//   GET  /api/campaigns/measures-map
//   POST /api/leads/score  (body {"ids":[...]} or ?id=; none = every lead)
//   GET  /api/leads/ID/score                      the explanation of the score (no write)
// A lead created or updated through the record routes is rescored right after its
// transaction commits: a change hook on the leads store queues its id, and one worker
// thread (started here, once per workspace) recomputes the queued leads.
// Reads: a console session or a read token; writes: a record editor.
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "ops/campaign_import.h"
#include "ops/campaign_measures.h"
#include "ops/campaign_postmortem.h"
#include "ops/lead_scoring.h"
#include "ops/timeline_outbox.h"
#include "records/record_store.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

Result<ops::OpsContext> ReaderContext(const httplib::Request& req, RouteContext& ctx) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRead(req, *ctx.workspace));
  return ctx.workspace->OpsContextFor(principal.project_id, ctx.options.query_threads);
}

Result<ops::OpsContext> EditorContext(const httplib::Request& req, RouteContext& ctx) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRecordEditor(req, *ctx.workspace));
  return ctx.workspace->OpsContextFor(principal.project_id, ctx.options.query_threads);
}

Result<int64_t> ParseId(const std::string& text, const char* field) {
  try {
    size_t used = 0;
    const int64_t id = std::stoll(text, &used);
    if (used != text.size() || id <= 0) throw std::invalid_argument(text);
    return id;
  } catch (...) {
    return InvalidArgument("not a valid id", field);
  }
}

// Rescores leads after the record routes change them. The hook runs inside the write's
// transaction, so it only queues; the worker's recompute waits for the commit on the
// catalog lock. Lives for the process (the worker is detached and idles on the queue).
class LeadRescorer {
 public:
  explicit LeadRescorer(RouteContext* ctx) : ctx_(ctx) {
    std::thread([this] { Run(); }).detach();
  }

  void Enqueue(const std::string& project_id, int64_t lead_id) {
    {
      std::lock_guard lock(mu_);
      pending_.insert({project_id, lead_id});
    }
    cv_.notify_one();
  }

 private:
  void Run() {
    while (true) {
      std::set<std::pair<std::string, int64_t>> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !pending_.empty(); });
        batch.swap(pending_);
      }
      std::map<std::string, std::vector<int64_t>> by_project;
      for (const auto& [project, id] : batch) by_project[project].push_back(id);
      for (const auto& [project, ids] : by_project) {
        auto ops_ctx = ctx_->workspace->OpsContextFor(project, 1);
        if (!ops_ctx.ok()) continue;
        for (int64_t id : ids) {
          // One by one: a lead deleted meanwhile (kNotFound) must not block the others.
          auto scored = ops::RecomputeLeadScores(*ops_ctx, {id});
          if (!scored.ok() && scored.status().code() != StatusCode::kNotFound) {
            spdlog::warn("project {}: lead {} not rescored: {}", project, id, scored.status().ToString());
          }
        }
      }
    }
  }

  RouteContext* ctx_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::pair<std::string, int64_t>> pending_;
};

void InstallLeadRescoring(RouteContext& ctx) {
  static std::mutex installed_mu;
  static std::set<Workspace*> installed;
  std::lock_guard lock(installed_mu);
  if (!installed.insert(ctx.workspace).second) return;
  auto* rescorer = new LeadRescorer(&ctx);  // process lifetime, see LeadRescorer
  ctx.workspace->records().Get("leads").AddChangeHook(
      [rescorer](domain::SqliteConnection&, const std::string& project_id, const json*, const json* after) {
        if (after != nullptr && after->contains("id")) rescorer->Enqueue(project_id, (*after)["id"].get<int64_t>());
        return Status::Ok();
      });
}

}  // namespace

void RegisterCampaignRoutes(httplib::Server& http, RouteContext& ctx) {
  InstallLeadRescoring(ctx);

  http.Get("/api/campaigns/measures-map", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto answer = ops::BuildMeasuresMap(*ops_ctx);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Post(R"(/api/campaigns/(\d+)/members/import)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = EditorContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    std::string csv = req.body;
    if (req.get_header_value("Content-Type").find("application/json") != std::string::npos) {
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("csv") || !body["csv"].is_string()) {
        return WriteError(res, InvalidArgument("a JSON body must be {\"csv\": \"...\"}", "csv"));
      }
      csv = body["csv"].get<std::string>();
    }
    auto answer = ops::ImportCampaignMembers(*ops_ctx, *id, csv);
    if (!answer.ok()) return WriteError(res, answer.status());
    // Attended members become campaign_attended timeline events (ops/timeline_outbox.h).
    if (auto drained = ops::TimelineOutbox::Drain(*ops_ctx); !drained.ok()) {
      spdlog::warn("project {}: timeline outbox not drained: {}", ops_ctx->project_id, drained.status().ToString());
    }
    const int64_t accepted = (*answer)["accepted"].get<int64_t>();
    const int64_t rejected = (*answer)["rejected"].get<int64_t>();
    WriteJson(res, *answer, rejected == 0 ? 201 : accepted > 0 ? 207 : 400);
  });

  http.Get(R"(/api/campaigns/(\d+)/postmortem)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    auto answer = ops::BuildCampaignPostmortem(*ops_ctx, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Get(R"(/api/campaigns/(\d+)/postmortem/export)", [&ctx](const httplib::Request& req,
                                                                httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    auto format = ExportFormat(req);
    if (!format.ok()) return WriteError(res, format.status());
    auto answer = ops::BuildCampaignPostmortem(*ops_ctx, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteTableFile(res, *ctx.workspace, ops::PostmortemToTable(*answer), "campaign-" + std::to_string(*id) + "-postmortem",
                   *format);
  });

  http.Post("/api/leads/score", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = EditorContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    std::vector<int64_t> ids;
    if (req.has_param("id")) {
      auto id = ParseId(req.get_param_value("id"), "id");
      if (!id.ok()) return WriteError(res, id.status());
      ids.push_back(*id);
    }
    if (!req.body.empty()) {
      json body = json::parse(req.body, nullptr, false);
      if (!body.is_object()) return WriteError(res, InvalidArgument("the body must be a JSON object", "body"));
      if (body.contains("ids")) {
        if (!body["ids"].is_array()) return WriteError(res, InvalidArgument("must be an array of lead ids", "ids"));
        for (const auto& v : body["ids"]) {
          if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
            return WriteError(res, InvalidArgument("must be an array of lead ids", "ids"));
          }
          ids.push_back(v.get<int64_t>());
        }
      }
    }
    auto answer = ops::RecomputeLeadScores(*ops_ctx, ids);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });

  http.Get(R"(/api/leads/(\d+)/score)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto ops_ctx = ReaderContext(req, ctx);
    if (!ops_ctx.ok()) return WriteError(res, ops_ctx.status());
    auto id = ParseId(req.matches[1].str(), "id");
    if (!id.ok()) return WriteError(res, id.status());
    auto answer = ops::ExplainLeadScore(*ops_ctx, *id);
    if (!answer.ok()) return WriteError(res, answer.status());
    WriteJson(res, *answer);
  });
}

}  // namespace tobops::server
