#include "ops/playbook_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <vector>

#include "ops/person_activity.h"
#include "ops/sales_records.h"
#include "store/event.h"

namespace tobops::ops {

using nlohmann::json;

Result<std::unordered_map<std::string, AccountWindowFacts>> ScanAccountWindows(const OpsContext& ctx,
                                                                             int64_t window_days) {
  const int64_t now_start = ActivityWindowStartMs(ctx, window_days);
  const int64_t before_start = ActivityWindowStartMs(ctx, 2 * window_days);
  std::unordered_map<std::string, AccountWindowFacts> facts;
  const query::QueryContext qc = ctx.query_context();
  store::ScanRequest request;
  request.from_ms = before_start;
  request.to_ms = ctx.now_ms + 1;  // at or before now
  request.types = {store::MessageType::kTrack, store::MessageType::kPage, store::MessageType::kScreen};
  request.properties = {std::string(kRecordSourceProperty), "feature"};
  request.max_threads = std::max(1, qc.threads);
  std::mutex mu;
  RETURN_IF_ERROR(ctx.store->Scan(request, [&](const store::ColumnBlock& block, int) {
    std::unordered_map<std::string, AccountWindowFacts> local;
    const store::PropertyColumn& source = block.properties[0];
    const store::PropertyColumn& feature = block.properties[1];
    std::unordered_map<uint32_t, std::string> canonical;
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t sc = source.codes[row];
      if (sc != 0) {
        const auto* text = std::get_if<std::string>(&source.dict[sc - 1]);
        if (text != nullptr && *text == kRecordSourceValue) continue;
      }
      const std::string& account = block.account_dict[block.account[row]];
      if (account.empty()) continue;
      const int64_t t = block.timestamp_ms[row];
      if (t < before_start || t > ctx.now_ms) continue;
      auto [entry, added] = canonical.try_emplace(block.person[row]);
      if (added) entry->second = ctx.identity->CanonicalPerson(block.person_dict[block.person[row]]);
      AccountWindowFacts& f = local[account];
      if (t >= now_start) {
        f.active_now.insert(entry->second);
        const uint32_t fc = feature.codes[row];
        if (fc != 0 && block.event_dict[block.event[row]] == "feature_used") {
          std::string name = store::PropertyValueToString(feature.dict[fc - 1]);
          if (!name.empty()) f.features.insert(std::move(name));
        }
      } else {
        f.active_before.insert(entry->second);
      }
    }
    std::lock_guard lock(mu);
    for (auto& [account, f] : local) {
      AccountWindowFacts& into = facts[account];
      into.active_now.insert(f.active_now.begin(), f.active_now.end());
      into.active_before.insert(f.active_before.begin(), f.active_before.end());
      into.features.insert(f.features.begin(), f.features.end());
    }
    return Status::Ok();
  }));
  return facts;
}

Result<PlaybookRule> RuleOf(const json& playbook) {
  PlaybookRule r;
  r.rule = TextOf(playbook, "rule");
  double default_threshold = 0;
  int64_t default_window = 30;
  if (r.rule == "active_seats_drop") {
    default_threshold = 30;
  } else if (r.rule == "no_decision_maker_active") {
    default_threshold = 0;
  } else if (r.rule == "trial_low_feature_use") {
    default_threshold = 3;
    default_window = 14;
  } else {
    return InvalidArgument("unknown playbook rule '" + r.rule + "'", "rule");
  }
  const json threshold = playbook.value("threshold", json(nullptr));
  r.threshold = threshold.is_number() ? threshold.get<double>() : default_threshold;
  const json window = playbook.value("window_days", json(nullptr));
  r.window_days = window.is_number_integer() ? window.get<int64_t>() : default_window;
  if (r.window_days < 1 || r.window_days > 3650)
    return InvalidArgument("window_days must be from 1 to 3650", "window_days");
  if (!(r.threshold >= 0) || (r.rule == "active_seats_drop" && r.threshold > 100))
    return InvalidArgument("threshold must be a number ≥ 0 (a percentage up to 100 for active_seats_drop)",
                           "threshold");
  return r;
}

namespace {

std::string Number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::optional<std::string> EvaluateRule(const PlaybookRule& rule, const json& account,
                                        const AccountWindowFacts* facts,
                                        const std::unordered_set<std::string>& decision_makers) {
  const std::string days = std::to_string(rule.window_days);
  if (rule.rule == "active_seats_drop") {
    const size_t before = facts ? facts->active_before.size() : 0;
    const size_t now = facts ? facts->active_now.size() : 0;
    if (before == 0 || now >= before) return std::nullopt;
    // (before − now) / before × 100 ≥ threshold, compared without division.
    const double drop_x_before = 100.0 * static_cast<double>(before - now);
    if (drop_x_before < rule.threshold * static_cast<double>(before)) return std::nullopt;
    const double pct = std::round(1000.0 * static_cast<double>(before - now) / before) / 10.0;
    return "active people fell from " + std::to_string(before) + " (previous " + days + " days) to " +
           std::to_string(now) + " (last " + days + " days): −" + Number(pct) + " % ≥ " + Number(rule.threshold) +
           " %";
  }
  if (rule.rule == "no_decision_maker_active") {
    if (TextOf(account, "lifecycle_stage") == "churned") return std::nullopt;
    size_t active = 0;
    if (facts) {
      for (const auto& p : decision_makers) active += facts->active_now.count(p);
    }
    if (active > 0) return std::nullopt;
    return "no decision_maker active in the last " + days + " days (" + std::to_string(decision_makers.size()) +
           " known decision_maker contact(s))";
  }
  if (rule.rule == "trial_low_feature_use") {
    if (TextOf(account, "lifecycle_stage") != "trial") return std::nullopt;
    const size_t features = facts ? facts->features.size() : 0;
    if (static_cast<double>(features) >= rule.threshold) return std::nullopt;
    return "trial account used " + std::to_string(features) + " distinct feature(s) in the last " + days +
           " days, fewer than " + Number(rule.threshold);
  }
  return std::nullopt;
}

}  // namespace tobops::ops
