#include "ops/demo_replay.h"

#include <chrono>

#include "ops/timeline_outbox.h"

namespace tobops::ops {

using nlohmann::json;

uint64_t DemoFnv(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::vector<std::string> DemoSplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<std::vector<json>> ListEveryRecord(records::RecordStore& store, const std::string& project) {
  records::RecordQuery query;
  query.sort = "id";
  query.descending = false;
  query.limit = records::RecordStore::kMaxListLimit;
  std::vector<json> out;
  for (;;) {
    ASSIGN_OR_RETURN(records::RecordPage page, store.List(project, query));
    for (auto& r : page.records) out.push_back(std::move(r));
    if (static_cast<int64_t>(out.size()) >= page.total || page.records.empty()) break;
    query.offset = static_cast<int64_t>(out.size());
  }
  return out;
}

Status DeleteAllRecords(records::ResourceCatalog& catalog, const std::string& project,
                        std::span<const std::string_view> kinds) {
  for (std::string_view kind : kinds) {
    records::RecordStore& store = catalog.Get(kind);
    ASSIGN_OR_RETURN(std::vector<json> all, ListEveryRecord(store, project));
    for (const auto& r : all) RETURN_IF_ERROR(store.Delete(project, r["id"].get<int64_t>()));
  }
  return Status::Ok();
}

namespace {

// Replaces every {"$plan": key} in `value` by the id the key's record got.
Status Resolve(json& value, const std::unordered_map<std::string, int64_t>& ids, const std::string& name) {
  if (value.is_object()) {
    if (value.size() == 1 && value.contains("$plan")) {
      const auto it = ids.find(value["$plan"].get<std::string>());
      if (it == ids.end())
        return Internal("demo " + name + ": " + value["$plan"].get<std::string>() + " used before created");
      value = it->second;
      return Status::Ok();
    }
    for (auto& [k, v] : value.items()) RETURN_IF_ERROR(Resolve(v, ids, name));
  } else if (value.is_array()) {
    for (auto& v : value) RETURN_IF_ERROR(Resolve(v, ids, name));
  }
  return Status::Ok();
}

double SecondsBetween(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

DemoReplay::DemoReplay(domain::SqliteDatabase& db, int64_t end_ms)
    : db_(db), clock_ms_(std::make_shared<std::atomic<int64_t>>(end_ms)) {
  catalog_ = std::make_unique<records::ResourceCatalog>(db, records::AllResources(),
                                                        [clock = clock_ms_] { return clock->load(); });
}

Result<std::unique_ptr<DemoReplay>> DemoReplay::Open(domain::SqliteDatabase& db, int64_t end_ms) {
  RETURN_IF_ERROR(
      db.Run([](domain::SqliteConnection& conn) { return conn.Execute("PRAGMA synchronous=NORMAL"); }));
  return std::unique_ptr<DemoReplay>(new DemoReplay(db, end_ms));
}

DemoReplay::~DemoReplay() {
  catalog_.reset();
  db_.Run([](domain::SqliteConnection& conn) {
       return conn.Execute("PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(FULL);");
     }).IgnoreError();
}

Result<bool> DemoReplay::HasAny(std::string_view resource, const std::string& project) {
  records::RecordQuery probe;
  probe.limit = 1;
  ASSIGN_OR_RETURN(records::RecordPage existing, catalog_->Get(resource).List(project, probe));
  return existing.total > 0;
}

Result<DemoReplay::Outcome> DemoReplay::Write(const std::vector<DemoRecordWrite>& plan, const OpsContext& drain_ctx,
                                              int64_t end_ms, const std::string& name, const SpecialWrite& special,
                                              const std::function<void(const std::string&)>& progress) {
  const std::string& project = drain_ctx.project_id;
  Outcome out;
  std::unordered_map<std::string, int64_t> ids;
  const auto drain = [&]() -> Status {
    const auto drain_start = std::chrono::steady_clock::now();
    Status drained = TimelineOutbox::Drain(drain_ctx).status();
    out.drain_seconds += SecondsBetween(drain_start, std::chrono::steady_clock::now());
    return drained;
  };
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  for (const auto& w : plan) {
    SetClock(w.at_ms);
    json fields = w.fields;
    RETURN_IF_ERROR(Resolve(fields, ids, name));
    bool written = false;
    if (special) {
      ASSIGN_OR_RETURN(written, special(w, fields, ids, out));
    }
    if (written) {
      // The caller wrote it.
    } else if (!w.update) {
      auto created = catalog_->Get(w.resource).Create(project, fields);
      if (!created.ok()) {
        return Status(created.status().code(), "demo " + w.resource + " " + w.key + ": " + created.status().message());
      }
      ids[w.key] = (*created)["id"].get<int64_t>();
      ++out.created[w.resource];
    } else {
      const auto it = ids.find(w.key);
      if (it == ids.end()) return Internal("demo " + name + ": " + w.key + " updated before created");
      auto updated = catalog_->Get(w.resource).Update(project, it->second, fields);
      if (!updated.ok()) {
        return Status(updated.status().code(), "demo " + w.resource + " " + w.key + ": " + updated.status().message());
      }
      ++out.updates;
    }
    // Drain as we go so the outbox stays small.
    if (++out.writes % 4000 == 0) RETURN_IF_ERROR(drain());
    const auto now = std::chrono::steady_clock::now();
    if (progress && now - last_report > std::chrono::milliseconds(500)) {
      last_report = now;
      progress(name + ": " + std::to_string(out.writes) + " / " + std::to_string(plan.size()) + " writes");
    }
  }
  SetClock(end_ms);
  RETURN_IF_ERROR(drain());
  out.seconds = SecondsBetween(start, std::chrono::steady_clock::now());
  return out;
}

}  // namespace tobops::ops
