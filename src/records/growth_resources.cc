#include "records/growth_resources.h"

#include "records/field_builders.h"

namespace tobops::records {
namespace {

FieldSpec Bool(std::string name) { return Typed(std::move(name), FieldType::kBool); }
FieldSpec Date(std::string name, bool required = false) { return Typed(std::move(name), FieldType::kDate, required); }
FieldSpec List(std::string name) { return Typed(std::move(name), FieldType::kTextList); }

ResourceSpec Campaigns() {
  ResourceSpec r;
  r.name = "campaigns";
  r.singular = "campaign";
  r.fields = {
      Text("name", true),
      Enum("type", {"webinar", "conference_attended", "conference_hosted", "training", "online_promotion", "sem",
                    "partner"},
           "webinar", true),
      Text("theme"),
      Date("starts_on"),
      Date("ends_on"),
      Money("budget"),
      Money("actual_cost"),
      Text("owner"),
      Enum("status", {"planned", "running", "done", "cancelled"}, "planned", true),
      // Events whose utm_campaign (and utm_source, when set) match are this campaign's.
      Text("utm_campaign"),
      Text("utm_source"),
      List("target_industries"),
      List("target_roles"),
      Objects("checklist", {Text("task", true), Text("owner"), Date("due_date"), Bool("done")}),
      Long("notes"),
  };
  r.search_fields = {"name", "theme", "owner", "utm_campaign"};
  r.default_sort = "starts_on";
  r.unique_fields = {"utm_campaign"};
  return r;
}

ResourceSpec CampaignMembers() {
  ResourceSpec r;
  r.name = "campaign_members";
  r.singular = "campaign member";
  r.fields = {Ref("campaign_id", "campaigns", true),
              Text("name", true),
              Text("email"),
              Text("phone"),
              Text("company"),
              Text("title"),
              Text("role"),
              Ref("contact_id", "contacts"),
              Ref("account_id", "accounts"),
              Enum("status", {"invited", "registered", "attended", "no_show"}, "invited", true),
              Typed("registered_at", FieldType::kTime),
              Long("notes")};
  r.search_fields = {"name", "email", "company"};
  r.default_sort = "id";
  r.default_descending = false;
  return r;
}

ResourceSpec Leads() {
  ResourceSpec r;
  r.name = "leads";
  r.singular = "lead";
  FieldSpec score = Count("score");
  score.read_only = true;  // fit + behaviour, computed by ops
  r.fields = {Text("name", true),
              Ref("contact_id", "contacts"),
              Ref("account_id", "accounts"),
              Enum("source", {"campaign", "content", "channel", "keyword", "partner", "other"}, "other", true),
              Ref("campaign_id", "campaigns"),
              Ref("content_id", "content_items"),
              Ref("partner_id", "partners"),
              Text("channel"),
              Text("keyword"),
              Enum("validity", {"pending", "valid", "invalid"}, "pending", true),
              Text("invalid_reason"),
              Text("owner"),
              Enum("status", {"new", "contacted", "qualified", "converted", "disqualified"}, "new", true),
              score,
              Typed("first_response_at", FieldType::kTime),
              Long("notes")};
  r.search_fields = {"name", "owner", "keyword", "channel"};
  r.default_sort = "updated_at";
  return r;
}

ResourceSpec ContentItems() {
  ResourceSpec r;
  r.name = "content_items";
  r.singular = "content item";
  r.fields = {Text("title", true),
              Enum("kind", {"event_report", "technical_sharing", "people_story", "industry_report", "case_study",
                            "whitepaper", "product_material"},
                   "case_study", true),
              Text("industry"),
              Text("channel"),
              Text("url"),
              // Page events whose path or content_id property equals these count as reads.
              Text("page_path"),
              Text("content_key"),
              Date("published_on"),
              Text("owner"),
              Count("shares"),
              Count("media_reposts"),
              Count("exposure"),
              Long("summary")};
  r.display_field = "title";
  r.search_fields = {"title", "industry", "channel"};
  r.default_sort = "published_on";
  return r;
}

ResourceSpec Renewals() {
  ResourceSpec r;
  r.name = "renewals";
  r.singular = "renewal";
  r.fields = {Ref("account_id", "accounts", true),
              Date("renewal_date", true),
              Money("arr"),
              Text("owner"),
              Enum("status", {"upcoming", "in_progress", "signed", "lost"}, "upcoming", true),
              Text("lost_reason"),
              Long("notes")};
  r.display_field = "renewal_date";
  r.default_sort = "renewal_date";
  r.default_descending = false;
  return r;
}

ResourceSpec Playbooks() {
  ResourceSpec r;
  r.name = "playbooks";
  r.singular = "playbook";
  r.fields = {Text("name", true),
              Enum("rule", {"active_seats_drop", "no_decision_maker_active", "trial_low_feature_use"},
                   "active_seats_drop", true),
              Typed("threshold", FieldType::kNumber),
              Count("window_days"),
              Bool("enabled"),
              Text("task_title"),
              Text("owner"),
              Long("notes")};
  r.search_fields = {"name"};
  return r;
}

ResourceSpec Tasks() {
  ResourceSpec r;
  r.name = "tasks";
  r.singular = "task";
  r.fields = {Text("title", true),
              Ref("account_id", "accounts"),
              Ref("playbook_id", "playbooks"),
              Text("owner", true),
              Date("due_date"),
              Enum("status", {"open", "in_progress", "done", "dismissed"}, "open", true),
              Enum("source", {"manual", "playbook"}, "manual", true),
              Long("reason"),
              Long("notes")};
  r.display_field = "title";
  r.search_fields = {"title", "owner"};
  r.default_sort = "due_date";
  r.default_descending = false;
  return r;
}

ResourceSpec Milestones() {
  ResourceSpec r;
  r.name = "milestones";
  r.singular = "milestone";
  r.fields = {Ref("account_id", "accounts", true),
              Text("name", true),
              Typed("position", FieldType::kInteger),
              Date("due_date"),
              Date("done_on"),
              Enum("status", {"pending", "in_progress", "done", "blocked"}, "pending", true),
              Text("owner"),
              Long("notes")};
  r.default_sort = "position";
  r.default_descending = false;
  return r;
}

ResourceSpec Partners() {
  ResourceSpec r;
  r.name = "partners";
  r.singular = "partner";
  r.fields = {Text("name", true),
              Enum("kind", {"supplier", "reseller", "integrator"}, "reseller", true),
              Enum("certification", {"none", "bronze", "silver", "gold", "platinum"}, "none", true),
              // The partner's own company as an account (a reseller that is also a
              // customer): its points entries become events on that account's timeline
              // (ops/timeline_outbox.h). Optional; migration 6 added the column.
              Ref("account_id", "accounts"),
              Text("region"),
              Text("contact"),
              Text("owner"),
              Long("notes")};
  r.search_fields = {"name", "region", "owner"};
  r.unique_fields = {"name"};
  return r;
}

ResourceSpec PointEntries() {
  ResourceSpec r;
  r.name = "point_entries";
  r.singular = "points entry";
  FieldSpec points = Typed("points", FieldType::kInteger, true);
  points.min = -1'000'000;
  points.max = 1'000'000;
  r.fields = {Ref("partner_id", "partners", true),
              Enum("kind", {"quote", "presales", "delivery_rating", "reward", "penalty", "redemption"}, "", true),
              points,
              Text("reason"),
              // Retrying a request with the same key never adds a second entry.
              Text("idempotency_key"),
              Text("recorded_by")};
  r.display_field = "kind";
  r.default_sort = "id";
  r.unique_fields = {"idempotency_key"};
  r.append_only = true;  // a ledger: corrections are new entries
  return r;
}

ResourceSpec Goals() {
  ResourceSpec r;
  r.name = "goals";
  r.singular = "goal";
  r.fields = {Text("name", true),
              Text("metric"),
              Typed("query", FieldType::kLongText),  // a saved query spec (JSON), validated by ops
              Typed("target", FieldType::kNumber, true),
              Enum("period", {"week", "month", "quarter", "year"}, "month", true),
              Date("starts_on"),
              Date("ends_on"),
              Text("owner"),
              Long("notes")};
  r.search_fields = {"name", "metric", "owner"};
  return r;
}

ResourceSpec Strategies() {
  ResourceSpec r;
  r.name = "strategies";
  r.singular = "strategy";
  r.fields = {Text("name", true),
              Long("hypothesis"),
              Text("target_metric"),
              Ref("goal_id", "goals"),
              Date("starts_on"),
              Date("ends_on"),
              Typed("baseline", FieldType::kNumber),
              Typed("outcome", FieldType::kNumber),
              Enum("decision", {"pending", "keep", "change", "drop"}, "pending", true),
              Text("owner"),
              Long("notes")};
  r.search_fields = {"name", "target_metric", "owner"};
  return r;
}

}  // namespace

std::vector<ResourceSpec> GrowthResources() {
  return {Campaigns(), CampaignMembers(), ContentItems(), Partners(), Leads(),  Renewals(),
          Playbooks(), Tasks(),           Milestones(),   PointEntries(), Goals(), Strategies()};
}

}  // namespace tobops::records
