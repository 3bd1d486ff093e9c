#pragma once
// SQLite persistence of the congress: setup data, sign-in state, attendance,
// ballots and votes, documents and their discussion, and the hash-chained
// event log.
//
// Not thread-safe: one thread at a time uses a Store. While the server runs,
// the Writer owns the Store; a thread that needs to read meanwhile opens its
// own Store::openReadOnly() connection (WAL lets readers run beside the writer).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/clock.hpp"
#include "domain/accounts.hpp"
#include "domain/attendance.hpp"
#include "domain/changes.hpp"
#include "domain/model.hpp"
#include "store/chain.hpp"
#include "store/sqlite.hpp"

namespace daihoi::store {

class ParagraphOwners;

struct EventRow {
  std::uint64_t seq = 0;  // 1, 2, 3, ... in commit order
  std::int64_t timeMs = 0;
  std::uint32_t audienceRoles = 0;     // domain::RoleSet bits
  std::uint32_t audienceDelegate = 0;  // a delegate id; 0 for none
  std::uint32_t audienceBallot = 0;    // the delegates eligible for this ballot; 0 for none
  std::uint32_t audienceDocument = 0;  // the delegates who may read this document; 0 for none
  std::uint64_t audienceComment = 0;   // the readers of this comment's thread; 0 for none
  std::string body;                    // the serialized event
  Sha256 hash{};                       // chainHash(previous event's hash, body)
  bool operator==(const EventRow&) const = default;
};

// What one request made durable: its events and the state changes they record.
struct Commit {
  std::vector<EventRow> events;
  std::vector<domain::Change> changes;
  // Called by the Writer once the commit is on disk; Store::commit never calls it.
  std::function<void()> onDurable;
};

// A paragraph of a document's newest version that matches a study's words:
// a candidate passage for the study assistant, with its full text.
struct StudyParagraph {
  std::uint32_t documentId = 0;
  std::uint32_t version = 0;
  std::string paragraphId;
  std::uint32_t paragraphNumber = 0;
  std::string section;
  std::string text;
  double bm25 = 0;  // daihoi_bm25, as FTS5's bm25(): lower is more relevant
  bool operator==(const StudyParagraph&) const = default;
};

// The connection settings in effect, read back from SQLite.
struct ConnectionSettings {
  std::string journalMode;  // "wal"
  int synchronous = 0;      // 2 = FULL
  bool foreignKeys = false;
  int busyTimeoutMs = 0;
  bool secureDelete = false;  // freed pages are overwritten with zeros
};

class Store {
 public:
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens or creates the database and applies missing migrations. `clock`
  // dates schema migrations, session closes and badge uses set by setup
  // tools; nullptr means the system clock. It must outlive the Store.
  static std::unique_ptr<Store> open(const std::string& path, const Clock* clock = nullptr);
  // Opens an existing, fully migrated database for reading only.
  static std::unique_ptr<Store> openReadOnly(const std::string& path);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // ------------------------------------------------------------- loading
  std::optional<domain::Congress> loadCongress();
  domain::Roster loadRoster();
  std::vector<std::uint32_t> loadPresent();  // ascending delegate ids
  std::vector<domain::StaffAccount> loadStaff();
  std::vector<domain::Device> loadDevices();
  std::vector<domain::DelegateCredential> loadDelegateCredentials();
  // Sessions neither closed nor expired at nowMs, oldest first.
  std::vector<domain::StoredSession> loadSessions(std::int64_t nowMs);
  // Up to `limit` events with seq > afterSeq, in seq order.
  std::vector<EventRow> loadEvents(std::uint64_t afterSeq, std::size_t limit);
  ChainHead chainHead();
  std::vector<domain::AttendanceLogEntry> loadAttendanceLog(const domain::AttendanceLogQuery& query = {});
  // A face check-in's thumbnail while its retention lasts.
  std::optional<std::string> loadFaceThumbnail(std::int64_t attendanceId);
  // A failed face attempt's image, kept by the congress's choice, while its retention lasts.
  std::optional<std::string> loadFaceAttemptImage(std::uint64_t seq);
  // Every delegate's enrolled photos, by delegate id (photos follow the code across roster imports).
  std::vector<domain::FacesEnrolled> loadFacePhotos();
  std::vector<domain::Sitting> loadSittings();  // ascending by id
  std::uint32_t loadRollCallCount();
  // The PartyStatute preset while none was chosen.
  domain::VotingRulesChosen loadVotingRules();
  std::vector<std::uint32_t> loadCountingCommittee();  // ascending delegate ids
  // Every ballot ascending by id, as stored: definition, status and times,
  // snapshots, participation, votes and confirmations. The tally is left
  // empty (the domain recounts it). A secret ballot's contents come in the
  // order of their random keys.
  std::vector<domain::BallotState> loadBallots();
  // Every document with its versions (paragraph ids, not texts), ascending by
  // id; a written contribution with its latest decision applied (status, note,
  // by, time and the audience it gave the document).
  std::vector<domain::Document> loadDocuments();
  // A version's paragraphs in reading order; empty when there is no such version.
  std::vector<documents::Paragraph> loadParagraphs(std::uint32_t documentId, std::uint32_t version);
  // One paragraph of a version by its number (1-based); nothing when there is none.
  std::optional<documents::Paragraph> loadParagraph(std::uint32_t documentId, std::uint32_t version,
                                                    std::uint32_t number);
  // Every file a version names (SHA-256 hex): what the file area must keep.
  std::vector<std::string> loadDocumentFiles();
  // The best paragraphs for a search (daihoi_bm25: FTS5's bm25 with lengths
  // from memory; ties in publication order), and how many match in all.
  domain::DocumentSearchResult searchDocuments(const domain::DocumentSearch& search);
  // The study assistant's candidates: up to `limit` paragraphs of the newest
  // versions of `documentIds` matching the FTS5 expression `match`, best
  // (bm25) first, with their full text.
  std::vector<StudyParagraph> studyParagraphs(const std::string& match, const std::vector<std::uint32_t>& documentIds,
                                              std::uint32_t limit);
  // The current discussion groups (by id) and comment visibility (Group while never set).
  domain::DiscussionGroups loadDiscussionGroups();
  // Every comment ascending by id, each with its current (latest) mark.
  std::vector<domain::Comment> loadComments();
  // Every first opening of a version by a delegate, by document, delegate and version.
  std::vector<domain::DocumentOpened> loadDocumentReads();

  // ------------------------------------------------ setup (synchronous)
  void saveCongress(const domain::Congress& congress);
  // Makes the stored roster equal `roster`. Credentials and presence follow
  // the delegate's code (ids may shift between imports): a delegate whose code
  // was on the old roster keeps them under its new id; a delegate whose code
  // vanished loses them. The attendance log is history and is kept.
  void replaceRoster(const domain::Roster& roster);
  // Returns the account's id: `account.id` when non-zero, else a new one.
  std::uint32_t addStaff(domain::StaffAccount account);
  std::uint32_t addDevice(domain::Device device);
  // Creates or replaces the delegate's credential. badgeUsed = true keeps an
  // existing use time, or records now.
  void setDelegateCredential(const domain::DelegateCredential& credential);
  void setDelegateCredentials(const std::vector<domain::DelegateCredential>& credentials);

  // --------------------------------------------------------- commit path
  // One transaction for the whole group: every commit's events (which must
  // continue the chain: seq = head + 1, hash = chainHash(head, body)), then
  // its changes. Throws StoreError and stores nothing when anything fails.
  //
  // Secret votes carry no voter: each gets a random key, and the group's
  // secret votes are inserted last, in random order, so that neither their
  // keys nor their place in the file follow the order in which they arrived.
  void commit(const std::vector<Commit>& group);

  // After a committed group closed or cancelled a secret ballot: checkpoints
  // and truncates the WAL, VACUUMs and truncates again, so that neither file
  // keeps pages written in the order votes arrived. Call it outside commit();
  // the Writer does after each group. Returns whether a scrub ran. A failed
  // step is reported to stderr and does not throw: the votes are durable.
  bool scrubIfNeeded();
  // At start-up: scrubs when a crash came between a secret ballot's end and
  // the end of its scrub (a durable mark says so); otherwise does nothing.
  bool scrubAfterRestart();

  int schemaVersion();
  ConnectionSettings connectionSettings();

 private:
  Store(std::unique_ptr<Database> db, const Clock& clock, bool readOnly);

  void requireWritable(const char* operation) const;
  void apply(const domain::AttendanceRecorded& change);
  void apply(const domain::RosterReplaced& change);
  void apply(const domain::SessionOpened& change);
  void apply(const domain::SessionClosed& change);
  void apply(const domain::BadgeTokenUsed& change);
  void apply(const domain::BallotDrafted& change);
  void apply(const domain::BallotOpened& change);
  void apply(const domain::VoteCast& change);
  void apply(const domain::BallotClosed& change);
  void apply(const domain::TallyConfirmed& change);
  void apply(const domain::BallotPublished& change);
  void apply(const domain::BallotCancelled& change);
  void apply(const domain::CountingCommitteeAppointed& change);
  void apply(const domain::VotingRulesChosen& change);
  void apply(const domain::FacesEnrolled& change);
  void apply(const domain::RollCallTaken& change);
  void apply(const domain::SittingStarted& change);
  void apply(const domain::SittingEnded& change);
  void apply(const domain::ThumbnailsExpired& change);
  void apply(const domain::FaceAttemptImageKept& change);
  void apply(const domain::DocumentVersionAdded& change);
  void apply(const domain::DiscussionGroupsSet& change);
  void apply(const domain::CommentAdded& change);
  void apply(const domain::CommentMarked& change);
  void apply(const domain::ContributionDecided& change);
  void apply(const domain::DocumentOpened& change);
  // loadDocuments(): contributions as submitted, then their decisions in order.
  void loadContributions(std::vector<domain::Document>& documents);
  void insertSecretVotes();
  bool isSecretBallot(std::uint32_t ballotId);
  // Throws unless the last UPDATE changed the ballot, which had to be `expectedStatus`.
  void requireBallotUpdated(std::uint32_t ballotId, const char* action, const char* expectedStatus);
  void writeRoster(const domain::Roster& roster);
  void writeCredential(const domain::DelegateCredential& credential);
  void insertEvent(const EventRow& event, ChainHead& head);

  std::unique_ptr<Database> db_;
  const Clock& clock_;
  bool readOnly_ = false;
  // Which document each paragraph belongs to, for searches of some documents (document_store.cpp).
  std::unique_ptr<ParagraphOwners> paragraphOwners_;
  // Within commit(): the group's secret votes, inserted after everything else.
  std::vector<const domain::VoteCast*> pendingSecretVotes_;
  // Within commit(): the group ended a secret ballot.
  bool groupEndsSecretBallot_ = false;
  bool scrubPending_ = false;
};

}  // namespace daihoi::store
