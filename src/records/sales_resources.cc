#include "records/sales_resources.h"

#include "records/field_builders.h"

namespace tobops::records {
namespace {

const std::vector<std::string> kIntent = {"high", "medium", "low"};

ResourceSpec Accounts() {
  ResourceSpec r;
  r.name = "accounts";
  r.singular = "account";
  r.fields = {Text("group_id"),        Text("name", true), Text("industry"), Text("size"),
              Text("region"),          Text("level"),      Text("owner"),    Text("plan"),
              Money("arr"),            Count("seats"),     Text("lifecycle_stage"),
              Typed("renewal_date", FieldType::kDate),     Money("revenue"), Count("employees"),
              Text("website"),         Long("notes"),      Traits()};
  r.search_fields = {"name", "group_id", "industry", "owner"};
  r.default_sort = "updated_at";
  r.unique_fields = {"group_id"};
  r.tracks_manual_edits = true;
  return r;
}

ResourceSpec Contacts() {
  ResourceSpec r;
  r.name = "contacts";
  r.singular = "contact";
  FieldSpec role = Text("role");
  role.max_bytes = 40;
  r.fields = {Text("person_id"), Ref("account_id", "accounts"), Text("name", true), Text("email"), Text("phone"),
              Text("title"),     role,                          Text("owner"),      Long("notes"), Traits()};
  r.search_fields = {"name", "email", "person_id", "title"};
  r.default_sort = "updated_at";
  r.unique_fields = {"person_id"};
  r.tracks_manual_edits = true;
  return r;
}

ResourceSpec PipelineStages() {
  ResourceSpec r;
  r.name = "pipeline_stages";
  r.singular = "pipeline stage";
  FieldSpec key = Text("key", true);
  key.max_bytes = 40;
  FieldSpec probability = Typed("probability", FieldType::kNumber, true);
  probability.min = 0;
  probability.max = 100;
  r.fields = {key, Text("label"), Typed("position", FieldType::kInteger, true), probability,
              Enum("outcome", {"open", "won", "lost"}, "open", true)};
  r.display_field = "key";
  r.default_sort = "position";
  r.default_descending = false;
  r.unique_fields = {"key"};
  return r;
}

ResourceSpec Opportunities() {
  ResourceSpec r;
  r.name = "opportunities";
  r.singular = "opportunity";
  FieldSpec stage = Text("stage", true);
  stage.max_bytes = 40;
  r.fields = {
      Ref("account_id", "accounts", true),
      Text("name", true),
      stage,
      Money("amount"),
      Text("currency"),
      Typed("expected_close", FieldType::kDate),
      Typed("products", FieldType::kTextList),
      Enum("channel", {"direct", "partner"}, "direct"),
      Enum("pricing", {"paid", "free"}, "paid"),
      Text("partner"),
      Text("owner"),
      Enum("intent_level", kIntent),
      Ref("primary_contact_id", "contacts"),
      Objects("communication_plan", {Text("role", true), Text("goal"), Long("message"), Text("channel"),
                                     Text("cadence"), Text("owner")}),
      Objects("decision_notes", {Text("step", true), Typed("drivers", FieldType::kTextList),
                                 Typed("frictions", FieldType::kTextList)}),
      Text("lost_reason"),
      Typed("closed_on", FieldType::kDate),
      Long("notes"),
  };
  r.fields[4].default_value = "CNY";
  r.search_fields = {"name", "owner", "partner"};
  r.default_sort = "updated_at";
  return r;
}

ResourceSpec Stakeholders() {
  ResourceSpec r;
  r.name = "stakeholders";
  r.singular = "stakeholder";
  FieldSpec role = Text("role", true);
  role.max_bytes = 40;
  r.fields = {Ref("opportunity_id", "opportunities", true),
              Ref("contact_id", "contacts", true),
              role,
              Enum("stance", {"supporter", "neutral", "blocker"}, "neutral", true),
              Enum("engagement", {"high", "medium", "low", "none"}, "medium"),
              Long("notes")};
  r.display_field = "role";
  r.default_sort = "id";
  r.default_descending = false;
  return r;
}

ResourceSpec Briefs() {
  ResourceSpec r;
  r.name = "briefs";
  r.singular = "brief";
  r.fields = {Ref("opportunity_id", "opportunities", true),
              Long("business_process"),
              Money("revenue"),
              Typed("core_needs", FieldType::kTextList),
              Enum("intent_level", kIntent),
              Typed("products_fit", FieldType::kTextList),
              Objects("project_team", {Text("member", true), Text("responsibility", true), Text("contact")}),
              Long("notes")};
  r.display_field = "opportunity_id";
  r.unique_fields = {"opportunity_id"};
  return r;
}

ResourceSpec Materials() {
  ResourceSpec r;
  r.name = "materials";
  r.singular = "material";
  r.fields = {Text("title", true),
              Text("url"),
              Enum("kind", {"deck", "case_study", "whitepaper", "demo_script", "pricing", "contract", "video", "other"},
                   "deck", true),
              Typed("stages", FieldType::kTextList),
              Typed("roles", FieldType::kTextList),
              Typed("industries", FieldType::kTextList),
              Long("notes")};
  r.display_field = "title";
  r.search_fields = {"title", "notes"};
  return r;
}

ResourceSpec Visits() {
  ResourceSpec r;
  r.name = "visits";
  r.singular = "visit";
  r.fields = {
      Ref("account_id", "accounts", true),
      Ref("opportunity_id", "opportunities"),
      Enum("kind", {"visit", "call", "meeting", "demo", "training"}, "visit", true),
      Text("title", true),
      Typed("held_at", FieldType::kTime, true),
      Enum("status", {"planned", "held", "cancelled"}, "held", true),
      Text("stage"),
      Objects("attendees", {Ref("contact_id", "contacts"), Text("name", true), Text("role"),
                            Enum("side", {"customer", "ours"}, "customer")}),
      Typed("needs_found", FieldType::kTextList),
      EnumList("actions", {"introduction", "training", "demo", "negotiation", "solution_review",
                           "technical_exchange", "contract"}),
      Long("feedback"),
      Long("summary"),
      Text("owner"),
  };
  r.display_field = "title";
  r.search_fields = {"title", "owner", "summary"};
  r.default_sort = "held_at";
  return r;
}

ResourceSpec FollowUps() {
  ResourceSpec r;
  r.name = "follow_ups";
  r.singular = "follow-up";
  r.fields = {Ref("visit_id", "visits"),
              Ref("account_id", "accounts", true),
              Ref("opportunity_id", "opportunities"),
              Text("title", true),
              Text("owner", true),
              Typed("due_date", FieldType::kDate, true),
              Enum("status", {"open", "done", "cancelled"}, "open", true),
              Long("notes")};
  r.display_field = "title";
  r.search_fields = {"title", "owner"};
  r.default_sort = "due_date";
  r.default_descending = false;
  return r;
}

ResourceSpec Feedback() {
  ResourceSpec r;
  r.name = "feedback";
  r.singular = "feedback item";
  FieldSpec accounts = Typed("account_ids", FieldType::kReferenceList, true);
  accounts.references = "accounts";
  r.fields = {Text("title", true),
              Long("detail"),
              accounts,
              Ref("visit_id", "visits"),
              Enum("source", {"visit", "support", "sales", "other"}, "visit", true),
              Enum("status", {"evaluating", "planned", "shipped", "declined"}, "evaluating", true),
              Text("product_area"),
              Text("owner")};
  r.display_field = "title";
  r.search_fields = {"title", "detail", "product_area"};
  return r;
}

}  // namespace

std::vector<ResourceSpec> SalesResources() {
  return {Accounts(), Contacts(),  PipelineStages(), Opportunities(), Stakeholders(),
          Briefs(),   Materials(), Visits(),         FollowUps(),     Feedback()};
}

}  // namespace tobops::records
