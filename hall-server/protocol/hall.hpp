#pragma once
// The hall: the single owner of congress state, the event sequence and its
// hash chain. Everything here runs on the network thread; the durable journal
// and slow credential checks run elsewhere and call back onto that thread.
//
// Request lifecycle: a handler decides against the *pending* state and stages
// changes and events; the hall numbers and chains the events, hands them to
// the journal, and only when the journal reports them durable applies them to
// the *committed* state, broadcasts the events and sends the reply.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/directory.hpp"
#include "auth/rate_limiter.hpp"
#include "common/bytes.hpp"
#include "common/clock.hpp"
#include "daihoi.pb.h"
#include "domain/accounts.hpp"
#include "domain/changes.hpp"
#include "domain/hall_state.hpp"
#include "protocol/archive.hpp"
#include "protocol/document_desk.hpp"
#include "protocol/document_work.hpp"
#include "protocol/face_desk.hpp"
#include "protocol/face_engine.hpp"
#include "protocol/metrics.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;
class Connection;
class Outbox;

// Who may receive an event: every session of the given roles, plus the one
// delegate it concerns (if any), plus the delegates eligible for a ballot (if any).
struct Audience {
  domain::RoleSet roles;
  std::uint32_t delegateId = 0;
  // The ballot whose eligible delegates receive the event, or the document
  // whose readers do; their ids are what the journal stores, `members` are
  // those delegates (ascending), resolved by the hall.
  std::uint32_t ballotId = 0;
  std::uint32_t documentId = 0;
  // The comment whose readers receive the event (its thread's readers).
  std::uint64_t commentId = 0;
  std::shared_ptr<const std::vector<std::uint32_t>> members;

  bool includes(domain::Role role, std::uint32_t accountId) const {
    if (roles.contains(role)) return true;
    if (role != domain::Role::Delegate) return false;
    if (delegateId != 0 && accountId == delegateId) return true;
    return members != nullptr && std::binary_search(members->begin(), members->end(), accountId);
  }
  bool includes(const domain::Principal& principal) const { return includes(principal.role, principal.accountId); }
};

struct JournalEvent {
  std::uint64_t seq = 0;
  std::int64_t timeMs = 0;
  Audience audience;
  std::string body;  // serialized v1::Event, the bytes the chain hashes
  Sha256 hash{};     // SHA-256(previous hash || body)
};

// The durable journal behind the hall (the store's writer thread).
class Journal {
 public:
  virtual ~Journal() = default;
  // Commits the events and changes in one transaction, in submission order,
  // then calls onDurable on the hall's thread.
  virtual void append(std::vector<JournalEvent> events, std::vector<domain::Change> changes,
                      std::function<void()> onDurable) = 0;
};

// Runs slow work (argon2 verification) off the network thread, then `done`
// back on it.
class BlockingWork {
 public:
  virtual ~BlockingWork() = default;
  virtual void run(std::function<void()> work, std::function<void()> done) = 0;
};

// Runs `fn` on the hall's thread after `delay` (ballot deadlines, coalesced
// live updates). Nothing scheduled runs once the owner has been stopped.
class Timers {
 public:
  virtual ~Timers() = default;
  virtual void after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

// Turns a payload into a complete WebSocket frame once, to share among sessions.
using Framer = std::function<std::shared_ptr<const std::string>(std::string_view payload)>;

struct HallOptions {
  std::string serverName = "Daihoi hall server";
  std::uint32_t maxFrameBytes = 4 * 1024 * 1024;
  std::int64_t sessionTtlMs = 3LL * 24 * 3600 * 1000;  // a congress lasts a few days
  std::size_t recentEventCapacity = 100'000;           // resume window; older terminals get a snapshot
  // Live ballot progress is coalesced to one update per interval; with many
  // terminals signed in, to the slower one so fan-out never saturates.
  std::chrono::milliseconds progressInterval{100};
  std::chrono::milliseconds progressIntervalCrowded{500};
  std::size_t crowdedSubscribers = 1000;
  std::size_t liveSliceSubscribers = 500;  // live pushes go out this many sessions at a time
  FaceOptions face;
  DocumentOptions documents;
};

// Loaded from the store at start-up.
struct HallSeed {
  domain::Congress congress;
  domain::Roster roster;
  std::vector<std::uint32_t> present;
  auth::Directory directory;
  std::vector<domain::StoredSession> sessions;
  domain::VotingRulesChosen votingRules;
  std::vector<domain::BallotState> ballots;
  std::vector<std::uint32_t> countingCommittee;
  std::vector<domain::FacesEnrolled> facePhotos;
  std::vector<domain::Sitting> sittings;
  std::uint32_t rollCalls = 0;
  std::vector<domain::Document> documents;  // with their contributions' decisions applied
  domain::DiscussionGroups discussionGroups;
  std::vector<domain::Comment> comments;       // ascending ids, with their current marks
  std::vector<domain::DocumentOpened> documentReads;
  std::vector<JournalEvent> recentEvents;  // ascending, the tail of the log
  std::uint64_t headSeq = 0;
  Sha256 headHash{};
};

class Hall {
 public:
  Hall(HallOptions options, const Clock& clock, HallSeed seed, Journal& journal, BlockingWork& blockingWork,
       Timers& timers, Framer framer);
  Hall(const Hall&) = delete;
  Hall& operator=(const Hall&) = delete;

  const HallOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  Metrics& metrics() { return metrics_; }
  const Metrics& metrics() const { return metrics_; }

  const domain::HallState& pending() const { return pending_; }
  const domain::HallState& committed() const { return committed_; }
  std::uint64_t committedSeq() const { return committedSeq_; }
  std::uint64_t pendingSeq() const { return pendingSeq_; }

  auth::Directory& directory() { return directory_; }
  auth::SignInLimiter& signInLimiter() { return signInLimiter_; }
  BlockingWork& blockingWork() { return blockingWork_; }
  Timers& timers() { return timers_; }

  // Face ID: the enrolled faces and kiosk lanes, and the workers (none: face work is off).
  FaceDesk& faceDesk() { return faceDesk_; }
  void attachFaceEngine(FaceEngine* engine) { faceEngine_ = engine; }
  FaceEngine* faceEngine() { return faceEngine_; }
  // Why face work cannot be done now; nothing when it can.
  std::optional<FaceUnavailable> faceUnavailable() const;
  // The durable history (attendance log, thumbnails); none in tests that do not need it.
  void attachArchive(Archive* archive) { archive_ = archive; }
  Archive* archive() { return archive_; }
  // Documents: uploads in progress and the worker behind them (none: documents are off).
  DocumentDesk& documentDesk() { return documentDesk_; }
  void attachDocumentWork(DocumentWork* work) { documentWork_ = work; }
  DocumentWork* documentWork() { return documentWork_; }
  bool mayRead(const domain::Document& document, const domain::Principal& principal) const;
  // Who receives a document's events: the secretariat and organizers, and its readers.
  Audience documentAudience(const domain::Document& document) const;
  // The delegation of a delegate (0 for anyone else).
  std::uint32_t delegationOf(const domain::Principal& principal) const;
  // May this principal read the comments of a thread (started by `threadStart`)?
  bool mayReadThread(const domain::Comment& threadStart, const domain::Principal& principal) const;
  // Who receives the events of a comment: the readers of its thread.
  Audience commentAudience(const domain::Comment& comment) const;
  // The open session of a bearer token (HTTP fetches); nothing when unknown or expired.
  std::optional<domain::Principal> principalForToken(std::string_view token) const;
  const domain::StoredSession* findSession(const std::string& tokenHash) const;
  // Durable open sessions by token hash.
  const std::unordered_map<std::string, domain::StoredSession>& sessions() const { return sessions_; }

  // One atomic unit of decided work. Its changes were already applied to the
  // pending state by stageChange().
  struct Staged {
    std::vector<domain::Change> changes;
    std::vector<std::pair<v1::Event, Audience>> events;
  };
  void stageChange(const domain::Change& change) { pending_.apply(change); }
  // Numbers and chains the events and submits them with the changes to the
  // journal. `onDurable` runs after the
  // commit, after the events were broadcast. Returns the seq of the last event
  // (or the current pending seq when there is none).
  std::uint64_t commit(Staged staged, std::function<void()> onDurable);
  // Runs `fn` once everything staged so far is durable (at once if nothing is pending).
  void afterPendingDurable(std::function<void()> fn);

  // Catch-up for a signing-in session: fills the reply's snapshot or missed
  // count and returns the missed events' frames to send after the reply.
  std::vector<std::shared_ptr<const std::string>> catchUp(const domain::Principal& principal,
                                                          std::uint64_t lastSeq, v1::SignInReply& reply) const;
  void fillSnapshot(const domain::Principal& principal, v1::Snapshot& snapshot) const;

  // A signed-in connection receives the events its principal may see.
  void subscribe(Connection* connection, const domain::Principal& principal, Outbox& outbox);
  void unsubscribe(Connection* connection);
  std::size_t subscriberCount() const { return subscribers_.size(); }

  std::shared_ptr<const std::string> frame(std::string_view payload) const { return framer_(payload); }

  // Pushes a frame outside the event sequence (not journaled, not resumed) to
  // every subscriber for which `pick` returns one; `pick` sees role and account
  // and may run later (the push goes out in slices).
  using LivePick = std::function<std::shared_ptr<const std::string>(domain::Role, std::uint32_t)>;
  void pushLive(LivePick pick, std::size_t from = 0);

  // The delegates eligible for a ballot as pending state knows them, for event audiences.
  Audience ballotAudience(domain::RoleSet roles, std::uint32_t ballotId) const;
  // Live progress of an open ballot changed (a vote became durable): pushed, coalesced.
  void ballotProgressChanged(std::uint32_t ballotId);

 private:
  struct RecentEvent {
    std::uint64_t seq;
    Audience audience;
    std::shared_ptr<const std::string> frame;  // ServerMessage{event}, framed
  };
  void onDurable(const std::vector<JournalEvent>& events, const std::vector<domain::Change>& changes);
  void remember(const JournalEvent& event);
  void flushBallotProgress();

  HallOptions options_;
  const Clock& clock_;
  Journal& journal_;
  BlockingWork& blockingWork_;
  Timers& timers_;
  Framer framer_;
  Metrics metrics_;

  domain::HallState committed_;
  domain::HallState pending_;
  auth::Directory directory_;
  auth::SignInLimiter signInLimiter_;
  std::unordered_map<std::string, domain::StoredSession> sessions_;  // by token hash; durable ones only

  std::uint64_t pendingSeq_ = 0;
  Sha256 pendingHash_{};
  std::uint64_t committedSeq_ = 0;
  std::uint64_t commitsInFlight_ = 0;

  std::deque<RecentEvent> recent_;
  // Contiguous, with what the audience check needs inline: a broadcast to
  // thousands of sessions walks this array without chasing pointers.
  struct Subscriber {
    domain::Role role;
    std::uint32_t accountId;
    Outbox* outbox;
    Connection* connection;
  };
  std::vector<Subscriber> subscribers_;
  std::unordered_map<Connection*, std::size_t> subscriberIndex_;
  // Delegates' connections by delegate id: an event for one delegate alone (a
  // recorded vote) goes straight to its sessions instead of a walk over all.
  std::unordered_multimap<std::uint32_t, Connection*> delegateConnections_;

  FaceDesk faceDesk_;
  FaceEngine* faceEngine_ = nullptr;
  Archive* archive_ = nullptr;
  DocumentDesk documentDesk_;
  DocumentWork* documentWork_ = nullptr;

  std::vector<std::uint32_t> progressDirty_;  // ballots whose progress changed since the last push
  bool progressFlushScheduled_ = false;
};

}  // namespace daihoi::protocol
