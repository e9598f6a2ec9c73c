#include "store/block_builder.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "store/event_codec.h"

namespace tobops::store {

namespace {

// Assigns dense codes to strings in first-seen order.
class StringInterner {
 public:
  explicit StringInterner(std::vector<std::string>* dict) : dict_(dict) {}
  uint32_t Code(const std::string& s) {
    auto [it, inserted] = codes_.try_emplace(s, static_cast<uint32_t>(dict_->size()));
    if (inserted) dict_->push_back(s);
    return it->second;
  }

 private:
  std::vector<std::string>* dict_;
  std::unordered_map<std::string, uint32_t> codes_;
};

}  // namespace

void SortRows(std::vector<const Event*>* rows) {
  std::stable_sort(rows->begin(), rows->end(), [](const Event* a, const Event* b) {
    if (int c = a->account.compare(b->account); c != 0) return c < 0;
    if (int c = a->person.compare(b->person); c != 0) return c < 0;
    return a->timestamp_ms < b->timestamp_ms;
  });
}

bool MatchesRequest(const Event& e, const ScanRequest& request) {
  if (e.timestamp_ms < request.from_ms || e.timestamp_ms >= request.to_ms) return false;
  if (!request.types.empty() &&
      std::find(request.types.begin(), request.types.end(), e.type) == request.types.end()) {
    return false;
  }
  if (!request.events.empty() &&
      std::find(request.events.begin(), request.events.end(), e.event) == request.events.end()) {
    return false;
  }
  return true;
}

std::unique_ptr<OwnedBlock> BuildBlock(std::span<const Event* const> rows, const ScanRequest& request) {
  auto out = std::make_unique<OwnedBlock>();
  OwnedBlock& b = *out;
  const size_t n = rows.size();
  b.timestamp_ms.resize(n);
  b.type.resize(n);
  b.event.resize(n);
  b.person.resize(n);
  b.account.resize(n);
  StringInterner events(&b.event_dict), persons(&b.person_dict), accounts(&b.account_dict), ids(&b.id_dict);
  for (size_t i = 0; i < n; ++i) {
    const Event& e = *rows[i];
    b.timestamp_ms[i] = e.timestamp_ms;
    b.type[i] = e.type;
    b.event[i] = events.Code(e.event);
    b.person[i] = persons.Code(e.person);
    b.account[i] = accounts.Code(e.account);
  }
  if (request.with_identity_columns) {
    b.received_at_ms.resize(n);
    b.anonymous_id.resize(n);
    b.user_id.resize(n);
    b.message_id.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const Event& e = *rows[i];
      b.received_at_ms[i] = e.received_at_ms;
      b.anonymous_id[i] = ids.Code(e.anonymous_id);
      b.user_id[i] = ids.Code(e.user_id);
      b.message_id[i] = ids.Code(e.message_id);
    }
  }
  const size_t num_props = request.properties.size();
  b.property_codes.assign(num_props, std::vector<uint32_t>(n, 0));
  b.property_dicts.resize(num_props);
  for (size_t k = 0; k < num_props; ++k) {
    const std::string& key = request.properties[k];
    std::unordered_map<std::string, uint32_t> value_codes;
    std::string encoded;
    for (size_t i = 0; i < n; ++i) {
      const auto& props = rows[i]->properties;
      auto it = std::find_if(props.begin(), props.end(), [&](const Property& p) { return p.key == key; });
      if (it == props.end()) continue;
      encoded.clear();
      EncodePropertyValue(it->value, &encoded);
      auto [vit, inserted] = value_codes.try_emplace(encoded, static_cast<uint32_t>(b.property_dicts[k].size() + 1));
      if (inserted) b.property_dicts[k].push_back(it->value);
      b.property_codes[k][i] = vit->second;
    }
  }

  ColumnBlock& block = b.block;
  block.rows = n;
  block.timestamp_ms = b.timestamp_ms.data();
  block.type = b.type.data();
  block.event = b.event.data();
  block.person = b.person.data();
  block.account = b.account.data();
  block.event_dict = b.event_dict;
  block.person_dict = b.person_dict;
  block.account_dict = b.account_dict;
  for (size_t k = 0; k < num_props; ++k) {
    block.properties.push_back(PropertyColumn{b.property_codes[k].data(), b.property_dicts[k]});
    block.property_keys.emplace_back(request.properties[k]);
  }
  if (request.with_identity_columns) {
    block.received_at_ms = b.received_at_ms.data();
    block.anonymous_id = b.anonymous_id.data();
    block.user_id = b.user_id.data();
    block.message_id = b.message_id.data();
    block.id_dict = b.id_dict;
  }
  return out;
}

}  // namespace tobops::store
