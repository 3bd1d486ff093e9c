#include "protocol/handlers.hpp"

#include <algorithm>
#include <array>

namespace daihoi::protocol {
namespace {

using domain::Role;
using domain::RoleSet;
using RC = v1::ClientMessage::RequestCase;

constexpr RoleSet kEveryone = RoleSet::all();
constexpr RoleSet kAttendanceViewers{Role::Chair, Role::Secretary, Role::Organizer, Role::Display};
constexpr RoleSet kBallotReaders{Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display};
constexpr RoleSet kDocumentReaders{Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display};
constexpr RoleSet kSecretariat{Role::Secretary, Role::Organizer};
// A delegate submits written contributions (checked by the handlers).
constexpr RoleSet kDocumentAuthors{Role::Delegate, Role::Secretary, Role::Organizer};

// The one place that maps requests to handlers, with the roles each allows.
constexpr std::array kHandlers{
    HandlerSpec{RC::kHello, "Hello", false, kEveryone, handleHello},
    HandlerSpec{RC::kSignIn, "SignIn", false, kEveryone, handleSignIn},
    HandlerSpec{RC::kSignOut, "SignOut", true, kEveryone, handleSignOut},
    HandlerSpec{RC::kGetCongress, "GetCongress", true, kEveryone, handleGetCongress},
    HandlerSpec{RC::kGetRoster, "GetRoster", true, kEveryone, handleGetRoster},
    HandlerSpec{RC::kGetAttendance, "GetAttendance", true, kAttendanceViewers, handleGetAttendance},
    // The secretariat keeps the attendance record by hand.
    HandlerSpec{RC::kCheckIn, "CheckIn", true, {Role::Secretary}, handleCheckIn},
    HandlerSpec{RC::kCheckOut, "CheckOut", true, {Role::Secretary}, handleCheckOut},
    HandlerSpec{RC::kImportRoster, "ImportRoster", true, {Role::Organizer}, handleImportRoster},
    // Voting (docs/VOTING.md): the secretariat drafts, the chair runs the ballot.
    HandlerSpec{RC::kCreateBallot, "CreateBallot", true, {Role::Secretary, Role::Organizer}, handleCreateBallot},
    HandlerSpec{RC::kCreateRunoff, "CreateRunoff", true, {Role::Chair, Role::Secretary}, handleCreateRunoff},
    HandlerSpec{RC::kOpenBallot, "OpenBallot", true, {Role::Chair}, handleOpenBallot},
    HandlerSpec{RC::kCloseBallot, "CloseBallot", true, {Role::Chair}, handleCloseBallot},
    HandlerSpec{RC::kPublishBallot, "PublishBallot", true, {Role::Chair}, handlePublishBallot},
    HandlerSpec{RC::kCancelBallot, "CancelBallot", true, {Role::Chair}, handleCancelBallot},
    // The voter is the session's own delegate: nobody votes for anyone else.
    HandlerSpec{RC::kCastVote, "CastVote", true, {Role::Delegate}, handleCastVote},
    HandlerSpec{RC::kVerifyReceipt, "VerifyReceipt", true, {Role::Delegate}, handleVerifyReceipt},
    // Each handler narrows further: what a role may see of each ballot (protocol/ballots.hpp).
    HandlerSpec{RC::kListBallots, "ListBallots", true, kBallotReaders, handleListBallots},
    HandlerSpec{RC::kGetBallotResult, "GetBallotResult", true, kBallotReaders, handleGetBallotResult},
    HandlerSpec{RC::kGetNamedVotes, "GetNamedVotes", true, kBallotReaders, handleGetNamedVotes},
    HandlerSpec{RC::kGetBallotProgress, "GetBallotProgress", true, kBallotReaders, handleGetBallotProgress},
    // A delegate, and only one appointed to the counting committee (checked by the handler).
    HandlerSpec{RC::kConfirmTally, "ConfirmTally", true, {Role::Delegate}, handleConfirmTally},
    HandlerSpec{RC::kAppointCountingCommittee, "AppointCountingCommittee", true, {Role::Chair},
                handleAppointCountingCommittee},
    HandlerSpec{RC::kSetVotingRules, "SetVotingRules", true, {Role::Organizer}, handleSetVotingRules},
    HandlerSpec{RC::kGetVotingRules, "GetVotingRules", true, kBallotReaders, handleGetVotingRules},
    // Face ID (docs/FACEID.md): only kiosks send frames; organizers enroll photos.
    HandlerSpec{RC::kFaceFrame, "FaceFrame", true, {Role::Kiosk}, handleFaceFrame},
    HandlerSpec{RC::kFaceReset, "FaceReset", true, {Role::Kiosk}, handleFaceReset},
    HandlerSpec{RC::kEnrollFaces, "EnrollFaces", true, {Role::Organizer}, handleEnrollFaces},
    HandlerSpec{RC::kGetFaceEnrollment, "GetFaceEnrollment", true, {Role::Organizer, Role::Secretary},
                handleGetFaceEnrollment},
    // A disputed check-in is reviewed by the secretariat or an organizer.
    HandlerSpec{RC::kGetFaceThumbnail, "GetFaceThumbnail", true, {Role::Organizer, Role::Secretary},
                handleGetFaceThumbnail},
    // The chair runs the sitting and takes the official roll call.
    HandlerSpec{RC::kTakeRollCall, "TakeRollCall", true, {Role::Chair}, handleTakeRollCall},
    HandlerSpec{RC::kStartSitting, "StartSitting", true, {Role::Chair}, handleStartSitting},
    HandlerSpec{RC::kEndSitting, "EndSitting", true, {Role::Chair}, handleEndSitting},
    HandlerSpec{RC::kGetAttendanceLog, "GetAttendanceLog", true, {Role::Chair, Role::Secretary, Role::Organizer},
                handleGetAttendanceLog},
    // Documents (docs/DOCUMENTS.md): the secretariat and organizers publish, a
    // delegate submits written contributions; readers are narrowed per
    // document by its audience (Hall::mayRead).
    HandlerSpec{RC::kUploadChunk, "UploadChunk", true, kDocumentAuthors, handleUploadChunk},
    HandlerSpec{RC::kAddDocument, "AddDocument", true, kDocumentAuthors, handleAddDocument},
    HandlerSpec{RC::kUpdateDocument, "UpdateDocument", true, kDocumentAuthors, handleUpdateDocument},
    HandlerSpec{RC::kDecideContribution, "DecideContribution", true, kSecretariat, handleDecideContribution},
    HandlerSpec{RC::kListDocuments, "ListDocuments", true, kDocumentReaders, handleListDocuments},
    HandlerSpec{RC::kGetDocumentVersion, "GetDocumentVersion", true, kDocumentReaders, handleGetDocumentVersion},
    HandlerSpec{RC::kGetDocumentDiff, "GetDocumentDiff", true, kDocumentReaders, handleGetDocumentDiff},
    HandlerSpec{RC::kSearchDocuments, "SearchDocuments", true, kDocumentReaders, handleSearchDocuments},
    HandlerSpec{RC::kAskQuestion, "AskQuestion", true, kDocumentReaders, handleAskQuestion},
    // Reading: terminals report openings (delegates' are recorded); the secretariat sees who read.
    HandlerSpec{RC::kOpenDocument, "OpenDocument", true, kDocumentReaders, handleOpenDocument},
    HandlerSpec{RC::kGetDocumentReaders, "GetDocumentReaders", true, kSecretariat, handleGetDocumentReaders},
    // Discussion: the organizer forms the groups; delegates comment, the
    // secretariat replies, marks and compiles; who reads a thread is Hall::mayReadThread.
    HandlerSpec{RC::kSetDiscussionGroups, "SetDiscussionGroups", true, {Role::Organizer}, handleSetDiscussionGroups},
    HandlerSpec{RC::kGetDiscussionGroups, "GetDiscussionGroups", true, kDocumentReaders, handleGetDiscussionGroups},
    HandlerSpec{RC::kAddComment, "AddComment", true, kDocumentAuthors, handleAddComment},
    HandlerSpec{RC::kListComments, "ListComments", true, kDocumentAuthors, handleListComments},
    HandlerSpec{RC::kMarkComment, "MarkComment", true, kSecretariat, handleMarkComment},
    HandlerSpec{RC::kCompileComments, "CompileComments", true, kSecretariat, handleCompileComments},
};

}  // namespace

const HandlerSpec* findHandler(v1::ClientMessage::RequestCase type) {
  auto it = std::find_if(kHandlers.begin(), kHandlers.end(), [type](const HandlerSpec& h) { return h.type == type; });
  return it == kHandlers.end() ? nullptr : &*it;
}

std::span<const HandlerSpec> allHandlers() { return kHandlers; }

}  // namespace daihoi::protocol
