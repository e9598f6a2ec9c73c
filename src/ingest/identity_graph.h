// File: ingest/identity_graph.h
// IdentityGraph: who is who. Joins anonymous ids to the person they become (identify
// with both ids, alias), keeps each person's current traits (role, title, ...) and
// account membership, and each account's traits (industry, size, level, ...).
//
// Callers: IngestPipeline applies messages in arrival order (and resolves an event's
// account: context.groupId when given, else the person's account at that moment);
// queries resolve stored person ids to canonical persons and read traits.
// The graph lives in memory; it is rebuilt on start from the store's identify / group /
// alias events and the events that carry both ids (see RebuildFrom), so it needs no
// durable state of its own.
// Thread-safety: all methods are safe to call concurrently (internal shared mutex).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "ingest/ingest_message.h"
#include "store/event.h"
#include "store/event_store.h"

namespace tobops::ingest {

using Traits = std::vector<store::Property>;  // sorted by key, keys unique

// The value of `key` in `traits`, without copies; nullptr when absent.
const store::PropertyValue* FindTraitIn(const Traits& traits, std::string_view key);

// Every account's traits and every member's account and role, at one state of the
// graph. The per-account views (health, coverage) read all of it on every query, while
// it changes only when identity messages arrive: IdentityGraph::Book() builds it once
// per change and shares it, immutable.
struct AccountBook {
  static constexpr uint32_t kNoRole = UINT32_MAX;
  struct Member {
    std::string person;  // canonical person
    uint32_t account;    // index into member_accounts
    uint32_t role;       // index into roles; kNoRole when the person has no text `role` trait
  };
  std::vector<std::pair<std::string, Traits>> accounts;  // accounts with traits (group calls), by id
  std::vector<std::string> member_accounts;              // the accounts members belong to
  std::vector<std::string> roles;                        // the distinct `role` texts of members
  std::vector<Member> members;                           // persons with a current account

  // The traits of an account; null when it has none (no group call).
  const Traits* FindAccount(std::string_view id) const {
    auto it = account_index.find(id);
    return it == account_index.end() ? nullptr : &accounts[it->second].second;
  }
  std::unordered_map<std::string_view, uint32_t> account_index;  // id → index into accounts
};

class IdentityGraph {
 public:
  // Applies an identify / group / alias message and resolves `message->event.account`
  // for every message type. Call in arrival order.
  void Apply(IngestMessage* message);

  // The canonical person for a stored person id (itself when never merged).
  std::string CanonicalPerson(std::string_view person) const;
  // Resolves many ids at once under one lock: out[i] = canonical(ids[i]).
  void CanonicalPersons(std::span<const std::string> ids, std::vector<std::string>* out) const;

  // Current traits; empty when unknown. `person` may be any id of the person.
  Traits PersonTraits(std::string_view person) const;
  Traits AccountTraits(std::string_view account) const;
  // The account the person belongs to now; empty when none.
  std::string PersonAccount(std::string_view person) const;

  // How many merges (one canonical person becoming another) the graph has made; query
  // caches of canonical ids (query/entity_directory.h) are valid while it is unchanged.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  size_t PersonCount() const;   // identified persons (with a user id) plus anonymous ones seen in identify/alias
  size_t AccountCount() const;

  // Visits each (canonical person, traits) / (account, traits) pair. Takes a shared lock
  // for the whole visit: the visitor must not call back into the graph.
  void ForEachPerson(const std::function<void(const std::string&, const Traits&)>& visit) const;
  void ForEachAccount(const std::function<void(const std::string&, const Traits&)>& visit) const;
  // Visits each (canonical person, current account, traits); the account is empty for a
  // person without one. Same locking rule as ForEachPerson. Read-only: account
  // membership for per-account views (decision-chain coverage, account health).
  void ForEachPersonWithAccount(
      const std::function<void(const std::string& person, const std::string& account, const Traits&)>& visit)
      const;

  // The account book of the graph's current state; the same shared instance until the
  // next identify / group / alias or join changes the graph.
  std::shared_ptr<const AccountBook> Book() const;

  // Replays identity messages stored in `store` in (received_at, timestamp) order: every
  // identify / group / alias, and the first track / page / screen of each (anonymous id,
  // user id) pair — an event carrying both ids joins them as live ingest does.
  Status RebuildFrom(const store::EventStore& store);

 private:
  struct Person {
    Traits traits;
    std::string account;
  };

  // Union-find over person ids; the root is the canonical person. Requires mu_ held.
  std::string FindLocked(std::string_view id) const;
  void LinkLocked(const std::string& from, const std::string& to);
  static void MergeTraits(const Traits& update, Traits* into);

  mutable std::shared_mutex mu_;
  std::atomic<uint64_t> generation_{0};
  uint64_t version_ = 0;  // changes with every message that may change the graph; guarded by mu_
  // Book(): the last one built and the version it was built at. book_mu_ is taken
  // before mu_, never the other way.
  mutable std::mutex book_mu_;
  mutable std::shared_ptr<const AccountBook> book_;
  mutable uint64_t book_version_ = 0;
  std::unordered_map<std::string, std::string> parent_;  // id → parent id (absent: root)
  std::unordered_map<std::string, Person> persons_;      // canonical id → person
  std::unordered_map<std::string, Traits> accounts_;     // account id → traits
};

}  // namespace tobops::ingest
