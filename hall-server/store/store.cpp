#include "store/store.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <variant>

#include "store/schema.hpp"

namespace daihoi::store {
namespace {

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

std::int64_t roleValue(domain::Role role) { return static_cast<std::int64_t>(role); }

domain::Role roleFromColumn(std::int64_t value, std::string_view table) {
  if (value < static_cast<std::int64_t>(domain::Role::Delegate) ||
      value > static_cast<std::int64_t>(domain::Role::Display)) {
    throw StoreError(std::string(table) + " holds an unknown role " + std::to_string(value));
  }
  return static_cast<domain::Role>(value);
}

std::uint32_t idFromColumn(std::int64_t value, std::string_view what) {
  if (value < 0 || value > std::numeric_limits<std::uint32_t>::max()) {
    throw StoreError(std::string(what) + " " + std::to_string(value) + " is out of range");
  }
  return static_cast<std::uint32_t>(value);
}

std::int64_t sqlLimit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(limit, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

std::int64_t seqValue(std::uint64_t seq) {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError("event seq " + std::to_string(seq) + " is out of range");
  }
  return static_cast<std::int64_t>(seq);
}

Sha256 hashFromColumn(const std::string& bytes, std::uint64_t seq) {
  Sha256 hash{};
  if (bytes.size() != hash.size()) {
    throw StoreError("event " + std::to_string(seq) + " has a hash of " + std::to_string(bytes.size()) +
                     " bytes, expected 32");
  }
  std::memcpy(hash.data(), bytes.data(), hash.size());
  return hash;
}

EventRow eventFromRow(Statement& row) {
  EventRow event;
  event.seq = static_cast<std::uint64_t>(row.columnInt64(0));
  event.timeMs = row.columnInt64(1);
  event.audienceRoles = static_cast<std::uint32_t>(row.columnInt64(2));
  event.audienceDelegate = idFromColumn(row.columnInt64(3), "events.audience_delegate");
  event.body = row.columnBlob(4);
  event.hash = hashFromColumn(row.columnBlob(5), event.seq);
  return event;
}

ChainHead readChainHead(Database& db) {
  auto statement = db.cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
  if (!statement->step()) {
    return ChainHead{};
  }
  ChainHead head;
  head.seq = static_cast<std::uint64_t>(statement->columnInt64(0));
  head.hash = hashFromColumn(statement->columnBlob(1), head.seq);
  return head;
}

void applyConnectionPragmas(Database& db) {
  // The busy timeout comes first: switching to WAL may wait for other connections.
  db.setBusyTimeout(Store::kBusyTimeoutMs);
  db.setPragma("foreign_keys", "ON");
}

}  // namespace

// ------------------------------------------------------------------ opening

Store::Store(std::unique_ptr<Database> db, const Clock& clock, bool readOnly)
    : db_(std::move(db)), clock_(clock), readOnly_(readOnly) {}

Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string& path, const Clock* clock) {
  const Clock& effectiveClock = clock != nullptr ? *clock : systemClock();
  auto db = std::make_unique<Database>(path, Database::Mode::ReadWriteCreate);
  applyConnectionPragmas(*db);
  // WAL: readers never block the writer. synchronous=FULL: a commit is on
  // disk (WAL fsynced) before it returns, which is what onDurable promises.
  db->setPragma("journal_mode", "WAL");
  const std::string journalMode = db->pragmaText("journal_mode");
  if (journalMode != "wal") {
    throw StoreError("database '" + path + "' cannot use WAL journaling (journal_mode is '" + journalMode + "')");
  }
  db->setPragma("synchronous", "FULL");
  migrate(*db, effectiveClock.nowMs());
  return std::unique_ptr<Store>(new Store(std::move(db), effectiveClock, false));
}

std::unique_ptr<Store> Store::openReadOnly(const std::string& path) {
  auto db = std::make_unique<Database>(path, Database::Mode::ReadOnly);
  applyConnectionPragmas(*db);
  const int version = currentSchemaVersion(*db);
  if (version != latestSchemaVersion()) {
    throw StoreError("database '" + path + "' has schema version " + std::to_string(version) + ", this build needs " +
                     std::to_string(latestSchemaVersion()) + " (open it read-write once to migrate)");
  }
  return std::unique_ptr<Store>(new Store(std::move(db), systemClock(), true));
}

void Store::requireWritable(const char* operation) const {
  if (readOnly_) {
    throw StoreError(std::string(operation) + ": the store was opened read-only");
  }
}

int Store::schemaVersion() { return currentSchemaVersion(*db_); }

ConnectionSettings Store::connectionSettings() {
  ConnectionSettings settings;
  settings.journalMode = db_->pragmaText("journal_mode");
  settings.synchronous = static_cast<int>(db_->pragmaInt("synchronous"));
  settings.foreignKeys = db_->pragmaInt("foreign_keys") != 0;
  settings.busyTimeoutMs = static_cast<int>(db_->pragmaInt("busy_timeout"));
  return settings;
}

// ------------------------------------------------------------------ loading

std::optional<domain::Congress> Store::loadCongress() {
  auto row = db_->prepare(
      "SELECT name, term, venue, starts_on, ends_on, quorum_numerator, quorum_denominator "
      "FROM congress WHERE id = 1");
  if (!row.step()) {
    return std::nullopt;
  }
  domain::Congress congress;
  congress.name = row.columnText(0);
  congress.term = row.columnText(1);
  congress.venue = row.columnText(2);
  congress.startsOn = row.columnText(3);
  congress.endsOn = row.columnText(4);
  congress.quorum.numerator = idFromColumn(row.columnInt64(5), "congress.quorum_numerator");
  congress.quorum.denominator = idFromColumn(row.columnInt64(6), "congress.quorum_denominator");
  return congress;
}

domain::Roster Store::loadRoster() {
  std::vector<domain::Delegation> delegations;
  auto delegationRows = db_->prepare("SELECT id, name FROM delegations ORDER BY id");
  while (delegationRows.step()) {
    domain::Delegation delegation;
    delegation.id = idFromColumn(delegationRows.columnInt64(0), "delegation id");
    delegation.name = delegationRows.columnText(1);
    delegations.push_back(std::move(delegation));
  }

  std::vector<domain::Delegate> delegates;
  std::unordered_map<std::uint32_t, std::size_t> indexById;
  auto delegateRows = db_->prepare(
      "SELECT id, code, full_name, delegation_id, seat_label, seat_row, seat_column, voting "
      "FROM delegates ORDER BY id");
  while (delegateRows.step()) {
    domain::Delegate delegate;
    delegate.id = idFromColumn(delegateRows.columnInt64(0), "delegate id");
    delegate.code = delegateRows.columnText(1);
    delegate.fullName = delegateRows.columnText(2);
    delegate.delegationId = idFromColumn(delegateRows.columnInt64(3), "delegation id");
    delegate.seat.label = delegateRows.columnText(4);
    delegate.seat.row = idFromColumn(delegateRows.columnInt64(5), "seat row");
    delegate.seat.column = idFromColumn(delegateRows.columnInt64(6), "seat column");
    delegate.voting = delegateRows.columnInt64(7) != 0;
    indexById.emplace(delegate.id, delegates.size());
    delegates.push_back(std::move(delegate));
  }

  auto photoRows = db_->prepare("SELECT delegate_id, file FROM delegate_photos ORDER BY delegate_id, position");
  while (photoRows.step()) {
    const std::uint32_t delegateId = idFromColumn(photoRows.columnInt64(0), "delegate id");
    // The foreign key guarantees the delegate exists.
    delegates[indexById.at(delegateId)].photoFiles.push_back(photoRows.columnText(1));
  }
  return domain::Roster(std::move(delegations), std::move(delegates));
}

std::vector<std::uint32_t> Store::loadPresent() {
  std::vector<std::uint32_t> ids;
  auto rows = db_->prepare("SELECT delegate_id FROM attendance_current ORDER BY delegate_id");
  while (rows.step()) {
    ids.push_back(idFromColumn(rows.columnInt64(0), "delegate id"));
  }
  return ids;
}

std::vector<domain::StaffAccount> Store::loadStaff() {
  std::vector<domain::StaffAccount> accounts;
  auto rows = db_->prepare("SELECT id, username, display_name, role, password_hash FROM staff_accounts ORDER BY id");
  while (rows.step()) {
    domain::StaffAccount account;
    account.id = idFromColumn(rows.columnInt64(0), "staff account id");
    account.username = rows.columnText(1);
    account.displayName = rows.columnText(2);
    account.role = roleFromColumn(rows.columnInt64(3), "staff_accounts");
    account.passwordHash = rows.columnText(4);
    accounts.push_back(std::move(account));
  }
  return accounts;
}

std::vector<domain::Device> Store::loadDevices() {
  std::vector<domain::Device> devices;
  auto rows = db_->prepare("SELECT id, name, role, token_hash FROM devices ORDER BY id");
  while (rows.step()) {
    domain::Device device;
    device.id = idFromColumn(rows.columnInt64(0), "device id");
    device.name = rows.columnText(1);
    device.role = roleFromColumn(rows.columnInt64(2), "devices");
    device.tokenHash = rows.columnText(3);
    devices.push_back(std::move(device));
  }
  return devices;
}

std::vector<domain::DelegateCredential> Store::loadDelegateCredentials() {
  std::vector<domain::DelegateCredential> credentials;
  auto rows = db_->prepare(
      "SELECT delegate_id, pin_hash, badge_token_hash, badge_used_ms IS NOT NULL "
      "FROM delegate_credentials ORDER BY delegate_id");
  while (rows.step()) {
    domain::DelegateCredential credential;
    credential.delegateId = idFromColumn(rows.columnInt64(0), "delegate id");
    credential.pinHash = rows.columnText(1);
    credential.badgeTokenHash = rows.columnText(2);
    credential.badgeUsed = rows.columnInt64(3) != 0;
    credentials.push_back(std::move(credential));
  }
  return credentials;
}

std::vector<domain::StoredSession> Store::loadSessions(std::int64_t nowMs) {
  std::vector<domain::StoredSession> sessions;
  auto rows = db_->prepare(
      "SELECT token_hash, role, account_id, display_name, login, created_ms, expires_ms FROM sessions "
      "WHERE closed_ms IS NULL AND expires_ms > ?1 ORDER BY created_ms, token_hash");
  rows.bindInt64(1, nowMs);
  while (rows.step()) {
    domain::StoredSession session;
    session.tokenHash = rows.columnText(0);
    session.principal.role = roleFromColumn(rows.columnInt64(1), "sessions");
    session.principal.accountId = idFromColumn(rows.columnInt64(2), "session account id");
    session.principal.displayName = rows.columnText(3);
    session.principal.login = rows.columnText(4);
    session.createdMs = rows.columnInt64(5);
    session.expiresMs = rows.columnInt64(6);
    sessions.push_back(std::move(session));
  }
  return sessions;
}

std::vector<EventRow> Store::loadEvents(std::uint64_t afterSeq, std::size_t limit) {
  std::vector<EventRow> events;
  if (limit == 0) {
    return events;
  }
  auto rows = db_->cached(
      "SELECT seq, time_ms, audience_roles, audience_delegate, body, hash FROM events "
      "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  rows->bindInt64(1, seqValue(std::min<std::uint64_t>(afterSeq, std::numeric_limits<std::int64_t>::max())));
  rows->bindInt64(2, sqlLimit(limit));
  while (rows->step()) {
    events.push_back(eventFromRow(*rows));
  }
  return events;
}

ChainHead Store::chainHead() { return readChainHead(*db_); }

std::vector<AttendanceLogRow> Store::loadAttendanceLog(const AttendanceLogQuery& query) {
  std::vector<AttendanceLogRow> log;
  if (query.limit == 0) {
    return log;
  }
  static constexpr std::string_view kColumns =
      "SELECT id, delegate_id, delegate_code, present, method, reason, recorded_by_role, recorded_by_id, "
      "recorded_by_name, recorded_by_login, time_ms FROM attendance_log ";
  auto rows = query.delegateId
                  ? db_->prepare(std::string(kColumns) + "WHERE id > ?1 AND delegate_id = ?3 ORDER BY id LIMIT ?2")
                  : db_->prepare(std::string(kColumns) + "WHERE id > ?1 ORDER BY id LIMIT ?2");
  rows.bindInt64(1, query.afterId).bindInt64(2, sqlLimit(query.limit));
  if (query.delegateId) {
    rows.bindInt64(3, *query.delegateId);
  }
  while (rows.step()) {
    AttendanceLogRow row;
    row.id = rows.columnInt64(0);
    row.delegateId = idFromColumn(rows.columnInt64(1), "delegate id");
    row.delegateCode = rows.columnText(2);
    row.present = rows.columnInt64(3) != 0;
    const std::int64_t method = rows.columnInt64(4);
    if (method < 1 || method > 3) {
      throw StoreError("attendance_log row " + std::to_string(row.id) + " holds an unknown method " +
                       std::to_string(method));
    }
    row.method = static_cast<domain::AttendanceMethod>(method);
    row.reason = rows.columnText(5);
    row.recordedBy.role = roleFromColumn(rows.columnInt64(6), "attendance_log");
    row.recordedBy.accountId = idFromColumn(rows.columnInt64(7), "recorded_by_id");
    row.recordedBy.displayName = rows.columnText(8);
    row.recordedBy.login = rows.columnText(9);
    row.timeMs = rows.columnInt64(10);
    log.push_back(std::move(row));
  }
  return log;
}

// -------------------------------------------------------------------- setup

void Store::saveCongress(const domain::Congress& congress) {
  requireWritable("saveCongress");
  Transaction transaction(*db_);
  auto statement = db_->cached(
      "INSERT INTO congress (id, name, term, venue, starts_on, ends_on, quorum_numerator, quorum_denominator) "
      "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, term = excluded.term, venue = excluded.venue, "
      "starts_on = excluded.starts_on, ends_on = excluded.ends_on, "
      "quorum_numerator = excluded.quorum_numerator, quorum_denominator = excluded.quorum_denominator");
  statement->bindText(1, congress.name)
      .bindText(2, congress.term)
      .bindText(3, congress.venue)
      .bindText(4, congress.startsOn)
      .bindText(5, congress.endsOn)
      .bindInt64(6, congress.quorum.numerator)
      .bindInt64(7, congress.quorum.denominator)
      .run();
  transaction.commit();
}

void Store::replaceRoster(const domain::Roster& roster) {
  requireWritable("replaceRoster");
  Transaction transaction(*db_);
  writeRoster(roster);
  transaction.commit();
}

void Store::writeRoster(const domain::Roster& roster) {
  struct CredentialColumns {
    std::string pinHash;
    std::string badgeTokenHash;
    std::optional<std::int64_t> badgeUsedMs;
  };
  // Ids may shift between imports; the badge code is what names a person.
  std::unordered_map<std::string, CredentialColumns> credentialsByCode;
  {
    auto rows = db_->prepare(
        "SELECT d.code, c.pin_hash, c.badge_token_hash, c.badge_used_ms "
        "FROM delegate_credentials c JOIN delegates d ON d.id = c.delegate_id");
    while (rows.step()) {
      credentialsByCode.emplace(rows.columnText(0),
                                CredentialColumns{rows.columnText(1), rows.columnText(2), rows.columnOptionalInt64(3)});
    }
  }
  std::unordered_map<std::string, std::int64_t> presentSinceByCode;
  {
    auto rows = db_->prepare(
        "SELECT d.code, a.since_ms FROM attendance_current a JOIN delegates d ON d.id = a.delegate_id");
    while (rows.step()) {
      presentSinceByCode.emplace(rows.columnText(0), rows.columnInt64(1));
    }
  }

  // Cascades to photos, credentials and presence; attendance_log has no foreign key.
  db_->exec("DELETE FROM delegates; DELETE FROM delegations;");

  auto insertDelegation = db_->cached("INSERT INTO delegations (id, name) VALUES (?1, ?2)");
  for (const domain::Delegation& delegation : roster.delegations()) {
    insertDelegation->bindInt64(1, delegation.id).bindText(2, delegation.name).run();
    insertDelegation->reset();
  }

  auto insertDelegate = db_->cached(
      "INSERT INTO delegates (id, code, full_name, delegation_id, seat_label, seat_row, seat_column, voting) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  auto insertPhoto = db_->cached("INSERT INTO delegate_photos (delegate_id, position, file) VALUES (?1, ?2, ?3)");
  auto insertCredential = db_->cached(
      "INSERT INTO delegate_credentials (delegate_id, pin_hash, badge_token_hash, badge_used_ms) "
      "VALUES (?1, ?2, ?3, ?4)");
  auto insertPresence = db_->cached("INSERT INTO attendance_current (delegate_id, since_ms) VALUES (?1, ?2)");
  for (const domain::Delegate& delegate : roster.delegates()) {
    insertDelegate->bindInt64(1, delegate.id)
        .bindText(2, delegate.code)
        .bindText(3, delegate.fullName)
        .bindInt64(4, delegate.delegationId)
        .bindText(5, delegate.seat.label)
        .bindInt64(6, delegate.seat.row)
        .bindInt64(7, delegate.seat.column)
        .bindInt64(8, delegate.voting ? 1 : 0)
        .run();
    insertDelegate->reset();
    for (std::size_t position = 0; position < delegate.photoFiles.size(); ++position) {
      insertPhoto->bindInt64(1, delegate.id)
          .bindInt64(2, static_cast<std::int64_t>(position))
          .bindText(3, delegate.photoFiles[position])
          .run();
      insertPhoto->reset();
    }
    if (auto kept = credentialsByCode.find(delegate.code); kept != credentialsByCode.end()) {
      insertCredential->bindInt64(1, delegate.id)
          .bindText(2, kept->second.pinHash)
          .bindText(3, kept->second.badgeTokenHash)
          .bindOptionalInt64(4, kept->second.badgeUsedMs)
          .run();
      insertCredential->reset();
    }
    if (auto kept = presentSinceByCode.find(delegate.code); kept != presentSinceByCode.end()) {
      insertPresence->bindInt64(1, delegate.id).bindInt64(2, kept->second).run();
      insertPresence->reset();
    }
  }
}

std::uint32_t Store::addStaff(domain::StaffAccount account) {
  requireWritable("addStaff");
  if (account.role != domain::Role::Chair && account.role != domain::Role::Secretary &&
      account.role != domain::Role::Organizer) {
    throw StoreError("staff account '" + account.username + "' must have the role chair, secretary or organizer");
  }
  Transaction transaction(*db_);
  auto statement = db_->cached(
      "INSERT INTO staff_accounts (id, username, display_name, role, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (account.id != 0) {
    statement->bindInt64(1, account.id);
  }
  statement->bindText(2, account.username)
      .bindText(3, account.displayName)
      .bindInt64(4, roleValue(account.role))
      .bindText(5, account.passwordHash)
      .run();
  const auto id = idFromColumn(db_->lastInsertRowid(), "staff account id");
  transaction.commit();
  return id;
}

std::uint32_t Store::addDevice(domain::Device device) {
  requireWritable("addDevice");
  if (device.role != domain::Role::Kiosk && device.role != domain::Role::Display) {
    throw StoreError("device '" + device.name + "' must have the role kiosk or display");
  }
  Transaction transaction(*db_);
  auto statement = db_->cached("INSERT INTO devices (id, name, role, token_hash) VALUES (?1, ?2, ?3, ?4)");
  if (device.id != 0) {
    statement->bindInt64(1, device.id);
  }
  statement->bindText(2, device.name).bindInt64(3, roleValue(device.role)).bindText(4, device.tokenHash).run();
  const auto id = idFromColumn(db_->lastInsertRowid(), "device id");
  transaction.commit();
  return id;
}

void Store::setDelegateCredential(const domain::DelegateCredential& credential) {
  requireWritable("setDelegateCredential");
  Transaction transaction(*db_);
  writeCredential(credential);
  transaction.commit();
}

void Store::setDelegateCredentials(const std::vector<domain::DelegateCredential>& credentials) {
  requireWritable("setDelegateCredentials");
  Transaction transaction(*db_);
  for (const domain::DelegateCredential& credential : credentials) {
    writeCredential(credential);
  }
  transaction.commit();
}

void Store::writeCredential(const domain::DelegateCredential& credential) {
  auto statement = db_->cached(
      "INSERT INTO delegate_credentials (delegate_id, pin_hash, badge_token_hash, badge_used_ms) "
      "VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN ?5 END) "
      "ON CONFLICT (delegate_id) DO UPDATE SET pin_hash = excluded.pin_hash, "
      "badge_token_hash = excluded.badge_token_hash, "
      "badge_used_ms = CASE WHEN ?4 THEN COALESCE(delegate_credentials.badge_used_ms, ?5) END");
  statement->bindInt64(1, credential.delegateId)
      .bindText(2, credential.pinHash)
      .bindText(3, credential.badgeTokenHash)
      .bindInt64(4, credential.badgeUsed ? 1 : 0)
      .bindInt64(5, clock_.nowMs())
      .run();
}

// -------------------------------------------------------------- commit path

void Store::commit(const std::vector<Commit>& group) {
  requireWritable("commit");
  if (group.empty()) {
    return;
  }
  Transaction transaction(*db_);
  ChainHead head = readChainHead(*db_);
  for (const Commit& item : group) {
    for (const EventRow& event : item.events) {
      insertEvent(event, head);
    }
    for (const domain::Change& change : item.changes) {
      std::visit([this](const auto& concrete) { apply(concrete); }, change);
    }
  }
  transaction.commit();
}

void Store::insertEvent(const EventRow& event, ChainHead& head) {
  // The store refuses to write a broken chain: a gap or a wrong hash here is a
  // bug upstream, and writing it would make every later event unverifiable.
  if (event.seq != head.seq + 1) {
    throw StoreError("event seq " + std::to_string(event.seq) + " does not follow the log head " +
                     std::to_string(head.seq));
  }
  if (event.hash != chainHash(head.hash, event.body)) {
    throw StoreError("event " + std::to_string(event.seq) + " has a hash that does not chain from event " +
                     std::to_string(head.seq));
  }
  auto statement = db_->cached(
      "INSERT INTO events (seq, time_ms, audience_roles, audience_delegate, body, hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  statement->bindInt64(1, seqValue(event.seq))
      .bindInt64(2, event.timeMs)
      .bindInt64(3, event.audienceRoles)
      .bindInt64(4, event.audienceDelegate)
      .bindBlob(5, event.body)
      .bindBlob(6, asBytes(event.hash))
      .run();
  head = ChainHead{event.seq, event.hash};
}

void Store::apply(const domain::AttendanceRecorded& change) {
  // The log row comes first: its trigger names the problem when the delegate
  // is not on the roster, more clearly than the presence table's foreign key.
  auto log = db_->cached(
      "INSERT INTO attendance_log (delegate_id, delegate_code, present, method, reason, recorded_by_role, "
      "recorded_by_id, recorded_by_name, recorded_by_login, time_ms) "
      "VALUES (?1, (SELECT code FROM delegates WHERE id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  log->bindInt64(1, change.delegateId)
      .bindInt64(2, change.present ? 1 : 0)
      .bindInt64(3, static_cast<std::int64_t>(change.method))
      .bindText(4, change.reason)
      .bindInt64(5, roleValue(change.recordedBy.role))
      .bindInt64(6, change.recordedBy.accountId)
      .bindText(7, change.recordedBy.displayName)
      .bindText(8, change.recordedBy.login)
      .bindInt64(9, change.timeMs)
      .run();
  if (change.present) {
    auto present = db_->cached(
        "INSERT INTO attendance_current (delegate_id, since_ms) VALUES (?1, ?2) "
        "ON CONFLICT (delegate_id) DO NOTHING");
    present->bindInt64(1, change.delegateId).bindInt64(2, change.timeMs).run();
  } else {
    auto absent = db_->cached("DELETE FROM attendance_current WHERE delegate_id = ?1");
    absent->bindInt64(1, change.delegateId).run();
  }
}

void Store::apply(const domain::RosterReplaced& change) { writeRoster(change.roster); }

void Store::apply(const domain::SessionOpened& change) {
  auto statement = db_->cached(
      "INSERT INTO sessions (token_hash, role, account_id, display_name, login, created_ms, expires_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  statement->bindText(1, change.tokenHash)
      .bindInt64(2, roleValue(change.principal.role))
      .bindInt64(3, change.principal.accountId)
      .bindText(4, change.principal.displayName)
      .bindText(5, change.principal.login)
      .bindInt64(6, change.createdMs)
      .bindInt64(7, change.expiresMs)
      .run();
}

void Store::apply(const domain::SessionClosed& change) {
  // Closing an unknown or already closed session changes nothing: a sign-out
  // may race the session's expiry. SessionClosed carries no time, so the
  // close is dated when it is stored.
  auto statement = db_->cached("UPDATE sessions SET closed_ms = ?2 WHERE token_hash = ?1 AND closed_ms IS NULL");
  statement->bindText(1, change.tokenHash).bindInt64(2, clock_.nowMs()).run();
}

void Store::apply(const domain::BadgeTokenUsed& change) {
  auto statement = db_->cached(
      "UPDATE delegate_credentials SET badge_used_ms = COALESCE(badge_used_ms, ?2) "
      "WHERE delegate_id = ?1 AND badge_token_hash <> ''");
  statement->bindInt64(1, change.delegateId).bindInt64(2, change.timeMs).run();
  if (db_->changes() == 0) {
    throw StoreError("delegate " + std::to_string(change.delegateId) +
                     " used a badge token, but no badge token is stored for that delegate");
  }
}

}  // namespace daihoi::store
