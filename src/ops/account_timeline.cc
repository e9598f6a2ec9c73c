#include "ops/account_timeline.h"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "common/time_format.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

// The scan widens step by step (a month, a year, everything) so the first pages of a
// busy account read only recent data, as the console's event browser does.
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kWindowsMs[] = {31 * kDayMs, 366 * kDayMs, INT64_MAX};

// The times of `account`'s events in [from_ms, to_ms); reads no property column.
Result<std::vector<int64_t>> ScanAccountTimes(const OpsContext& ctx, const std::string& account, int64_t from_ms,
                                              int64_t to_ms, int threads) {
  std::vector<int64_t> times;
  std::mutex mu;
  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.max_threads = std::max(1, threads);
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    auto it = std::find(block.account_dict.begin(), block.account_dict.end(), account);
    if (it == block.account_dict.end()) return Status::Ok();
    const uint32_t code = static_cast<uint32_t>(it - block.account_dict.begin());
    std::vector<int64_t> local;
    for (size_t row = 0; row < block.rows; ++row) {
      if (block.account[row] == code) local.push_back(block.timestamp_ms[row]);
    }
    std::lock_guard lock(mu);
    times.insert(times.end(), local.begin(), local.end());
    return Status::Ok();
  }));
  return times;
}

// Events of `account` in [from_ms, to_ms), every property materialized.
Result<std::vector<store::Event>> ScanAccount(const OpsContext& ctx, const std::string& account, int64_t from_ms,
                                              int64_t to_ms, int threads) {
  std::vector<store::Event> found;
  std::mutex mu;
  store::ScanRequest request;
  request.from_ms = from_ms;
  request.to_ms = to_ms;
  request.all_properties = true;
  request.with_identity_columns = true;
  request.max_threads = std::max(1, threads);
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    // Rows are sorted by account within a block, so one dictionary lookup per block
    // finds the account's code; blocks without the account cost one pass of compares.
    auto it = std::find(block.account_dict.begin(), block.account_dict.end(), account);
    if (it == block.account_dict.end()) return Status::Ok();
    const uint32_t code = static_cast<uint32_t>(it - block.account_dict.begin());
    std::vector<store::Event> local;
    for (size_t row = 0; row < block.rows; ++row) {
      if (block.account[row] != code) continue;
      store::Event ev;
      ev.timestamp_ms = block.timestamp_ms[row];
      ev.received_at_ms = block.received_at_ms[row];
      ev.type = block.type[row];
      ev.event = block.event_dict[block.event[row]];
      ev.person = block.person_dict[block.person[row]];
      ev.account = account;
      ev.message_id = block.id_dict[block.message_id[row]];
      for (size_t c = 0; c < block.properties.size(); ++c) {
        const uint32_t value = block.properties[c].codes[row];
        if (value == 0) continue;
        ev.properties.push_back({std::string(block.property_keys[c]), block.properties[c].dict[value - 1]});
      }
      local.push_back(std::move(ev));
    }
    std::lock_guard lock(mu);
    for (auto& e : local) found.push_back(std::move(e));
    return Status::Ok();
  }));
  return found;
}

const store::PropertyValue* FindProperty(const store::Event& e, const std::string& key) {
  for (const auto& p : e.properties) {
    if (p.key == key) return &p.value;
  }
  return nullptr;
}

// {"type","id"} for a record change (properties record_type and record_id), else null.
json RecordLink(const store::Event& e) {
  const store::PropertyValue* type = FindProperty(e, "record_type");
  const store::PropertyValue* id = FindProperty(e, "record_id");
  if (type == nullptr || id == nullptr || !std::holds_alternative<std::string>(*type)) return nullptr;
  json id_json = PropertyValueJson(*id);
  if (id_json.is_string()) {
    // A record id sent as text ("12") still links; anything else is not a record id.
    try {
      size_t used = 0;
      const std::string text = id_json.get<std::string>();
      const long long n = std::stoll(text, &used);
      if (used != text.size()) return nullptr;
      id_json = static_cast<int64_t>(n);
    } catch (...) {
      return nullptr;
    }
  }
  if (!id_json.is_number_integer()) return nullptr;
  return {{"type", std::get<std::string>(*type)}, {"id", id_json}};
}

}  // namespace

Result<json> AccountTimeline(const OpsContext& ctx, int64_t account_id, int64_t limit,
                             std::optional<int64_t> before_ms) {
  if (limit < 1 || limit > kTimelineMaxLimit) {
    return InvalidArgument("limit must be an integer from 1 to " + std::to_string(kTimelineMaxLimit), "limit");
  }
  ASSIGN_OR_RETURN(json account, ctx.records->Get("accounts").Get(ctx.project_id, account_id));
  const std::string analytics_id = AnalyticsAccountId(account);
  const int threads = ctx.query_context().threads;
  const int64_t end = before_ms.value_or(INT64_MAX);
  // Windows reach back from the cursor, or from now on the first page (whose scan still
  // runs to the end of time, so events dated in the future are listed first).
  const int64_t anchor = before_ms.value_or(ctx.now_ms + 1);

  // Two passes: the event times alone (no property column) find where the page ends,
  // then only that stretch is read with every property.
  std::vector<int64_t> times;
  bool scanned_all = false;
  for (int64_t window : kWindowsMs) {
    scanned_all = window == INT64_MAX || anchor < INT64_MIN + window;
    const int64_t from = scanned_all ? INT64_MIN : anchor - window;
    ASSIGN_OR_RETURN(times, ScanAccountTimes(ctx, analytics_id, from, end, threads));
    if (times.size() > static_cast<size_t>(limit) || scanned_all) break;
  }
  std::vector<store::Event> found;
  bool more = false;
  if (!times.empty()) {
    const size_t last = std::min(times.size(), static_cast<size_t>(limit)) - 1;
    std::nth_element(times.begin(), times.begin() + last, times.end(), std::greater<>());
    // The page is every event in [cutoff, end): the `limit` newest plus any sharing the
    // last one's millisecond, so the next page starts strictly before it.
    const int64_t cutoff = times[last];
    more = !scanned_all || std::any_of(times.begin(), times.end(), [&](int64_t t) { return t < cutoff; });
    ASSIGN_OR_RETURN(found, ScanAccount(ctx, analytics_id, cutoff, end, threads));
  }
  std::sort(found.begin(), found.end(), [](const store::Event& a, const store::Event& b) {
    return std::tie(b.timestamp_ms, b.received_at_ms, b.message_id, a.person, a.event) <
           std::tie(a.timestamp_ms, a.received_at_ms, a.message_id, b.person, b.event);
  });
  const size_t taken = found.size();

  // Contacts by canonical person: the account's own contacts first, then a lookup by
  // person id for people of other accounts (someone who moved, a partner).
  ASSIGN_OR_RETURN(std::vector<json> own, ListAllRecords(ctx, "contacts", {{"account_id", account_id}}));
  std::map<std::string, json> contacts;
  for (auto& c : own) {
    const std::string person = TextOf(c, "person_id");
    if (!person.empty()) contacts.emplace(ctx.identity->CanonicalPerson(person), std::move(c));
  }
  records::RecordStore& contact_store = ctx.records->Get("contacts");

  json items = json::array();
  for (size_t i = 0; i < taken; ++i) {
    const store::Event& e = found[i];
    const std::string person = ctx.identity->CanonicalPerson(e.person);
    auto it = contacts.find(person);
    if (it == contacts.end()) {
      auto other = contact_store.FindBy(ctx.project_id, "person_id", person);
      if (!other.ok() && other.status().code() != StatusCode::kNotFound) return other.status();
      it = contacts.emplace(person, other.ok() ? std::move(*other) : json(nullptr)).first;
    }
    const json& contact = it->second;
    json role = nullptr;
    if (contact.is_object() && !TextOf(contact, "role").empty()) {
      role = TextOf(contact, "role");
    } else {
      // No contact (or one without a role): the person's current role trait.
      for (const auto& [key, value] : ctx.identity->PersonTraits(person)) {
        if (key == "role" && std::holds_alternative<std::string>(value)) role = std::get<std::string>(value);
      }
    }
    json properties = json::object();
    for (const auto& p : e.properties) properties[p.key] = PropertyValueJson(p.value);
    items.push_back({{"t", FormatIso8601Ms(e.timestamp_ms, ctx.zone)},
                     {"event", e.event},
                     {"type", store::MessageTypeName(e.type)},
                     {"person_id", person},
                     {"contact_id", contact.is_object() ? contact["id"] : json(nullptr)},
                     {"contact_name", contact.is_object() ? contact.value("name", json(nullptr)) : json(nullptr)},
                     {"role", std::move(role)},
                     {"properties", std::move(properties)},
                     {"record", RecordLink(e)}});
  }
  json next = nullptr;
  if (more && taken > 0) next = FormatIso8601Ms(found[taken - 1].timestamp_ms, ctx.zone);
  return json{{"items", std::move(items)}, {"next_before", std::move(next)}};
}

}  // namespace tobops::ops
