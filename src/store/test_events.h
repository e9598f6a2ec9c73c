// File: store/test_events.h
// Helpers shared by the store unit tests: building events and reading a whole store
// or segment back as Events. Test-only; not part of tobops_store.
#pragma once

#include <string>
#include <vector>

#include "store/event.h"
#include "store/event_store.h"

namespace tobops::store::testing {

inline Event MakeEvent(std::string account, std::string person, int64_t ts, std::string name,
                       std::string message_id = {}, std::vector<Property> props = {}) {
  Event e;
  e.timestamp_ms = ts;
  e.received_at_ms = ts + 250;
  e.type = MessageType::kTrack;
  e.event = std::move(name);
  e.person = person;
  e.user_id = std::move(person);
  e.anonymous_id = "anon-" + e.user_id;
  e.account = std::move(account);
  e.message_id = std::move(message_id);
  e.properties = std::move(props);
  return e;
}

// Reads every event a scan returns (all identity columns and the given properties).
inline Status ScanAll(const EventStore& store, std::vector<Event>* out, std::vector<std::string> properties = {},
                      ScanRequest request = {}) {
  request.with_identity_columns = true;
  request.properties = properties;
  return store.Scan(request, [&](const ColumnBlock& b, int) -> Status {
    for (size_t i = 0; i < b.rows; ++i) {
      Event e;
      e.timestamp_ms = b.timestamp_ms[i];
      e.received_at_ms = b.received_at_ms[i];
      e.type = b.type[i];
      e.event = b.event_dict[b.event[i]];
      e.person = b.person_dict[b.person[i]];
      e.account = b.account_dict[b.account[i]];
      e.anonymous_id = b.id_dict[b.anonymous_id[i]];
      e.user_id = b.id_dict[b.user_id[i]];
      e.message_id = b.id_dict[b.message_id[i]];
      for (size_t k = 0; k < b.properties.size(); ++k) {
        uint32_t code = b.properties[k].codes[i];
        if (code != 0) e.properties.push_back(Property{properties[k], b.properties[k].dict[code - 1]});
      }
      out->push_back(std::move(e));
    }
    return Status::Ok();
  });
}

}  // namespace tobops::store::testing
