// Voting: drafting, opening, casting, closing, confirming, publishing and
// cancelling ballots; results, named lists, progress, receipts and rules.
#include <algorithm>
#include <cstring>

#include "common/bytes.hpp"
#include "protocol/ballot_wire.hpp"
#include "protocol/ballots.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

using domain::BallotMode;
using domain::BallotState;
using domain::BallotStatus;
using domain::Role;
using domain::RoleSet;

constexpr RoleSet kStaff{Role::Chair, Role::Secretary, Role::Organizer};
constexpr RoleSet kBallotWatchers{Role::Chair, Role::Secretary, Role::Organizer, Role::Display};
constexpr std::size_t kMinClientVoteId = 16;
constexpr std::size_t kMaxClientVoteId = 128;

// Who learns of a change to a ballot: staff alone while it is a draft, then
// also the hall display and the delegates eligible for it.
Audience updateAudience(const Hall& hall, const BallotState& ballot) {
  if (ballot.openedMs == 0) return Audience{kStaff};
  return hall.ballotAudience(kBallotWatchers, ballot.definition.id);
}

// What stages and emits: a Request, or the hall itself acting on a deadline.
class SystemAction {
 public:
  explicit SystemAction(Hall& hall) : hall_(hall) {}
  void stage(domain::Change change) {
    hall_.stageChange(change);
    staged_.changes.push_back(std::move(change));
  }
  v1::Event& emit(Audience audience) {
    staged_.events.emplace_back(v1::Event{}, std::move(audience));
    return staged_.events.back().first;
  }
  void commit() { hall_.commit(std::move(staged_), nullptr); }

 private:
  Hall& hall_;
  Hall::Staged staged_;
};

template <class Action>
void emitBallotUpdated(Action& action, const Hall& hall, std::uint32_t ballotId, const domain::Principal* by) {
  const BallotState& ballot = *hall.pending().ballots().find(ballotId);
  auto& event = *action.emit(updateAudience(hall, ballot)).mutable_ballot_updated();
  toWire(ballot, hall.pending().ballots().confirmationsNeeded(ballot), *event.mutable_ballot());
  if (by != nullptr) toWire(*by, *event.mutable_by());
}

// Closing stops acceptance at once: the pending state says closed, so a vote
// handled after this gets "ballot closed"; every vote staged before it is
// committed before it (the journal keeps order) and counted.
template <class Action>
void stageClose(Action& action, Hall& hall, std::uint32_t ballotId, const domain::Principal* by, bool byDeadline) {
  action.stage(domain::BallotClosed{ballotId, hall.clock().nowMs(), byDeadline});
  emitBallotUpdated(action, hall, ballotId, by);
}

void scheduleDeadline(Hall& hall, std::uint32_t ballotId, std::int64_t deadlineMs) {
  const std::int64_t wait = std::max<std::int64_t>(0, deadlineMs - hall.clock().nowMs());
  hall.timers().after(std::chrono::milliseconds(wait), [&hall, ballotId, deadlineMs] {
    const BallotState* ballot = hall.pending().ballots().find(ballotId);
    if (ballot == nullptr || ballot->status != BallotStatus::Open || ballot->deadlineMs != deadlineMs) return;
    if (hall.clock().nowMs() < deadlineMs) {
      scheduleDeadline(hall, ballotId, deadlineMs);  // the timer fired early against the hall's clock
      return;
    }
    SystemAction action(hall);
    stageClose(action, hall, ballotId, nullptr, true);
    action.commit();
  });
}

// The ballot named by a request, or an error reply.
const BallotState* findBallot(Request& request, std::uint32_t ballotId) {
  const BallotState* ballot = request.hall().pending().ballots().find(ballotId);
  if (ballot == nullptr) request.fail(v1::ERROR_NOT_FOUND, "no ballot " + std::to_string(ballotId));
  return ballot;
}

bool requireStatus(Request& request, const BallotState& ballot, std::initializer_list<BallotStatus> allowed,
                   std::string_view action) {
  if (std::find(allowed.begin(), allowed.end(), ballot.status) != allowed.end()) return true;
  request.fail(v1::ERROR_FAILED_PRECONDITION, "cannot " + std::string(action) + " a ballot that is " +
                                                  std::string(domain::statusName(ballot.status)));
  return false;
}

void replyBallot(Request& request, std::uint32_t ballotId) {
  Hall& hall = request.hall();
  const BallotState& ballot = *hall.pending().ballots().find(ballotId);
  v1::Response response;
  auto& reply = *response.mutable_ballot();
  toWire(ballot, hall.pending().ballots().confirmationsNeeded(ballot), *reply.mutable_ballot());
  reply.set_seq(request.lastEmittedSeq());
  request.commitAndReply(std::move(response));
}

void stageDraft(Request& request, domain::BallotDefinition definition) {
  Hall& hall = request.hall();
  if (auto problem = domain::definitionProblem(definition)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, *problem);
    return;
  }
  definition.id = hall.pending().ballots().nextId();
  const std::uint32_t id = definition.id;
  request.stage(domain::BallotDrafted{std::move(definition), hall.clock().nowMs()});
  const domain::Principal& by = request.principal();
  emitBallotUpdated(request, hall, id, &by);
  replyBallot(request, id);
}

domain::Principal delegatePrincipal(const domain::Roster& roster, std::uint32_t delegateId) {
  domain::Principal principal;
  principal.role = Role::Delegate;
  principal.accountId = delegateId;
  if (const domain::Delegate* delegate = roster.findById(delegateId)) {
    principal.displayName = delegate->fullName;
    principal.login = delegate->code;
  }
  return principal;
}

void resultToWire(const domain::HallState& state, const BallotState& ballot, v1::BallotResult& out) {
  toWire(ballot, state.ballots().confirmationsNeeded(ballot), *out.mutable_ballot());
  if (ballot.tally) toWire(*ballot.tally, *out.mutable_tally());
  for (std::uint32_t id : ballot.confirmedBy) toWire(delegatePrincipal(state.roster(), id), *out.add_confirmed_by());
}

// The receipt is derived from the terminal's random client_vote_id, so a
// retry gets the same one and the server never stores it: only its hash sits
// beside the contents, where it joins to no voter.
std::string receiptFor(std::uint32_t ballotId, std::string_view clientVoteId) {
  std::string prefix = "daihoi-receipt-v1:" + std::to_string(ballotId) + ":";
  const Sha256 digest = sha256(prefix, clientVoteId);
  return base64Url(std::string_view(reinterpret_cast<const char*>(digest.data()), 16));
}

domain::ReceiptHash receiptHash(std::string_view receipt) { return std::string(asBytes(sha256(receipt))); }

void replyVote(Request& request, std::uint32_t ballotId, std::string receipt, bool replaced, bool repeated) {
  v1::Response response;
  auto& reply = *response.mutable_cast_vote();
  reply.set_ballot_id(ballotId);
  reply.set_receipt(std::move(receipt));
  reply.set_replaced(replaced);
  reply.set_repeated(repeated);
  if (repeated) {
    reply.set_seq(request.hall().pendingSeq());
    request.replyAfterPending(std::move(response));
    return;
  }
  reply.set_seq(request.lastEmittedSeq());
  Hall& hall = request.hall();
  const std::uint64_t requestId = request.id();
  auto shared = std::make_shared<v1::Response>(std::move(response));
  request.commitThen([requestId, shared](Connection& connection) { connection.reply(requestId, std::move(*shared)); },
                     // Progress counts what is durable, whether or not the voter is still connected.
                     [&hall, ballotId] {
                       ++hall.metrics().votesAccepted;
                       hall.ballotProgressChanged(ballotId);
                     });
}

}  // namespace

// ---------------------------------------------------------------- views

bool mayView(const BallotState& ballot, Role role, std::uint32_t accountId) {
  switch (role) {
    case Role::Chair:
    case Role::Secretary:
    case Role::Organizer: return true;
    case Role::Display: return ballot.openedMs != 0 || ballot.status == BallotStatus::Published;
    case Role::Delegate: return ballot.status == BallotStatus::Published || ballot.isEligible(accountId);
    case Role::Kiosk: return false;
  }
  return false;
}

void ballotView(const domain::HallState& state, const BallotState& ballot, const domain::Principal& principal,
                v1::Ballot& out) {
  toWire(ballot, state.ballots().confirmationsNeeded(ballot), out);
  if (principal.role == Role::Delegate) {
    out.set_you_are_eligible(ballot.isEligible(principal.accountId));
    out.set_you_have_voted(ballot.hasVoted(principal.accountId));
  }
}

void ballotsToSnapshot(const domain::HallState& state, const domain::Principal& principal, v1::Snapshot& out) {
  for (const auto& [id, ballot] : state.ballots().all()) {
    if (mayView(ballot, principal.role, principal.accountId)) ballotView(state, ballot, principal, *out.add_ballots());
  }
  if (principal.role != Role::Kiosk) {
    for (std::uint32_t id : state.ballots().countingCommittee()) out.add_counting_committee(id);
    toWire(state.ballots().preset(), state.ballots().rules(), *out.mutable_voting_rules());
  }
}

void resumeBallotDeadlines(Hall& hall) {
  for (const auto& [id, ballot] : hall.pending().ballots().all()) {
    if (ballot.status == BallotStatus::Open && ballot.deadlineMs != 0) scheduleDeadline(hall, id, ballot.deadlineMs);
  }
}

// ---------------------------------------------------------------- lifecycle

void handleCreateBallot(Request& request) {
  domain::BallotDefinition definition;
  if (auto problem = draftFromWire(request.message().create_ballot().draft(),
                                   request.hall().pending().ballots().rules(), definition)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, *problem);
    return;
  }
  stageDraft(request, std::move(definition));
}

void handleCreateRunoff(Request& request) {
  const BallotState* original = findBallot(request, request.message().create_runoff().ballot_id());
  if (original == nullptr) return;
  if (!requireStatus(request, *original, {BallotStatus::Closed, BallotStatus::Published}, "hold a further round of")) {
    return;
  }
  std::optional<domain::BallotDefinition> runoff;
  if (original->definition.kind == domain::BallotKind::Election && original->tally) {
    runoff = domain::runoffDefinition(original->definition, *original->tally);
  }
  if (!runoff) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "this ballot needs no further round: every seat is filled");
    return;
  }
  stageDraft(request, std::move(*runoff));
}

void handleOpenBallot(Request& request) {
  const auto& in = request.message().open_ballot();
  Hall& hall = request.hall();
  const BallotState* ballot = findBallot(request, in.ballot_id());
  if (ballot == nullptr || !requireStatus(request, *ballot, {BallotStatus::Draft}, "open")) return;
  const auto& attendance = hall.pending().attendance();
  const domain::AttendanceTotals totals = attendance.totals();
  if (ballot->definition.requireCongressQuorum && !totals.quorumReached) {
    request.fail(v1::ERROR_NO_QUORUM, "the congress does not have its quorum: " + std::to_string(totals.presentVoting) +
                                          " voting delegates present, " + std::to_string(totals.quorumRequired) +
                                          " required");
    return;
  }
  // Eligible: delegates with a voting right present now. Later arrivals do
  // not vote in this ballot; the list is fixed with the opening.
  std::vector<std::uint32_t> eligible;
  for (std::uint32_t id : attendance.presentIds()) {
    const domain::Delegate* delegate = hall.pending().roster().findById(id);
    if (delegate != nullptr && delegate->voting) eligible.push_back(id);
  }
  if (eligible.empty()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "no delegate with a voting right is present");
    return;
  }
  if (in.duration_ms() > static_cast<std::uint64_t>(30LL * 24 * 3600 * 1000)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "a ballot cannot stay open longer than 30 days");
    return;
  }
  const std::int64_t now = hall.clock().nowMs();
  const std::int64_t duration = in.duration_ms() != 0 ? static_cast<std::int64_t>(in.duration_ms())
                                                      : ballot->definition.durationMs;
  const std::int64_t deadline = duration > 0 ? now + duration : 0;
  const std::uint32_t id = ballot->definition.id;
  request.stage(domain::BallotOpened{id, now, deadline, std::move(eligible), totals.summoned});
  const domain::Principal& by = request.principal();
  emitBallotUpdated(request, hall, id, &by);
  if (deadline != 0) scheduleDeadline(hall, id, deadline);
  replyBallot(request, id);
}

void handleCloseBallot(Request& request) {
  const BallotState* ballot = findBallot(request, request.message().close_ballot().ballot_id());
  if (ballot == nullptr || !requireStatus(request, *ballot, {BallotStatus::Open}, "close")) return;
  const std::uint32_t id = ballot->definition.id;
  const domain::Principal& by = request.principal();
  stageClose(request, request.hall(), id, &by, false);
  replyBallot(request, id);
}

void handleConfirmTally(Request& request) {
  Hall& hall = request.hall();
  const BallotState* ballot = findBallot(request, request.message().confirm_tally().ballot_id());
  if (ballot == nullptr) return;
  const std::uint32_t delegateId = request.principal().accountId;
  if (!hall.pending().ballots().inCountingCommittee(delegateId)) {
    request.fail(v1::ERROR_PERMISSION_DENIED, "only members of the counting committee confirm a tally");
    return;
  }
  if (!requireStatus(request, *ballot, {BallotStatus::Closed}, "confirm the tally of")) return;
  if (std::find(ballot->confirmedBy.begin(), ballot->confirmedBy.end(), delegateId) != ballot->confirmedBy.end()) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "you have already confirmed this tally");
    return;
  }
  const std::uint32_t id = ballot->definition.id;
  request.stage(domain::TallyConfirmed{id, delegateId, hall.clock().nowMs()});
  const domain::Principal& by = request.principal();
  emitBallotUpdated(request, hall, id, &by);
  replyBallot(request, id);
}

void handlePublishBallot(Request& request) {
  Hall& hall = request.hall();
  const BallotState* ballot = findBallot(request, request.message().publish_ballot().ballot_id());
  if (ballot == nullptr || !requireStatus(request, *ballot, {BallotStatus::Closed}, "publish")) return;
  const std::uint32_t needed = hall.pending().ballots().confirmationsNeeded(*ballot);
  if (ballot->confirmedBy.size() < needed) {
    request.fail(v1::ERROR_NOT_CONFIRMED, "the counting committee has confirmed " +
                                              std::to_string(ballot->confirmedBy.size()) + " of the " +
                                              std::to_string(needed) + " confirmations needed");
    return;
  }
  const std::uint32_t id = ballot->definition.id;
  request.stage(domain::BallotPublished{id, hall.clock().nowMs()});
  // The whole count goes into the hash-chained log and to every terminal at once.
  auto& event = *request.emit(Audience{RoleSet::all()}).mutable_ballot_published();
  resultToWire(hall.pending(), *hall.pending().ballots().find(id), *event.mutable_result());
  toWire(request.principal(), *event.mutable_by());
  replyBallot(request, id);
}

void handleCancelBallot(Request& request) {
  const auto& in = request.message().cancel_ballot();
  Hall& hall = request.hall();
  const BallotState* ballot = findBallot(request, in.ballot_id());
  if (ballot == nullptr || !requireStatus(request, *ballot, {BallotStatus::Draft, BallotStatus::Open}, "cancel")) {
    return;
  }
  if (in.reason().find_first_not_of(" \t\r\n") == std::string::npos) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "a reason is required to cancel a ballot");
    return;
  }
  const std::uint32_t id = ballot->definition.id;
  request.stage(domain::BallotCancelled{id, hall.clock().nowMs(), in.reason()});
  const domain::Principal& by = request.principal();
  emitBallotUpdated(request, hall, id, &by);
  replyBallot(request, id);
}

// ---------------------------------------------------------------- casting

void handleCastVote(Request& request) {
  const auto& in = request.message().cast_vote();
  const BallotState* ballot = findBallot(request, in.ballot_id());
  if (ballot == nullptr) return;
  if (ballot->status == BallotStatus::Draft) {
    request.fail(v1::ERROR_BALLOT_NOT_OPEN, "the ballot has not been opened yet");
    return;
  }
  // The voter is always the session's own delegate: nobody votes for anyone else.
  const std::uint32_t voter = request.principal().accountId;
  const std::string& clientVoteId = in.client_vote_id();
  if (clientVoteId.size() < kMinClientVoteId || clientVoteId.size() > kMaxClientVoteId) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "client_vote_id must be 16 to 128 bytes of random text");
    return;
  }
  const std::uint32_t id = ballot->definition.id;
  std::string receipt = receiptFor(id, clientVoteId);
  domain::ReceiptHash hash = receiptHash(receipt);
  const bool secret = ballot->definition.mode == BallotMode::Secret;
  // A retry of a vote already recorded gets the same acknowledgement, also
  // when the ballot has closed since: the vote was taken.
  const bool voted = ballot->hasVoted(voter);
  if (voted && (secret ? ballot->receipts.count(hash) != 0 : ballot->named.at(voter).receiptHash == hash)) {
    replyVote(request, id, std::move(receipt), false, true);
    return;
  }
  if (ballot->status != BallotStatus::Open) {
    request.fail(v1::ERROR_BALLOT_CLOSED, "the ballot is " + std::string(domain::statusName(ballot->status)) +
                                              ": the vote was not taken");
    return;
  }
  if (!ballot->isEligible(voter)) {
    request.fail(v1::ERROR_NOT_ELIGIBLE,
                 "you were not eligible when this ballot opened (present with a voting right)");
    return;
  }
  if (voted && !ballot->definition.allowChanges) {
    request.fail(v1::ERROR_ALREADY_VOTED, "you have already voted in this ballot; it does not allow changes");
    return;
  }
  if (ballot->receipts.count(hash) != 0) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "this client_vote_id was already used: send a new random one");
    return;
  }
  const std::vector<std::uint32_t> choices(in.choices().begin(), in.choices().end());
  if (auto problem = domain::checkChoices(ballot->definition, choices)) {
    request.fail(*problem == domain::ChoiceProblem::TooMany ? v1::ERROR_TOO_MANY_CHOICES : v1::ERROR_INVALID_CHOICES,
                 std::string(domain::choiceProblemText(*problem)));
    return;
  }
  request.stage(domain::VoteCast{id, voter, domain::canonicalChoices(choices), std::move(hash), secret, voted});
  // The log records participation, never choices.
  auto& event = *request.emit(Audience{RoleSet{}, voter}).mutable_vote_recorded();
  event.set_ballot_id(id);
  event.set_delegate_id(voter);
  replyVote(request, id, std::move(receipt), voted, false);
}

void handleVerifyReceipt(Request& request) {
  const auto& in = request.message().verify_receipt();
  const BallotState* ballot = request.hall().pending().ballots().find(in.ballot_id());
  const domain::Principal& principal = request.principal();
  if (ballot == nullptr || !mayView(*ballot, principal.role, principal.accountId)) {
    request.fail(v1::ERROR_NOT_FOUND, "no ballot " + std::to_string(in.ballot_id()));
    return;
  }
  v1::Response response;
  response.mutable_verify_receipt()->set_counted(ballot->receipts.count(receiptHash(in.receipt())) != 0);
  request.replyAfterPending(std::move(response));
}

// ---------------------------------------------------------------- reading

void handleListBallots(Request& request) {
  const domain::HallState& state = request.hall().committed();
  const domain::Principal& principal = request.principal();
  v1::Response response;
  auto& reply = *response.mutable_ballots();
  for (const auto& [id, ballot] : state.ballots().all()) {
    if (mayView(ballot, principal.role, principal.accountId)) ballotView(state, ballot, principal, *reply.add_ballots());
  }
  for (std::uint32_t id : state.ballots().countingCommittee()) reply.add_counting_committee(id);
  request.commitAndReply(std::move(response));
}

void handleGetBallotResult(Request& request) {
  const domain::HallState& state = request.hall().committed();
  const std::uint32_t id = request.message().get_ballot_result().ballot_id();
  const BallotState* ballot = state.ballots().find(id);
  const domain::Principal& principal = request.principal();
  if (ballot == nullptr || !mayView(*ballot, principal.role, principal.accountId)) {
    request.fail(v1::ERROR_NOT_FOUND, "no ballot " + std::to_string(id));
    return;
  }
  if (ballot->status != BallotStatus::Closed && ballot->status != BallotStatus::Published) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "nobody sees a result before the ballot closes");
    return;
  }
  // Before publication only the chair, the secretariat, the organizers and
  // the counting committee see the tally.
  const bool staff = kStaff.contains(principal.role);
  const bool committee =
      principal.role == Role::Delegate && state.ballots().inCountingCommittee(principal.accountId);
  if (ballot->status == BallotStatus::Closed && !staff && !committee) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "the result has not been published yet");
    return;
  }
  v1::Response response;
  resultToWire(state, *ballot, *response.mutable_ballot_result());
  request.commitAndReply(std::move(response));
}

void handleGetNamedVotes(Request& request) {
  const domain::HallState& state = request.hall().committed();
  const std::uint32_t id = request.message().get_named_votes().ballot_id();
  const BallotState* ballot = state.ballots().find(id);
  const domain::Principal& principal = request.principal();
  if (ballot == nullptr || !mayView(*ballot, principal.role, principal.accountId)) {
    request.fail(v1::ERROR_NOT_FOUND, "no ballot " + std::to_string(id));
    return;
  }
  if (ballot->definition.mode == BallotMode::Secret) {
    request.fail(v1::ERROR_FAILED_PRECONDITION, "a secret ballot has no named votes");
    return;
  }
  const bool staff = kStaff.contains(principal.role);
  if (!(ballot->status == BallotStatus::Published || (staff && ballot->status == BallotStatus::Closed))) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 staff ? "named votes are available once the ballot is closed"
                       : "named votes are published with the result");
    return;
  }
  v1::Response response;
  auto& reply = *response.mutable_named_votes();
  toWire(*ballot, state.ballots().confirmationsNeeded(*ballot), *reply.mutable_ballot());
  std::vector<const domain::Delegate*> eligible;
  for (std::uint32_t delegateId : *ballot->eligible) {
    if (const domain::Delegate* delegate = state.roster().findById(delegateId)) eligible.push_back(delegate);
  }
  std::sort(eligible.begin(), eligible.end(), [](const domain::Delegate* a, const domain::Delegate* b) {
    return std::tie(a->seat.row, a->seat.column, a->id) < std::tie(b->seat.row, b->seat.column, b->id);
  });
  for (const domain::Delegate* delegate : eligible) {
    auto& row = *reply.add_votes();
    row.set_delegate_id(delegate->id);
    row.set_delegate_code(delegate->code);
    row.set_full_name(delegate->fullName);
    if (const domain::Delegation* delegation = state.roster().findDelegation(delegate->delegationId)) {
      row.set_delegation(delegation->name);
    }
    row.set_seat(delegate->seat.label);
    if (auto vote = ballot->named.find(delegate->id); vote != ballot->named.end()) {
      row.set_voted(true);
      for (std::uint32_t choice : vote->second.choices) row.add_choices(choice);
    }
  }
  request.commitAndReply(std::move(response));
}

void handleGetBallotProgress(Request& request) {
  const domain::HallState& state = request.hall().committed();
  const std::uint32_t id = request.message().get_ballot_progress().ballot_id();
  const BallotState* ballot = state.ballots().find(id);
  const domain::Principal& principal = request.principal();
  if (ballot == nullptr || !mayView(*ballot, principal.role, principal.accountId)) {
    request.fail(v1::ERROR_NOT_FOUND, "no ballot " + std::to_string(id));
    return;
  }
  v1::Response response;
  auto& progress = *response.mutable_ballot_progress();
  progress.set_ballot_id(id);
  progress.set_eligible(static_cast<std::uint32_t>(ballot->eligible->size()));
  progress.set_votes_cast(static_cast<std::uint32_t>(ballot->voted.size()));
  if (principal.role == Role::Chair || principal.role == Role::Secretary) {
    std::vector<std::uint32_t> voted(ballot->voted.begin(), ballot->voted.end());
    std::sort(voted.begin(), voted.end());
    for (std::uint32_t delegateId : voted) progress.add_voted_delegate_ids(delegateId);
  }
  request.commitAndReply(std::move(response));
}

// ---------------------------------------------------------------- committee and rules

void handleAppointCountingCommittee(Request& request) {
  Hall& hall = request.hall();
  const auto& codes = request.message().appoint_counting_committee().delegate_codes();
  std::vector<std::uint32_t> ids;
  for (const std::string& code : codes) {
    const domain::Delegate* delegate = hall.pending().roster().findByCode(code);
    if (delegate == nullptr) {
      request.fail(v1::ERROR_NOT_FOUND, "no delegate with code '" + code + "'");
      return;
    }
    ids.push_back(delegate->id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto& [id, ballot] : hall.pending().ballots().all()) {
    if (ballot.status == BallotStatus::Closed && !ballot.confirmedBy.empty()) {
      request.fail(v1::ERROR_FAILED_PRECONDITION, "ballot " + std::to_string(id) +
                                                      " is being confirmed: publish it before changing the committee");
      return;
    }
  }
  request.stage(domain::CountingCommitteeAppointed{ids});
  auto& event = *request.emit(Audience{kStaff | RoleSet{Role::Delegate}}).mutable_counting_committee_appointed();
  for (std::uint32_t id : ids) event.add_delegate_ids(id);
  toWire(request.principal(), *event.mutable_by());
  v1::Response response;
  auto& reply = *response.mutable_ballots();
  for (std::uint32_t id : ids) reply.add_counting_committee(id);
  request.commitAndReply(std::move(response));
}

void handleSetVotingRules(Request& request) {
  domain::VotingRulesChosen chosen;
  if (auto problem = rulesFromWire(request.message().set_voting_rules(), chosen)) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, *problem);
    return;
  }
  v1::Response response;
  toWire(chosen.preset, chosen.rules, *response.mutable_voting_rules());
  auto& event = *request.emit(Audience{kStaff}).mutable_voting_rules_changed();
  *event.mutable_rules() = response.voting_rules();
  toWire(request.principal(), *event.mutable_by());
  request.stage(std::move(chosen));
  request.commitAndReply(std::move(response));
}

void handleGetVotingRules(Request& request) {
  const auto& ballots = request.hall().committed().ballots();
  v1::Response response;
  toWire(ballots.preset(), ballots.rules(), *response.mutable_voting_rules());
  request.commitAndReply(std::move(response));
}

}  // namespace daihoi::protocol
