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

constexpr Migration kMigrations[] = {
    {1, "initial", kInitialSchema},
    {2, "dashboards", kDashboards},
    {3, "cohorts", kCohorts},
};

}  // namespace

std::span<const Migration> CatalogMigrations() { return kMigrations; }

}  // namespace tobops::domain
