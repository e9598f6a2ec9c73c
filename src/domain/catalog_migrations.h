// File: domain/catalog_migrations.h
// The ordered schema steps of the SQLite catalog (<data>/catalog.sqlite).
// SqliteDatabase applies each step once, in a transaction, and records it in
// schema_migrations. To change the schema, append a step; never edit a released one.
// Callers: SqliteDatabase::Open. Thread-safety: immutable data.
// Tables are described in docs/operations.md "SQLite catalog".
#pragma once

#include <span>

#include "domain/sqlite_database.h"

namespace tobops::domain {

// All steps, ascending by version. The last one is the schema this binary writes.
std::span<const Migration> CatalogMigrations();

}  // namespace tobops::domain
