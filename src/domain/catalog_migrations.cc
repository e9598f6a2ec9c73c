#include "domain/catalog_migrations.h"

namespace tobops::domain {
namespace {

// Times are INTEGER UTC milliseconds (columns end in _ms). Secrets are never
// stored: only their BLAKE2b hash (keys, sessions) or argon2id string (passwords).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE projects (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  timezone      TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  kind          TEXT NOT NULL CHECK (kind IN ('write', 'read')),
  name          TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  secret_hash   TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
);
CREATE INDEX api_keys_by_project ON api_keys(project_id, created_at_ms);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
  password_hash TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at_ms);

CREATE TABLE quarantine (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  received_at_ms     INTEGER NOT NULL,
  code               TEXT NOT NULL,
  field              TEXT NOT NULL,
  message            TEXT NOT NULL,
  payload            TEXT NOT NULL,
  payload_size_bytes INTEGER NOT NULL
);
CREATE INDEX quarantine_by_project ON quarantine(project_id, received_at_ms DESC, id DESC);

CREATE TABLE tracking_plans (
  project_id    TEXT PRIMARY KEY REFERENCES projects(id),
  mode          TEXT NOT NULL CHECK (mode IN ('accept_all', 'flag', 'quarantine')),
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE planned_events (
  project_id  TEXT NOT NULL REFERENCES projects(id),
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (project_id, name)
);

CREATE TABLE planned_properties (
  project_id     TEXT NOT NULL,
  event_name     TEXT NOT NULL,
  name           TEXT NOT NULL,
  position       INTEGER NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('string', 'number', 'boolean')),
  required       INTEGER NOT NULL,
  PRIMARY KEY (project_id, event_name, name),
  FOREIGN KEY (project_id, event_name) REFERENCES planned_events(project_id, name) ON DELETE CASCADE
);

CREATE TABLE planned_property_values (
  project_id    TEXT NOT NULL,
  event_name    TEXT NOT NULL,
  property_name TEXT NOT NULL,
  position      INTEGER NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (project_id, event_name, property_name, position),
  FOREIGN KEY (project_id, event_name, property_name)
    REFERENCES planned_properties(project_id, event_name, name) ON DELETE CASCADE
);

CREATE TABLE plan_event_observations (
  project_id             TEXT NOT NULL REFERENCES projects(id),
  event_name             TEXT NOT NULL,
  seen_count             INTEGER NOT NULL,
  last_seen_ms           INTEGER NOT NULL,
  violation_count        INTEGER NOT NULL,
  last_violation_ms      INTEGER,
  last_violation_message TEXT,
  PRIMARY KEY (project_id, event_name)
);

CREATE TABLE plan_property_observations (
  project_id    TEXT NOT NULL REFERENCES projects(id),
  event_name    TEXT NOT NULL,
  property_name TEXT NOT NULL,
  seen_count    INTEGER NOT NULL,
  PRIMARY KEY (project_id, event_name, property_name)
);
)sql";

// Saved charts: a dashboard holds query specs (JSON text, validated by the server).
constexpr const char* kDashboards = R"sql(
CREATE TABLE dashboards (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX dashboards_by_project ON dashboards(project_id, id);

CREATE TABLE dashboard_charts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  dashboard_id  INTEGER NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
  title         TEXT NOT NULL,
  spec_json     TEXT NOT NULL,
  position      INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX dashboard_charts_by_dashboard ON dashboard_charts(dashboard_id, position);
)sql";

// Saved cohorts: a definition (JSON text, validated by the query layer) per name.
constexpr const char* kCohorts = R"sql(
CREATE TABLE cohorts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id      TEXT NOT NULL REFERENCES projects(id),
  name            TEXT NOT NULL,
  entity          TEXT NOT NULL CHECK (entity IN ('person', 'account')),
  definition_json TEXT NOT NULL,
  created_at_ms   INTEGER NOT NULL,
  UNIQUE (project_id, name)
);
)sql";

// The sales workspace (records/sales_resources.cc declares the same fields; the records
// test checks that every declared field has its column). Lists and objects are JSON
// text, times UTC ms, dates 'YYYY-MM-DD'. Children of an opportunity or a visit go with
// it; anything else that is still referenced cannot be deleted.
constexpr const char* kSalesWorkspace = R"sql(
CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id      TEXT NOT NULL REFERENCES projects(id),
  group_id        TEXT,
  name            TEXT NOT NULL,
  industry        TEXT,
  size            TEXT,
  region          TEXT,
  level           TEXT,
  owner           TEXT,
  plan            TEXT,
  arr             REAL,
  seats           INTEGER,
  lifecycle_stage TEXT,
  renewal_date    TEXT,
  revenue         REAL,
  employees       INTEGER,
  website         TEXT,
  notes           TEXT,
  traits          TEXT,
  manual_fields   TEXT NOT NULL DEFAULT '[]',
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL,
  UNIQUE (project_id, group_id)
);
CREATE INDEX accounts_by_project ON accounts(project_id, updated_at_ms);

CREATE TABLE contacts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id      TEXT NOT NULL REFERENCES projects(id),
  person_id       TEXT,
  account_id      INTEGER REFERENCES accounts(id),
  name            TEXT NOT NULL,
  email           TEXT,
  phone           TEXT,
  title           TEXT,
  role            TEXT,
  owner           TEXT,
  notes           TEXT,
  traits          TEXT,
  manual_fields   TEXT NOT NULL DEFAULT '[]',
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL,
  UNIQUE (project_id, person_id)
);
CREATE INDEX contacts_by_account ON contacts(account_id);

CREATE TABLE pipeline_stages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  key           TEXT NOT NULL,
  label         TEXT,
  position      INTEGER NOT NULL,
  probability   REAL NOT NULL,
  outcome       TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  UNIQUE (project_id, key)
);

CREATE TABLE opportunities (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id         TEXT NOT NULL REFERENCES projects(id),
  account_id         INTEGER NOT NULL REFERENCES accounts(id),
  name               TEXT NOT NULL,
  stage              TEXT NOT NULL,
  amount             REAL,
  currency           TEXT,
  expected_close     TEXT,
  products           TEXT,
  channel            TEXT,
  pricing            TEXT,
  partner            TEXT,
  owner              TEXT,
  intent_level       TEXT,
  primary_contact_id INTEGER REFERENCES contacts(id),
  communication_plan TEXT,
  decision_notes     TEXT,
  lost_reason        TEXT,
  closed_on          TEXT,
  notes              TEXT,
  created_at_ms      INTEGER NOT NULL,
  updated_at_ms      INTEGER NOT NULL
);
CREATE INDEX opportunities_by_account ON opportunities(account_id);
CREATE INDEX opportunities_by_stage ON opportunities(project_id, stage);

CREATE TABLE stakeholders (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  contact_id     INTEGER NOT NULL REFERENCES contacts(id),
  role           TEXT NOT NULL,
  stance         TEXT NOT NULL,
  engagement     TEXT,
  notes          TEXT,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL,
  UNIQUE (opportunity_id, contact_id)
);

CREATE TABLE briefs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id       TEXT NOT NULL REFERENCES projects(id),
  opportunity_id   INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
  business_process TEXT,
  revenue          REAL,
  core_needs       TEXT,
  intent_level     TEXT,
  products_fit     TEXT,
  project_team     TEXT,
  notes            TEXT,
  created_at_ms    INTEGER NOT NULL,
  updated_at_ms    INTEGER NOT NULL,
  UNIQUE (project_id, opportunity_id)
);

CREATE TABLE materials (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  title         TEXT NOT NULL,
  url           TEXT,
  kind          TEXT NOT NULL,
  stages        TEXT,
  roles         TEXT,
  industries    TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE visits (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  account_id     INTEGER NOT NULL REFERENCES accounts(id),
  opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
  kind           TEXT NOT NULL,
  title          TEXT NOT NULL,
  held_at        INTEGER NOT NULL,
  status         TEXT NOT NULL,
  stage          TEXT,
  attendees      TEXT,
  needs_found    TEXT,
  actions        TEXT,
  feedback       TEXT,
  summary        TEXT,
  owner          TEXT,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL
);
CREATE INDEX visits_by_account ON visits(account_id, held_at);

CREATE TABLE follow_ups (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id     TEXT NOT NULL REFERENCES projects(id),
  visit_id       INTEGER REFERENCES visits(id) ON DELETE CASCADE,
  account_id     INTEGER NOT NULL REFERENCES accounts(id),
  opportunity_id INTEGER REFERENCES opportunities(id) ON DELETE SET NULL,
  title          TEXT NOT NULL,
  owner          TEXT NOT NULL,
  due_date       TEXT NOT NULL,
  status         TEXT NOT NULL,
  notes          TEXT,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL
);
CREATE INDEX follow_ups_by_due ON follow_ups(project_id, status, due_date);

CREATE TABLE feedback (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  title         TEXT NOT NULL,
  detail        TEXT,
  account_ids   TEXT NOT NULL,
  visit_id      INTEGER REFERENCES visits(id) ON DELETE SET NULL,
  source        TEXT NOT NULL,
  status        TEXT NOT NULL,
  product_area  TEXT,
  owner         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

-- Record changes waiting to be written as timeline events (ops/timeline_outbox.h):
-- filled in the same transaction as the change, emptied once the event is durable.
CREATE TABLE timeline_outbox (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  message_json  TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
)sql";

// The marketing, success and partner workspace (records/growth_resources.cc).
constexpr const char* kGrowthWorkspace = R"sql(
CREATE TABLE campaigns (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id        TEXT NOT NULL REFERENCES projects(id),
  name              TEXT NOT NULL,
  type              TEXT NOT NULL,
  theme             TEXT,
  starts_on         TEXT,
  ends_on           TEXT,
  budget            REAL,
  actual_cost       REAL,
  owner             TEXT,
  status            TEXT NOT NULL,
  utm_campaign      TEXT,
  utm_source        TEXT,
  target_industries TEXT,
  target_roles      TEXT,
  checklist         TEXT,
  notes             TEXT,
  created_at_ms     INTEGER NOT NULL,
  updated_at_ms     INTEGER NOT NULL,
  UNIQUE (project_id, utm_campaign)
);

CREATE TABLE campaign_members (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  email         TEXT,
  phone         TEXT,
  company       TEXT,
  title         TEXT,
  role          TEXT,
  contact_id    INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id    INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  status        TEXT NOT NULL,
  registered_at INTEGER,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX campaign_members_by_campaign ON campaign_members(campaign_id, status);

CREATE TABLE content_items (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL,
  industry      TEXT,
  channel       TEXT,
  url           TEXT,
  page_path     TEXT,
  content_key   TEXT,
  published_on  TEXT,
  owner         TEXT,
  shares        INTEGER,
  media_reposts INTEGER,
  exposure      INTEGER,
  summary       TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE partners (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  certification TEXT NOT NULL,
  region        TEXT,
  contact       TEXT,
  owner         TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE leads (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id        TEXT NOT NULL REFERENCES projects(id),
  name              TEXT NOT NULL,
  contact_id        INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
  account_id        INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  source            TEXT NOT NULL,
  campaign_id       INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  content_id        INTEGER REFERENCES content_items(id) ON DELETE SET NULL,
  partner_id        INTEGER REFERENCES partners(id) ON DELETE SET NULL,
  channel           TEXT,
  keyword           TEXT,
  validity          TEXT NOT NULL,
  invalid_reason    TEXT,
  owner             TEXT,
  status            TEXT NOT NULL,
  score             INTEGER,
  first_response_at INTEGER,
  notes             TEXT,
  created_at_ms     INTEGER NOT NULL,
  updated_at_ms     INTEGER NOT NULL
);
CREATE INDEX leads_by_campaign ON leads(campaign_id);

CREATE TABLE renewals (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  account_id    INTEGER NOT NULL REFERENCES accounts(id),
  renewal_date  TEXT NOT NULL,
  arr           REAL,
  owner         TEXT,
  status        TEXT NOT NULL,
  lost_reason   TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX renewals_by_date ON renewals(project_id, renewal_date);

CREATE TABLE playbooks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  rule          TEXT NOT NULL,
  threshold     REAL,
  window_days   INTEGER,
  enabled       INTEGER,
  task_title    TEXT,
  owner         TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE tasks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  title         TEXT NOT NULL,
  account_id    INTEGER REFERENCES accounts(id),
  playbook_id   INTEGER REFERENCES playbooks(id) ON DELETE SET NULL,
  owner         TEXT NOT NULL,
  due_date      TEXT,
  status        TEXT NOT NULL,
  source        TEXT NOT NULL,
  reason        TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX tasks_by_due ON tasks(project_id, status, due_date);

CREATE TABLE milestones (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  position      INTEGER,
  due_date      TEXT,
  done_on       TEXT,
  status        TEXT NOT NULL,
  owner         TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

-- A ledger: rows are only ever added (records/field_spec.h append_only).
CREATE TABLE point_entries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id      TEXT NOT NULL REFERENCES projects(id),
  partner_id      INTEGER NOT NULL REFERENCES partners(id),
  kind            TEXT NOT NULL,
  points          INTEGER NOT NULL,
  reason          TEXT,
  idempotency_key TEXT,
  recorded_by     TEXT,
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL,
  UNIQUE (project_id, idempotency_key)
);
CREATE INDEX point_entries_by_partner ON point_entries(partner_id, id);

CREATE TABLE goals (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  metric        TEXT,
  query         TEXT,
  target        REAL NOT NULL,
  period        TEXT NOT NULL,
  starts_on     TEXT,
  ends_on       TEXT,
  owner         TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE strategies (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id    TEXT NOT NULL REFERENCES projects(id),
  name          TEXT NOT NULL,
  hypothesis    TEXT,
  target_metric TEXT,
  goal_id       INTEGER REFERENCES goals(id) ON DELETE SET NULL,
  starts_on     TEXT,
  ends_on       TEXT,
  baseline      REAL,
  outcome       REAL,
  decision      TEXT NOT NULL,
  owner         TEXT,
  notes         TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql";

// Partners may name their own company's account (records/growth_resources.cc): its
// points entries then become timeline events of that account. Added to existing
// catalogs in place; existing partners keep NULL (no account). Deleting the account
// unlinks the partner, as for leads.
constexpr const char* kPartnerAccounts = R"sql(
ALTER TABLE partners ADD COLUMN account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL;
CREATE INDEX partners_by_account ON partners(account_id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial", kInitialSchema},
    {2, "dashboards", kDashboards},
    {3, "cohorts", kCohorts},
    {4, "sales_workspace", kSalesWorkspace},
    {5, "growth_workspace", kGrowthWorkspace},
    {6, "partner_accounts", kPartnerAccounts},
};

}  // namespace

std::span<const Migration> CatalogMigrations() { return kMigrations; }

}  // namespace tobops::domain
