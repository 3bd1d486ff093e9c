#pragma once
// The database schema as an ordered list of migrations. The version reached
// is recorded in the `schema_version` table (version, applied_ms); opening a
// database applies the missing migrations, each in its own transaction.
#include <cstdint>
#include <span>
#include <string_view>

#include "store/sqlite.hpp"

namespace daihoi::store {

struct Migration {
  int version = 0;               // 1, 2, 3, ... without gaps
  std::string_view description;  // for people reading schema_version
  std::string_view sql;          // one or more statements
};

// Every migration this build knows, in order. A shipped migration never
// changes: later schema changes are new migrations.
std::span<const Migration> migrations();
int latestSchemaVersion();

// The highest version recorded in schema_version; 0 for a new database.
int currentSchemaVersion(Database& db);

// Applies the missing migrations. Throws StoreError when the database was
// written by a newer build (its version is above latestSchemaVersion()).
void migrate(Database& db, std::int64_t nowMs);

}  // namespace daihoi::store
