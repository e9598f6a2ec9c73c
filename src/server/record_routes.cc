// Operations records (/api/<resource>...), generic over every ResourceSpec in the
// workspace's ResourceCatalog: list with filters / search / sort / paging, export as
// CSV or XLSX with the same filters, get, create (one object, or an array where each
// item succeeds or fails on its own), import from CSV (POST /api/<resource>/import),
// partial update and delete. GET /api/records/schema describes
// every resource for the console's forms and tables. See docs/records.md.
// Reads need a session or a read token; writes need a console session of a user who
// is not a viewer.
#include <spdlog/spdlog.h>

#include "common/time_format.h"
#include "export/csv_writer.h"
#include "export/xlsx_writer.h"
#include "ops/timeline_outbox.h"
#include "records/record_csv.h"
#include "records/record_store.h"
#include "records/record_table.h"
#include "records/resource_catalog.h"
#include "records/sales_resources.h"
#include "server/ops_route_context.h"
#include "server/route_params.h"
#include "server/http_server.h"
#include "server/http_status.h"
#include "server/request_auth.h"

namespace tobops::server {
namespace {

using nlohmann::json;

json FieldJson(const records::FieldSpec& f) {
  json out = {{"name", f.name},         {"type", records::FieldTypeName(f.type)}, {"required", f.required},
              {"read_only", f.read_only}};
  if (!f.choices.empty()) out["choices"] = f.choices;
  if (!f.references.empty()) out["references"] = f.references;
  if (f.type == records::FieldType::kText || f.type == records::FieldType::kLongText) out["max_bytes"] = f.MaxBytes();
  if (f.min) out["min"] = *f.min;
  if (f.max) out["max"] = *f.max;
  if (!f.default_value.empty()) out["default"] = f.default_value;
  if (!f.item_fields.empty()) {
    out["item_fields"] = json::array();
    for (const auto& sub : f.item_fields) out["item_fields"].push_back(FieldJson(sub));
  }
  return out;
}

json ResourceJson(const records::ResourceSpec& spec) {
  json fields = json::array();
  for (const auto& f : spec.fields) fields.push_back(FieldJson(f));
  return {{"name", spec.name},
          {"singular", spec.singular},
          {"display_field", spec.display_field},
          {"search_fields", spec.search_fields},
          {"default_sort", spec.default_sort},
          {"default_order", spec.default_descending ? "desc" : "asc"},
          {"tracks_manual_edits", spec.tracks_manual_edits},
          {"append_only", spec.append_only},
          {"fields", std::move(fields)}};
}

std::vector<std::pair<std::string, std::string>> Params(const httplib::Request& req) {
  return {req.params.begin(), req.params.end()};
}

// "accounts|contacts|..." for the route patterns.
std::string NamesPattern(const records::ResourceCatalog& catalog) {
  std::string out;
  for (const auto& spec : catalog.specs()) out += (out.empty() ? "" : "|") + spec.name;
  return out;
}

// {"records", "accepted", "rejected", "errors":[{index, line?, code, message, field}]}:
// 201 when every record was stored, 207 when some, 400 when none.
void WriteBatchAnswer(httplib::Response& res, std::vector<Result<json>>& results, const std::vector<size_t>& lines) {
  json created = json::array();
  json errors = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      created.push_back(std::move(*results[i]));
      continue;
    }
    json error = ErrorJson(results[i].status())["error"];
    error["index"] = i;
    if (i < lines.size()) error["line"] = lines[i];
    errors.push_back(std::move(error));
  }
  const size_t accepted = created.size();
  const size_t rejected = errors.size();
  WriteJson(res,
            {{"records", std::move(created)}, {"accepted", accepted}, {"rejected", rejected},
             {"errors", std::move(errors)}},
            rejected == 0 ? 201 : (accepted == 0 ? 400 : 207));
}

}  // namespace

Result<Principal> AuthenticateRecordEditor(const httplib::Request& req, Workspace& ws) {
  ASSIGN_OR_RETURN(Principal principal, AuthenticateRead(req, ws));
  if (!principal.user) return PermissionDenied("changing records needs a console session, not a read token");
  if (principal.user->role == domain::UserRole::kViewer) {
    return PermissionDenied("user " + principal.user->name + " is a viewer and cannot change records");
  }
  return principal;
}

void WriteTableFile(httplib::Response& res, Workspace& ws, const exporting::Table& table, const std::string& name,
                    const std::string& format) {
  const std::string file = "tobops-" + name + "." + format;
  res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"; filename*=UTF-8''" + file);
  if (format == "csv") {
    res.set_content(exporting::WriteCsv(table), "text/csv; charset=utf-8");
    return;
  }
  std::error_code ec;
  const auto temp_dir = ws.data_dir() / "tmp";
  std::filesystem::create_directories(temp_dir, ec);
  auto bytes = exporting::WriteXlsx(table, name, temp_dir);
  if (!bytes.ok()) return WriteError(res, bytes.status());
  res.set_content(*bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

Result<std::string> ExportFormat(const httplib::Request& req) {
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "csv";
  if (format != "csv" && format != "xlsx") return InvalidArgument("format must be csv or xlsx", "format");
  return format;
}

void RegisterRecordRoutes(httplib::Server& http, RouteContext& ctx) {
  Workspace& ws = *ctx.workspace;
  records::ResourceCatalog& catalog = ws.records();
  const std::string names = NamesPattern(catalog);

  http.Get("/api/records/schema", [&catalog](const httplib::Request&, httplib::Response& res) {
    json resources = json::array();
    for (const auto& spec : catalog.specs()) resources.push_back(ResourceJson(spec));
    json roles = json::array();
    for (const char* role : records::kDefaultRoles) roles.push_back(role);
    WriteJson(res, {{"resources", std::move(resources)}, {"roles", std::move(roles)}});
  });

  http.Get("/api/(" + names + ")", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    records::RecordStore& store = *catalog.Find(req.matches[1].str());
    auto query = store.ParseQuery(Params(req), {});
    if (!query.ok()) return WriteError(res, query.status());
    auto page = store.List(principal->project_id, *query);
    if (!page.ok()) return WriteError(res, page.status());
    WriteJson(res, {{"records", std::move(page->records)},
                    {"total", page->total},
                    {"limit", query->limit},
                    {"offset", query->offset}});
  });

  http.Get("/api/(" + names + ")/export", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto format = ExportFormat(req);
    if (!format.ok()) return WriteError(res, format.status());
    records::RecordStore& store = *catalog.Find(req.matches[1].str());
    auto query = store.ParseQuery(Params(req), {"format"});
    if (!query.ok()) return WriteError(res, query.status());
    if (!req.has_param("limit")) query->limit = records::RecordStore::kMaxListLimit;
    auto page = store.List(principal->project_id, *query);
    if (!page.ok()) return WriteError(res, page.status());
    WriteTableFile(res, ws, records::RecordsToTable(store.spec(), page->records), store.spec().name, *format);
  });

  http.Get("/api/(" + names + R"()/(\d+))", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRead(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 2);
    if (!id.ok()) return WriteError(res, id.status());
    auto record = catalog.Find(req.matches[1].str())->Get(principal->project_id, *id);
    if (!record.ok()) return WriteError(res, record.status());
    WriteJson(res, {{"record", std::move(*record)}});
  });

  http.Post("/api/(" + names + ")", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    records::RecordStore& store = *catalog.Find(req.matches[1].str());
    if (!body->is_array()) {
      auto created = store.Create(principal->project_id, *body);
      if (!created.ok()) return WriteError(res, created.status());
      DrainTimeline(ws, principal->project_id);
      return WriteJson(res, {{"record", std::move(*created)}}, 201);
    }
    // A batch: each item stands alone, so one bad row does not lose the good ones.
    if (body->size() > 1000) return WriteError(res, InvalidArgument("at most 1000 records per request", "body"));
    std::vector<json> inputs(body->begin(), body->end());
    auto results = store.CreateMany(principal->project_id, inputs);
    if (!results.ok()) return WriteError(res, results.status());
    DrainTimeline(ws, principal->project_id);
    WriteBatchAnswer(res, *results, {});
  });

  // CSV import: header row of field names, one record per row (records/record_csv.h).
  http.Post("/api/(" + names + ")/import", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    records::RecordStore& store = *catalog.Find(req.matches[1].str());
    auto rows = records::CsvToRecordInputs(store.spec(), req.body);
    if (!rows.ok()) return WriteError(res, rows.status());
    if (rows->size() > 100'000) return WriteError(res, InvalidArgument("at most 100000 rows per file", "body"));
    std::vector<json> inputs;
    std::vector<size_t> lines;
    for (auto& row : *rows) {
      inputs.push_back(std::move(row.input));
      lines.push_back(row.line);
    }
    auto results = store.CreateMany(principal->project_id, inputs);
    if (!results.ok()) return WriteError(res, results.status());
    DrainTimeline(ws, principal->project_id);
    WriteBatchAnswer(res, *results, lines);
  });

  http.Patch("/api/(" + names + R"()/(\d+))", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 2);
    if (!id.ok()) return WriteError(res, id.status());
    auto body = ParseJsonBody(req);
    if (!body.ok()) return WriteError(res, body.status());
    auto updated = catalog.Find(req.matches[1].str())->Update(principal->project_id, *id, *body);
    if (!updated.ok()) return WriteError(res, updated.status());
    DrainTimeline(ws, principal->project_id);
    WriteJson(res, {{"record", std::move(*updated)}});
  });

  http.Delete("/api/(" + names + R"()/(\d+))", [&ws, &catalog](const httplib::Request& req, httplib::Response& res) {
    auto principal = AuthenticateRecordEditor(req, ws);
    if (!principal.ok()) return WriteError(res, principal.status());
    auto id = PathId(req, 2);
    if (!id.ok()) return WriteError(res, id.status());
    Status deleted = catalog.Find(req.matches[1].str())->Delete(principal->project_id, *id);
    if (!deleted.ok()) return WriteError(res, deleted);
    WriteJson(res, {{"ok", true}});
  });
}

}  // namespace tobops::server
