#include "ops/content_metrics.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unordered_map>

#include <cctz/civil_time.h>

#include "common/time_format.h"
#include "ops/sales_records.h"
#include "query/record_events.h"
#include "records/record_store.h"
#include "store/event.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

// Level and name of an event's account: the account record with that group_id (or
// "record-account-<id>"), else the account's traits. Cached per account.
class Accounts {
 public:
  struct Info {
    bool target = false;
    TargetAccountInfo info;
  };

  static Result<Accounts> Load(const OpsContext& ctx) {
    Accounts a;
    a.identity_ = ctx.identity;
    ASSIGN_OR_RETURN(std::vector<json> records, ListAllRecords(ctx, "accounts", {}, "id"));
    for (const json& r : records) {
      Info info;
      info.target = TextOf(r, "level") == kTargetAccountLevel;
      info.info.record_id = r["id"];
      info.info.name = TextOf(r, "name");
      a.by_id_["record-account-" + std::to_string(r["id"].get<int64_t>())] = info;
      const std::string group = TextOf(r, "group_id");
      if (!group.empty()) a.by_id_[group] = info;
    }
    return a;
  }

  const Info& Get(const std::string& account) {
    auto it = by_id_.find(account);
    if (it != by_id_.end()) return it->second;
    Info info;
    if (identity_ != nullptr) {
      for (const auto& p : identity_->AccountTraits(account)) {
        const std::string v = store::PropertyValueToString(p.value);
        if (p.key == "level") info.target = v == kTargetAccountLevel;
        if (p.key == "name") info.info.name = v;
      }
    }
    if (info.info.name.empty()) info.info.name = account;
    return by_id_.emplace(account, std::move(info)).first->second;
  }

 private:
  const ingest::IdentityGraph* identity_ = nullptr;
  std::unordered_map<std::string, Info> by_id_;
};

// A reader's role: contact record, else role trait, else kUnknownRole.
class Roles {
 public:
  static Result<Roles> Load(const OpsContext& ctx) {
    Roles r;
    r.identity_ = ctx.identity;
    ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {}, "id"));
    for (const json& c : contacts) {
      std::string person = TextOf(c, "person_id");
      const std::string role = TextOf(c, "role");
      if (person.empty() || role.empty()) continue;
      // Contacts name a stored person id; events are resolved to canonical persons.
      std::vector<std::string> canonical;
      const std::string ids[] = {person};
      if (ctx.identity != nullptr) {
        ctx.identity->CanonicalPersons(ids, &canonical);
        if (!canonical.empty()) person = canonical[0];
      }
      r.roles_[person] = role;
    }
    return r;
  }

  const std::string& Of(const std::string& person) {
    auto it = roles_.find(person);
    if (it != roles_.end()) return it->second;
    std::string role;
    if (identity_ != nullptr) {
      for (const auto& p : identity_->PersonTraits(person)) {
        if (p.key == "role") role = store::PropertyValueToString(p.value);
      }
    }
    if (role.empty()) role = kUnknownRole;
    return roles_.emplace(person, std::move(role)).first->second;
  }

 private:
  const ingest::IdentityGraph* identity_ = nullptr;
  std::unordered_map<std::string, std::string> roles_;
};

}  // namespace

Result<std::vector<json>> ListContentItems(const OpsContext& ctx) {
  return ListAllRecords(ctx, "content_items", {}, "id");
}

Result<ContentScan> ScanContentReads(const OpsContext& ctx, const std::vector<json>& records,
                                     int64_t from_ms, int64_t to_ms) {
  ContentScan scan;
  std::unordered_map<std::string, std::vector<size_t>> by_key, by_path;
  for (size_t i = 0; i < records.size(); ++i) {
    ContentReads reads;
    reads.record = records[i];
    scan.items.push_back(std::move(reads));
    const std::string key = TextOf(records[i], "content_key");
    const std::string path = TextOf(records[i], "page_path");
    if (!key.empty()) by_key[key].push_back(i);
    if (!path.empty()) by_path[path].push_back(i);
  }
  if (records.empty() || from_ms >= to_ms || ctx.store == nullptr) return scan;

  ASSIGN_OR_RETURN(Accounts accounts, Accounts::Load(ctx));
  ASSIGN_OR_RETURN(Roles roles, Roles::Load(ctx));

  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.properties = {"content_id", "path", std::string(query::kRecordSourceProperty)};
  request.max_threads = 1;  // the visitor keeps unguarded state
  std::vector<std::string> canonical;
  std::vector<size_t> matched;
  Status scanned = ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) -> Status {
    if (ctx.identity != nullptr) {
      ctx.identity->CanonicalPersons(block.person_dict, &canonical);
    } else {
      canonical.assign(block.person_dict.begin(), block.person_dict.end());
    }
    auto prop = [&](size_t column, size_t row) -> const store::PropertyValue* {
      const store::PropertyColumn& c = block.properties[column];
      if (c.codes == nullptr || c.codes[row] == 0) return nullptr;
      return &c.dict[c.codes[row] - 1];
    };
    for (size_t i = 0; i < block.rows; ++i) {
      const store::PropertyValue* source = prop(2, i);
      if (source != nullptr && store::PropertyValueToString(*source) == query::kRecordSourceValue)
        continue;
      matched.clear();
      const std::string& name = block.event_dict[block.event[i]];
      if (const auto* id = prop(0, i)) {
        auto it = by_key.find(store::PropertyValueToString(*id));
        if (it != by_key.end()) matched = it->second;
      }
      if (name == "content_shared") {
        for (size_t m : matched) ++scan.items[m].share_events;
        continue;
      }
      if (block.type[i] == store::MessageType::kPage) {
        if (const auto* path = prop(1, i)) {
          auto it = by_path.find(store::PropertyValueToString(*path));
          if (it != by_path.end()) matched.insert(matched.end(), it->second.begin(), it->second.end());
        }
      }
      if (matched.empty()) continue;
      std::sort(matched.begin(), matched.end());
      matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
      const std::string& person = canonical[block.person[i]];
      const std::string& account = block.account_dict[block.account[i]];
      const Accounts::Info* info = account.empty() ? nullptr : &accounts.Get(account);
      const std::string& role = roles.Of(person);
      for (size_t m : matched) {
        ContentReads& r = scan.items[m];
        ++r.pv;
        r.readers.insert(person);
        r.readers_by_role[role].insert(person);
        if (!account.empty()) ++r.reads_by_account[account];
        if (info != nullptr && info->target) {
          r.target_readers.insert(person);
          r.target_accounts.insert(account);
          scan.target_accounts.emplace(account, info->info);
          scan.target_account_readers[account].insert(person);
        }
      }
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(scanned);
  return scan;
}

json ContentItemWithMetrics(const ContentReads& reads) {
  json item = reads.record;
  const int64_t recorded = reads.record.value("shares", json(0)).is_number_integer()
                               ? reads.record.value("shares", json(0)).get<int64_t>()
                               : 0;
  item["pv"] = reads.pv;
  item["uv"] = static_cast<int64_t>(reads.readers.size());
  item["target_account_readers"] = static_cast<int64_t>(reads.target_readers.size());
  item["target_accounts"] = static_cast<int64_t>(reads.target_accounts.size());
  json roles = json::object();
  for (const auto& [role, people] : reads.readers_by_role) roles[role] = static_cast<int64_t>(people.size());
  item["readers_by_role"] = std::move(roles);
  item["recorded_shares"] = recorded;
  item["share_events"] = reads.share_events;
  item["shares"] = recorded + reads.share_events;
  return item;
}

Result<ContentWindow> ParseContentWindow(const OpsContext& ctx, const std::string& from,
                                         const std::string& to) {
  const cctz::civil_day today = cctz::civil_day(
      cctz::convert(cctz::time_point<cctz::seconds>(cctz::seconds(ctx.now_ms / 1000)), ctx.zone));
  cctz::civil_day last = today, first;
  if (!to.empty()) {
    auto day = ParseCivilDay(to);
    if (!day.ok()) return InvalidArgument("to must be a day YYYY-MM-DD", "to");
    last = *day;
  }
  first = last - 29;
  if (!from.empty()) {
    auto day = ParseCivilDay(from);
    if (!day.ok()) return InvalidArgument("from must be a day YYYY-MM-DD", "from");
    first = *day;
  }
  if (first > last) return InvalidArgument("from must not be after to", "from");
  auto ms = [&](const cctz::civil_day& d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               ctx.zone.lookup(cctz::civil_second(d)).pre.time_since_epoch())
        .count();
  };
  ContentWindow w;
  w.from_ms = ms(first);
  w.to_ms = ms(last + 1);
  auto text = [](const cctz::civil_day& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
    return std::string(buf);
  };
  w.from = text(first);
  w.to = text(last);
  return w;
}

Result<json> BuildContentMetrics(const OpsContext& ctx, const ContentWindow& window) {
  ASSIGN_OR_RETURN(std::vector<json> records, ListContentItems(ctx));
  ASSIGN_OR_RETURN(ContentScan scan, ScanContentReads(ctx, records, window.from_ms, window.to_ms));
  std::vector<json> items;
  for (const ContentReads& r : scan.items) items.push_back(ContentItemWithMetrics(r));
  std::stable_sort(items.begin(), items.end(), [](const json& a, const json& b) {
    return a["pv"].get<int64_t>() > b["pv"].get<int64_t>();
  });
  return json{{"from", window.from}, {"to", window.to}, {"items", std::move(items)}};
}

}  // namespace tobops::ops
