#include "records/record_store.h"

#include <algorithm>
#include <cassert>
#include <set>

#include <cctz/time_zone.h>

#include "common/time_format.h"
#include "records/record_validation.h"
#include "records/resource_catalog.h"

// SQL dialect. Statements are built here from the spec (column and table names come
// only from specs, never from requests; values are always bound). A PostgreSQL backend
// changes: "?" → "$n" placeholders, AUTOINCREMENT keys → BIGSERIAL with "RETURNING id"
// instead of LastInsertRowId, "BEGIN IMMEDIATE" → "BEGIN"; LIKE, IS NULL, LIMIT/OFFSET,
// SAVEPOINT and ORDER BY (x IS NULL) are the same.
namespace tobops::records {
namespace {

using domain::SqliteConnection;
using domain::SqliteStatement;
using nlohmann::json;


std::string Iso(int64_t ms) { return FormatIso8601Ms(ms, cctz::utc_time_zone()); }

// Binds one normalized value into its column's storage form.
Status BindValue(SqliteStatement& stmt, int index, const FieldSpec& field, const json& value) {
  if (value.is_null()) return stmt.BindNull(index);
  switch (field.type) {
    case FieldType::kInteger:
    case FieldType::kTime:
    case FieldType::kReference: return stmt.BindInt64(index, value.get<int64_t>());
    case FieldType::kBool: return stmt.BindInt64(index, value.get<bool>() ? 1 : 0);
    case FieldType::kNumber: return stmt.BindDouble(index, value.get<double>());
    default:
      if (field.IsList()) return stmt.BindText(index, value.dump());
      return stmt.BindText(index, value.get<std::string>());
  }
}

// Reads a column back into the normalized value (times stay UTC ms here).
json ReadValue(const SqliteStatement& stmt, int column, const FieldSpec& field) {
  if (stmt.ColumnIsNull(column)) return nullptr;
  switch (field.type) {
    case FieldType::kInteger:
    case FieldType::kTime:
    case FieldType::kReference: return stmt.ColumnInt64(column);
    case FieldType::kBool: return stmt.ColumnInt64(column) != 0;
    case FieldType::kNumber: return stmt.ColumnDouble(column);
    default:
      if (field.IsList()) {
        json parsed = json::parse(stmt.ColumnText(column), nullptr, /*allow_exceptions=*/false);
        return parsed.is_discarded() ? json(nullptr) : parsed;
      }
      return stmt.ColumnText(column);
  }
}

// The API form of a stored value: times as ISO-8601 UTC.
json PublicValue(const FieldSpec& field, const json& value) {
  if (field.type == FieldType::kTime && value.is_number_integer()) return Iso(value.get<int64_t>());
  return value;
}

std::string ReferenceNameKey(const FieldSpec& field) {
  std::string base = field.name;
  if (field.type == FieldType::kReference && base.ends_with("_id")) return base.substr(0, base.size() - 3) + "_name";
  if (field.type == FieldType::kReferenceList && base.ends_with("_ids")) return base.substr(0, base.size() - 4) + "_names";
  return base + "_name";
}

bool IsSortable(const FieldSpec& field) { return !field.IsList() && field.type != FieldType::kLongText; }

}  // namespace

RecordStore::RecordStore(domain::SqliteDatabase& db, const ResourceSpec& spec, const ResourceCatalog& catalog,
                         domain::Clock clock)
    : db_(db), spec_(spec), catalog_(catalog), clock_(std::move(clock)) {}

// ---- reading -----------------------------------------------------------------

namespace {

std::string SelectColumns(const ResourceSpec& spec) {
  std::string cols = "id";
  for (const auto& f : spec.fields) cols += ", " + f.name;
  cols += ", created_at_ms, updated_at_ms";
  if (spec.tracks_manual_edits) cols += ", manual_fields";
  return cols;
}

// The internal form of a row: normalized values (times as ms), plus id and the
// system members. ToPublic turns it into the API form.
json ReadRow(const ResourceSpec& spec, const SqliteStatement& stmt) {
  json row = json::object();
  row["id"] = stmt.ColumnInt64(0);
  int column = 1;
  for (const auto& f : spec.fields) row[f.name] = ReadValue(stmt, column++, f);
  row["created_at_ms"] = stmt.ColumnInt64(column++);
  row["updated_at_ms"] = stmt.ColumnInt64(column++);
  if (spec.tracks_manual_edits) {
    json manual = json::parse(stmt.ColumnText(column), nullptr, false);
    row["manual_fields"] = manual.is_array() ? manual : json::array();
  }
  return row;
}

json ToPublic(const ResourceSpec& spec, const json& row) {
  json out = json::object();
  out["id"] = row["id"];
  for (const auto& f : spec.fields) out[f.name] = PublicValue(f, row[f.name]);
  for (const auto& [key, value] : row.items()) {
    if (key.ends_with("_name") || key.ends_with("_names")) {
      if (!out.contains(key)) out[key] = value;
    }
  }
  out["created_at"] = Iso(row["created_at_ms"].get<int64_t>());
  out["updated_at"] = Iso(row["updated_at_ms"].get<int64_t>());
  if (row.contains("manual_fields")) out["manual_fields"] = row["manual_fields"];
  return out;
}

}  // namespace

Result<json> RecordStore::GetLocked(SqliteConnection& conn, const std::string& project_id, int64_t id) {
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   conn.Prepare("SELECT " + SelectColumns(spec_) + " FROM " + spec_.name +
                                " WHERE project_id = ? AND id = ?"));
  RETURN_IF_ERROR(stmt.BindText(1, project_id));
  RETURN_IF_ERROR(stmt.BindInt64(2, id));
  ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return NotFound("no " + spec_.singular + " " + std::to_string(id) + " in this project");
  return ReadRow(spec_, stmt);
}

Result<json> RecordStore::Get(const std::string& project_id, int64_t id) {
  json out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(json row, GetLocked(conn, project_id, id));
    std::vector<json> rows{std::move(row)};
    AddReferenceNames(conn, project_id, &rows);
    out = ToPublic(spec_, rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordStore::FindBy(const std::string& project_id, const std::string& field, const json& value) {
  const FieldSpec* f = spec_.Find(field);
  if (f == nullptr) return InvalidArgument("not a field of " + spec_.singular, field);
  json out;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT " + SelectColumns(spec_) + " FROM " + spec_.name +
                                                        " WHERE project_id = ? AND " + field + " = ? LIMIT 1"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(BindValue(stmt, 2, *f, value));
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return NotFound("no " + spec_.singular + " with " + field + " " + value.dump());
    std::vector<json> rows{ReadRow(spec_, stmt)};
    AddReferenceNames(conn, project_id, &rows);
    out = ToPublic(spec_, rows[0]);
    return Status::Ok();
  }));
  return out;
}

void RecordStore::AddReferenceNames(SqliteConnection& conn, const std::string& project_id, std::vector<json>* rows) {
  for (const auto& field : spec_.fields) {
    if (field.type != FieldType::kReference && field.type != FieldType::kReferenceList) continue;
    const ResourceSpec* target = catalog_.FindSpec(field.references);
    if (target == nullptr || target->Find(target->display_field) == nullptr) continue;
    std::set<int64_t> ids;
    for (const auto& row : *rows) {
      const json& v = row[field.name];
      if (v.is_number_integer()) ids.insert(v.get<int64_t>());
      if (v.is_array()) {
        for (const auto& id : v) ids.insert(id.get<int64_t>());
      }
    }
    if (ids.empty()) continue;
    std::string in;
    for (int64_t id : ids) in += (in.empty() ? "" : ",") + std::to_string(id);
    auto stmt = conn.Prepare("SELECT id, " + target->display_field + " FROM " + target->name +
                             " WHERE project_id = ? AND id IN (" + in + ")");
    if (!stmt.ok() || !stmt->BindText(1, project_id).ok()) continue;
    std::map<int64_t, std::string> names;
    while (true) {
      auto has_row = stmt->Step();
      if (!has_row.ok() || !*has_row) break;
      names[stmt->ColumnInt64(0)] = stmt->ColumnText(1);
    }
    const std::string key = ReferenceNameKey(field);
    for (auto& row : *rows) {
      const json& v = row[field.name];
      if (v.is_number_integer()) {
        auto it = names.find(v.get<int64_t>());
        row[key] = it == names.end() ? json(nullptr) : json(it->second);
      } else if (v.is_array()) {
        json list = json::array();
        for (const auto& id : v) {
          auto it = names.find(id.get<int64_t>());
          list.push_back(it == names.end() ? json(nullptr) : json(it->second));
        }
        row[key] = std::move(list);
      } else {
        row[key] = nullptr;
      }
    }
  }
}

Result<RecordPage> RecordStore::List(const std::string& project_id, const RecordQuery& query) {
  std::string where = " WHERE project_id = ?";
  std::vector<std::pair<const FieldSpec*, json>> binds;
  FieldSpec text_field;  // binds for search and contains are text
  for (const auto& filter : query.filters) {
    const FieldSpec* f = spec_.Find(filter.field);
    if (f == nullptr) return InvalidArgument("not a field of " + spec_.singular, filter.field);
    switch (filter.op) {
      case RecordFilter::Op::kEquals:
        if (filter.value.is_null()) {
          where += " AND " + f->name + " IS NULL";
          continue;
        }
        where += " AND " + f->name + " = ?";
        binds.emplace_back(f, filter.value);
        break;
      case RecordFilter::Op::kContains:
        // Lists are JSON text; an item matches as its JSON form between separators.
        where += " AND " + f->name + " LIKE ?";
        binds.emplace_back(&text_field, json("%" + filter.value.dump() + "%"));
        break;
      case RecordFilter::Op::kFrom:
        where += " AND " + f->name + " >= ?";
        binds.emplace_back(f, filter.value);
        break;
      case RecordFilter::Op::kTo:
        where += " AND " + f->name + " <= ?";
        binds.emplace_back(f, filter.value);
        break;
    }
  }
  if (!query.search.empty() && !spec_.search_fields.empty()) {
    where += " AND (";
    for (size_t i = 0; i < spec_.search_fields.size(); ++i) {
      where += (i ? " OR " : "") + spec_.search_fields[i] + " LIKE ?";
      binds.emplace_back(&text_field, json("%" + query.search + "%"));
    }
    where += ")";
  }
  std::string sort = query.sort.empty() ? spec_.default_sort : query.sort;
  if (sort == "created_at" || sort == "updated_at") sort += "_ms";
  if (sort != "id" && sort != "created_at_ms" && sort != "updated_at_ms") {
    const FieldSpec* f = spec_.Find(sort);
    if (f == nullptr || !IsSortable(*f)) return InvalidArgument("cannot sort by \"" + sort + "\"", "sort");
  }
  const bool descending = query.descending.value_or(spec_.default_descending);
  const std::string direction = descending ? " DESC" : " ASC";
  // Nulls last either way, then id for a stable order across pages.
  const std::string order = " ORDER BY (" + sort + " IS NULL)," + sort + direction + ", id" + direction;
  if (query.limit < 1 || query.limit > kMaxListLimit) {
    return InvalidArgument("limit must be between 1 and " + std::to_string(kMaxListLimit), "limit");
  }
  if (query.offset < 0) return InvalidArgument("offset must not be negative", "offset");

  RecordPage page;
  RETURN_IF_ERROR(db_.Run([&](SqliteConnection& conn) -> Status {
    auto bind_all = [&](SqliteStatement& stmt) -> Status {
      RETURN_IF_ERROR(stmt.BindText(1, project_id));
      int index = 2;
      for (const auto& [f, v] : binds) RETURN_IF_ERROR(BindValue(stmt, index++, *f, v));
      return Status::Ok();
    };
    ASSIGN_OR_RETURN(SqliteStatement count, conn.Prepare("SELECT COUNT(*) FROM " + spec_.name + where));
    RETURN_IF_ERROR(bind_all(count));
    ASSIGN_OR_RETURN(bool has_count, count.Step());
    page.total = has_count ? count.ColumnInt64(0) : 0;
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT " + SelectColumns(spec_) + " FROM " + spec_.name +
                                                        where + order + " LIMIT " + std::to_string(query.limit) +
                                                        " OFFSET " + std::to_string(query.offset)));
    RETURN_IF_ERROR(bind_all(stmt));
    while (true) {
      ASSIGN_OR_RETURN(bool has_row, stmt.Step());
      if (!has_row) break;
      page.records.push_back(ReadRow(spec_, stmt));
    }
    AddReferenceNames(conn, project_id, &page.records);
    for (auto& row : page.records) row = ToPublic(spec_, row);
    return Status::Ok();
  }));
  return page;
}

Result<RecordQuery> RecordStore::ParseQuery(const std::vector<std::pair<std::string, std::string>>& params,
                                            const std::vector<std::string>& ignored) const {
  RecordQuery query;
  std::vector<FieldError> errors;
  auto parse_int = [&](const std::string& name, const std::string& text, int64_t* out) {
    try {
      size_t used = 0;
      *out = std::stoll(text, &used);
      if (used != text.size()) throw std::invalid_argument(text);
    } catch (...) {
      errors.push_back({name, "must be a whole number"});
    }
  };
  for (const auto& [name, text] : params) {
    if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) continue;
    if (name == "q") {
      query.search = text;
    } else if (name == "sort") {
      query.sort = text;
    } else if (name == "order") {
      if (text != "asc" && text != "desc") errors.push_back({name, "must be asc or desc"});
      query.descending = text == "desc";
    } else if (name == "limit") {
      parse_int(name, text, &query.limit);
    } else if (name == "offset") {
      parse_int(name, text, &query.offset);
    } else {
      RecordFilter filter;
      std::string field_name = name;
      if (!spec_.Find(name) && name.ends_with("_from")) {
        field_name = name.substr(0, name.size() - 5);
        filter.op = RecordFilter::Op::kFrom;
      } else if (!spec_.Find(name) && name.ends_with("_to")) {
        field_name = name.substr(0, name.size() - 3);
        filter.op = RecordFilter::Op::kTo;
      }
      const FieldSpec* f = spec_.Find(field_name);
      if (f == nullptr || f->type == FieldType::kObject || f->type == FieldType::kObjectList ||
          f->type == FieldType::kLongText) {
        errors.push_back({name, "is not a filter of " + spec_.name});
        continue;
      }
      if (f->IsList()) {
        if (filter.op != RecordFilter::Op::kEquals) {
          errors.push_back({name, "a list field filters by one item"});
          continue;
        }
        filter.op = RecordFilter::Op::kContains;
        FieldSpec item = *f;
        item.type = f->type == FieldType::kEnumList ? FieldType::kEnum
                    : f->type == FieldType::kReferenceList ? FieldType::kReference
                                                            : FieldType::kText;
        const size_t before = errors.size();
        filter.value = NormalizeValue(item, json(text), name, &errors);
        if (errors.size() != before) continue;
      } else {
        const size_t before = errors.size();
        filter.value = text.empty() ? json(nullptr) : NormalizeValue(*f, json(text), name, &errors);
        if (errors.size() != before) continue;
        if (filter.op != RecordFilter::Op::kEquals && filter.value.is_null()) {
          errors.push_back({name, "needs a value"});
          continue;
        }
      }
      filter.field = field_name;
      query.filters.push_back(std::move(filter));
    }
  }
  RETURN_IF_ERROR(ErrorsToStatus(errors));
  return query;
}

// ---- writing -----------------------------------------------------------------

Status RecordStore::RunHooks(SqliteConnection& conn, const std::string& project_id, const json* before,
                             const json* after) {
  for (const auto& hook : hooks_) RETURN_IF_ERROR(hook(conn, project_id, before, after));
  return Status::Ok();
}

Status RecordStore::CheckReferences(SqliteConnection& conn, const std::string& project_id, const json& values) {
  // (path, resource, id) of every reference in the values, object-list members included.
  struct Wanted {
    std::string path;
    const ResourceSpec* target;
    int64_t id;
  };
  std::vector<Wanted> wanted;
  for (const auto& field : spec_.fields) {
    if (!values.contains(field.name) || values[field.name].is_null()) continue;
    const json& value = values[field.name];
    if (field.type == FieldType::kReference) {
      wanted.push_back({field.name, catalog_.FindSpec(field.references), value.get<int64_t>()});
    } else if (field.type == FieldType::kReferenceList) {
      for (size_t i = 0; i < value.size(); ++i) {
        wanted.push_back({field.name + "[" + std::to_string(i) + "]", catalog_.FindSpec(field.references),
                          value[i].get<int64_t>()});
      }
    } else if (field.type == FieldType::kObjectList) {
      for (size_t i = 0; i < value.size(); ++i) {
        for (const auto& sub : field.item_fields) {
          if (sub.type != FieldType::kReference || !value[i].contains(sub.name)) continue;
          wanted.push_back({field.name + "[" + std::to_string(i) + "]." + sub.name,
                            catalog_.FindSpec(sub.references), value[i][sub.name].get<int64_t>()});
        }
      }
    }
  }
  std::vector<FieldError> errors;
  for (const auto& w : wanted) {
    assert(w.target != nullptr);  // specs name only known resources (resource_catalog_test)
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("SELECT 1 FROM " + w.target->name + " WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindInt64(2, w.id));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) errors.push_back({w.path, "no " + w.target->singular + " " + std::to_string(w.id) + " in this project"});
  }
  return ErrorsToStatus(errors);
}

Status RecordStore::CheckUnique(SqliteConnection& conn, const std::string& project_id, const json& values,
                                int64_t self_id) {
  for (const auto& name : spec_.unique_fields) {
    if (!values.contains(name) || values[name].is_null()) continue;
    const FieldSpec* field = spec_.Find(name);
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT id FROM " + spec_.name + " WHERE project_id = ? AND " +
                                                        name + " = ? AND id <> ? LIMIT 1"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(BindValue(stmt, 2, *field, values[name]));
    RETURN_IF_ERROR(stmt.BindInt64(3, self_id));
    ASSIGN_OR_RETURN(bool clash, stmt.Step());
    if (clash) {
      return Status(StatusCode::kAlreadyExists,
                    spec_.singular + " " + std::to_string(stmt.ColumnInt64(0)) + " already has " + name + " " +
                        values[name].dump(),
                    name);
    }
  }
  return Status::Ok();
}

Result<json> RecordStore::InsertLocked(SqliteConnection& conn, const std::string& project_id, const json& values) {
  RETURN_IF_ERROR(CheckReferences(conn, project_id, values));
  RETURN_IF_ERROR(CheckUnique(conn, project_id, values, 0));
  std::string columns = "project_id";
  std::string marks = "?";
  for (const auto& f : spec_.fields) {
    columns += ", " + f.name;
    marks += ", ?";
  }
  columns += ", created_at_ms, updated_at_ms";
  marks += ", ?, ?";
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   conn.Prepare("INSERT INTO " + spec_.name + " (" + columns + ") VALUES (" + marks + ")"));
  int index = 1;
  RETURN_IF_ERROR(stmt.BindText(index++, project_id));
  for (const auto& f : spec_.fields) {
    RETURN_IF_ERROR(BindValue(stmt, index++, f, values.contains(f.name) ? values[f.name] : json(nullptr)));
  }
  const int64_t now = clock_();
  RETURN_IF_ERROR(stmt.BindInt64(index++, now));
  RETURN_IF_ERROR(stmt.BindInt64(index++, now));
  RETURN_IF_ERROR(stmt.Run());
  ASSIGN_OR_RETURN(json after, GetLocked(conn, project_id, conn.LastInsertRowId()));
  RETURN_IF_ERROR(RunHooks(conn, project_id, nullptr, &after));
  return after;
}

Result<json> RecordStore::Create(const std::string& project_id, const json& input) {
  ASSIGN_OR_RETURN(json values, ValidateRecord(spec_, input, ValidationMode::kCreate));
  json out;
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(json row, InsertLocked(conn, project_id, values));
    if (spec_.tracks_manual_edits) {
      // Fields a person typed on create are theirs: later traits do not replace them.
      std::vector<std::string> manual;
      for (const auto& [key, v] : values.items()) manual.push_back(key);
      ASSIGN_OR_RETURN(row, UpdateLocked(conn, project_id, row, json::object(), manual));
    }
    std::vector<json> rows{std::move(row)};
    AddReferenceNames(conn, project_id, &rows);
    out = ToPublic(spec_, rows[0]);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Result<json>>> RecordStore::CreateMany(const std::string& project_id,
                                                          const std::vector<json>& inputs) {
  std::vector<Result<json>> out;
  out.reserve(inputs.size());
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    out.clear();
    for (const auto& input : inputs) {
      auto values = ValidateRecord(spec_, input, ValidationMode::kCreate);
      if (!values.ok()) {
        out.push_back(values.status());
        continue;
      }
      RETURN_IF_ERROR(conn.Execute("SAVEPOINT record_row"));
      auto row = InsertLocked(conn, project_id, *values);
      if (row.ok() && spec_.tracks_manual_edits) {
        std::vector<std::string> manual;
        for (const auto& [key, v] : values->items()) manual.push_back(key);
        row = UpdateLocked(conn, project_id, *row, json::object(), manual);
      }
      if (!row.ok()) {
        // Only this record's writes are undone; a failure of the database itself ends the batch.
        RETURN_IF_ERROR(conn.Execute("ROLLBACK TO record_row; RELEASE record_row"));
        if (row.status().code() == StatusCode::kInternal || row.status().code() == StatusCode::kDataLoss ||
            row.status().code() == StatusCode::kResourceExhausted) {
          return row.status();
        }
        out.push_back(row.status());
        continue;
      }
      RETURN_IF_ERROR(conn.Execute("RELEASE record_row"));
      out.push_back(std::move(*row));
    }
    std::vector<json> created;
    for (auto& r : out) {
      if (r.ok()) created.push_back(*r);
    }
    AddReferenceNames(conn, project_id, &created);
    size_t next = 0;
    for (auto& r : out) {
      if (r.ok()) r = ToPublic(spec_, created[next++]);
    }
    return Status::Ok();
  }));
  return out;
}

Result<json> RecordStore::UpdateLocked(SqliteConnection& conn, const std::string& project_id, const json& before,
                                       const json& values, const std::vector<std::string>& manual_fields) {
  RETURN_IF_ERROR(CheckReferences(conn, project_id, values));
  RETURN_IF_ERROR(CheckUnique(conn, project_id, values, before["id"].get<int64_t>()));
  std::string sets = "updated_at_ms = ?";
  for (const auto& [key, v] : values.items()) sets += ", " + key + " = ?";
  json manual = before.contains("manual_fields") ? before["manual_fields"] : json::array();
  if (spec_.tracks_manual_edits) {
    for (const auto& name : manual_fields) {
      if (std::find(manual.begin(), manual.end(), json(name)) == manual.end()) manual.push_back(name);
    }
    sets += ", manual_fields = ?";
  }
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   conn.Prepare("UPDATE " + spec_.name + " SET " + sets + " WHERE project_id = ? AND id = ?"));
  int index = 1;
  RETURN_IF_ERROR(stmt.BindInt64(index++, clock_()));
  for (const auto& [key, v] : values.items()) RETURN_IF_ERROR(BindValue(stmt, index++, *spec_.Find(key), v));
  if (spec_.tracks_manual_edits) RETURN_IF_ERROR(stmt.BindText(index++, manual.dump()));
  RETURN_IF_ERROR(stmt.BindText(index++, project_id));
  RETURN_IF_ERROR(stmt.BindInt64(index++, before["id"].get<int64_t>()));
  RETURN_IF_ERROR(stmt.Run());
  ASSIGN_OR_RETURN(json after, GetLocked(conn, project_id, before["id"].get<int64_t>()));
  if (!values.empty()) RETURN_IF_ERROR(RunHooks(conn, project_id, &before, &after));
  return after;
}

Result<json> RecordStore::Update(const std::string& project_id, int64_t id, const json& patch) {
  if (spec_.append_only) {
    return FailedPrecondition(spec_.name + " are append-only: add a correcting " + spec_.singular + " instead");
  }
  ASSIGN_OR_RETURN(json values, ValidateRecord(spec_, patch, ValidationMode::kUpdate));
  json out;
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(json before, GetLocked(conn, project_id, id));
    std::vector<std::string> manual;
    for (const auto& [key, v] : values.items()) manual.push_back(key);
    ASSIGN_OR_RETURN(json row, UpdateLocked(conn, project_id, before, values, manual));
    std::vector<json> rows{std::move(row)};
    AddReferenceNames(conn, project_id, &rows);
    out = ToPublic(spec_, rows[0]);
    return Status::Ok();
  }));
  return out;
}

Status RecordStore::Delete(const std::string& project_id, int64_t id) {
  if (spec_.append_only) {
    return FailedPrecondition(spec_.name + " are append-only: add a correcting " + spec_.singular + " instead");
  }
  return db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(json before, GetLocked(conn, project_id, id));
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn.Prepare("DELETE FROM " + spec_.name + " WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindInt64(2, id));
    Status deleted = stmt.Run();
    if (deleted.code() == StatusCode::kFailedPrecondition) {
      return FailedPrecondition(spec_.singular + " " + std::to_string(id) +
                                " is still referenced by other records; remove those references first");
    }
    RETURN_IF_ERROR(deleted);
    RETURN_IF_ERROR(RunHooks(conn, project_id, &before, nullptr));
    return Status::Ok();
  });
}

Result<size_t> RecordStore::UpsertByKey(const std::string& project_id, const std::string& key_field,
                                        const std::vector<json>& rows, bool override_manual) {
  const FieldSpec* key = spec_.Find(key_field);
  if (key == nullptr) return InvalidArgument("not a field of " + spec_.singular, key_field);
  std::vector<json> validated;
  validated.reserve(rows.size());
  for (const auto& row : rows) {
    ASSIGN_OR_RETURN(json values, ValidateRecord(spec_, row, ValidationMode::kSystem));
    if (!values.contains(key_field) || values[key_field].is_null()) return InvalidArgument("is required", key_field);
    validated.push_back(std::move(values));
  }
  size_t changed = 0;
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement find, conn.Prepare("SELECT id FROM " + spec_.name + " WHERE project_id = ? AND " +
                                                        key_field + " = ? LIMIT 1"));
    for (const auto& values : validated) {
      RETURN_IF_ERROR(find.Reset());
      RETURN_IF_ERROR(find.BindText(1, project_id));
      RETURN_IF_ERROR(BindValue(find, 2, *key, values[key_field]));
      ASSIGN_OR_RETURN(bool exists, find.Step());
      if (!exists) {
        ASSIGN_OR_RETURN(json created, InsertLocked(conn, project_id, values));
        ++changed;
        continue;
      }
      ASSIGN_OR_RETURN(json before, GetLocked(conn, project_id, find.ColumnInt64(0)));
      json diff = json::object();
      const json manual = before.contains("manual_fields") ? before["manual_fields"] : json::array();
      for (const auto& [name, v] : values.items()) {
        if (!override_manual && std::find(manual.begin(), manual.end(), json(name)) != manual.end()) continue;
        if (before[name] != v) diff[name] = v;
      }
      if (diff.empty()) continue;
      ASSIGN_OR_RETURN(json after, UpdateLocked(conn, project_id, before, diff, {}));
      ++changed;
    }
    return Status::Ok();
  }));
  return changed;
}

Result<json> RecordStore::ReleaseManual(const std::string& project_id, int64_t id,
                                        const std::vector<std::string>& fields) {
  if (!spec_.tracks_manual_edits) return FailedPrecondition(spec_.name + " do not track manual edits");
  for (const auto& f : fields) {
    if (spec_.Find(f) == nullptr) return InvalidArgument("not a field of " + spec_.singular, "fields");
  }
  json out;
  RETURN_IF_ERROR(db_.Transaction([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(json before, GetLocked(conn, project_id, id));
    json kept = json::array();
    if (!fields.empty()) {
      for (const auto& name : before["manual_fields"]) {
        if (std::find(fields.begin(), fields.end(), name.get<std::string>()) == fields.end()) kept.push_back(name);
      }
    }
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("UPDATE " + spec_.name +
                                                        " SET manual_fields = ? WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, kept.dump()));
    RETURN_IF_ERROR(stmt.BindText(2, project_id));
    RETURN_IF_ERROR(stmt.BindInt64(3, id));
    RETURN_IF_ERROR(stmt.Run());
    ASSIGN_OR_RETURN(json row, GetLocked(conn, project_id, id));
    out = ToPublic(spec_, row);
    return Status::Ok();
  }));
  return out;
}

}  // namespace tobops::records
