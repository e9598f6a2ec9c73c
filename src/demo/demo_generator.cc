#include "demo/demo_generator.h"

#include <algorithm>
#include <chrono>

namespace tobops::demo {
namespace {

// Share of the target produced by accounts; anonymous traffic fills the rest.
constexpr double kAccountShare = 0.78;

}  // namespace

int64_t DefaultDemoEndMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

DemoGenerator::DemoGenerator(DemoOptions options) : options_(options) {
  options_.days = std::max(1, options_.days);
  calendar_ = std::make_unique<DemoCalendar>(options_.end_ms, options_.days);
  story_ = std::make_unique<DemoStory>(options_.seed, calendar_.get());
  writer_ = std::make_unique<MessageWriter>(story_.get(), calendar_.get());

  // Add accounts until their messages reach the account share of the target. Each
  // account is simulated once here only to count; accounts are independent, so the
  // count equals what the streaming pass will emit.
  const auto account_target = static_cast<uint64_t>(static_cast<double>(options_.target_events) * kAccountShare);
  uint64_t account_records = 0;
  std::vector<StoryRecord> scratch;
  while (account_records < account_target) {
    const uint32_t index = story_->AddAccount();
    const DemoAccount& a = story_->accounts()[index];
    for (int32_t day = a.first_sim_day; day <= a.last_sim_day; ++day) {
      scratch.clear();
      story_->SimulateAccountDay(index, day, &scratch);
      account_records += scratch.size();
    }
  }

  // Spread the remaining budget over days by web traffic (weekends, holidays) and a
  // growing trend; cumulative rounding makes the day budgets sum exactly.
  const uint64_t traffic = options_.target_events > account_records ? options_.target_events - account_records : 0;
  const int32_t days = calendar_->days();
  std::vector<double> cumulative(static_cast<size_t>(days) + 1, 0.0);
  for (int32_t d = 0; d < days; ++d) {
    const double growth = 0.75 + 0.5 * d / std::max(1, days - 1);
    const DemoDay& cal = calendar_->Day(d);
    // The partial last day gets the share of the daily profile that has elapsed, like
    // account activity (whose sessions after end_ms are dropped).
    const double share = calendar_->ElapsedShare(d);
    cumulative[static_cast<size_t>(d) + 1] = cumulative[static_cast<size_t>(d)] + cal.traffic_factor * growth * share;
  }
  const double total_weight = cumulative.back();
  traffic_budget_.resize(static_cast<size_t>(days));
  uint64_t previous = 0;
  for (int32_t d = 0; d < days; ++d) {
    const uint64_t upto = d + 1 == days ? traffic
                                        : static_cast<uint64_t>(static_cast<double>(traffic) *
                                                                cumulative[static_cast<size_t>(d) + 1] / total_weight);
    traffic_budget_[static_cast<size_t>(d)] = upto - previous;
    previous = upto;
  }
  expected_total_ = account_records + traffic;

  account_order_.resize(story_->accounts().size());
  for (uint32_t i = 0; i < account_order_.size(); ++i) account_order_[i] = i;
  std::stable_sort(account_order_.begin(), account_order_.end(), [&](uint32_t x, uint32_t y) {
    return story_->accounts()[x].first_sim_day < story_->accounts()[y].first_sim_day;
  });
}

DemoGenerator::~DemoGenerator() = default;

bool DemoGenerator::LoadNextDay() {
  day_records_.clear();
  position_ = 0;
  while (day_records_.empty()) {
    if (day_ + 1 >= calendar_->days()) return false;
    ++day_;
    const auto& accounts = story_->accounts();
    while (next_account_ < account_order_.size() &&
           accounts[account_order_[next_account_]].first_sim_day <= day_) {
      active_.push_back(account_order_[next_account_++]);
    }
    for (uint32_t account : active_) story_->SimulateAccountDay(account, day_, &day_records_);
    std::erase_if(active_, [&](uint32_t account) { return accounts[account].last_sim_day <= day_; });
    story_->SimulateTrafficDay(day_, traffic_budget_[static_cast<size_t>(day_)], &day_records_);
    // Every record lies inside its day, so sorting one day at a time orders the story.
    std::stable_sort(day_records_.begin(), day_records_.end(),
                     [](const StoryRecord& x, const StoryRecord& y) { return x.timestamp_ms < y.timestamp_ms; });
  }
  return true;
}

bool DemoGenerator::NextBatch(size_t max_messages, std::vector<std::string>* out) {
  size_t n = 0;
  while (n < max_messages) {
    if (position_ == day_records_.size() && !LoadNextDay()) break;
    const size_t take = std::min(max_messages - n, day_records_.size() - position_);
    for (size_t i = 0; i < take; ++i, ++n) {
      if (n == out->size()) out->emplace_back();
      writer_->Write(day_records_[position_++], generated_++, &(*out)[n]);
    }
  }
  out->resize(n);
  return n > 0;
}

}  // namespace tobops::demo
