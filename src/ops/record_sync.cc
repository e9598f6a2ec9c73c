#include "ops/record_sync.h"

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "records/record_store.h"
#include "records/record_validation.h"
#include "records/sales_resources.h"

namespace tobops::ops {
namespace {

using nlohmann::json;
using records::FieldType;
using records::ResourceSpec;

const ResourceSpec& SpecNamed(const std::string& name) {
  static const std::vector<ResourceSpec> specs = records::SalesResources();
  for (const auto& spec : specs) {
    if (spec.name == name) return spec;
  }
  std::abort();  // names fixed in this file
}

json TraitJson(const store::PropertyValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  if (const auto* d = std::get_if<double>(&value)) {
    // Whole numbers as integers: seats 25 fits an integer field, and the stored traits
    // read back equal, so an unchanged record is not rewritten.
    if (std::floor(*d) == *d && std::fabs(*d) < 9e15) return static_cast<int64_t>(*d);
    return *d;
  }
  return nullptr;
}

const store::PropertyValue* FindTrait(const ingest::Traits& traits, std::string_view key) {
  for (const auto& t : traits) {
    if (t.key == key) return &t.value;
  }
  return nullptr;
}

// Sets row[field] from a trait when the trait is present and valid for the field;
// otherwise leaves the row alone (a bad trait must not block the rest of the record).
void SetFromTrait(const ResourceSpec& spec, const ingest::Traits& traits, std::string_view trait,
                  const std::string& field, json* row) {
  const store::PropertyValue* value = FindTrait(traits, trait);
  if (value == nullptr || std::holds_alternative<std::monostate>(*value)) return;
  const records::FieldSpec* f = spec.Find(field);
  if (f == nullptr) return;
  json input = TraitJson(*value);
  switch (f->type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEnum: input = store::PropertyValueToString(*value); break;
    case FieldType::kDate: {
      // A renewal date sent as a time ("2027-03-01T00:00:00Z") is that day.
      std::string text = store::PropertyValueToString(*value);
      if (text.size() > 10 && text[10] == 'T') text.resize(10);
      input = text;
      break;
    }
    default: break;
  }
  std::vector<records::FieldError> errors;
  json normalized = records::NormalizeValue(*f, input, field, &errors);
  if (!errors.empty() || normalized.is_null()) return;
  (*row)[field] = std::move(normalized);
}

json AllTraits(const ingest::Traits& traits) {
  json out = json::object();
  for (const auto& t : traits) out[t.key] = TraitJson(t.value);
  return out;
}

// Upserts rows keyed by `key`; when the batch as a whole is refused (a row that still
// does not validate, e.g. a name longer than the field), retries row by row so one bad
// record never holds back the others.
Result<size_t> Upsert(const OpsContext& ctx, const std::string& resource, const std::string& key,
                      const std::vector<json>& rows) {
  if (rows.empty()) return size_t{0};
  records::RecordStore& store = ctx.records->Get(resource);
  auto all = store.UpsertByKey(ctx.project_id, key, rows, /*override_manual=*/false);
  if (all.ok() || all.status().code() != StatusCode::kInvalidArgument) return all;
  size_t changed = 0;
  size_t skipped = 0;
  for (const auto& row : rows) {
    auto one = store.UpsertByKey(ctx.project_id, key, {row}, false);
    if (one.ok()) {
      changed += *one;
    } else if (one.status().code() == StatusCode::kInvalidArgument) {
      if (skipped++ < 5) {
        spdlog::warn("project {}: {} {} not synced: {}", ctx.project_id, resource, row[key].dump(),
                     one.status().ToString());
      }
    } else {
      return one.status();
    }
  }
  return changed;
}

// group_id → account record id for the given groups.
Result<std::unordered_map<std::string, int64_t>> AccountIds(const OpsContext& ctx,
                                                            const std::set<std::string>& groups) {
  std::unordered_map<std::string, int64_t> ids;
  if (groups.empty()) return ids;
  records::RecordStore& accounts = ctx.records->Get("accounts");
  // A few: one indexed lookup each; many: one pass over the project's accounts.
  if (groups.size() <= 256) {
    for (const auto& g : groups) {
      auto found = accounts.FindBy(ctx.project_id, "group_id", g);
      if (found.ok()) {
        ids[g] = (*found)["id"].get<int64_t>();
      } else if (found.status().code() != StatusCode::kNotFound) {
        return found.status();
      }
    }
    return ids;
  }
  records::RecordQuery query;
  query.sort = "id";
  query.limit = records::RecordStore::kMaxListLimit;
  for (query.offset = 0;; query.offset += query.limit) {
    ASSIGN_OR_RETURN(records::RecordPage page, accounts.List(ctx.project_id, query));
    for (const auto& r : page.records) {
      if (r["group_id"].is_string() && groups.count(r["group_id"].get<std::string>())) {
        ids[r["group_id"].get<std::string>()] = r["id"].get<int64_t>();
      }
    }
    if (static_cast<int64_t>(page.records.size()) < query.limit) break;
  }
  return ids;
}

struct PersonState {
  std::string id;
  std::string account;
  ingest::Traits traits;
};

// Writes the accounts (group → traits), then the contacts linked to the account
// records of their persons' accounts. A person's account that has no record yet gets
// one from its current traits; one that has a record is not rewritten here (its
// traits changed only if a group call touched it, and then it is in `accounts`).
Result<SyncCounts> Write(const OpsContext& ctx, const std::map<std::string, ingest::Traits>& accounts,
                         const std::vector<PersonState>& persons) {
  SyncCounts counts;
  std::vector<json> account_rows;
  account_rows.reserve(accounts.size());
  for (const auto& [group, traits] : accounts) account_rows.push_back(RecordSync::AccountRow(group, traits));
  ASSIGN_OR_RETURN(counts.accounts_written, Upsert(ctx, "accounts", "group_id", account_rows));

  std::set<std::string> groups;
  for (const auto& p : persons) {
    if (!p.account.empty()) groups.insert(p.account);
  }
  ASSIGN_OR_RETURN(auto account_ids, AccountIds(ctx, groups));
  std::set<std::string> missing;
  for (const auto& g : groups) {
    if (!account_ids.count(g)) missing.insert(g);
  }
  if (!missing.empty()) {
    std::vector<json> rows;
    for (const auto& g : missing) rows.push_back(RecordSync::AccountRow(g, ctx.identity->AccountTraits(g)));
    ASSIGN_OR_RETURN(size_t created, Upsert(ctx, "accounts", "group_id", rows));
    counts.accounts_written += created;
    ASSIGN_OR_RETURN(auto created_ids, AccountIds(ctx, missing));
    account_ids.insert(created_ids.begin(), created_ids.end());
  }
  std::vector<json> contact_rows;
  contact_rows.reserve(persons.size());
  for (const auto& p : persons) {
    json row = RecordSync::ContactRow(p.id, p.traits);
    if (auto it = account_ids.find(p.account); it != account_ids.end()) row["account_id"] = it->second;
    contact_rows.push_back(std::move(row));
  }
  ASSIGN_OR_RETURN(counts.contacts_written, Upsert(ctx, "contacts", "person_id", contact_rows));
  return counts;
}

Status CheckContext(const OpsContext& ctx) {
  if (ctx.records == nullptr || ctx.identity == nullptr) {
    return FailedPrecondition("record sync needs the project's records and identity graph");
  }
  return Status::Ok();
}

}  // namespace

json RecordSync::AccountRow(const std::string& group_id, const ingest::Traits& traits) {
  const ResourceSpec& spec = SpecNamed("accounts");
  json row = json::object();
  row["group_id"] = group_id;
  SetFromTrait(spec, traits, "name", "name", &row);
  if (!row.contains("name")) row["name"] = group_id;
  for (const char* field : {"industry", "size", "region", "level", "owner", "plan", "arr", "seats",
                            "lifecycle_stage", "renewal_date"}) {
    SetFromTrait(spec, traits, field, field, &row);
  }
  row["traits"] = AllTraits(traits);
  return row;
}

json RecordSync::ContactRow(const std::string& person_id, const ingest::Traits& traits) {
  const ResourceSpec& spec = SpecNamed("contacts");
  json row = json::object();
  row["person_id"] = person_id;
  SetFromTrait(spec, traits, "name", "name", &row);
  if (!row.contains("name")) {
    // Segment's reserved traits allow firstName / lastName instead of name.
    std::string full;
    for (std::string_view key : {"first_name", "firstName", "last_name", "lastName"}) {
      const auto* v = FindTrait(traits, key);
      if (v == nullptr || !std::holds_alternative<std::string>(*v) || std::get<std::string>(*v).empty()) continue;
      if (key.starts_with("first") && !full.empty()) continue;  // one first name is enough
      full += (full.empty() ? "" : " ") + std::get<std::string>(*v);
    }
    if (!full.empty()) {
      ingest::Traits one{store::Property{"name", full}};
      SetFromTrait(spec, one, "name", "name", &row);
    }
  }
  if (!row.contains("name")) SetFromTrait(spec, traits, "email", "name", &row);
  if (!row.contains("name")) row["name"] = person_id;
  for (const char* field : {"email", "phone", "title", "role"}) SetFromTrait(spec, traits, field, field, &row);
  row["traits"] = AllTraits(traits);
  return row;
}

bool RecordSync::IsIdentified(const std::string& person_id, const ingest::Traits& traits, const std::string& account) {
  if (person_id.empty() || person_id.starts_with(store::kAnonymousPrefix)) return false;
  return !traits.empty() || !account.empty();
}

Result<SyncCounts> RecordSync::SyncAll(const OpsContext& ctx) {
  RETURN_IF_ERROR(CheckContext(ctx));
  std::map<std::string, ingest::Traits> accounts;
  std::vector<PersonState> persons;
  // Copy out under the graph's lock, write after: the visitors must not call back into
  // the graph, and SQLite work under its lock would stall ingest.
  ctx.identity->ForEachAccount([&](const std::string& id, const ingest::Traits& traits) {
    if (!id.empty()) accounts.emplace(id, traits);
  });
  ctx.identity->ForEachPersonWithAccount(
      [&](const std::string& id, const std::string& account, const ingest::Traits& traits) {
        if (IsIdentified(id, traits, account)) persons.push_back(PersonState{id, account, traits});
      });
  // A person's account that no group call described still gets a record (in Write).
  return Write(ctx, accounts, persons);
}

Result<SyncCounts> RecordSync::SyncTouched(const OpsContext& ctx, const std::vector<std::string>& person_ids,
                                           const std::vector<std::string>& account_ids) {
  if (person_ids.empty() && account_ids.empty()) return SyncCounts{};
  RETURN_IF_ERROR(CheckContext(ctx));
  std::vector<std::string> canonical;
  ctx.identity->CanonicalPersons(person_ids, &canonical);
  std::set<std::string> unique(canonical.begin(), canonical.end());
  std::vector<PersonState> persons;
  std::map<std::string, ingest::Traits> accounts;
  for (const auto& id : unique) {
    PersonState p{id, ctx.identity->PersonAccount(id), ctx.identity->PersonTraits(id)};
    if (!IsIdentified(p.id, p.traits, p.account)) continue;
    persons.push_back(std::move(p));
  }
  for (const auto& g : account_ids) {
    if (!g.empty()) accounts.try_emplace(g);
  }
  for (auto& [group, traits] : accounts) traits = ctx.identity->AccountTraits(group);
  return Write(ctx, accounts, persons);
}

Result<json> RecordSync::Release(const OpsContext& ctx, const std::string& resource, int64_t id,
                                 const std::vector<std::string>& fields) {
  RETURN_IF_ERROR(CheckContext(ctx));
  if (resource != "accounts" && resource != "contacts") {
    return InvalidArgument("only accounts and contacts are kept up to date from traits", "resource");
  }
  records::RecordStore& store = ctx.records->Get(resource);
  ASSIGN_OR_RETURN(json released, store.ReleaseManual(ctx.project_id, id, fields));
  if (resource == "accounts") {
    if (!released["group_id"].is_string()) return released;  // typed by hand: no traits to apply
    const std::string group = released["group_id"].get<std::string>();
    ingest::Traits traits = ctx.identity->AccountTraits(group);
    // An account the graph does not know keeps its values: there is nothing newer.
    if (traits.empty()) return released;
    std::map<std::string, ingest::Traits> one{{group, std::move(traits)}};
    RETURN_IF_ERROR(Write(ctx, one, {}).status());
  } else {
    if (!released["person_id"].is_string()) return released;
    const std::string person = ctx.identity->CanonicalPerson(released["person_id"].get<std::string>());
    PersonState p{person, ctx.identity->PersonAccount(person), ctx.identity->PersonTraits(person)};
    // A contact keyed by an id that was merged into another person is not the
    // person's contact any more; its values stay as they are.
    if (person != released["person_id"].get<std::string>() || !IsIdentified(p.id, p.traits, p.account)) {
      return released;
    }
    RETURN_IF_ERROR(Write(ctx, {}, {p}).status());
  }
  return store.Get(ctx.project_id, id);
}

}  // namespace tobops::ops
