#include "ops/campaign_reach.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <cctz/civil_time.h>

#include "common/time_format.h"
#include "ops/person_activity.h"
#include "ops/sales_records.h"

namespace tobops::ops {

std::optional<int64_t> DayStartMs(const OpsContext& ctx, const std::string& day) {
  auto civil = ParseCivilDay(day);
  if (!civil.ok()) return std::nullopt;
  const auto start = ctx.zone.lookup(cctz::civil_second(*civil)).pre;
  return std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
}

ReachWindow CampaignWindow(const OpsContext& ctx, const nlohmann::json& campaign) {
  ReachWindow w;
  const std::string starts = TextOf(campaign, "starts_on");
  std::string ends = TextOf(campaign, "ends_on");
  if (ends.empty()) ends = starts;
  if (auto from = DayStartMs(ctx, starts)) w.from_ms = *from;
  if (auto civil = ParseCivilDay(ends); civil.ok()) {
    // The end of ends_on + 30 days = the start of ends_on + 31 days.
    const auto end = ctx.zone.lookup(cctz::civil_second(*civil + 31)).pre;
    w.to_ms = std::chrono::duration_cast<std::chrono::milliseconds>(end.time_since_epoch()).count();
  }
  return w;
}

Result<std::map<std::string, Reach>> ReachByProperty(const OpsContext& ctx, const std::string& property,
                                                     const std::map<std::string, ReachWindow>& windows) {
  std::map<std::string, Reach> out;
  for (const auto& [key, w] : windows) out[key];
  if (windows.empty()) return out;
  int64_t from = std::numeric_limits<int64_t>::max();
  for (const auto& [key, w] : windows) from = std::min(from, w.from_ms);
  const query::QueryContext qc = ctx.query_context();
  store::ScanRequest request;
  request.from_ms = from;
  request.to_ms = ctx.now_ms + 1;  // at or before now
  request.types = {store::MessageType::kTrack, store::MessageType::kPage, store::MessageType::kScreen};
  request.properties = {property, std::string(kRecordSourceProperty)};
  request.max_threads = std::max(1, qc.threads);
  std::mutex mu;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    const store::PropertyColumn& key_column = block.properties[0];
    const store::PropertyColumn& source = block.properties[1];
    // Dictionary entry → the window it belongs to (null when not a wanted key).
    std::vector<std::pair<const std::string*, const ReachWindow*>> wanted(key_column.dict.size() + 1,
                                                                          {nullptr, nullptr});
    bool any = false;
    for (size_t i = 0; i < key_column.dict.size(); ++i) {
      const auto* text = std::get_if<std::string>(&key_column.dict[i]);
      if (text == nullptr) continue;
      auto it = windows.find(*text);
      if (it == windows.end()) continue;
      wanted[i + 1] = {&it->first, &it->second};
      any = true;
    }
    if (!any) return Status::Ok();
    std::vector<char> from_records(source.dict.size() + 1, 0);
    for (size_t i = 0; i < source.dict.size(); ++i) {
      const auto* text = std::get_if<std::string>(&source.dict[i]);
      from_records[i + 1] = text != nullptr && *text == kRecordSourceValue;
    }
    struct Local {
      std::unordered_set<uint32_t> persons, accounts;
      int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min(), events = 0;
    };
    std::unordered_map<const std::string*, Local> local;
    for (size_t row = 0; row < block.rows; ++row) {
      const auto& [key, window] = wanted[key_column.codes[row]];
      if (key == nullptr || from_records[source.codes[row]]) continue;
      const int64_t t = block.timestamp_ms[row];
      if (t < window->from_ms || t >= window->to_ms) continue;
      Local& l = local[key];
      l.persons.insert(block.person[row]);
      if (!block.account_dict[block.account[row]].empty()) l.accounts.insert(block.account[row]);
      l.first = std::min(l.first, t);
      l.last = std::max(l.last, t);
      ++l.events;
    }
    std::vector<std::pair<const std::string*, Reach>> resolved;
    for (auto& [key, l] : local) {
      Reach r;
      for (uint32_t p : l.persons) r.persons.insert(ctx.identity->CanonicalPerson(block.person_dict[p]));
      for (uint32_t a : l.accounts) r.accounts.insert(block.account_dict[a]);
      r.first_ms = l.first;
      r.last_ms = l.last;
      r.events = l.events;
      resolved.emplace_back(key, std::move(r));
    }
    std::lock_guard lock(mu);
    for (auto& [key, r] : resolved) {
      Reach& into = out[*key];
      into.persons.insert(r.persons.begin(), r.persons.end());
      into.accounts.insert(r.accounts.begin(), r.accounts.end());
      into.first_ms = std::min(into.first_ms, r.first_ms);
      into.last_ms = std::max(into.last_ms, r.last_ms);
      into.events += r.events;
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tobops::ops
