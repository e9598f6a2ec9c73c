// File: ops/demo_replay.h
// The replay both demo record generators share (ops/demo_records.h, the sales records;
// ops/demo_growth_records.h, the growth records): a catalog of their own whose clock is
// set to each planned write's historical moment, on a database that runs with
// synchronous=NORMAL meanwhile; the loop that writes a plan of DemoRecordWrite through
// it (resolving {"$plan": key} references, draining the timeline outbox as it goes);
// and the small helpers both need (listing every record of a kind, deleting the kinds
// a demo wrote, a stable string hash, a comma list, the churn reasons in Chinese).
// Callers: demo_records.cc, demo_growth_records.cc. Thread-safety: one thread; the demo
// owns the project meanwhile.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/sqlite_database.h"
#include "ops/demo_records.h"
#include "ops/ops_context.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"

namespace tobops::ops {

// 64-bit FNV-1a of `s`: a seed mixed from a name, the same on every platform.
uint64_t DemoFnv(std::string_view s);

// Every record of `store` in `project`, by id ascending, however many (paged through
// List, unlike ListAllRecords of ops/sales_records.h, which reads one page). Errors:
// the store's.
[[nodiscard]] Result<std::vector<nlohmann::json>> ListEveryRecord(records::RecordStore& store,
                                                                  const std::string& project);

// Deletes every record of each kind of `kinds` in `project`, in that order (so kinds
// that refer to others come first). Errors: the stores'.
[[nodiscard]] Status DeleteAllRecords(records::ResourceCatalog& catalog, const std::string& project,
                                      std::span<const std::string_view> kinds);

// "a,b,c" → {"a", "b", "c"} (no trimming; "" → {}).
std::vector<std::string> DemoSplitList(std::string_view text);

// The `reason` property of a churned event (the demo story's codes) in Chinese: the
// lost reason of the sales records' renewal deal and of the growth records' renewal.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kDemoChurnReasonZh = {
    {{"budget_cut", "预算削减"},
     {"low_adoption", "使用率低"},
     {"switched_competitor", "转用竞品"},
     {"champion_left", "关键联系人离职"},
     {"price", "价格因素"},
     {"project_ended", "项目结束"}}};

// A ResourceCatalog over `db` whose clock is the replay's (SetClock), so record times,
// and the timeline events made from them, are the story's and not today's. While it
// lives, the database runs with synchronous=NORMAL: the demo writes thousands of small
// transactions and with FULL each waits for an fsync (~2 ms); in WAL mode NORMAL stays
// consistent and only loses the last commits on a power cut, which a demo re-run
// (--reset) repairs. On destruction FULL is back and the WAL checkpointed (fsync'd).
class DemoReplay {
 public:
  // The catalog's clock starts at `end_ms`. Errors: the database's (the pragma).
  [[nodiscard]] static Result<std::unique_ptr<DemoReplay>> Open(domain::SqliteDatabase& db, int64_t end_ms);
  ~DemoReplay();
  DemoReplay(const DemoReplay&) = delete;
  DemoReplay& operator=(const DemoReplay&) = delete;

  records::ResourceCatalog& catalog() { return *catalog_; }
  void SetClock(int64_t ms) { clock_ms_->store(ms); }

  // Whether `project` has any record of `resource` (a demo's marker kind: the demo was
  // written before). Errors: the store's.
  [[nodiscard]] Result<bool> HasAny(std::string_view resource, const std::string& project);

  struct Outcome {
    std::map<std::string, size_t> created;  // resource → records created
    size_t updates = 0;                     // records updated
    size_t writes = 0;                      // writes of the plan made
    double seconds = 0;                     // the whole replay, drains included
    double drain_seconds = 0;               // the timeline outbox drains
  };
  // A write the caller makes itself (the accounts' profile upserts, the ledger's
  // entries): true when it did (and counted it in `counts`), false for an ordinary
  // create or update. It may record the id a created key got in `ids`.
  using SpecialWrite = std::function<Result<bool>(const DemoRecordWrite& write, nlohmann::json& fields,
                                                  std::unordered_map<std::string, int64_t>& ids,
                                                  Outcome& counts)>;
  // Writes `plan` in order through catalog() in ctx.project_id: the clock at each
  // write's at_ms, its {"$plan": key} references resolved, `special` (may be empty)
  // asked first, else a create (counted in created) or an update of a key created
  // earlier (counted in updates). Drains the timeline outbox through `drain_ctx` (whose records are
  // catalog()) every 4000 writes and at the end, with the clock back at `end_ms`.
  // `name` ("records", "growth records") starts the progress lines and errors.
  // Errors: a write's (naming resource and key), a key used or updated before it was
  // created (kInternal: the plan is wrong), the drain's.
  [[nodiscard]] Result<Outcome> Write(const std::vector<DemoRecordWrite>& plan, const OpsContext& drain_ctx,
                                      int64_t end_ms, const std::string& name, const SpecialWrite& special,
                                      const std::function<void(const std::string&)>& progress);

 private:
  DemoReplay(domain::SqliteDatabase& db, int64_t end_ms);

  domain::SqliteDatabase& db_;
  std::shared_ptr<std::atomic<int64_t>> clock_ms_;
  std::unique_ptr<records::ResourceCatalog> catalog_;
};

}  // namespace tobops::ops
