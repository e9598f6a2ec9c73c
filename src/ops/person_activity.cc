#include "ops/person_activity.h"

#include "ops/sales_records.h"

#include <chrono>
#include <mutex>
#include <vector>

#include <cctz/civil_time.h>

namespace tobops::ops {

int64_t ActivityWindowStartMs(const OpsContext& ctx, int64_t days) {
  using std::chrono::milliseconds;
  const std::chrono::system_clock::time_point now{milliseconds(ctx.now_ms)};
  const cctz::civil_day today(cctz::convert(now, ctx.zone));
  const cctz::civil_day first = today - (days - 1);
  const auto start = ctx.zone.lookup(cctz::civil_second(first)).pre;
  return std::chrono::duration_cast<milliseconds>(start.time_since_epoch()).count();
}

Result<std::unordered_map<std::string, int64_t>> LastSeenOfPersons(
    const OpsContext& ctx, const std::unordered_set<std::string>& persons) {
  std::unordered_map<std::string, int64_t> last_seen;
  if (persons.empty()) return last_seen;
  const query::QueryContext qc = ctx.query_context();
  store::ScanRequest request;
  request.to_ms = ctx.now_ms + 1;  // at or before now
  request.types = {store::MessageType::kTrack, store::MessageType::kPage, store::MessageType::kScreen};
  request.properties = {std::string(kRecordSourceProperty)};
  request.max_threads = std::max(1, qc.threads);
  std::mutex mu;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    // Stored person ids resolve to canonical persons lazily, once per dictionary entry
    // the block uses (dictionaries can be segment-wide, so nothing is sized by them):
    // the canonical id when wanted, "" when not.
    std::unordered_map<uint32_t, std::string> resolved;
    uint32_t last_code = UINT32_MAX;
    bool last_wanted = false;
    std::unordered_map<uint32_t, int64_t> local;  // person code → latest time
    // Record changes written as events by the timeline outbox are the sales team's
    // actions, not the person's use of the product.
    const store::PropertyColumn& source = block.properties[0];
    std::vector<char> from_records(source.dict.size() + 1, 0);
    for (size_t i = 0; i < source.dict.size(); ++i) {
      const auto* text = std::get_if<std::string>(&source.dict[i]);
      from_records[i + 1] = text != nullptr && *text == kRecordSourceValue;
    }
    for (size_t row = 0; row < block.rows; ++row) {
      const store::MessageType type = block.type[row];
      if (type == store::MessageType::kIdentify || type == store::MessageType::kGroup ||
          type == store::MessageType::kAlias) {
        continue;  // identity calls sync traits; they are not activity
      }
      if (from_records[source.codes[row]]) continue;
      const uint32_t code = block.person[row];
      if (code != last_code) {  // rows are sorted by person within an account: few lookups
        auto [entry, added] = resolved.try_emplace(code);
        if (added) {
          std::string canonical = ctx.identity->CanonicalPerson(block.person_dict[code]);
          if (persons.count(canonical)) entry->second = std::move(canonical);
        }
        last_code = code;
        last_wanted = !entry->second.empty();
      }
      if (!last_wanted) continue;
      int64_t& latest = local.try_emplace(code, INT64_MIN).first->second;
      latest = std::max(latest, block.timestamp_ms[row]);
    }
    std::lock_guard lock(mu);
    for (const auto& [code, t] : local) {
      auto [it, added] = last_seen.try_emplace(resolved[code], t);
      if (!added) it->second = std::max(it->second, t);
    }
    return Status::Ok();
  }));
  return last_seen;
}

Result<std::unordered_map<std::string, int64_t>> LastSeenOfContacts(const OpsContext& ctx,
                                                                   const std::vector<nlohmann::json>& contacts) {
  std::unordered_set<std::string> persons;
  for (const auto& c : contacts) {
    const std::string person = TextOf(c, "person_id");
    if (!person.empty()) persons.insert(ctx.identity->CanonicalPerson(person));
  }
  return LastSeenOfPersons(ctx, persons);
}

}  // namespace tobops::ops
