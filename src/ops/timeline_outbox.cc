#include "ops/timeline_outbox.h"

#include <map>
#include <mutex>
#include <set>

#include <spdlog/spdlog.h>

#include "common/time_format.h"
#include "ingest/segment_message_parser.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using domain::SqliteConnection;
using domain::SqliteStatement;
using nlohmann::json;

// ---- lookups inside the writing transaction ------------------------------------

// Reads the other records an event needs (the account's group id, a contact's person,
// a stage's outcome) on the connection of the write, so they see its uncommitted state.
class Lookup {
 public:
  Lookup(SqliteConnection& conn, const std::string& project_id) : conn_(conn), project_id_(project_id) {}

  // The account's group id, or "record-account-<id>" when it has none (hand-made).
  Result<std::string> AccountGroup(const json& account_id) {
    if (!account_id.is_number_integer()) return std::string();
    const int64_t id = account_id.get<int64_t>();
    ASSIGN_OR_RETURN(std::string group, Text("SELECT group_id FROM accounts WHERE project_id = ? AND id = ?", id));
    return group.empty() ? "record-account-" + std::to_string(id) : group;
  }
  // The contact's person id; empty when the contact has none (typed by hand).
  Result<std::string> ContactPerson(const json& contact_id) {
    if (!contact_id.is_number_integer()) return std::string();
    return Text("SELECT person_id FROM contacts WHERE project_id = ? AND id = ?", contact_id.get<int64_t>());
  }
  Result<json> OpportunityAccount(const json& opportunity_id) {
    if (!opportunity_id.is_number_integer()) return json(nullptr);
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn_.Prepare("SELECT account_id FROM opportunities WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindInt64(2, opportunity_id.get<int64_t>()));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    return found && !stmt.ColumnIsNull(0) ? json(stmt.ColumnInt64(0)) : json(nullptr);
  }
  // The contact of the opportunity's first stakeholder (by id), or null.
  Result<json> FirstStakeholderContact(int64_t opportunity_id) {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn_.Prepare("SELECT contact_id FROM stakeholders WHERE project_id = ? AND "
                                                         "opportunity_id = ? ORDER BY id LIMIT 1"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindInt64(2, opportunity_id));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    return found && !stmt.ColumnIsNull(0) ? json(stmt.ColumnInt64(0)) : json(nullptr);
  }
  // The campaign's name and type, as {"name", "type"} (nulls when unknown).
  Result<json> Campaign(const json& campaign_id) {
    json out = {{"name", nullptr}, {"type", nullptr}};
    if (!campaign_id.is_number_integer()) return out;
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn_.Prepare("SELECT name, type FROM campaigns WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindInt64(2, campaign_id.get<int64_t>()));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) out = {{"name", stmt.ColumnText(0)}, {"type", stmt.ColumnText(1)}};
    return out;
  }
  // The partner's name and account, as {"name", "account_id"} (nulls when unknown).
  Result<json> Partner(const json& partner_id) {
    json out = {{"name", nullptr}, {"account_id", nullptr}};
    if (!partner_id.is_number_integer()) return out;
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn_.Prepare("SELECT name, account_id FROM partners WHERE project_id = ? AND id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindInt64(2, partner_id.get<int64_t>()));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) {
      out["name"] = stmt.ColumnText(0);
      if (!stmt.ColumnIsNull(1)) out["account_id"] = stmt.ColumnInt64(1);
    }
    return out;
  }
  // open | won | lost: the project's pipeline stage, else the default stage names.
  Result<std::string> StageOutcome(const json& stage) {
    if (!stage.is_string()) return std::string("open");
    const std::string key = stage.get<std::string>();
    ASSIGN_OR_RETURN(SqliteStatement stmt,
                     conn_.Prepare("SELECT outcome FROM pipeline_stages WHERE project_id = ? AND key = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindText(2, key));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found && !stmt.ColumnIsNull(0)) return stmt.ColumnText(0);
    return std::string(key == "won" || key == "lost" ? key : "open");
  }

 private:
  Result<std::string> Text(const char* sql, int64_t id) {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn_.Prepare(sql));
    RETURN_IF_ERROR(stmt.BindText(1, project_id_));
    RETURN_IF_ERROR(stmt.BindInt64(2, id));
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    return found && !stmt.ColumnIsNull(0) ? stmt.ColumnText(0) : std::string();
  }

  SqliteConnection& conn_;
  const std::string& project_id_;
};

// ---- composing messages ----------------------------------------------------------

// Who an event is about: the person (a contact's person id; may be empty) and the
// account's group id.
struct Party {
  std::string person_id;
  std::string group_id;
  json contact_id = nullptr;
};

// One Segment track message for `row` of `table`. The messageId is derived from the
// record and its version (id, updated_at) plus the event and `suffix` (which attendee,
// which account), so the same change always yields the same id.
json Message(const std::string& table, const json& row, const std::string& event, int64_t timestamp_ms,
             const Party& party, json properties, const std::string& suffix = {}) {
  const std::string record_id = std::to_string(row["id"].get<int64_t>());
  properties["record_type"] = table;
  properties["record_id"] = row["id"];
  properties["$source"] = "records";
  if (!party.contact_id.is_null()) properties["contact_id"] = party.contact_id;
  json m = {{"type", "track"},
            {"event", event},
            {"timestamp", timestamp_ms},
            {"messageId", "rec-" + table + "-" + record_id + "-" + std::to_string(row["updated_at_ms"].get<int64_t>()) +
                              "-" + event + (suffix.empty() ? "" : "-" + suffix)},
            {"properties", std::move(properties)}};
  if (!party.person_id.empty()) {
    m["userId"] = party.person_id;
  } else {
    // No person: the account itself, so account-level analyses still count the event.
    m["anonymousId"] = "account:" + party.group_id;
  }
  if (!party.group_id.empty()) m["context"] = {{"groupId", party.group_id}};
  return m;
}

int64_t UpdatedAt(const json& row) { return row["updated_at_ms"].get<int64_t>(); }

bool Changed(const json* before, const json& after, const char* field) {
  return before == nullptr || (*before)[field] != after[field];
}

using Messages = std::vector<json>;

// ---- builders: one per record kind -----------------------------------------------

Result<Messages> OpportunityEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr) return out;  // a deleted opportunity leaves its history as it was
  const json& o = *after;
  if (before != nullptr && !Changed(before, o, "stage")) return out;
  Party party;
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(o["account_id"]));
  party.contact_id = o["primary_contact_id"];
  if (party.contact_id.is_null()) {
    ASSIGN_OR_RETURN(party.contact_id, lookup.FirstStakeholderContact(o["id"].get<int64_t>()));
  }
  ASSIGN_OR_RETURN(party.person_id, lookup.ContactPerson(party.contact_id));
  const int64_t at = UpdatedAt(o);
  ASSIGN_OR_RETURN(std::string outcome, lookup.StageOutcome(o["stage"]));
  std::string was = "open";
  if (before == nullptr) {
    out.push_back(Message("opportunities", o, "opportunity_created", at, party,
                          {{"opportunity_id", o["id"]}, {"name", o["name"]}, {"stage", o["stage"]},
                           {"amount", o["amount"]}}));
  } else {
    ASSIGN_OR_RETURN(was, lookup.StageOutcome((*before)["stage"]));
    out.push_back(Message("opportunities", o, "opportunity_stage_changed", at, party,
                          {{"opportunity_id", o["id"]},
                           {"name", o["name"]},
                           {"from_stage", (*before)["stage"]},
                           {"to_stage", o["stage"]},
                           {"amount", o["amount"]},
                           {"outcome", outcome}}));
  }
  // Closing is its own event, once per close (a won deal edited again is not won twice).
  if (outcome == "won" && was != "won") {
    out.push_back(Message("opportunities", o, "deal_won", at, party,
                          {{"opportunity_id", o["id"]}, {"name", o["name"]}, {"amount", o["amount"]}}));
  } else if (outcome == "lost" && was != "lost") {
    out.push_back(Message("opportunities", o, "deal_lost", at, party,
                          {{"opportunity_id", o["id"]},
                           {"name", o["name"]},
                           {"amount", o["amount"]},
                           {"lost_reason", o["lost_reason"]}}));
  }
  return out;
}

Result<Messages> VisitEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr || (*after)["status"] != "held") return out;
  if (before != nullptr && (*before)["status"] == "held") return out;  // held once
  const json& v = *after;
  std::string group;
  ASSIGN_OR_RETURN(group, lookup.AccountGroup(v["account_id"]));
  const int64_t at = v["held_at"].is_number_integer() ? v["held_at"].get<int64_t>() : UpdatedAt(v);
  json props = {{"visit_id", v["id"]},         {"title", v["title"]},   {"kind", v["kind"]},
                {"stage", v["stage"]},         {"actions", v["actions"].is_array() ? v["actions"] : json::array()},
                {"opportunity_id", v["opportunity_id"]}};
  std::set<std::string> persons;
  const json attendees = v["attendees"].is_array() ? v["attendees"] : json::array();
  for (const auto& a : attendees) {
    if (a.value("side", "customer") != "customer" || !a.contains("contact_id")) continue;
    Party party{{}, group, a["contact_id"]};
    ASSIGN_OR_RETURN(party.person_id, lookup.ContactPerson(a["contact_id"]));
    if (party.person_id.empty() || !persons.insert(party.person_id).second) continue;
    json p = props;
    p["attendee_role"] = a.contains("role") ? a["role"] : json(nullptr);
    out.push_back(Message("visits", v, "visit_held", at, party, std::move(p), "c" + a["contact_id"].dump()));
  }
  if (out.empty()) out.push_back(Message("visits", v, "visit_held", at, Party{{}, group, nullptr}, props));
  return out;
}

Result<Messages> FollowUpEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr || (*after)["status"] != "done") return out;
  if (before != nullptr && (*before)["status"] == "done") return out;
  const json& f = *after;
  Party party;
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(f["account_id"]));
  out.push_back(Message("follow_ups", f, "follow_up_done", UpdatedAt(f), party,
                        {{"title", f["title"]},
                         {"owner", f["owner"]},
                         {"due_date", f["due_date"]},
                         {"visit_id", f["visit_id"]},
                         {"opportunity_id", f["opportunity_id"]}}));
  return out;
}

Result<Messages> FeedbackEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (before != nullptr || after == nullptr) return out;
  const json& f = *after;
  // One event per account the request came from, so each account's timeline shows it.
  const json accounts = f["account_ids"].is_array() ? f["account_ids"] : json::array();
  for (const auto& account_id : accounts) {
    Party party;
    ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(account_id));
    out.push_back(Message("feedback", f, "feedback_submitted", UpdatedAt(f), party,
                          {{"title", f["title"]},
                           {"status", f["status"]},
                           {"source", f["source"]},
                           {"product_area", f["product_area"]}},
                          "a" + account_id.dump()));
  }
  return out;
}

Result<Messages> StakeholderEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (before != nullptr || after == nullptr) return out;
  const json& s = *after;
  Party party;
  party.contact_id = s["contact_id"];
  ASSIGN_OR_RETURN(party.person_id, lookup.ContactPerson(s["contact_id"]));
  ASSIGN_OR_RETURN(json account_id, lookup.OpportunityAccount(s["opportunity_id"]));
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(account_id));
  out.push_back(Message("stakeholders", s, "stakeholder_added", UpdatedAt(s), party,
                        {{"role", s["role"]},
                         {"stance", s["stance"]},
                         {"engagement", s["engagement"]},
                         {"opportunity_id", s["opportunity_id"]}}));
  return out;
}

// The person and account of a record that names a contact and/or an account (campaign
// members, leads): the contact's person, and the account given, else the contact's.
Result<Party> PartyOf(Lookup& lookup, const json& record) {
  Party party;
  party.contact_id = record["contact_id"];
  ASSIGN_OR_RETURN(party.person_id, lookup.ContactPerson(party.contact_id));
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(record["account_id"]));
  return party;
}

// True when `field` just became `value` (on create, or changed from something else).
bool BecameValue(const json* before, const json& after, const char* field, const char* value) {
  return after[field] == value && (before == nullptr || (*before)[field] != value);
}

Result<Messages> CampaignMemberEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr || !BecameValue(before, *after, "status", "attended")) return out;
  const json& m = *after;
  ASSIGN_OR_RETURN(Party party, PartyOf(lookup, m));
  if (party.person_id.empty() && party.group_id.empty()) return out;  // nobody we know yet
  ASSIGN_OR_RETURN(json campaign, lookup.Campaign(m["campaign_id"]));
  out.push_back(Message("campaign_members", m, "campaign_attended", UpdatedAt(m), party,
                        {{"campaign_id", m["campaign_id"]},
                         {"campaign_name", campaign["name"]},
                         {"campaign_type", campaign["type"]},
                         {"role", m["role"]}}));
  return out;
}

Result<Messages> LeadEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr || !BecameValue(before, *after, "status", "qualified")) return out;
  const json& l = *after;
  ASSIGN_OR_RETURN(Party party, PartyOf(lookup, l));
  if (party.person_id.empty() && party.group_id.empty()) return out;
  out.push_back(Message("leads", l, "lead_qualified", UpdatedAt(l), party,
                        {{"lead_id", l["id"]},
                         {"source", l["source"]},
                         {"campaign_id", l["campaign_id"]},
                         {"channel", l["channel"]},
                         {"keyword", l["keyword"]},
                         {"owner", l["owner"]}}));
  return out;
}

Result<Messages> RenewalEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr) return out;
  const json& r = *after;
  const bool signed_now = BecameValue(before, r, "status", "signed");
  const bool lost_now = BecameValue(before, r, "status", "lost");
  if (!signed_now && !lost_now) return out;
  Party party;
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(r["account_id"]));
  json props = {{"renewal_id", r["id"]}, {"renewal_date", r["renewal_date"]}, {"arr", r["arr"]}, {"owner", r["owner"]}};
  if (lost_now) props["lost_reason"] = r["lost_reason"];
  out.push_back(Message("renewals", r, signed_now ? "renewal_signed" : "renewal_lost", UpdatedAt(r), party,
                        std::move(props)));
  return out;
}

// A points entry, on the account of the partner's own company (partners.account_id):
// a partner without an account writes nothing. Entries are append-only, so this fires
// once per entry; a replayed request (same idempotency key) adds no entry and so no
// event, and the messageId (entry id + version) absorbs a repeated drain.
Result<Messages> PointEntryEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (before != nullptr || after == nullptr) return out;
  const json& e = *after;
  ASSIGN_OR_RETURN(json partner, lookup.Partner(e["partner_id"]));
  if (partner["account_id"].is_null()) return out;
  Party party;
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(partner["account_id"]));
  out.push_back(Message("point_entries", e, "partner_points_recorded", UpdatedAt(e), party,
                        {{"partner_id", e["partner_id"]},
                         {"partner_name", partner["name"]},
                         {"kind", e["kind"]},
                         {"points", e["points"]},
                         {"reason", e["reason"]},
                         {"idempotency_key", e["idempotency_key"]}}));
  return out;
}

// A milestone reaching done (on create or by a change), once per reaching it: a
// milestone reopened and done again writes a second event, as the account did it twice.
Result<Messages> MilestoneEvents(Lookup& lookup, const json* before, const json* after) {
  Messages out;
  if (after == nullptr || !BecameValue(before, *after, "status", "done")) return out;
  const json& m = *after;
  Party party;
  ASSIGN_OR_RETURN(party.group_id, lookup.AccountGroup(m["account_id"]));
  out.push_back(Message("milestones", m, "milestone_done", UpdatedAt(m), party,
                        {{"milestone_id", m["id"]}, {"name", m["name"]}, {"position", m["position"]}}));
  return out;
}

// The record kinds that write timeline events. To add an event, add its builder here
// (a kind missing from the catalog is skipped, so builders may precede their records).
struct EventBuilder {
  const char* table;
  Result<Messages> (*build)(Lookup& lookup, const json* before, const json* after);
};
constexpr EventBuilder kBuilders[] = {
    {"opportunities", OpportunityEvents}, {"visits", VisitEvents},           {"follow_ups", FollowUpEvents},
    {"feedback", FeedbackEvents},         {"stakeholders", StakeholderEvents},
    {"campaign_members", CampaignMemberEvents}, {"leads", LeadEvents}, {"renewals", RenewalEvents},
    {"point_entries", PointEntryEvents},  {"milestones", MilestoneEvents},
};

Status Enqueue(SqliteConnection& conn, const std::string& project_id, const Messages& messages) {
  if (messages.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("INSERT INTO timeline_outbox (project_id, message_json, "
                                                      "created_at_ms) VALUES (?, ?, ?)"));
  for (const auto& m : messages) {
    RETURN_IF_ERROR(stmt.Reset());
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    RETURN_IF_ERROR(stmt.BindText(2, m.dump()));
    RETURN_IF_ERROR(stmt.BindInt64(3, NowMs()));
    RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

// One drain at a time per process: two would hand the same rows to the pipeline (the
// store would drop the repeats, but the work is wasted).
std::mutex drain_mu;

constexpr int kDrainBatch = 500;

}  // namespace

void TimelineOutbox::Install(records::ResourceCatalog& catalog) {
  for (const auto& builder : kBuilders) {
    records::RecordStore* store = catalog.Find(builder.table);
    if (store == nullptr) continue;
    store->AddChangeHook([build = builder.build](SqliteConnection& conn, const std::string& project_id,
                                                 const json* before, const json* after) -> Status {
      Lookup lookup(conn, project_id);
      ASSIGN_OR_RETURN(Messages messages, build(lookup, before, after));
      return Enqueue(conn, project_id, messages);
    });
  }
}

Result<size_t> TimelineOutbox::Pending(domain::SqliteDatabase& db, const std::string& project_id) {
  size_t count = 0;
  RETURN_IF_ERROR(db.Run([&](SqliteConnection& conn) -> Status {
    ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT COUNT(*) FROM timeline_outbox WHERE project_id = ?"));
    RETURN_IF_ERROR(stmt.BindText(1, project_id));
    ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    count = has_row ? static_cast<size_t>(stmt.ColumnInt64(0)) : 0;
    return Status::Ok();
  }));
  return count;
}

Result<DrainCounts> TimelineOutbox::Drain(const OpsContext& ctx) {
  if (ctx.records == nullptr || ctx.pipeline == nullptr) {
    return FailedPrecondition("draining the timeline outbox needs the project's records and ingest pipeline");
  }
  domain::SqliteDatabase* db = &ctx.records->database();
  std::lock_guard lock(drain_mu);
  DrainCounts counts;
  // Record events are history (their timestamps are the records' times), not live
  // traffic: no clock-skew correction.
  ingest::SegmentMessageParser parser(ingest::ParserLimits{.correct_clock_skew = false});
  while (true) {
    std::vector<int64_t> ids;
    std::string body = "{\"batch\":[";
    RETURN_IF_ERROR(db->Run([&](SqliteConnection& conn) -> Status {
      ASSIGN_OR_RETURN(SqliteStatement stmt, conn.Prepare("SELECT id, message_json FROM timeline_outbox WHERE "
                                                          "project_id = ? ORDER BY id LIMIT " +
                                                          std::to_string(kDrainBatch)));
      RETURN_IF_ERROR(stmt.BindText(1, ctx.project_id));
      while (true) {
        ASSIGN_OR_RETURN(bool has_row, stmt.Step());
        if (!has_row) break;
        if (!ids.empty()) body.push_back(',');
        ids.push_back(stmt.ColumnInt64(0));
        body += stmt.ColumnText(1);
      }
      return Status::Ok();
    }));
    if (ids.empty()) break;
    body += "]}";
    const int64_t received_at = NowMs();
    auto parsed = parser.Parse(body, true, store::MessageType::kTrack, received_at);
    if (!parsed.ok()) {
      // Rows are written from json::dump, so this means a damaged catalog row; fall
      // back to one row at a time would hide which — report it instead.
      return DataLoss("timeline outbox rows " + std::to_string(ids.front()) + ".." + std::to_string(ids.back()) +
                      " are not valid messages: " + parsed.status().message());
    }
    ASSIGN_OR_RETURN(ingest::IngestOutcome outcome, ctx.pipeline->Ingest(std::move(*parsed), received_at));
    counts.messages += ids.size();
    counts.rejected += outcome.rejected;
    if (outcome.rejected > 0) {
      // Rejected messages are in the quarantine with their reason; keeping them here
      // would retry them forever.
      spdlog::warn("project {}: {} timeline events refused: {}", ctx.project_id, outcome.rejected,
                   outcome.errors.empty() ? std::string() : outcome.errors.front().status.ToString());
    }
    // Durable now (Ingest returned OK): the rows may go.
    RETURN_IF_ERROR(db->Transaction([&](SqliteConnection& conn) -> Status {
      ASSIGN_OR_RETURN(SqliteStatement del,
                       conn.Prepare("DELETE FROM timeline_outbox WHERE project_id = ? AND id = ?"));
      for (int64_t id : ids) {
        RETURN_IF_ERROR(del.Reset());
        RETURN_IF_ERROR(del.BindText(1, ctx.project_id));
        RETURN_IF_ERROR(del.BindInt64(2, id));
        RETURN_IF_ERROR(del.Run());
      }
      return Status::Ok();
    }));
    if (ids.size() < static_cast<size_t>(kDrainBatch)) break;
  }
  return counts;
}

}  // namespace tobops::ops
