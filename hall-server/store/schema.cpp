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

// Voting. Enums are stored as the domain's values (domain/ballot.hpp): kind
// 1 motion, 2 election, 3 multiple choice; mode 1 named, 2 secret; status
// 1 draft, 2 open, 3 closed, 4 published, 5 cancelled; majority base 1 votes
// cast, 2 valid ballots, 3 present eligible, 4 summoned; threshold 1 more
// than, 2 at least; empty ballot 1 invalid, 2 blank; preset 1 party statute,
// 2 generic. Choices are canonical option indices as text: "0,3,7", "" for none.
//
// Like attendance_log, ballot tables hold no foreign key to delegates: a
// ballot's history outlives roster changes.
//
// Secrecy: secret_votes holds no voter, no time and no insertion-ordered key
// (WITHOUT ROWID, keyed by 16 random bytes). Who voted is in
// ballot_participation, which holds no time either, so neither table orders
// ballots by arrival. The store inserts a group's secret votes in random order
// and rewrites the file once a secret ballot closes (Store::scrubIfNeeded).
constexpr std::string_view kVersion3 = R"sql(
-- An event addressed to the delegates eligible for a ballot; 0 for none.
ALTER TABLE events ADD COLUMN audience_ballot INTEGER NOT NULL DEFAULT 0;

CREATE TABLE voting_rules (
  id                              INTEGER PRIMARY KEY CHECK (id = 1),
  preset                          INTEGER NOT NULL CHECK (preset IN (1, 2)),
  motion_base                     INTEGER NOT NULL CHECK (motion_base BETWEEN 1 AND 4),
  motion_threshold                INTEGER NOT NULL CHECK (motion_threshold IN (1, 2)),
  motion_numerator                INTEGER NOT NULL,
  motion_denominator              INTEGER NOT NULL,
  election_base                   INTEGER NOT NULL CHECK (election_base BETWEEN 1 AND 4),
  election_threshold              INTEGER NOT NULL CHECK (election_threshold IN (1, 2)),
  election_numerator              INTEGER NOT NULL,
  election_denominator            INTEGER NOT NULL,
  multiple_choice_base            INTEGER NOT NULL CHECK (multiple_choice_base BETWEEN 1 AND 4),
  multiple_choice_threshold       INTEGER NOT NULL CHECK (multiple_choice_threshold IN (1, 2)),
  multiple_choice_numerator       INTEGER NOT NULL,
  multiple_choice_denominator     INTEGER NOT NULL,
  empty_election_ballot           INTEGER NOT NULL CHECK (empty_election_ballot IN (1, 2)),
  require_quorum_to_open          INTEGER NOT NULL CHECK (require_quorum_to_open IN (0, 1)),
  participation_quorum_numerator   INTEGER NOT NULL,
  participation_quorum_denominator INTEGER NOT NULL,
  CONSTRAINT motion_majority_is_a_fraction
    CHECK (motion_denominator > 0 AND motion_numerator BETWEEN 0 AND motion_denominator),
  CONSTRAINT election_majority_is_a_fraction
    CHECK (election_denominator > 0 AND election_numerator BETWEEN 0 AND election_denominator),
  CONSTRAINT multiple_choice_majority_is_a_fraction
    CHECK (multiple_choice_denominator > 0 AND multiple_choice_numerator BETWEEN 0 AND multiple_choice_denominator),
  CONSTRAINT participation_quorum_is_a_fraction
    CHECK (participation_quorum_denominator > 0
           AND participation_quorum_numerator BETWEEN 0 AND participation_quorum_denominator)
);

-- Times are 0 until the ballot reaches that status; deadline_ms 0 means none.
CREATE TABLE ballots (
  id                               INTEGER PRIMARY KEY CHECK (id > 0),
  title                            TEXT NOT NULL,
  agenda_item                      TEXT NOT NULL,
  kind                             INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
  mode                             INTEGER NOT NULL CHECK (mode IN (1, 2)),
  seats                            INTEGER NOT NULL CHECK (seats >= 0),
  min_selections                   INTEGER NOT NULL CHECK (min_selections >= 0),
  max_selections                   INTEGER NOT NULL CHECK (max_selections >= min_selections),
  majority_base                    INTEGER NOT NULL CHECK (majority_base BETWEEN 1 AND 4),
  majority_threshold               INTEGER NOT NULL CHECK (majority_threshold IN (1, 2)),
  majority_numerator               INTEGER NOT NULL,
  majority_denominator             INTEGER NOT NULL,
  empty_ballot                     INTEGER NOT NULL CHECK (empty_ballot IN (1, 2)),
  participation_quorum_numerator   INTEGER NOT NULL,
  participation_quorum_denominator INTEGER NOT NULL,
  require_congress_quorum          INTEGER NOT NULL CHECK (require_congress_quorum IN (0, 1)),
  allow_changes                    INTEGER NOT NULL CHECK (allow_changes IN (0, 1)),
  confirmation_required            INTEGER NOT NULL CHECK (confirmation_required IN (0, 1)),
  duration_ms                      INTEGER NOT NULL CHECK (duration_ms >= 0),
  runoff_of                        INTEGER NOT NULL CHECK (runoff_of >= 0 AND runoff_of < id),
  status                           INTEGER NOT NULL CHECK (status BETWEEN 1 AND 5),
  created_ms                       INTEGER NOT NULL,
  opened_ms                        INTEGER NOT NULL DEFAULT 0,
  deadline_ms                      INTEGER NOT NULL DEFAULT 0,
  closed_ms                        INTEGER NOT NULL DEFAULT 0,
  closed_by_deadline               INTEGER NOT NULL DEFAULT 0 CHECK (closed_by_deadline IN (0, 1)),
  published_ms                     INTEGER NOT NULL DEFAULT 0,
  cancelled_ms                     INTEGER NOT NULL DEFAULT 0,
  cancel_reason                    TEXT NOT NULL DEFAULT '',
  summoned                         INTEGER NOT NULL DEFAULT 0 CHECK (summoned >= 0),
  CONSTRAINT majority_is_a_fraction
    CHECK (majority_denominator > 0 AND majority_numerator BETWEEN 0 AND majority_denominator),
  CONSTRAINT participation_quorum_is_a_fraction
    CHECK (participation_quorum_denominator > 0
           AND participation_quorum_numerator BETWEEN 0 AND participation_quorum_denominator),
  -- A changed vote would link a secret ballot's two contents rows to one voter.
  CONSTRAINT secret_ballots_allow_no_change CHECK (mode = 1 OR allow_changes = 0)
);

CREATE TABLE ballot_options (
  ballot_id INTEGER NOT NULL REFERENCES ballots (id),
  position  INTEGER NOT NULL CHECK (position >= 0),
  label     TEXT NOT NULL,
  PRIMARY KEY (ballot_id, position)
) WITHOUT ROWID;

-- The delegates eligible, fixed when the ballot opens.
CREATE TABLE ballot_eligible (
  ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id INTEGER NOT NULL,
  PRIMARY KEY (ballot_id, delegate_id)
) WITHOUT ROWID;

-- Who voted, in both modes.
CREATE TABLE ballot_participation (
  ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id INTEGER NOT NULL,
  PRIMARY KEY (ballot_id, delegate_id)
) WITHOUT ROWID;

CREATE TABLE named_votes (
  ballot_id    INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id  INTEGER NOT NULL,
  choices      TEXT NOT NULL CHECK (choices NOT GLOB '*[^0-9,]*'),
  receipt_hash BLOB NOT NULL CHECK (length(receipt_hash) = 32),
  PRIMARY KEY (ballot_id, delegate_id)
) WITHOUT ROWID;

CREATE TABLE secret_votes (
  ballot_id    INTEGER NOT NULL REFERENCES ballots (id),
  vote_key     BLOB NOT NULL CHECK (length(vote_key) = 16),
  choices      TEXT NOT NULL CHECK (choices NOT GLOB '*[^0-9,]*'),
  receipt_hash BLOB NOT NULL CHECK (length(receipt_hash) = 32),
  PRIMARY KEY (ballot_id, vote_key)
) WITHOUT ROWID;

-- Ordered by hash: as random as the keys, so it reveals no arrival order.
CREATE UNIQUE INDEX secret_votes_by_receipt ON secret_votes (ballot_id, receipt_hash);
CREATE UNIQUE INDEX named_votes_by_receipt ON named_votes (ballot_id, receipt_hash);

-- The rowid keeps confirmations made in the same millisecond in their order.
CREATE TABLE tally_confirmations (
  ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id INTEGER NOT NULL,
  time_ms     INTEGER NOT NULL,
  PRIMARY KEY (ballot_id, delegate_id)
);

CREATE TABLE counting_committee (
  delegate_id INTEGER PRIMARY KEY CHECK (delegate_id > 0)
);

-- A ballot is never deleted; its definition never changes; its status only
-- moves forward: draft -> open -> closed -> published, or to cancelled.
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
BEGIN
  SELECT RAISE(ABORT, 'ballots are never deleted');
END;
CREATE TRIGGER ballots_definition_fixed BEFORE UPDATE OF
  id, title, agenda_item, kind, mode, seats, min_selections, max_selections, majority_base, majority_threshold,
  majority_numerator, majority_denominator, empty_ballot, participation_quorum_numerator,
  participation_quorum_denominator, require_congress_quorum, allow_changes, confirmation_required, duration_ms,
  runoff_of, created_ms ON ballots
BEGIN
  SELECT RAISE(ABORT, 'a ballot''s definition never changes');
END;
CREATE TRIGGER ballots_status_moves_forward BEFORE UPDATE ON ballots
WHEN NOT ((OLD.status = 1 AND NEW.status IN (2, 5)) OR (OLD.status = 2 AND NEW.status IN (3, 5))
          OR (OLD.status = 3 AND NEW.status IN (4, 5)))
BEGIN
  SELECT RAISE(ABORT, 'a ballot changes only by moving its status forward');
END;

CREATE TRIGGER ballot_options_no_update BEFORE UPDATE ON ballot_options
BEGIN
  SELECT RAISE(ABORT, 'ballot_options are append-only');
END;
CREATE TRIGGER ballot_options_no_delete BEFORE DELETE ON ballot_options
BEGIN
  SELECT RAISE(ABORT, 'ballot_options are append-only');
END;
CREATE TRIGGER ballot_eligible_no_update BEFORE UPDATE ON ballot_eligible
BEGIN
  SELECT RAISE(ABORT, 'ballot_eligible is append-only');
END;
CREATE TRIGGER ballot_eligible_no_delete BEFORE DELETE ON ballot_eligible
BEGIN
  SELECT RAISE(ABORT, 'ballot_eligible is append-only');
END;

CREATE TRIGGER ballot_participation_requires_open_eligible
BEFORE INSERT ON ballot_participation
WHEN (SELECT status FROM ballots WHERE id = NEW.ballot_id) IS NOT 2
  OR NOT EXISTS (SELECT 1 FROM ballot_eligible WHERE ballot_id = NEW.ballot_id AND delegate_id = NEW.delegate_id)
BEGIN
  SELECT RAISE(ABORT, 'ballot_participation: the ballot is not open or the delegate is not eligible');
END;
CREATE TRIGGER ballot_participation_no_update BEFORE UPDATE ON ballot_participation
BEGIN
  SELECT RAISE(ABORT, 'ballot_participation is append-only');
END;
CREATE TRIGGER ballot_participation_no_delete BEFORE DELETE ON ballot_participation
BEGIN
  SELECT RAISE(ABORT, 'ballot_participation is append-only');
END;

CREATE TRIGGER named_votes_require_named_ballot BEFORE INSERT ON named_votes
WHEN (SELECT mode FROM ballots WHERE id = NEW.ballot_id) IS NOT 1
BEGIN
  SELECT RAISE(ABORT, 'named_votes: the ballot is not a named ballot');
END;
-- The one allowed change: a delegate replaces the vote in an open ballot that allows it.
CREATE TRIGGER named_votes_change_only_when_allowed BEFORE UPDATE ON named_votes
WHEN NEW.ballot_id IS NOT OLD.ballot_id OR NEW.delegate_id IS NOT OLD.delegate_id
  OR NOT EXISTS (SELECT 1 FROM ballots WHERE id = OLD.ballot_id AND status = 2 AND allow_changes = 1)
BEGIN
  SELECT RAISE(ABORT, 'named_votes: a vote changes only in an open ballot that allows changes');
END;
CREATE TRIGGER named_votes_no_delete BEFORE DELETE ON named_votes
BEGIN
  SELECT RAISE(ABORT, 'named_votes are never deleted');
END;

CREATE TRIGGER secret_votes_require_secret_ballot BEFORE INSERT ON secret_votes
WHEN (SELECT mode FROM ballots WHERE id = NEW.ballot_id) IS NOT 2
BEGIN
  SELECT RAISE(ABORT, 'secret_votes: the ballot is not a secret ballot');
END;
CREATE TRIGGER secret_votes_no_update BEFORE UPDATE ON secret_votes
BEGIN
  SELECT RAISE(ABORT, 'secret_votes are append-only');
END;
CREATE TRIGGER secret_votes_no_delete BEFORE DELETE ON secret_votes
BEGIN
  SELECT RAISE(ABORT, 'secret_votes are append-only');
END;

CREATE TRIGGER tally_confirmations_no_update BEFORE UPDATE ON tally_confirmations
BEGIN
  SELECT RAISE(ABORT, 'tally_confirmations are append-only');
END;
CREATE TRIGGER tally_confirmations_no_delete BEFORE DELETE ON tally_confirmations
BEGIN
  SELECT RAISE(ABORT, 'tally_confirmations are append-only');
END;
)sql";

// A secret ballot ended and its scrub (Store::scrubIfNeeded) has not finished:
// set in the transaction that ends the ballot, cleared once the file is
// rewritten, so a crash in between is scrubbed at the next start and only then.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE scrub_pending (
  id INTEGER PRIMARY KEY CHECK (id = 1)
);
INSERT INTO scrub_pending (id)
  SELECT 1 FROM ballots WHERE mode = 2 AND status IN (3, 4, 5) LIMIT 1;
)sql";

// Face ID, sittings and roll calls. Enrolled photos are keyed by the delegate's
// code, like credentials, so they follow a person across roster imports; only
// descriptors and the aligned 150×150 face are kept, never the photo. A face
// check-in's thumbnail lives beside its log row until its retention ends.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE attendance_log ADD COLUMN sitting_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attendance_log ADD COLUMN face_distance REAL NOT NULL DEFAULT 0;

CREATE TABLE face_photos (
  delegate_code TEXT NOT NULL,
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
  name          TEXT NOT NULL,
  descriptor    BLOB NOT NULL CHECK (length(descriptor) = 512),
  chip_jpeg     BLOB NOT NULL,
  enrolled_ms   INTEGER NOT NULL,
  PRIMARY KEY (delegate_code, sha256)
) WITHOUT ROWID;

CREATE TABLE face_thumbnails (
  attendance_id INTEGER PRIMARY KEY,
  jpeg          BLOB NOT NULL,
  expires_ms    INTEGER NOT NULL
);

CREATE TABLE sittings (
  id         INTEGER PRIMARY KEY CHECK (id > 0),
  title      TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms   INTEGER
);

-- present: the delegate ids present at that moment, ascending, comma-separated.
CREATE TABLE roll_calls (
  id             INTEGER PRIMARY KEY CHECK (id > 0),
  seq            INTEGER NOT NULL,
  time_ms        INTEGER NOT NULL,
  sitting_id     INTEGER NOT NULL,
  note           TEXT NOT NULL,
  by_name        TEXT NOT NULL,
  present        TEXT NOT NULL,
  present_count  INTEGER NOT NULL,
  present_voting INTEGER NOT NULL,
  summoned       INTEGER NOT NULL
);
CREATE TRIGGER roll_calls_no_update BEFORE UPDATE ON roll_calls
BEGIN
  SELECT RAISE(ABORT, 'roll calls are append-only');
END;
CREATE TRIGGER roll_calls_no_delete BEFORE DELETE ON roll_calls
BEGIN
  SELECT RAISE(ABORT, 'roll calls are append-only');
END;
)sql";

// Only when the congress turns on keeping failed face attempts (off by default).
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE face_attempt_images (
  seq        INTEGER PRIMARY KEY,
  jpeg       BLOB NOT NULL,
  expires_ms INTEGER NOT NULL
);
)sql";

// Congress documents (docs/DOCUMENTS.md). The files themselves live beside
// the database under their SHA-256 (store/file_area.hpp); these tables hold
// what they are, who may read them, and their text as numbered paragraphs.
// Versions and paragraphs are immutable. The search index holds the newest
// version of each document; its tokenizer folds Vietnamese (đ → d, no
// diacritics) and is registered by the store on every connection it opens.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE documents (
  id                   INTEGER PRIMARY KEY CHECK (id > 0),
  title                TEXT NOT NULL,
  kind                 INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6),
  audience_everyone    INTEGER NOT NULL CHECK (audience_everyone IN (0, 1)),
  audience_delegations TEXT NOT NULL,  -- ascending delegation ids, comma-separated
  audience_roles       INTEGER NOT NULL,  -- domain::RoleSet bits
  created_ms           INTEGER NOT NULL
);

CREATE TABLE document_versions (
  document_id    INTEGER NOT NULL REFERENCES documents (id),
  number         INTEGER NOT NULL CHECK (number > 0),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64),
  size           INTEGER NOT NULL CHECK (size > 0),
  format         INTEGER NOT NULL CHECK (format BETWEEN 1 AND 3),
  file_name      TEXT NOT NULL,
  note           TEXT NOT NULL,
  added_ms       INTEGER NOT NULL,
  added_by_role  INTEGER NOT NULL,
  added_by_id    INTEGER NOT NULL,
  added_by_login TEXT NOT NULL,
  added_by_name  TEXT NOT NULL,
  pages          INTEGER NOT NULL CHECK (pages >= 0),
  gzip           INTEGER NOT NULL CHECK (gzip IN (0, 1)),
  PRIMARY KEY (document_id, number)
) WITHOUT ROWID;
CREATE INDEX document_versions_by_file ON document_versions (sha256);

CREATE TABLE paragraphs (
  id            INTEGER PRIMARY KEY,  -- the search index's rowid
  document_id   INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  number        INTEGER NOT NULL CHECK (number > 0),
  paragraph_id  TEXT NOT NULL,
  section       TEXT NOT NULL,
  heading_level INTEGER NOT NULL CHECK (heading_level BETWEEN 0 AND 6),
  page          INTEGER NOT NULL CHECK (page >= 0),
  text          TEXT NOT NULL,
  UNIQUE (document_id, version, number),
  FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, number)
);

CREATE VIRTUAL TABLE paragraph_search USING fts5(
  text, content = 'paragraphs', content_rowid = 'id', tokenize = 'daihoi_vietnamese');

CREATE TRIGGER document_versions_no_update BEFORE UPDATE ON document_versions
BEGIN
  SELECT RAISE(ABORT, 'document versions are immutable');
END;
CREATE TRIGGER document_versions_no_delete BEFORE DELETE ON document_versions
BEGIN
  SELECT RAISE(ABORT, 'document versions are immutable');
END;
CREATE TRIGGER paragraphs_no_update BEFORE UPDATE ON paragraphs
BEGIN
  SELECT RAISE(ABORT, 'paragraphs are immutable');
END;
CREATE TRIGGER paragraphs_no_delete BEFORE DELETE ON paragraphs
BEGIN
  SELECT RAISE(ABORT, 'paragraphs are immutable');
END;

ALTER TABLE events ADD COLUMN audience_document INTEGER NOT NULL DEFAULT 0;
)sql";

// Discussion of drafts (issue 6): discussion groups and who reads comments,
// comments on paragraphs with their replies, the secretariat's marks, written
// contributions and their decisions, and who opened which version.
// - discussion_groups and comment_settings hold the current setting, replaced
//   as a whole (their history is in the event log). Visibility: 1 group,
//   2 all delegates, 3 secretariat (domain::CommentVisibility).
// - comments are immutable; reply_to is 0 for a thread's first comment, whose
//   thread_id is its own id. A comment's mark is the latest comment_marks row
//   (mark 0 = none: cleared); marks are append-only.
// - contributions: the author and initial state of a delegate's written
//   contribution, set when the document is added; contribution_decisions are
//   append-only, the latest one gives the status and the document's audience
//   (in the documents table's encoding). Both immutable.
// - document_reads: the first time a delegate opened a version; immutable.
// Like attendance_log and ballots, none of these refers to delegates: history
// outlives roster replacements.
constexpr std::string_view kVersion8 = R"sql(
ALTER TABLE documents ADD COLUMN audience_delegates TEXT NOT NULL DEFAULT '';  -- ascending delegate ids

CREATE TABLE discussion_groups (
  id          INTEGER PRIMARY KEY CHECK (id > 0),
  name        TEXT NOT NULL,
  delegations TEXT NOT NULL  -- ascending delegation ids, comma-separated
);

CREATE TABLE comment_settings (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  visibility INTEGER NOT NULL CHECK (visibility BETWEEN 1 AND 3)
);

CREATE TABLE comments (
  id                   INTEGER PRIMARY KEY CHECK (id > 0),
  document_id          INTEGER NOT NULL,
  version              INTEGER NOT NULL,
  paragraph_id         TEXT NOT NULL,
  paragraph_number     INTEGER NOT NULL CHECK (paragraph_number > 0),
  range_begin          INTEGER NOT NULL CHECK (range_begin >= 0),
  range_end            INTEGER NOT NULL CHECK (range_end >= range_begin),
  quote                TEXT NOT NULL,
  reply_to             INTEGER NOT NULL CHECK (reply_to >= 0 AND reply_to < id),
  thread_id            INTEGER NOT NULL CHECK (thread_id > 0 AND thread_id <= id),
  author_role          INTEGER NOT NULL CHECK (author_role BETWEEN 1 AND 6),
  author_id            INTEGER NOT NULL,
  author_name          TEXT NOT NULL,
  author_login         TEXT NOT NULL,
  author_delegation_id INTEGER NOT NULL,
  group_id             INTEGER NOT NULL,
  text                 TEXT NOT NULL,
  created_ms           INTEGER NOT NULL,
  CONSTRAINT a_first_comment_starts_its_thread CHECK ((reply_to = 0) = (thread_id = id)),
  FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, number)
);
CREATE INDEX comments_by_document ON comments (document_id, id);

-- A reply answers a comment of its own thread on the same document.
CREATE TRIGGER comments_reply_in_thread BEFORE INSERT ON comments
WHEN NEW.reply_to <> 0 AND NOT EXISTS (
  SELECT 1 FROM comments WHERE id = NEW.reply_to AND thread_id = NEW.thread_id AND document_id = NEW.document_id)
BEGIN
  SELECT RAISE(ABORT, 'comments: a reply must answer a comment of its thread on the same document');
END;

CREATE TABLE comment_marks (
  id         INTEGER PRIMARY KEY,  -- the order of marking
  comment_id INTEGER NOT NULL REFERENCES comments (id),
  mark       INTEGER NOT NULL CHECK (mark BETWEEN 0 AND 3),
  note       TEXT NOT NULL,
  by_role    INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  by_id      INTEGER NOT NULL,
  by_name    TEXT NOT NULL,
  by_login   TEXT NOT NULL,
  time_ms    INTEGER NOT NULL
);
CREATE INDEX comment_marks_by_comment ON comment_marks (comment_id, id);

-- status: 1 submitted, 2 approved, 3 declined (domain::ContributionStatus).
CREATE TABLE contributions (
  document_id        INTEGER PRIMARY KEY REFERENCES documents (id),
  author_delegate_id INTEGER NOT NULL CHECK (author_delegate_id > 0),
  status             INTEGER NOT NULL CHECK (status BETWEEN 1 AND 3),
  note               TEXT NOT NULL,
  by_role            INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  by_id              INTEGER NOT NULL,
  by_name            TEXT NOT NULL,
  by_login           TEXT NOT NULL,
  time_ms            INTEGER NOT NULL
);

CREATE TABLE contribution_decisions (
  id                   INTEGER PRIMARY KEY,  -- the order of decisions
  document_id          INTEGER NOT NULL REFERENCES contributions (document_id),
  status               INTEGER NOT NULL CHECK (status BETWEEN 1 AND 3),
  note                 TEXT NOT NULL,
  by_role              INTEGER NOT NULL CHECK (by_role BETWEEN 1 AND 6),
  by_id                INTEGER NOT NULL,
  by_name              TEXT NOT NULL,
  by_login             TEXT NOT NULL,
  time_ms              INTEGER NOT NULL,
  audience_everyone    INTEGER NOT NULL CHECK (audience_everyone IN (0, 1)),
  audience_delegations TEXT NOT NULL,
  audience_roles       INTEGER NOT NULL,
  audience_delegates   TEXT NOT NULL
);
CREATE INDEX contribution_decisions_by_document ON contribution_decisions (document_id, id);

CREATE TABLE document_reads (
  document_id INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  delegate_id INTEGER NOT NULL,
  first_ms    INTEGER NOT NULL,
  PRIMARY KEY (document_id, version, delegate_id),
  FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, number)
) WITHOUT ROWID;

CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN
  SELECT RAISE(ABORT, 'comments are immutable');
END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN
  SELECT RAISE(ABORT, 'comments are immutable');
END;
CREATE TRIGGER comment_marks_no_update BEFORE UPDATE ON comment_marks
BEGIN
  SELECT RAISE(ABORT, 'comment marks are append-only');
END;
CREATE TRIGGER comment_marks_no_delete BEFORE DELETE ON comment_marks
BEGIN
  SELECT RAISE(ABORT, 'comment marks are append-only');
END;
CREATE TRIGGER contributions_no_update BEFORE UPDATE ON contributions
BEGIN
  SELECT RAISE(ABORT, 'contributions are immutable');
END;
CREATE TRIGGER contributions_no_delete BEFORE DELETE ON contributions
BEGIN
  SELECT RAISE(ABORT, 'contributions are immutable');
END;
CREATE TRIGGER contribution_decisions_no_update BEFORE UPDATE ON contribution_decisions
BEGIN
  SELECT RAISE(ABORT, 'contribution decisions are append-only');
END;
CREATE TRIGGER contribution_decisions_no_delete BEFORE DELETE ON contribution_decisions
BEGIN
  SELECT RAISE(ABORT, 'contribution decisions are append-only');
END;
CREATE TRIGGER document_reads_no_update BEFORE UPDATE ON document_reads
BEGIN
  SELECT RAISE(ABORT, 'document reads are immutable');
END;
CREATE TRIGGER document_reads_no_delete BEFORE DELETE ON document_reads
BEGIN
  SELECT RAISE(ABORT, 'document reads are immutable');
END;

ALTER TABLE events ADD COLUMN audience_comment INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr std::array kMigrations{
    Migration{1, "congress, roster, accounts, sessions, attendance and the event log", kVersion1},
    Migration{2, "indexes for log paging and session loading; append-only events and attendance log",
              kVersion2},
    Migration{3, "voting: rules, ballots, participation, named and secret votes, confirmations; event audience "
                 "by ballot",
              kVersion3},
    Migration{4, "a durable mark for a secret ballot's scrub still to do", kVersion4},
    Migration{5, "Face ID enrollment and check-in thumbnails; sittings and roll calls", kVersion5},
    Migration{6, "images of failed face attempts, when the congress keeps them", kVersion6},
    Migration{7, "documents, versions, paragraphs and their Vietnamese search index; event audience by document",
              kVersion7},
    Migration{8, "discussion groups, comments and their marks, written contributions and their decisions, who "
                 "opened which version; event audience by comment",
              kVersion8},
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
