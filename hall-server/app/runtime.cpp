#include "app/runtime.hpp"

#include <stdexcept>

namespace daihoi::app {

protocol::HallSeed loadSeed(store::Store& store, const Clock& clock, std::size_t recentCapacity) {
  auto congress = store.loadCongress();
  if (!congress) {
    throw std::runtime_error("the database has no congress yet: create one with `hall-server init-demo` or `init`");
  }
  protocol::HallSeed seed;
  seed.congress = std::move(*congress);
  seed.roster = store.loadRoster();
  seed.present = store.loadPresent();
  auto directory = auth::Directory::build(store.loadStaff(), store.loadDevices(), store.loadDelegateCredentials(),
                                          seed.roster);
  if (!directory) throw std::runtime_error("stored accounts are inconsistent: " + directory.error().message);
  seed.directory = std::move(directory.value());
  seed.sessions = store.loadSessions(clock.nowMs());
  seed.votingRules = store.loadVotingRules();
  seed.ballots = store.loadBallots();
  seed.countingCommittee = store.loadCountingCommittee();
  seed.facePhotos = store.loadFacePhotos();
  seed.sittings = store.loadSittings();
  seed.rollCalls = store.loadRollCallCount();
  seed.documents = store.loadDocuments();  // contributions with their latest decision applied
  seed.discussionGroups = store.loadDiscussionGroups();
  seed.comments = store.loadComments();  // ascending ids, current marks
  seed.documentReads = store.loadDocumentReads();
  const store::ChainHead head = store.chainHead();
  seed.headSeq = head.seq;
  seed.headHash = head.hash;
  const std::uint64_t from = head.seq > recentCapacity ? head.seq - recentCapacity : 0;
  for (auto& row : store.loadEvents(from, recentCapacity)) {
    protocol::Audience audience{domain::RoleSet::fromBits(row.audienceRoles), row.audienceDelegate};
    audience.ballotId = row.audienceBallot;  // the hall resolves the ballot's eligible list
    audience.documentId = row.audienceDocument;  // and the document's readers
    audience.commentId = row.audienceComment;    // and the readers of the comment's thread
    seed.recentEvents.push_back(protocol::JournalEvent{row.seq, row.timeMs, std::move(audience), std::move(row.body), row.hash});
  }
  return seed;
}

}  // namespace daihoi::app
