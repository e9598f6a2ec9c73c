#include "ingest/identity_graph.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <tuple>

namespace tobops::ingest {

using store::MessageType;
using store::Property;

const store::PropertyValue* FindTraitIn(const Traits& traits, std::string_view key) {
  auto it = std::lower_bound(traits.begin(), traits.end(), key,
                             [](const Property& p, std::string_view k) { return p.key < k; });
  return it != traits.end() && it->key == key ? &it->value : nullptr;
}

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
  ++version_;
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
  // Identity calls change traits or membership; other messages only through a join.
  if (ev.type == MessageType::kIdentify || ev.type == MessageType::kGroup || ev.type == MessageType::kAlias) {
    ++version_;
  }
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

std::shared_ptr<const AccountBook> IdentityGraph::Book() const {
  std::lock_guard book_lock(book_mu_);
  std::shared_lock lock(mu_);
  if (book_ != nullptr && book_version_ == version_) return book_;
  auto book = std::make_shared<AccountBook>();
  book->accounts.reserve(accounts_.size());
  for (const auto& [id, traits] : accounts_) book->accounts.emplace_back(id, traits);
  std::sort(book->accounts.begin(), book->accounts.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  book->account_index.reserve(book->accounts.size());
  for (uint32_t i = 0; i < book->accounts.size(); ++i) book->account_index.emplace(book->accounts[i].first, i);
  std::unordered_map<std::string_view, uint32_t> account_index, role_index;
  for (const auto& [id, person] : persons_) {
    if (person.account.empty()) continue;
    auto [account, new_account] = account_index.try_emplace(person.account, uint32_t(book->member_accounts.size()));
    if (new_account) book->member_accounts.push_back(person.account);
    uint32_t role = AccountBook::kNoRole;
    const store::PropertyValue* trait = FindTraitIn(person.traits, "role");
    if (const std::string* text = trait != nullptr ? std::get_if<std::string>(trait) : nullptr) {
      auto [it, new_role] = role_index.try_emplace(*text, uint32_t(book->roles.size()));
      if (new_role) book->roles.push_back(*text);
      role = it->second;
    }
    book->members.push_back(AccountBook::Member{id, account->second, role});
  }
  book_ = std::move(book);
  book_version_ = version_;
  return book_;
}

namespace {

// An event that carries both ids: the first (received_at, timestamp) of its pair.
struct EventJoin {
  int64_t received_at_ms;
  int64_t timestamp_ms;
  std::string anonymous_id;
  std::string user_id;
};

struct IdPairHash {
  size_t operator()(const std::pair<std::string, std::string>& ids) const {
    const std::hash<std::string> h;
    return h(ids.first) * 31 + h(ids.second);
  }
};

// The first (received_at, timestamp) of each distinct (anonymous id, user id) pair among
// track / page / screen events, which join the two ids as identify does (Apply's default
// case). Only the first matters: a repeated join changes nothing. Identified clients send
// both ids on every call, so pairs are folded per block first (rows of one person are
// adjacent) and then across blocks; the result holds one entry per pair, not per event,
// in (received_at, timestamp, ids) order, so that ties replay the same way on every
// start (an anonymous id joined to two users at once makes the later one canonical).
Result<std::vector<EventJoin>> CollectEventJoins(const store::EventStore& store) {
  store::ScanRequest request;
  request.types = {MessageType::kTrack, MessageType::kPage, MessageType::kScreen};
  request.with_identity_columns = true;
  request.with_message_id = false;
  request.keep_decoded = false;
  request.max_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  using Time = std::pair<int64_t, int64_t>;  // (received_at, timestamp)
  std::unordered_map<std::pair<std::string, std::string>, Time, IdPairHash> first;
  std::mutex first_mu;
  RETURN_IF_ERROR(store.Scan(request, [&](const store::ColumnBlock& block, int) {
    std::unordered_map<uint64_t, Time> local;  // (anonymous code << 32 | user code)
    for (size_t row = 0; row < block.rows; ++row) {
      const uint32_t anon = block.anonymous_id[row];
      const uint32_t user = block.user_id[row];
      if (anon == 0 || user == 0 || block.id_dict[anon].empty() || block.id_dict[user].empty()) continue;
      const Time seen{block.received_at_ms[row], block.timestamp_ms[row]};
      auto [it, inserted] = local.try_emplace(uint64_t{anon} << 32 | user, seen);
      it->second = std::min(it->second, seen);
    }
    std::lock_guard lock(first_mu);
    for (const auto& [codes, seen] : local) {
      auto [it, inserted] = first.try_emplace({block.id_dict[codes >> 32], block.id_dict[codes & 0xffffffffu]}, seen);
      it->second = std::min(it->second, seen);
    }
    return Status::Ok();
  }));
  std::vector<EventJoin> joins;
  joins.reserve(first.size());
  for (auto& [ids, seen] : first) joins.push_back(EventJoin{seen.first, seen.second, ids.first, ids.second});
  std::sort(joins.begin(), joins.end(), [](const EventJoin& a, const EventJoin& b) {
    return std::tie(a.received_at_ms, a.timestamp_ms, a.anonymous_id, a.user_id) <
           std::tie(b.received_at_ms, b.timestamp_ms, b.anonymous_id, b.user_id);
  });
  return joins;
}

}  // namespace

Status IdentityGraph::RebuildFrom(const store::EventStore& store) {
  store::ScanRequest request;
  request.types = {MessageType::kIdentify, MessageType::kGroup, MessageType::kAlias};
  request.all_properties = true;
  request.with_identity_columns = true;
  request.with_message_id = false;
  request.keep_decoded = false;
  // One thread: blocks arrive in store order, so messages with equal (received_at,
  // timestamp) replay in the same order on every start.
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
  ASSIGN_OR_RETURN(std::vector<EventJoin> joins, CollectEventJoins(store));
  for (EventJoin& join : joins) {
    Pending p{join.received_at_ms, join.timestamp_ms, {}};
    store::Event& ev = p.message.event;
    ev.type = MessageType::kTrack;
    ev.timestamp_ms = join.timestamp_ms;
    ev.person = join.user_id;
    ev.anonymous_id = std::move(join.anonymous_id);
    ev.user_id = std::move(join.user_id);
    pending.push_back(std::move(p));
  }
  joins = {};
  // Joins by events come after the identity messages in `pending`, so on a tie the
  // identify that carried the same pair applies first.
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
