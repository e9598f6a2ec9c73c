// File: store/block_builder.h
// OwnedBlock / BuildBlock: turn a sorted run of Events (from a memtable) into a
// ColumnBlock whose arrays and dictionaries the OwnedBlock owns. Also the row order
// shared by memtable scans and the segment writer (SortRows).
// Callers: EmbeddedEventStore::Scan, SegmentWriter. Thread-safety: pure functions;
// an OwnedBlock is used by one thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "store/event.h"
#include "store/event_store.h"

namespace tobops::store {

// Column storage behind a ColumnBlock; `block` points into the vectors below.
struct OwnedBlock {
  ColumnBlock block;
  std::vector<int64_t> timestamp_ms;
  std::vector<MessageType> type;
  std::vector<uint32_t> event, person, account;
  std::vector<std::string> event_dict, person_dict, account_dict, id_dict;
  std::vector<std::vector<uint32_t>> property_codes;
  std::vector<std::vector<PropertyValue>> property_dicts;
  std::vector<int64_t> received_at_ms;
  std::vector<uint32_t> anonymous_id, user_id, message_id;
};

// Stable-sorts `rows` (given in arrival order) by (account, person, timestamp_ms).
void SortRows(std::vector<const Event*>* rows);

// True when `e` passes the time, event-name and type filters of `request`.
bool MatchesRequest(const Event& e, const ScanRequest& request);

// Builds a block from `rows`, already filtered and sorted; materialises the property
// columns and identity columns `request` asks for.
std::unique_ptr<OwnedBlock> BuildBlock(std::span<const Event* const> rows, const ScanRequest& request);

}  // namespace tobops::store
