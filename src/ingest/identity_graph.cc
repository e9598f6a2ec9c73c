#include "ingest/identity_graph.h"

#include <algorithm>
#include <mutex>
#include <tuple>

namespace tobops::ingest {

using store::MessageType;
using store::Property;

std::string IdentityGraph::FindLocked(std::string_view id) const {
  std::string current(id);
  // Chains stay short: LinkLocked always points a root at a root; a chain grows only
  // when a root is itself merged later, which real identity data does a few times at most.
  for (int hops = 0; hops < 1024; ++hops) {
    auto it = parent_.find(current);
    if (it == parent_.end()) return current;
    current = it->second;
  }
  return current;
}

void IdentityGraph::MergeTraits(const Traits& update, Traits* into) {
  Traits merged;
  merged.reserve(update.size() + into->size());
  auto a = update.begin();
  auto b = into->begin();
  while (a != update.end() || b != into->end()) {
    if (b == into->end() || (a != update.end() && a->key < b->key)) {
      merged.push_back(*a++);
    } else if (a == update.end() || b->key < a->key) {
      merged.push_back(*b++);
    } else {
      merged.push_back(*a++);  // newer value wins
      ++b;
    }
  }
  *into = std::move(merged);
}

void IdentityGraph::LinkLocked(const std::string& from, const std::string& to) {
  const std::string from_root = FindLocked(from);
  const std::string to_root = FindLocked(to);
  if (from_root == to_root) return;
  parent_[from_root] = to_root;
  generation_.fetch_add(1, std::memory_order_acq_rel);
  // Shorten the path for the id actually used, so lookups of it stay one hop.
  if (from != from_root) parent_[from] = to_root;
  auto it = persons_.find(from_root);
  if (it != persons_.end()) {
    Person& target = persons_[to_root];
    Traits older = std::move(it->second.traits);
    // The identified person's own traits are newer than what was known anonymously.
    MergeTraits(target.traits, &older);
    target.traits = std::move(older);
    if (target.account.empty()) target.account = it->second.account;
    persons_.erase(it);
  }
}

void IdentityGraph::Apply(IngestMessage* message) {
  store::Event& ev = message->event;
  std::unique_lock lock(mu_);
  const std::string anon =
      ev.anonymous_id.empty() ? std::string() : std::string(store::kAnonymousPrefix) + ev.anonymous_id;
  switch (ev.type) {
    case MessageType::kIdentify: {
      if (!ev.user_id.empty() && !anon.empty()) LinkLocked(anon, ev.user_id);
      Person& person = persons_[FindLocked(ev.person)];
      MergeTraits(message->traits, &person.traits);
      if (!message->context_group_id.empty()) person.account = message->context_group_id;
      break;
    }
    case MessageType::kAlias: {
      // previousId may be an earlier user id or an anonymous id; link both spellings.
      LinkLocked(message->previous_id, ev.user_id);
      LinkLocked(std::string(store::kAnonymousPrefix) + message->previous_id, ev.user_id);
      if (!anon.empty()) LinkLocked(anon, ev.user_id);
      persons_.try_emplace(FindLocked(ev.user_id));
      break;
    }
    case MessageType::kGroup: {
      if (!ev.user_id.empty() && !anon.empty()) LinkLocked(anon, ev.user_id);
      MergeTraits(message->traits, &accounts_[message->context_group_id]);
      persons_[FindLocked(ev.person)].account = message->context_group_id;
      break;
    }
    default:
      if (!ev.user_id.empty() && !anon.empty()) LinkLocked(anon, ev.user_id);
      break;
  }
  if (!message->context_group_id.empty()) {
    ev.account = message->context_group_id;
  } else {
    auto it = persons_.find(FindLocked(ev.person));
    ev.account = it == persons_.end() ? std::string() : it->second.account;
  }
}

std::string IdentityGraph::CanonicalPerson(std::string_view person) const {
  std::shared_lock lock(mu_);
  return FindLocked(person);
}

void IdentityGraph::CanonicalPersons(std::span<const std::string> ids,
                                     std::vector<std::string>* out) const {
  std::shared_lock lock(mu_);
  out->clear();
  out->reserve(ids.size());
  for (const auto& id : ids) out->push_back(FindLocked(id));
}

Traits IdentityGraph::PersonTraits(std::string_view person) const {
  std::shared_lock lock(mu_);
  auto it = persons_.find(FindLocked(person));
  return it == persons_.end() ? Traits{} : it->second.traits;
}

Traits IdentityGraph::AccountTraits(std::string_view account) const {
  std::shared_lock lock(mu_);
  auto it = accounts_.find(std::string(account));
  return it == accounts_.end() ? Traits{} : it->second;
}

std::string IdentityGraph::PersonAccount(std::string_view person) const {
  std::shared_lock lock(mu_);
  auto it = persons_.find(FindLocked(person));
  return it == persons_.end() ? std::string() : it->second.account;
}

size_t IdentityGraph::PersonCount() const {
  std::shared_lock lock(mu_);
  return persons_.size();
}

size_t IdentityGraph::AccountCount() const {
  std::shared_lock lock(mu_);
  return accounts_.size();
}

void IdentityGraph::ForEachPerson(
    const std::function<void(const std::string&, const Traits&)>& visit) const {
  std::shared_lock lock(mu_);
  for (const auto& [id, person] : persons_) visit(id, person.traits);
}

void IdentityGraph::ForEachPersonWithAccount(
    const std::function<void(const std::string&, const std::string&, const Traits&)>& visit) const {
  std::shared_lock lock(mu_);
  for (const auto& [id, person] : persons_) visit(id, person.account, person.traits);
}

void IdentityGraph::ForEachAccount(
    const std::function<void(const std::string&, const Traits&)>& visit) const {
  std::shared_lock lock(mu_);
  for (const auto& [id, traits] : accounts_) visit(id, traits);
}

Status IdentityGraph::RebuildFrom(const store::EventStore& store) {
  store::ScanRequest request;
  request.types = {MessageType::kIdentify, MessageType::kGroup, MessageType::kAlias};
  request.all_properties = true;
  request.with_identity_columns = true;
  request.keep_decoded = false;
  struct Pending {
    int64_t received_at_ms;
    int64_t timestamp_ms;
    IngestMessage message;
  };
  std::vector<Pending> pending;
  std::mutex pending_mu;
  RETURN_IF_ERROR(store.Scan(request, [&](const store::ColumnBlock& block, int) {
    std::vector<Pending> local;
    local.reserve(block.rows);
    for (size_t row = 0; row < block.rows; ++row) {
      Pending p;
      p.received_at_ms = block.received_at_ms[row];
      p.timestamp_ms = block.timestamp_ms[row];
      store::Event& ev = p.message.event;
      ev.type = block.type[row];
      ev.timestamp_ms = block.timestamp_ms[row];
      ev.person = block.person_dict[block.person[row]];
      ev.account = block.account_dict[block.account[row]];
      ev.anonymous_id = block.id_dict[block.anonymous_id[row]];
      ev.user_id = block.id_dict[block.user_id[row]];
      for (size_t c = 0; c < block.properties.size(); ++c) {
        const uint32_t code = block.properties[c].codes[row];
        if (code == 0) continue;
        ev.properties.push_back(
            Property{std::string(block.property_keys[c]), block.properties[c].dict[code - 1]});
      }
      // Apply reads traits and previous_id, not event.properties: move, don't copy —
      // at 10M events these messages are a million and more, all held until sorted.
      if (ev.type == MessageType::kAlias) {
        for (const auto& prop : ev.properties) {
          if (prop.key == "previous_id" && std::holds_alternative<std::string>(prop.value)) {
            p.message.previous_id = std::get<std::string>(prop.value);
          }
        }
      } else {
        std::sort(ev.properties.begin(), ev.properties.end(),
                  [](const Property& a, const Property& b) { return a.key < b.key; });
        p.message.traits = std::move(ev.properties);
      }
      ev.properties = {};
      // The stored account of an identify or group event is the group it named (or
      // resolved), which is what the live Apply saw as context.groupId.
      if (ev.type != MessageType::kAlias) p.message.context_group_id = ev.account;
      local.push_back(std::move(p));
    }
    std::lock_guard lock(pending_mu);
    for (auto& p : local) pending.push_back(std::move(p));
    return Status::Ok();
  }));
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return std::tie(a.received_at_ms, a.timestamp_ms) < std::tie(b.received_at_ms, b.timestamp_ms);
  });
  for (auto& p : pending) {
    Apply(&p.message);
    p = Pending{};  // free as we go: the peak is the pending list, not list + graph
  }
  return Status::Ok();
}

}  // namespace tobops::ingest
