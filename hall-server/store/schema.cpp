#include "store/schema.hpp"

#include <array>
#include <string>

namespace daihoi::store {
namespace {

constexpr std::string_view kVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version    INTEGER PRIMARY KEY,
  applied_ms INTEGER NOT NULL
);
)sql";

// Roles are stored as the wire enum values (domain::Role): 1 delegate,
// 2 chair, 3 secretary, 4 organizer, 5 kiosk, 6 display.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE congress (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  name               TEXT NOT NULL,
  term               TEXT NOT NULL,
  venue              TEXT NOT NULL,
  starts_on          TEXT NOT NULL,
  ends_on            TEXT NOT NULL,
  quorum_numerator   INTEGER NOT NULL,
  quorum_denominator INTEGER NOT NULL,
  CONSTRAINT quorum_is_a_fraction
    CHECK (quorum_denominator > 0 AND quorum_numerator BETWEEN 0 AND quorum_denominator)
);

CREATE TABLE delegations (
  id   INTEGER PRIMARY KEY CHECK (id > 0),
  name TEXT NOT NULL
);

CREATE TABLE delegates (
  id            INTEGER PRIMARY KEY CHECK (id > 0),
  code          TEXT NOT NULL UNIQUE,
  full_name     TEXT NOT NULL,
  delegation_id INTEGER NOT NULL REFERENCES delegations (id),
  seat_label    TEXT NOT NULL,
  seat_row      INTEGER NOT NULL CHECK (seat_row >= 0),
  seat_column   INTEGER NOT NULL CHECK (seat_column >= 0),
  voting        INTEGER NOT NULL CHECK (voting IN (0, 1))
);

CREATE TABLE delegate_photos (
  delegate_id INTEGER NOT NULL REFERENCES delegates (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  file        TEXT NOT NULL,
  PRIMARY KEY (delegate_id, position)
) WITHOUT ROWID;

-- AUTOINCREMENT: sessions name accounts by id, so an id is never reused.
CREATE TABLE staff_accounts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          INTEGER NOT NULL CHECK (role IN (2, 3, 4)),
  password_hash TEXT NOT NULL
);

CREATE TABLE devices (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  role       INTEGER NOT NULL CHECK (role IN (5, 6)),
  token_hash TEXT NOT NULL UNIQUE
);

-- Empty text means "not issued". badge_used_ms: when the one-time badge token
-- was used; NULL while it is still unused.
CREATE TABLE delegate_credentials (
  delegate_id      INTEGER PRIMARY KEY REFERENCES delegates (id) ON DELETE CASCADE,
  pin_hash         TEXT NOT NULL DEFAULT '',
  badge_token_hash TEXT NOT NULL DEFAULT '',
  badge_used_ms    INTEGER
);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  role         INTEGER NOT NULL CHECK (role BETWEEN 1 AND 6),
  account_id   INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  login        TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  closed_ms    INTEGER,
  CHECK (expires_ms >= created_ms)
) WITHOUT ROWID;

CREATE TABLE attendance_current (
  delegate_id INTEGER PRIMARY KEY REFERENCES delegates (id) ON DELETE CASCADE,
  since_ms    INTEGER NOT NULL
);

-- History outlives roster replacements, so it holds no foreign key: it keeps
-- the delegate's code as it was, because a new roster may give the id to
-- someone else. A trigger still refuses rows for delegates not on the roster.
CREATE TABLE attendance_log (
  id                INTEGER PRIMARY KEY,
  delegate_id       INTEGER NOT NULL,
  delegate_code     TEXT NOT NULL,
  present           INTEGER NOT NULL CHECK (present IN (0, 1)),
  method            INTEGER NOT NULL CHECK (method IN (1, 2, 3)),
  reason            TEXT NOT NULL,
  recorded_by_role  INTEGER NOT NULL CHECK (recorded_by_role BETWEEN 1 AND 6),
  recorded_by_id    INTEGER NOT NULL,
  recorded_by_name  TEXT NOT NULL,
  recorded_by_login TEXT NOT NULL,
  time_ms           INTEGER NOT NULL
);

CREATE TRIGGER attendance_log_requires_roster_delegate
BEFORE INSERT ON attendance_log
WHEN NOT EXISTS (SELECT 1 FROM delegates WHERE id = NEW.delegate_id)
BEGIN
  SELECT RAISE(ABORT, 'attendance_log: the delegate is not on the roster');
END;

-- The hash-chained event log. audience_roles is a domain::RoleSet bit mask;
-- audience_delegate is a delegate id, 0 for none.
CREATE TABLE events (
  seq               INTEGER PRIMARY KEY CHECK (seq > 0),
  time_ms           INTEGER NOT NULL,
  audience_roles    INTEGER NOT NULL,
  audience_delegate INTEGER NOT NULL DEFAULT 0,
  body              BLOB NOT NULL,
  hash              BLOB NOT NULL CHECK (length(hash) = 32)
);
)sql";

constexpr std::string_view kVersion2 = R"sql(
CREATE INDEX attendance_log_by_delegate ON attendance_log (delegate_id, id);
CREATE INDEX sessions_open_by_expiry ON sessions (expires_ms) WHERE closed_ms IS NULL;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER attendance_log_no_update BEFORE UPDATE ON attendance_log
BEGIN
  SELECT RAISE(ABORT, 'attendance_log is append-only');
END;
CREATE TRIGGER attendance_log_no_delete BEFORE DELETE ON attendance_log
BEGIN
  SELECT RAISE(ABORT, 'attendance_log is append-only');
END;
)sql";

constexpr std::array kMigrations{
    Migration{1, "congress, roster, accounts, sessions, attendance and the event log", kVersion1},
    Migration{2, "indexes for log paging and session loading; append-only events and attendance log",
              kVersion2},
};

bool tableExists(Database& db, std::string_view table) {
  auto statement = db.cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  statement->bindText(1, table);
  return statement->step();
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latestSchemaVersion() { return kMigrations.back().version; }

int currentSchemaVersion(Database& db) {
  if (!tableExists(db, "schema_version")) {
    return 0;
  }
  auto statement = db.cached("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  statement->step();
  return static_cast<int>(statement->columnInt64(0));
}

void migrate(Database& db, std::int64_t nowMs) {
  int current = currentSchemaVersion(db);
  if (current > latestSchemaVersion()) {
    throw StoreError("database '" + db.path() + "' has schema version " + std::to_string(current) +
                     ", newer than this build supports (" + std::to_string(latestSchemaVersion()) + ")");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= current) {
      continue;
    }
    Transaction transaction(db);
    db.exec(kVersionTable);
    // Another process may have migrated while this one waited for the write lock.
    current = currentSchemaVersion(db);
    if (migration.version <= current) {
      transaction.commit();
      continue;
    }
    db.exec(migration.sql);
    auto record = db.cached("INSERT INTO schema_version (version, applied_ms) VALUES (?1, ?2)");
    record->bindInt64(1, migration.version).bindInt64(2, nowMs).run();
    transaction.commit();
    current = migration.version;
  }
}

}  // namespace daihoi::store
