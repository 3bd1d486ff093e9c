#include "protocol/hall.hpp"

#include <algorithm>

#include "protocol/ballots.hpp"
#include "protocol/connection.hpp"
#include "protocol/face_handlers.hpp"
#include "protocol/wire.hpp"
#include "auth/tokens.hpp"
#include "common/chain.hpp"
#include "protocol/discussion_wire.hpp"
#include "protocol/document_wire.hpp"

namespace daihoi::protocol {

namespace {
std::shared_ptr<const std::string> eventFrame(const Framer& framer, const std::string& eventBody) {
  // ServerMessage{event} encodes as field 2's key (0x12), the length as a
  // varint, then the event's own bytes: the stored body is reused as it is.
  std::string payload;
  payload.reserve(eventBody.size() + 6);
  payload.push_back('\x12');
  std::uint64_t length = eventBody.size();
  while (length >= 0x80) {
    payload.push_back(static_cast<char>((length & 0x7F) | 0x80));
    length >>= 7;
  }
  payload.push_back(static_cast<char>(length));
  payload += eventBody;
  return framer(payload);
}
}  // namespace

Hall::Hall(HallOptions options, const Clock& clock, HallSeed seed, Journal& journal, BlockingWork& blockingWork,
           Timers& timers, Framer framer)
    : options_(std::move(options)),
      clock_(clock),
      journal_(journal),
      blockingWork_(blockingWork),
      timers_(timers),
      framer_(std::move(framer)),
      committed_(std::move(seed.congress), std::make_shared<const domain::Roster>(std::move(seed.roster))),
      pending_(committed_),
      directory_(std::move(seed.directory)),
      signInLimiter_(clock),
      pendingSeq_(seed.headSeq),
      pendingHash_(seed.headHash),
      committedSeq_(seed.headSeq),
      faceDesk_(options_.face),
      documentDesk_(options_.documents) {
  for (domain::HallState* state : {&committed_, &pending_}) {
    domain::DocumentLibrary& library = state->documentsForLoading();
    for (const domain::Document& document : seed.documents) {
      for (const domain::DocumentVersionInfo& version : document.versions) library.addVersion(document, version);
    }
  }
  for (domain::HallState* state : {&committed_, &pending_}) {
    state->apply(domain::DiscussionGroupsSet{seed.discussionGroups});
    for (const domain::Comment& comment : seed.comments) state->apply(domain::CommentAdded{comment});
    for (const domain::DocumentOpened& opened : seed.documentReads) state->apply(opened);
  }
  committed_.loadSittings(seed.sittings, seed.rollCalls);
  pending_.loadSittings(std::move(seed.sittings), seed.rollCalls);
  faceDesk_.load(committed_.roster(), std::move(seed.facePhotos));
  for (std::uint32_t id : seed.present) {
    domain::AttendanceRecorded present;
    present.delegateId = id;
    present.present = true;
    committed_.apply(present);
    pending_.apply(present);
  }
  for (auto& session : seed.sessions) {
    std::string key = session.tokenHash;
    sessions_.emplace(std::move(key), std::move(session));
  }
  for (domain::HallState* state : {&committed_, &pending_}) {
    domain::BallotBook& book = state->ballotsForLoading();
    book.restoreRules(seed.votingRules.preset, seed.votingRules.rules);
    book.restoreCountingCommittee(seed.countingCommittee);
    for (const auto& ballot : seed.ballots) book.restore(ballot);
  }
  for (auto& event : seed.recentEvents) {
    if (event.audience.ballotId != 0) {
      const domain::BallotState* ballot = committed_.ballots().find(event.audience.ballotId);
      if (ballot != nullptr) event.audience.members = ballot->eligible;
    }
    if (const domain::Document* document = committed_.documents().find(event.audience.documentId)) {
      event.audience = documentAudience(*document);
    }
    if (const domain::Comment* comment = committed_.comments().find(event.audience.commentId)) {
      event.audience = commentAudience(*comment);
    }
    remember(event);
  }
  resumeBallotDeadlines(*this);
  scheduleThumbnailExpiry(*this);
}

const domain::StoredSession* Hall::findSession(const std::string& tokenHash) const {
  auto it = sessions_.find(tokenHash);
  return it == sessions_.end() ? nullptr : &it->second;
}

std::uint64_t Hall::commit(Staged staged, std::function<void()> onDurable) {
  std::vector<JournalEvent> events;
  events.reserve(staged.events.size());
  const std::int64_t now = clock_.nowMs();
  for (auto& [event, audience] : staged.events) {
    event.set_seq(++pendingSeq_);
    event.set_time_ms(now);
    JournalEvent record;
    record.seq = pendingSeq_;
    record.timeMs = now;
    record.audience = audience;
    record.body = event.SerializeAsString();
    record.hash = chainHash(pendingHash_, record.body);
    pendingHash_ = record.hash;
    events.push_back(std::move(record));
  }
  ++commitsInFlight_;
  metrics_.commitsInFlight = commitsInFlight_;
  // The journal keeps the events and changes alive until durable; the hall
  // needs them again afterwards, so they travel inside the callback.
  auto kept = std::make_shared<std::pair<std::vector<JournalEvent>, std::vector<domain::Change>>>(
      events, staged.changes);
  journal_.append(std::move(events), std::move(staged.changes),
                  [this, kept, done = std::move(onDurable)] {
                    this->onDurable(kept->first, kept->second);
                    if (done) done();
                  });
  return pendingSeq_;
}

void Hall::afterPendingDurable(std::function<void()> fn) {
  if (commitsInFlight_ == 0) {
    fn();
    return;
  }
  // An empty commit: the journal completes commits in order, so this one
  // completes after everything staged before it.
  commit({}, std::move(fn));
}

void Hall::onDurable(const std::vector<JournalEvent>& events, const std::vector<domain::Change>& changes) {
  --commitsInFlight_;
  metrics_.commitsInFlight = commitsInFlight_;
  for (const auto& change : changes) {
    if (std::holds_alternative<domain::RosterReplaced>(change)) {
      const auto oldRoster = committed_.rosterPtr();
      committed_.apply(change);
      faceDesk_.rosterReplaced(*oldRoster, committed_.roster());
      continue;
    }
    committed_.apply(change);
    if (const auto* enrolled = std::get_if<domain::FacesEnrolled>(&change)) {
      faceDesk_.apply(committed_.roster(), *enrolled);
    } else if (const auto* opened = std::get_if<domain::SessionOpened>(&change)) {
      domain::StoredSession session{opened->tokenHash, opened->principal, opened->createdMs, opened->expiresMs};
      sessions_.insert_or_assign(opened->tokenHash, std::move(session));
    } else if (const auto* closed = std::get_if<domain::SessionClosed>(&change)) {
      sessions_.erase(closed->tokenHash);
      // Connections still using the session stop receiving anything.
      std::vector<Connection*> usingIt;
      for (const Subscriber& subscriber : subscribers_) {
        if (subscriber.connection->sessionTokenHash() == closed->tokenHash) usingIt.push_back(subscriber.connection);
      }
      for (Connection* connection : usingIt) connection->signedOut();
    }
  }
  for (const auto& event : events) {
    committedSeq_ = event.seq;
    remember(event);
    const auto& frame = recent_.back().frame;
    ++metrics_.eventsBroadcast;
    const Audience& audience = event.audience;
    if (audience.roles.empty() && audience.members == nullptr) {
      auto [first, last] = delegateConnections_.equal_range(audience.delegateId);
      for (auto it = first; it != last; ++it) {
        subscribers_[subscriberIndex_.at(it->second)].outbox->sendFrame(frame);
        ++metrics_.deliveries;
      }
      continue;
    }
    for (const Subscriber& subscriber : subscribers_) {
      if (event.audience.includes(subscriber.role, subscriber.accountId)) {
        subscriber.outbox->sendFrame(frame);
        ++metrics_.deliveries;
      }
    }
  }
}

void Hall::remember(const JournalEvent& event) {
  recent_.push_back(RecentEvent{event.seq, event.audience, eventFrame(framer_, event.body)});
  while (recent_.size() > options_.recentEventCapacity) recent_.pop_front();
}

std::vector<std::shared_ptr<const std::string>> Hall::catchUp(const domain::Principal& principal,
                                                              std::uint64_t lastSeq,
                                                              v1::SignInReply& reply) const {
  reply.set_current_seq(committedSeq_);
  std::vector<std::shared_ptr<const std::string>> frames;
  const bool covered = lastSeq > 0 && lastSeq <= committedSeq_ &&
                       (lastSeq == committedSeq_ || (!recent_.empty() && recent_.front().seq <= lastSeq + 1));
  if (!covered) {
    fillSnapshot(principal, *reply.mutable_snapshot());
    return frames;
  }
  auto first = std::lower_bound(recent_.begin(), recent_.end(), lastSeq + 1,
                                [](const RecentEvent& e, std::uint64_t seq) { return e.seq < seq; });
  for (auto it = first; it != recent_.end(); ++it) {
    if (it->audience.includes(principal)) frames.push_back(it->frame);
  }
  reply.set_missed_events(static_cast<std::uint32_t>(frames.size()));
  return frames;
}

void Hall::pushLive(LivePick pick, std::size_t from) {
  // In slices: a push to thousands of terminals never holds the network thread
  // for long, and requests (votes) run between slices. Subscribers that come or
  // go meanwhile may miss or repeat this one update; the next one is complete.
  const std::size_t end = std::min(subscribers_.size(), from + options_.liveSliceSubscribers);
  for (std::size_t i = from; i < end; ++i) {
    const Subscriber& subscriber = subscribers_[i];
    if (auto frame = pick(subscriber.role, subscriber.accountId)) subscriber.outbox->sendFrame(std::move(frame));
  }
  if (end < subscribers_.size()) {
    timers_.after(std::chrono::milliseconds(0), [this, pick = std::move(pick), end]() mutable {
      pushLive(std::move(pick), end);
    });
  }
}

Audience Hall::ballotAudience(domain::RoleSet roles, std::uint32_t ballotId) const {
  Audience audience{roles};
  audience.ballotId = ballotId;
  if (const domain::BallotState* ballot = pending_.ballots().find(ballotId)) audience.members = ballot->eligible;
  return audience;
}

void Hall::ballotProgressChanged(std::uint32_t ballotId) {
  if (std::find(progressDirty_.begin(), progressDirty_.end(), ballotId) == progressDirty_.end()) {
    progressDirty_.push_back(ballotId);
  }
  if (progressFlushScheduled_) return;
  progressFlushScheduled_ = true;
  const auto interval = subscribers_.size() > options_.crowdedSubscribers ? options_.progressIntervalCrowded
                                                                            : options_.progressInterval;
  timers_.after(interval, [this] { flushBallotProgress(); });
}

void Hall::flushBallotProgress() {
  progressFlushScheduled_ = false;
  std::vector<std::uint32_t> dirty;
  dirty.swap(progressDirty_);
  using domain::Role;
  for (std::uint32_t ballotId : dirty) {
    const domain::BallotState* ballot = committed_.ballots().find(ballotId);
    if (ballot == nullptr) continue;
    // Two frames, each serialised once: counts for everyone, and the per-seat
    // voted list for the chair and the secretariat.
    v1::ServerMessage message;
    auto& progress = *message.mutable_live()->mutable_ballot_progress();
    progress.set_ballot_id(ballotId);
    progress.set_eligible(static_cast<std::uint32_t>(ballot->eligible->size()));
    progress.set_votes_cast(static_cast<std::uint32_t>(ballot->voted.size()));
    const auto counts = framer_(message.SerializeAsString());
    std::vector<std::uint32_t> voted(ballot->voted.begin(), ballot->voted.end());
    std::sort(voted.begin(), voted.end());
    for (std::uint32_t id : voted) progress.add_voted_delegate_ids(id);
    const auto detailed = framer_(message.SerializeAsString());
    // Ballots are never removed from the book, so the pointer stays valid across slices.
    pushLive([ballot, counts, detailed](Role role, std::uint32_t accountId) -> std::shared_ptr<const std::string> {
      if (role == Role::Chair || role == Role::Secretary) return detailed;
      if (role == Role::Kiosk) return nullptr;
      if (role == Role::Delegate && !mayView(*ballot, role, accountId)) return nullptr;
      return counts;
    });
    ++metrics_.liveUpdates;
  }
}

void Hall::fillSnapshot(const domain::Principal& principal, v1::Snapshot& snapshot) const {
  using domain::Role;
  snapshot.set_seq(committedSeq_);
  toWire(committed_.congress(), *snapshot.mutable_congress());
  rosterToWire(committed_.roster(), snapshot);
  const Role role = principal.role;
  const bool seesAttendance =
      role == Role::Chair || role == Role::Secretary || role == Role::Organizer || role == Role::Display;
  if (seesAttendance) {
    attendanceToWire(committed_.attendance(), snapshot);
  } else if (role == Role::Delegate && committed_.attendance().isPresent(principal.accountId)) {
    snapshot.add_present_delegate_ids(principal.accountId);
  }
  ballotsToSnapshot(committed_, principal, snapshot);
  if (const domain::Sitting* sitting = committed_.currentSitting()) toWire(*sitting, *snapshot.mutable_sitting());
  for (const auto& [id, document] : committed_.documents().all()) {
    if (mayRead(document, principal)) toWire(document, *snapshot.add_documents());
  }
  if (role != Role::Kiosk) {
    toWire(committed_.discussionGroups(), *snapshot.mutable_discussion_groups());
    snapshot.set_comment_visibility(static_cast<v1::CommentVisibility>(committed_.discussionGroups().visibility));
  }
}

std::uint32_t Hall::delegationOf(const domain::Principal& principal) const {
  if (principal.role != domain::Role::Delegate) return 0;
  const domain::Delegate* delegate = committed_.roster().findById(principal.accountId);
  return delegate ? delegate->delegationId : 0;
}

bool Hall::mayRead(const domain::Document& document, const domain::Principal& principal) const {
  return domain::mayRead(document, principal, delegationOf(principal));
}

bool Hall::mayReadThread(const domain::Comment& threadStart, const domain::Principal& principal) const {
  return domain::mayReadThread(threadStart, principal, delegationOf(principal), committed_.discussionGroups());
}

Audience Hall::commentAudience(const domain::Comment& comment) const {
  using domain::Role;
  const domain::Comment* threadStart = pending_.comments().find(comment.threadId);
  if (threadStart == nullptr) threadStart = &comment;
  Audience audience{domain::RoleSet{Role::Secretary, Role::Organizer}};
  audience.commentId = comment.id;
  if (threadStart->author.role == Role::Delegate) audience.delegateId = threadStart->author.accountId;
  const domain::Document* document = pending_.documents().find(comment.documentId);
  const domain::DiscussionGroups& groups = pending_.discussionGroups();
  if (document == nullptr || groups.visibility == domain::CommentVisibility::Secretariat) return audience;
  // The delegates who read both the document and the thread.
  auto members = std::make_shared<std::vector<std::uint32_t>>();
  for (const domain::Delegate& delegate : pending_.roster().delegates()) {
    const domain::Principal reader{Role::Delegate, delegate.id, {}, {}};
    if (domain::mayRead(*document, reader, delegate.delegationId) &&
        domain::mayReadThread(*threadStart, reader, delegate.delegationId, groups)) {
      members->push_back(delegate.id);
    }
  }
  std::sort(members->begin(), members->end());
  audience.members = std::move(members);
  return audience;
}

Audience Hall::documentAudience(const domain::Document& document) const {
  using domain::Role;
  const domain::DocumentAudience& readers = document.audience;
  Audience audience{domain::RoleSet{Role::Secretary, Role::Organizer} | readers.roles};
  audience.documentId = document.id;
  if (readers.everyone) {
    audience.roles = audience.roles | domain::RoleSet{Role::Delegate, Role::Chair};
    return audience;
  }
  if (!readers.delegationIds.empty() || !readers.delegateIds.empty()) {
    auto members = std::make_shared<std::vector<std::uint32_t>>();
    for (const domain::Delegate& delegate : pending_.roster().delegates()) {
      if (std::binary_search(readers.delegationIds.begin(), readers.delegationIds.end(), delegate.delegationId) ||
          std::binary_search(readers.delegateIds.begin(), readers.delegateIds.end(), delegate.id)) {
        members->push_back(delegate.id);
      }
    }
    std::sort(members->begin(), members->end());
    audience.members = std::move(members);
  }
  return audience;
}

std::optional<domain::Principal> Hall::principalForToken(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const domain::StoredSession* session = findSession(auth::tokenHash(token));
  if (session == nullptr || session->expiresMs <= clock_.nowMs()) return std::nullopt;
  return session->principal;
}

void Hall::subscribe(Connection* connection, const domain::Principal& principal, Outbox& outbox) {
  if (subscriberIndex_.count(connection) != 0) unsubscribe(connection);
  subscriberIndex_[connection] = subscribers_.size();
  subscribers_.push_back(Subscriber{principal.role, principal.accountId, &outbox, connection});
  if (principal.role == domain::Role::Delegate) delegateConnections_.emplace(principal.accountId, connection);
}

std::optional<FaceUnavailable> Hall::faceUnavailable() const {
  if (faceEngine_ == nullptr) return FaceUnavailable{"face work is not configured on this server"};
  return faceEngine_->unavailable();
}

void Hall::unsubscribe(Connection* connection) {
  faceDesk_.forget(connection);
  auto it = subscriberIndex_.find(connection);
  if (it == subscriberIndex_.end()) return;
  const std::size_t index = it->second;
  subscriberIndex_.erase(it);
  if (subscribers_[index].role == domain::Role::Delegate) {
    auto [first, last] = delegateConnections_.equal_range(subscribers_[index].accountId);
    for (auto d = first; d != last; ++d) {
      if (d->second == connection) {
        delegateConnections_.erase(d);
        break;
      }
    }
  }
  if (index + 1 != subscribers_.size()) {
    subscribers_[index] = subscribers_.back();
    subscriberIndex_[subscribers_[index].connection] = index;
  }
  subscribers_.pop_back();
}

}  // namespace daihoi::protocol
