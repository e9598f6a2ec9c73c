#include "ops/sales_records.h"

#include <cmath>

#include "records/record_store.h"

namespace tobops::ops {

using nlohmann::json;

Result<std::vector<json>> ListAllRecords(const OpsContext& ctx, const std::string& resource,
                                         const std::vector<std::pair<std::string, json>>& equals,
                                         const std::string& sort, bool descending) {
  records::RecordQuery query;
  for (const auto& [field, value] : equals) {
    records::RecordFilter filter;
    filter.field = field;
    filter.op = records::RecordFilter::Op::kEquals;
    filter.value = value;
    query.filters.push_back(std::move(filter));
  }
  if (!sort.empty()) {
    query.sort = sort;
    query.descending = descending;
  }
  query.limit = records::RecordStore::kMaxListLimit;
  ASSIGN_OR_RETURN(records::RecordPage page, ctx.records->Get(resource).List(ctx.project_id, query));
  return std::move(page.records);
}

std::string TextOf(const json& record, const std::string& key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

int64_t IntegerOf(const json& record, const std::string& key) {
  auto it = record.find(key);
  return it != record.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::vector<std::string> TextListOf(const json& record, const std::string& key) {
  std::vector<std::string> out;
  auto it = record.find(key);
  if (it == record.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string AnalyticsAccountId(const json& account) {
  const std::string group = TextOf(account, "group_id");
  if (!group.empty()) return group;
  return "record-account-" + std::to_string(account.value("id", int64_t{0}));
}

json PropertyValueJson(const store::PropertyValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  if (const auto* d = std::get_if<double>(&value)) {
    // Whole numbers read as integers (record ids, counts) so clients compare them as such.
    if (*d == static_cast<double>(static_cast<int64_t>(*d)) && std::abs(*d) < 9e15) {
      return static_cast<int64_t>(*d);
    }
    return *d;
  }
  return nullptr;
}

Status CheckDays(int64_t days) {
  if (days < 1 || days > 3650) return InvalidArgument("days must be an integer from 1 to 3650", "days");
  return Status::Ok();
}

}  // namespace tobops::ops
