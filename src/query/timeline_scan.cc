#include "query/timeline_scan.h"

#include <algorithm>

namespace tobops::query {

Result<TimelineScan> TimelineScan::Make(const TimelineRequest& request, const QueryContext& ctx) {
  if (request.conditions.size() > kMaxTimelineConditions) {
    return InvalidArgument("at most 32 conditions per timeline");
  }
  if (request.to_ms <= request.from_ms) return InvalidArgument("the time range is empty", "range");
  TimelineScan out;
  out.request_ = &request;
  out.ctx_ = &ctx;
  out.directory_ = DirectoryOf(ctx);
  store::ScanRequest& scan = out.scan_;
  scan.from_ms = request.from_ms;
  scan.to_ms = request.to_ms;
  scan.max_threads = std::max(1, ctx.threads);
  if (!request.keep_unmatched) {
    if (request.conditions.empty()) return InvalidArgument("a timeline needs a condition or keep_unmatched");
    for (const auto& c : request.conditions) {
      if (c.event.empty()) {
        scan.events.clear();
        break;
      }
      scan.events.push_back(c.event);
    }
  }
  if (!scan.events.empty()) {
    std::sort(scan.events.begin(), scan.events.end());
    scan.events.erase(std::unique(scan.events.begin(), scan.events.end()), scan.events.end());
  }
  auto column_of = [&](const std::string& key) {
    auto it = std::find(scan.properties.begin(), scan.properties.end(), key);
    if (it != scan.properties.end()) return int(it - scan.properties.begin());
    scan.properties.push_back(key);
    return int(scan.properties.size() - 1);
  };
  auto note_source = [&](PropertySource source) {
    out.need_person_traits_ |= source == PropertySource::kPerson;
    out.need_account_traits_ |= source == PropertySource::kAccount;
  };
  out.filter_sets_.resize(request.conditions.size() + 1);
  out.filter_columns_.resize(request.conditions.size() + 1);
  auto add_filter = [&](size_t set, const PropertyFilter& f) {
    out.filter_sets_[set].push_back(&f);
    out.filter_columns_[set].push_back(f.source == PropertySource::kEvent ? column_of(f.property) : -1);
    note_source(f.source);
  };
  for (const auto& f : request.filters) add_filter(0, f);
  for (size_t c = 0; c < request.conditions.size(); ++c) {
    for (const auto& f : request.conditions[c].filters) add_filter(c + 1, f);
  }
  for (int v = 0; v < 2; ++v) {
    if (!request.values[v]) continue;
    note_source(request.values[v]->source);
    if (request.values[v]->source == PropertySource::kEvent) {
      out.value_column_[v] = column_of(request.values[v]->property);
    }
  }
  return out;
}

void TimelineBlock::Bind(const TimelineScan& scan, const store::ColumnBlock& block) {
  const TimelineRequest& request = scan.request();
  const QueryContext& ctx = scan.ctx();
  block_ = &block;
  by_account_ = request.entity == EntityKind::kAccount;
  keep_unmatched_ = request.keep_unmatched;
  maps_ = scan.directory().MapsOf(block, *ctx.identity);
  if (scan.need_person_traits_ || scan.need_account_traits_) {
    usage_.Compute(block);
  } else {
    usage_ = BlockUsage{};
  }
  if (scan.need_person_traits_) {
    // Person traits are looked up by canonical id per block.
    block_canonical_.assign(block.person_dict.size(), std::string());
    for (size_t p = 0; p < block.person_dict.size(); ++p) {
      if (usage_.person(p)) block_canonical_[p] = *maps_->person_ids[p];
    }
  }
  traits_.Reset(block, block_canonical_, *ctx.identity, scan.need_person_traits_, scan.need_account_traits_,
                ctx.cohorts.get(), &usage_);
  filters_.resize(scan.filter_sets_.size());
  for (size_t s = 0; s < scan.filter_sets_.size(); ++s) {
    filters_[s].Bind(scan.filter_sets_[s], scan.filter_columns_[s], block, traits_, &usage_);
  }
  event_mask_.assign(block.event_dict.size(), 0);
  for (size_t e = 0; e < block.event_dict.size(); ++e) {
    for (size_t c = 0; c < request.conditions.size(); ++c) {
      const std::string& want = request.conditions[c].event;
      if (want.empty() || want == block.event_dict[e]) event_mask_[e] |= 1u << c;
    }
  }
}

}  // namespace tobops::query
