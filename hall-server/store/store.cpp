#include "store/store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <variant>

#include "store/schema.hpp"
#include "store/paragraph_owners.hpp"
#include "store/paragraph_rank.hpp"
#include "store/vietnamese_tokenizer.hpp"

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

std::int64_t commentIdValue(std::uint64_t id) {
  if (id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError("comment id " + std::to_string(id) + " is out of range");
  }
  return static_cast<std::int64_t>(id);
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
  event.audienceBallot = idFromColumn(row.columnInt64(6), "events.audience_ballot");
  event.audienceDocument = idFromColumn(row.columnInt64(7), "events.audience_document");
  const std::int64_t comment = row.columnInt64(8);
  if (comment < 0) throw StoreError("events.audience_comment " + std::to_string(comment) + " is out of range");
  event.audienceComment = static_cast<std::uint64_t>(comment);
  return event;
}

template <typename Enum>
std::int64_t enumValue(Enum value) {
  return static_cast<std::int64_t>(value);
}

// Enums of the voting tables are numbered 1..last without gaps.
template <typename Enum>
Enum enumFromColumn(std::int64_t value, Enum last, std::string_view column) {
  if (value < 1 || value > enumValue(last)) {
    throw StoreError(std::string(column) + " holds an unknown value " + std::to_string(value));
  }
  return static_cast<Enum>(value);
}

domain::Fraction fractionFromColumns(const Statement& row, int first, std::string_view what) {
  return domain::Fraction{idFromColumn(row.columnInt64(first), what), idFromColumn(row.columnInt64(first + 1), what)};
}

// A majority rule in four columns: base, threshold, numerator, denominator.
void bindMajority(Statement& statement, int first, const domain::MajorityRule& rule) {
  statement.bindInt64(first, enumValue(rule.base))
      .bindInt64(first + 1, enumValue(rule.threshold))
      .bindInt64(first + 2, rule.fraction.numerator)
      .bindInt64(first + 3, rule.fraction.denominator);
}

domain::MajorityRule majorityFromColumns(const Statement& row, int first, std::string_view table) {
  domain::MajorityRule rule;
  rule.base =
      enumFromColumn(row.columnInt64(first), domain::MajorityBase::Summoned, std::string(table) + " majority base");
  rule.threshold =
      enumFromColumn(row.columnInt64(first + 1), domain::Threshold::AtLeast, std::string(table) + " threshold");
  rule.fraction = fractionFromColumns(row, first + 2, std::string(table) + " majority");
  return rule;
}

// Canonical choices as text: "0,3,7"; "" when nothing is selected.
std::string choicesText(const std::vector<std::uint32_t>& choices) {
  std::string text;
  for (const std::uint32_t choice : choices) {
    if (!text.empty()) {
      text += ',';
    }
    text += std::to_string(choice);
  }
  return text;
}

std::vector<std::uint32_t> choicesFromColumn(std::string_view text, std::uint32_t ballotId) {
  std::vector<std::uint32_t> choices;
  if (text.empty()) {
    return choices;
  }
  const char* cursor = text.data();
  const char* const end = text.data() + text.size();
  for (;;) {
    std::uint32_t choice = 0;
    const auto [next, error] = std::from_chars(cursor, end, choice);
    if (error != std::errc{} || (next != end && *next != ',')) {
      throw StoreError("ballot " + std::to_string(ballotId) + " holds malformed choices '" + std::string(text) + "'");
    }
    choices.push_back(choice);
    if (next == end) {
      return choices;
    }
    cursor = next + 1;
  }
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
  registerVietnameseTokenizer(db);
  registerParagraphRank(db);
}

}  // namespace

// ------------------------------------------------------------------ opening

Store::Store(std::unique_ptr<Database> db, const Clock& clock, bool readOnly)
    : db_(std::move(db)), clock_(clock), readOnly_(readOnly), paragraphOwners_(std::make_unique<ParagraphOwners>()) {}

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
  // Pages freed by the scrub after a secret ballot must not keep old contents.
  db->setPragma("secure_delete", "ON");
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
  settings.secureDelete = db_->pragmaInt("secure_delete") != 0;
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
      "SELECT seq, time_ms, audience_roles, audience_delegate, body, hash, audience_ballot, audience_document, "
      "audience_comment FROM events "
      "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  rows->bindInt64(1, seqValue(std::min<std::uint64_t>(afterSeq, std::numeric_limits<std::int64_t>::max())));
  rows->bindInt64(2, sqlLimit(limit));
  while (rows->step()) {
    events.push_back(eventFromRow(*rows));
  }
  return events;
}

ChainHead Store::chainHead() { return readChainHead(*db_); }

std::vector<domain::AttendanceLogEntry> Store::loadAttendanceLog(const domain::AttendanceLogQuery& query) {
  std::vector<domain::AttendanceLogEntry> log;
  if (query.limit == 0) {
    return log;
  }
  // Unused filters take values that match everything, so one statement serves every query.
  auto rows = db_->cached(
      "SELECT l.id, l.delegate_id, l.delegate_code, l.present, l.method, l.reason, l.recorded_by_role, "
      "l.recorded_by_id, l.recorded_by_name, l.recorded_by_login, l.time_ms, l.sitting_id, l.face_distance, "
      "t.attendance_id IS NOT NULL "
      "FROM attendance_log l LEFT JOIN face_thumbnails t ON t.attendance_id = l.id "
      "WHERE l.id > ?1 AND (?3 = 0 OR l.delegate_id = ?3) AND (?4 = 0 OR l.sitting_id = ?4) "
      "AND l.time_ms >= ?5 AND (?6 = 0 OR l.time_ms < ?6) ORDER BY l.id LIMIT ?2");
  rows->bindInt64(1, query.afterId)
      .bindInt64(2, sqlLimit(query.limit))
      .bindInt64(3, query.delegateId.value_or(0))
      .bindInt64(4, query.sittingId)
      .bindInt64(5, query.fromMs)
      .bindInt64(6, query.toMs);
  while (rows->step()) {
    domain::AttendanceLogEntry row;
    row.id = rows->columnInt64(0);
    row.delegateId = idFromColumn(rows->columnInt64(1), "delegate id");
    row.delegateCode = rows->columnText(2);
    row.present = rows->columnInt64(3) != 0;
    const std::int64_t method = rows->columnInt64(4);
    if (method < 1 || method > 3) {
      throw StoreError("attendance_log row " + std::to_string(row.id) + " holds an unknown method " +
                       std::to_string(method));
    }
    row.method = static_cast<domain::AttendanceMethod>(method);
    row.reason = rows->columnText(5);
    row.recordedBy.role = roleFromColumn(rows->columnInt64(6), "attendance_log");
    row.recordedBy.accountId = idFromColumn(rows->columnInt64(7), "recorded_by_id");
    row.recordedBy.displayName = rows->columnText(8);
    row.recordedBy.login = rows->columnText(9);
    row.timeMs = rows->columnInt64(10);
    row.sittingId = idFromColumn(rows->columnInt64(11), "sitting_id");
    row.faceDistance = static_cast<float>(rows->columnDouble(12));
    row.hasThumbnail = rows->columnInt64(13) != 0;
    log.push_back(std::move(row));
  }
  rows->reset();
  return log;
}

std::optional<std::string> Store::loadFaceThumbnail(std::int64_t attendanceId) {
  auto row = db_->cached("SELECT jpeg FROM face_thumbnails WHERE attendance_id = ?1");
  row->bindInt64(1, attendanceId);
  std::optional<std::string> jpeg;
  if (row->step()) {
    jpeg = row->columnBlob(0);
  }
  row->reset();
  return jpeg;
}

std::optional<std::string> Store::loadFaceAttemptImage(std::uint64_t seq) {
  auto row = db_->cached("SELECT jpeg FROM face_attempt_images WHERE seq = ?1");
  row->bindInt64(1, seqValue(seq));
  std::optional<std::string> jpeg;
  if (row->step()) jpeg = row->columnBlob(0);
  row->reset();
  return jpeg;
}

std::vector<domain::FacesEnrolled> Store::loadFacePhotos() {
  std::vector<domain::FacesEnrolled> enrolled;
  auto rows = db_->prepare(
      "SELECT d.id, f.sha256, f.name, f.descriptor, f.chip_jpeg, f.enrolled_ms "
      "FROM face_photos f JOIN delegates d ON d.code = f.delegate_code ORDER BY d.id, f.enrolled_ms, f.sha256");
  while (rows.step()) {
    const std::uint32_t delegateId = idFromColumn(rows.columnInt64(0), "delegate id");
    if (enrolled.empty() || enrolled.back().delegateId != delegateId) {
      enrolled.push_back(domain::FacesEnrolled{delegateId, {}});
    }
    domain::EnrolledPhoto photo;
    photo.sha256 = rows.columnText(1);
    photo.name = rows.columnText(2);
    const std::string descriptor = rows.columnBlob(3);
    if (descriptor.size() != sizeof(photo.descriptor)) {
      throw StoreError("face_photos: a descriptor of " + std::to_string(descriptor.size()) + " bytes");
    }
    std::memcpy(photo.descriptor.data(), descriptor.data(), descriptor.size());
    photo.chipJpeg = rows.columnBlob(4);
    photo.enrolledMs = rows.columnInt64(5);
    enrolled.back().photos.push_back(std::move(photo));
  }
  return enrolled;
}

std::vector<domain::Sitting> Store::loadSittings() {
  std::vector<domain::Sitting> sittings;
  auto rows = db_->prepare("SELECT id, title, started_ms, ended_ms FROM sittings ORDER BY id");
  while (rows.step()) {
    sittings.push_back(domain::Sitting{idFromColumn(rows.columnInt64(0), "sitting id"), rows.columnText(1),
                                       rows.columnInt64(2), rows.columnOptionalInt64(3).value_or(0)});
  }
  return sittings;
}

std::uint32_t Store::loadRollCallCount() {
  auto row = db_->prepare("SELECT COALESCE(MAX(id), 0) FROM roll_calls");
  row.step();
  return idFromColumn(row.columnInt64(0), "roll call id");
}

domain::VotingRulesChosen Store::loadVotingRules() {
  domain::VotingRulesChosen chosen;
  auto row = db_->prepare(
      "SELECT preset, motion_base, motion_threshold, motion_numerator, motion_denominator, "
      "election_base, election_threshold, election_numerator, election_denominator, "
      "multiple_choice_base, multiple_choice_threshold, multiple_choice_numerator, multiple_choice_denominator, "
      "empty_election_ballot, require_quorum_to_open, participation_quorum_numerator, "
      "participation_quorum_denominator FROM voting_rules WHERE id = 1");
  if (!row.step()) {
    chosen.preset = domain::RulePreset::PartyStatute;
    chosen.rules = domain::presetRules(chosen.preset);
    return chosen;
  }
  chosen.preset = enumFromColumn(row.columnInt64(0), domain::RulePreset::Generic, "voting_rules.preset");
  chosen.rules.motion = majorityFromColumns(row, 1, "voting_rules motion");
  chosen.rules.election = majorityFromColumns(row, 5, "voting_rules election");
  chosen.rules.multipleChoice = majorityFromColumns(row, 9, "voting_rules multiple choice");
  chosen.rules.emptyElectionBallot =
      enumFromColumn(row.columnInt64(13), domain::EmptyBallot::Blank, "voting_rules.empty_election_ballot");
  chosen.rules.requireCongressQuorumToOpen = row.columnInt64(14) != 0;
  chosen.rules.participationQuorum = fractionFromColumns(row, 15, "voting_rules participation quorum");
  return chosen;
}

std::vector<std::uint32_t> Store::loadCountingCommittee() {
  std::vector<std::uint32_t> ids;
  auto rows = db_->prepare("SELECT delegate_id FROM counting_committee ORDER BY delegate_id");
  while (rows.step()) {
    ids.push_back(idFromColumn(rows.columnInt64(0), "counting committee delegate id"));
  }
  return ids;
}

std::vector<domain::BallotState> Store::loadBallots() {
  std::vector<domain::BallotState> ballots;
  std::unordered_map<std::uint32_t, std::size_t> indexById;
  auto ballotRows = db_->prepare(
      "SELECT id, title, agenda_item, kind, mode, seats, min_selections, max_selections, "
      "majority_base, majority_threshold, majority_numerator, majority_denominator, empty_ballot, "
      "participation_quorum_numerator, participation_quorum_denominator, require_congress_quorum, allow_changes, "
      "confirmation_required, duration_ms, runoff_of, status, created_ms, opened_ms, deadline_ms, closed_ms, "
      "closed_by_deadline, published_ms, cancelled_ms, cancel_reason, summoned FROM ballots ORDER BY id");
  while (ballotRows.step()) {
    domain::BallotState ballot;
    domain::BallotDefinition& definition = ballot.definition;
    definition.id = idFromColumn(ballotRows.columnInt64(0), "ballot id");
    definition.title = ballotRows.columnText(1);
    definition.agendaItem = ballotRows.columnText(2);
    definition.kind = enumFromColumn(ballotRows.columnInt64(3), domain::BallotKind::MultipleChoice, "ballots.kind");
    definition.mode = enumFromColumn(ballotRows.columnInt64(4), domain::BallotMode::Secret, "ballots.mode");
    definition.seats = idFromColumn(ballotRows.columnInt64(5), "ballots.seats");
    definition.minSelections = idFromColumn(ballotRows.columnInt64(6), "ballots.min_selections");
    definition.maxSelections = idFromColumn(ballotRows.columnInt64(7), "ballots.max_selections");
    definition.majority = majorityFromColumns(ballotRows, 8, "ballots");
    definition.emptyBallot =
        enumFromColumn(ballotRows.columnInt64(12), domain::EmptyBallot::Blank, "ballots.empty_ballot");
    definition.participationQuorum = fractionFromColumns(ballotRows, 13, "ballots participation quorum");
    definition.requireCongressQuorum = ballotRows.columnInt64(15) != 0;
    definition.allowChanges = ballotRows.columnInt64(16) != 0;
    definition.confirmationRequired = ballotRows.columnInt64(17) != 0;
    definition.durationMs = ballotRows.columnInt64(18);
    definition.runoffOf = idFromColumn(ballotRows.columnInt64(19), "ballots.runoff_of");
    ballot.status = enumFromColumn(ballotRows.columnInt64(20), domain::BallotStatus::Cancelled, "ballots.status");
    ballot.createdMs = ballotRows.columnInt64(21);
    ballot.openedMs = ballotRows.columnInt64(22);
    ballot.deadlineMs = ballotRows.columnInt64(23);
    ballot.closedMs = ballotRows.columnInt64(24);
    ballot.closedByDeadline = ballotRows.columnInt64(25) != 0;
    ballot.publishedMs = ballotRows.columnInt64(26);
    ballot.cancelledMs = ballotRows.columnInt64(27);
    ballot.cancelReason = ballotRows.columnText(28);
    ballot.summoned = idFromColumn(ballotRows.columnInt64(29), "ballots.summoned");
    indexById.emplace(definition.id, ballots.size());
    ballots.push_back(std::move(ballot));
  }
  // The foreign keys to ballots guarantee that every row below has its ballot.
  const auto ballotOf = [&](const Statement& row) -> domain::BallotState& {
    return ballots[indexById.at(idFromColumn(row.columnInt64(0), "ballot id"))];
  };

  auto optionRows = db_->prepare("SELECT ballot_id, label FROM ballot_options ORDER BY ballot_id, position");
  while (optionRows.step()) {
    ballotOf(optionRows).definition.options.push_back(optionRows.columnText(1));
  }

  std::vector<std::vector<std::uint32_t>> eligible(ballots.size());
  auto eligibleRows =
      db_->prepare("SELECT ballot_id, delegate_id FROM ballot_eligible ORDER BY ballot_id, delegate_id");
  while (eligibleRows.step()) {
    eligible[indexById.at(idFromColumn(eligibleRows.columnInt64(0), "ballot id"))].push_back(
        idFromColumn(eligibleRows.columnInt64(1), "eligible delegate id"));
  }
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    ballots[i].eligible = std::make_shared<const std::vector<std::uint32_t>>(std::move(eligible[i]));
  }

  auto participationRows = db_->prepare("SELECT ballot_id, delegate_id FROM ballot_participation");
  while (participationRows.step()) {
    ballotOf(participationRows).voted.insert(idFromColumn(participationRows.columnInt64(1), "voter id"));
  }

  auto namedRows = db_->prepare("SELECT ballot_id, delegate_id, choices, receipt_hash FROM named_votes");
  while (namedRows.step()) {
    domain::BallotState& ballot = ballotOf(namedRows);
    domain::NamedVote vote{choicesFromColumn(namedRows.columnText(2), ballot.definition.id), namedRows.columnBlob(3)};
    ballot.receipts.insert(vote.receiptHash);
    ballot.named.emplace(idFromColumn(namedRows.columnInt64(1), "voter id"), std::move(vote));
  }

  auto secretRows =
      db_->prepare("SELECT ballot_id, choices, receipt_hash FROM secret_votes ORDER BY ballot_id, vote_key");
  while (secretRows.step()) {
    domain::BallotState& ballot = ballotOf(secretRows);
    domain::SecretVote vote{choicesFromColumn(secretRows.columnText(1), ballot.definition.id),
                            secretRows.columnBlob(2)};
    ballot.receipts.insert(vote.receiptHash);
    ballot.secret.push_back(std::move(vote));
  }

  auto confirmationRows = db_->prepare(
      "SELECT ballot_id, delegate_id FROM tally_confirmations ORDER BY ballot_id, time_ms, rowid");
  while (confirmationRows.step()) {
    ballotOf(confirmationRows).confirmedBy.push_back(
        idFromColumn(confirmationRows.columnInt64(1), "confirming delegate id"));
  }
  return ballots;
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
  // Enrolled faces are keyed by code, so they follow a person to a new id;
  // those of codes no longer on the roster go.
  db_->exec("DELETE FROM face_photos WHERE delegate_code NOT IN (SELECT code FROM delegates)");
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
  pendingSecretVotes_.clear();
  groupEndsSecretBallot_ = false;
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
  insertSecretVotes();
  if (groupEndsSecretBallot_) {
    db_->exec("INSERT OR IGNORE INTO scrub_pending (id) VALUES (1)");
  }
  transaction.commit();
  scrubPending_ = scrubPending_ || groupEndsSecretBallot_;
}

bool Store::scrubIfNeeded() {
  if (!scrubPending_) {
    return false;
  }
  scrubPending_ = false;
  // Every step is worth trying even when one failed, and none may stop the
  // server: the votes are already durable.
  const auto report = [](const char* step, const char* problem) {
    std::fprintf(stderr, "daihoi store: scrub after a secret ballot: %s: %s\n", step, problem);
  };
  const auto truncateWal = [&] {
    try {
      auto checkpoint = db_->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
      checkpoint.step();  // (busy, frames in the log, frames checkpointed)
      if (checkpoint.columnInt64(0) != 0) {
        report("WAL checkpoint", "readers kept the WAL busy, it was not truncated");
      }
    } catch (const StoreError& error) {
      report("WAL checkpoint", error.what());
    }
  };
  // The WAL holds page images in commit order and pages of the main file may
  // keep rows in insertion order; VACUUM rewrites the file in key order
  // (through the WAL, hence the second truncation).
  truncateWal();
  try {
    db_->exec("VACUUM");
    // Done: a restart need not scrub again. After a failed VACUUM the mark stays.
    db_->exec("DELETE FROM scrub_pending");
  } catch (const StoreError& error) {
    report("VACUUM", error.what());
  }
  truncateWal();
  std::fflush(stderr);
  return true;
}

bool Store::scrubAfterRestart() {
  requireWritable("scrubAfterRestart");
  {
    // Finished before the scrub: VACUUM refuses to run beside an open statement.
    auto pending = db_->prepare("SELECT 1 FROM scrub_pending");
    scrubPending_ = scrubPending_ || pending.step();
  }
  return scrubIfNeeded();
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
      "INSERT INTO events (seq, time_ms, audience_roles, audience_delegate, body, hash, audience_ballot, "
      "audience_document, audience_comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  statement->bindInt64(1, seqValue(event.seq))
      .bindInt64(2, event.timeMs)
      .bindInt64(3, event.audienceRoles)
      .bindInt64(4, event.audienceDelegate)
      .bindBlob(5, event.body)
      .bindBlob(6, asBytes(event.hash))
      .bindInt64(7, event.audienceBallot)
      .bindInt64(8, event.audienceDocument)
      .bindInt64(9, commentIdValue(event.audienceComment))
      .run();
  head = ChainHead{event.seq, event.hash};
}

void Store::apply(const domain::AttendanceRecorded& change) {
  // The log row comes first: its trigger names the problem when the delegate
  // is not on the roster, more clearly than the presence table's foreign key.
  auto log = db_->cached(
      "INSERT INTO attendance_log (delegate_id, delegate_code, present, method, reason, recorded_by_role, "
      "recorded_by_id, recorded_by_name, recorded_by_login, time_ms, sitting_id, face_distance) "
      "VALUES (?1, (SELECT code FROM delegates WHERE id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  log->bindInt64(1, change.delegateId)
      .bindInt64(2, change.present ? 1 : 0)
      .bindInt64(3, static_cast<std::int64_t>(change.method))
      .bindText(4, change.reason)
      .bindInt64(5, roleValue(change.recordedBy.role))
      .bindInt64(6, change.recordedBy.accountId)
      .bindText(7, change.recordedBy.displayName)
      .bindText(8, change.recordedBy.login)
      .bindInt64(9, change.timeMs)
      .bindInt64(10, change.sittingId)
      .bindDouble(11, change.faceDistance)
      .run();
  if (!change.thumbnailJpeg.empty()) {
    auto thumbnail = db_->cached("INSERT INTO face_thumbnails (attendance_id, jpeg, expires_ms) VALUES (?1, ?2, ?3)");
    thumbnail->bindInt64(1, db_->lastInsertRowid())
        .bindBlob(2, change.thumbnailJpeg)
        .bindInt64(3, change.thumbnailExpiresMs)
        .run();
  }
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

// ------------------------------------------------------------------- voting

void Store::apply(const domain::BallotDrafted& change) {
  const domain::BallotDefinition& definition = change.definition;
  auto ballot = db_->cached(
      "INSERT INTO ballots (id, title, agenda_item, kind, mode, seats, min_selections, max_selections, "
      "majority_base, majority_threshold, majority_numerator, majority_denominator, empty_ballot, "
      "participation_quorum_numerator, participation_quorum_denominator, require_congress_quorum, allow_changes, "
      "confirmation_required, duration_ms, runoff_of, status, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
  ballot->bindInt64(1, definition.id)
      .bindText(2, definition.title)
      .bindText(3, definition.agendaItem)
      .bindInt64(4, enumValue(definition.kind))
      .bindInt64(5, enumValue(definition.mode))
      .bindInt64(6, definition.seats)
      .bindInt64(7, definition.minSelections)
      .bindInt64(8, definition.maxSelections);
  bindMajority(*ballot, 9, definition.majority);
  ballot->bindInt64(13, enumValue(definition.emptyBallot))
      .bindInt64(14, definition.participationQuorum.numerator)
      .bindInt64(15, definition.participationQuorum.denominator)
      .bindInt64(16, definition.requireCongressQuorum ? 1 : 0)
      .bindInt64(17, definition.allowChanges ? 1 : 0)
      .bindInt64(18, definition.confirmationRequired ? 1 : 0)
      .bindInt64(19, definition.durationMs)
      .bindInt64(20, definition.runoffOf)
      .bindInt64(21, enumValue(domain::BallotStatus::Draft))
      .bindInt64(22, change.timeMs)
      .run();
  auto option = db_->cached("INSERT INTO ballot_options (ballot_id, position, label) VALUES (?1, ?2, ?3)");
  for (std::size_t position = 0; position < definition.options.size(); ++position) {
    option->bindInt64(1, definition.id)
        .bindInt64(2, static_cast<std::int64_t>(position))
        .bindText(3, definition.options[position])
        .run();
    option->reset();
  }
}

void Store::requireBallotUpdated(std::uint32_t ballotId, const char* action, const char* expectedStatus) {
  if (db_->changes() != 1) {
    throw StoreError(std::string("cannot ") + action + " ballot " + std::to_string(ballotId) +
                     ": no such ballot is " + expectedStatus);
  }
}

void Store::apply(const domain::BallotOpened& change) {
  auto open = db_->cached(
      "UPDATE ballots SET status = 2, opened_ms = ?2, deadline_ms = ?3, summoned = ?4 WHERE id = ?1 AND status = 1");
  open->bindInt64(1, change.ballotId)
      .bindInt64(2, change.timeMs)
      .bindInt64(3, change.deadlineMs)
      .bindInt64(4, change.summoned)
      .run();
  requireBallotUpdated(change.ballotId, "open", "a draft");
  auto eligible = db_->cached("INSERT INTO ballot_eligible (ballot_id, delegate_id) VALUES (?1, ?2)");
  for (const std::uint32_t delegateId : change.eligible) {
    eligible->bindInt64(1, change.ballotId).bindInt64(2, delegateId).run();
    eligible->reset();
  }
}

void Store::apply(const domain::VoteCast& change) {
  if (change.secret && change.replacesEarlierVote) {
    throw StoreError("ballot " + std::to_string(change.ballotId) + " is secret: a vote cannot be replaced");
  }
  if (change.replacesEarlierVote) {
    auto replace = db_->cached(
        "UPDATE named_votes SET choices = ?3, receipt_hash = ?4 WHERE ballot_id = ?1 AND delegate_id = ?2");
    replace->bindInt64(1, change.ballotId)
        .bindInt64(2, change.delegateId)
        .bindText(3, choicesText(change.choices))
        .bindBlob(4, change.receiptHash)
        .run();
    if (db_->changes() != 1) {
      throw StoreError("delegate " + std::to_string(change.delegateId) + " replaced a vote in ballot " +
                       std::to_string(change.ballotId) + ", but no earlier vote is stored");
    }
    return;
  }
  auto participation = db_->cached("INSERT INTO ballot_participation (ballot_id, delegate_id) VALUES (?1, ?2)");
  participation->bindInt64(1, change.ballotId).bindInt64(2, change.delegateId).run();
  if (change.secret) {
    pendingSecretVotes_.push_back(&change);
    return;
  }
  auto named = db_->cached(
      "INSERT INTO named_votes (ballot_id, delegate_id, choices, receipt_hash) VALUES (?1, ?2, ?3, ?4)");
  named->bindInt64(1, change.ballotId)
      .bindInt64(2, change.delegateId)
      .bindText(3, choicesText(change.choices))
      .bindBlob(4, change.receiptHash)
      .run();
}

void Store::insertSecretVotes() {
  struct KeyedVote {
    std::string key;
    const domain::VoteCast* vote;
  };
  std::vector<KeyedVote> keyed;
  keyed.reserve(pendingSecretVotes_.size());
  for (const domain::VoteCast* vote : pendingSecretVotes_) {
    keyed.push_back(KeyedVote{randomBytes(16), vote});
  }
  pendingSecretVotes_.clear();
  // The keys are independent random values, so their order is a uniformly
  // random permutation of the arrival order: inserting in key order leaves
  // nothing of the arrival order, not even in the placement of cells in a page.
  std::sort(keyed.begin(), keyed.end(), [](const KeyedVote& a, const KeyedVote& b) { return a.key < b.key; });
  auto insert = db_->cached(
      "INSERT INTO secret_votes (ballot_id, vote_key, choices, receipt_hash) VALUES (?1, ?2, ?3, ?4)");
  for (const KeyedVote& item : keyed) {
    insert->bindInt64(1, item.vote->ballotId)
        .bindBlob(2, item.key)
        .bindText(3, choicesText(item.vote->choices))
        .bindBlob(4, item.vote->receiptHash)
        .run();
    insert->reset();
  }
}

bool Store::isSecretBallot(std::uint32_t ballotId) {
  auto mode = db_->cached("SELECT mode FROM ballots WHERE id = ?1");
  mode->bindInt64(1, ballotId);
  return mode->step() && mode->columnInt64(0) == enumValue(domain::BallotMode::Secret);
}

void Store::apply(const domain::BallotClosed& change) {
  auto close = db_->cached(
      "UPDATE ballots SET status = 3, closed_ms = ?2, closed_by_deadline = ?3 WHERE id = ?1 AND status = 2");
  close->bindInt64(1, change.ballotId).bindInt64(2, change.timeMs).bindInt64(3, change.byDeadline ? 1 : 0).run();
  requireBallotUpdated(change.ballotId, "close", "open");
  groupEndsSecretBallot_ = groupEndsSecretBallot_ || isSecretBallot(change.ballotId);
}

void Store::apply(const domain::TallyConfirmed& change) {
  auto confirm = db_->cached("INSERT INTO tally_confirmations (ballot_id, delegate_id, time_ms) VALUES (?1, ?2, ?3)");
  confirm->bindInt64(1, change.ballotId).bindInt64(2, change.delegateId).bindInt64(3, change.timeMs).run();
}

void Store::apply(const domain::BallotPublished& change) {
  auto publish = db_->cached("UPDATE ballots SET status = 4, published_ms = ?2 WHERE id = ?1 AND status = 3");
  publish->bindInt64(1, change.ballotId).bindInt64(2, change.timeMs).run();
  requireBallotUpdated(change.ballotId, "publish", "closed");
}

void Store::apply(const domain::BallotCancelled& change) {
  auto cancel = db_->cached(
      "UPDATE ballots SET status = 5, cancelled_ms = ?2, cancel_reason = ?3 WHERE id = ?1 AND status IN (1, 2, 3)");
  cancel->bindInt64(1, change.ballotId).bindInt64(2, change.timeMs).bindText(3, change.reason).run();
  requireBallotUpdated(change.ballotId, "cancel", "a draft, open or closed");
  // A cancelled open ballot may hold secret votes as much as a closed one.
  groupEndsSecretBallot_ = groupEndsSecretBallot_ || isSecretBallot(change.ballotId);
}

void Store::apply(const domain::CountingCommitteeAppointed& change) {
  db_->exec("DELETE FROM counting_committee");
  auto member = db_->cached("INSERT INTO counting_committee (delegate_id) VALUES (?1)");
  for (const std::uint32_t delegateId : change.delegateIds) {
    member->bindInt64(1, delegateId).run();
    member->reset();
  }
}

void Store::apply(const domain::VotingRulesChosen& change) {
  const domain::VotingRules& rules = change.rules;
  auto statement = db_->cached(
      "INSERT OR REPLACE INTO voting_rules (id, preset, motion_base, motion_threshold, motion_numerator, "
      "motion_denominator, election_base, election_threshold, election_numerator, election_denominator, "
      "multiple_choice_base, multiple_choice_threshold, multiple_choice_numerator, multiple_choice_denominator, "
      "empty_election_ballot, require_quorum_to_open, participation_quorum_numerator, "
      "participation_quorum_denominator) "
      "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  statement->bindInt64(1, enumValue(change.preset));
  bindMajority(*statement, 2, rules.motion);
  bindMajority(*statement, 6, rules.election);
  bindMajority(*statement, 10, rules.multipleChoice);
  statement->bindInt64(14, enumValue(rules.emptyElectionBallot))
      .bindInt64(15, rules.requireCongressQuorumToOpen ? 1 : 0)
      .bindInt64(16, rules.participationQuorum.numerator)
      .bindInt64(17, rules.participationQuorum.denominator)
      .run();
}

}  // namespace daihoi::store

namespace daihoi::store {

void Store::apply(const domain::FacesEnrolled& change) {
  auto code = db_->cached("SELECT code FROM delegates WHERE id = ?1");
  code->bindInt64(1, change.delegateId);
  if (!code->step()) {
    code->reset();
    throw StoreError("face_photos: delegate " + std::to_string(change.delegateId) + " is not on the roster");
  }
  const std::string delegateCode = code->columnText(0);
  code->reset();
  auto forget = db_->cached("DELETE FROM face_photos WHERE delegate_code = ?1");
  forget->bindText(1, delegateCode).run();
  auto insert = db_->cached(
      "INSERT INTO face_photos (delegate_code, sha256, name, descriptor, chip_jpeg, enrolled_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  for (const domain::EnrolledPhoto& photo : change.photos) {
    insert->bindText(1, delegateCode)
        .bindText(2, photo.sha256)
        .bindText(3, photo.name)
        .bindBlob(4, std::string_view(reinterpret_cast<const char*>(photo.descriptor.data()), sizeof(photo.descriptor)))
        .bindBlob(5, photo.chipJpeg)
        .bindInt64(6, photo.enrolledMs)
        .run();
    insert->reset();
  }
}

void Store::apply(const domain::RollCallTaken& change) {
  std::string present;
  for (std::uint32_t id : change.presentIds) {
    if (!present.empty()) present += ',';
    present += std::to_string(id);
  }
  auto insert = db_->cached(
      "INSERT INTO roll_calls (id, seq, time_ms, sitting_id, note, by_name, present, present_count, present_voting, "
      "summoned) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  insert->bindInt64(1, change.id)
      .bindInt64(2, seqValue(change.seq))
      .bindInt64(3, change.timeMs)
      .bindInt64(4, change.sittingId)
      .bindText(5, change.note)
      .bindText(6, change.by.displayName)
      .bindText(7, present)
      .bindInt64(8, change.totals.present)
      .bindInt64(9, change.totals.presentVoting)
      .bindInt64(10, change.totals.summoned)
      .run();
}

void Store::apply(const domain::SittingStarted& change) {
  auto insert = db_->cached("INSERT INTO sittings (id, title, started_ms) VALUES (?1, ?2, ?3)");
  insert->bindInt64(1, change.sitting.id).bindText(2, change.sitting.title).bindInt64(3, change.sitting.startedMs).run();
}

void Store::apply(const domain::SittingEnded& change) {
  auto update = db_->cached("UPDATE sittings SET ended_ms = ?2 WHERE id = ?1 AND ended_ms IS NULL");
  update->bindInt64(1, change.id).bindInt64(2, change.timeMs).run();
  if (db_->changes() != 1) {
    throw StoreError("sittings: sitting " + std::to_string(change.id) + " is not in session");
  }
}

void Store::apply(const domain::ThumbnailsExpired& change) {
  auto purge = db_->cached("DELETE FROM face_thumbnails WHERE expires_ms <= ?1");
  purge->bindInt64(1, change.beforeMs).run();
  auto purgeAttempts = db_->cached("DELETE FROM face_attempt_images WHERE expires_ms <= ?1");
  purgeAttempts->bindInt64(1, change.beforeMs).run();
}

void Store::apply(const domain::FaceAttemptImageKept& change) {
  auto insert = db_->cached("INSERT INTO face_attempt_images (seq, jpeg, expires_ms) VALUES (?1, ?2, ?3)");
  insert->bindInt64(1, seqValue(change.seq)).bindBlob(2, change.jpeg).bindInt64(3, change.expiresMs).run();
}

}  // namespace daihoi::store
