#pragma once
// Every request type has exactly one handler, declared with the roles allowed
// to send it. The dispatcher enforces the roles before calling the handler; a
// request type without an entry is refused (and a test fails).
#include <span>
#include <string_view>

#include "daihoi.pb.h"
#include "domain/role.hpp"

namespace daihoi::protocol {

class Request;
namespace v1 = ::daihoi::v1;

struct HandlerSpec {
  v1::ClientMessage::RequestCase type;
  std::string_view name;       // for metrics and logs
  bool requiresSignIn;         // false only for Hello and SignIn
  domain::RoleSet allowed;     // roles that may send it when signed in
  void (*handle)(Request& request);
};

const HandlerSpec* findHandler(v1::ClientMessage::RequestCase type);
std::span<const HandlerSpec> allHandlers();

// Handlers, one per request type (grouped in files by area).
void handleHello(Request& request);
void handleSignIn(Request& request);
void handleSignOut(Request& request);
void handleGetCongress(Request& request);
void handleGetRoster(Request& request);
void handleGetAttendance(Request& request);
void handleCheckIn(Request& request);
void handleCheckOut(Request& request);
void handleImportRoster(Request& request);
void handleCreateBallot(Request& request);
void handleCreateRunoff(Request& request);
void handleOpenBallot(Request& request);
void handleCloseBallot(Request& request);
void handlePublishBallot(Request& request);
void handleCancelBallot(Request& request);
void handleCastVote(Request& request);
void handleListBallots(Request& request);
void handleGetBallotResult(Request& request);
void handleConfirmTally(Request& request);
void handleAppointCountingCommittee(Request& request);
void handleGetNamedVotes(Request& request);
void handleGetBallotProgress(Request& request);
void handleVerifyReceipt(Request& request);
void handleSetVotingRules(Request& request);
void handleGetVotingRules(Request& request);

// Face ID (face_handlers.cpp) and roll calls, sittings, the log (attendance_handlers.cpp).
void handleFaceFrame(Request& request);
void handleFaceReset(Request& request);
void handleEnrollFaces(Request& request);
void handleGetFaceEnrollment(Request& request);
void handleGetFaceThumbnail(Request& request);
void handleTakeRollCall(Request& request);
void handleGetAttendanceLog(Request& request);
void handleStartSitting(Request& request);
void handleEndSitting(Request& request);

// Documents (document_handlers.cpp).
void handleUploadChunk(Request& request);
void handleAddDocument(Request& request);
void handleUpdateDocument(Request& request);
void handleListDocuments(Request& request);
void handleGetDocumentVersion(Request& request);
void handleGetDocumentDiff(Request& request);
void handleSearchDocuments(Request& request);
void handleDecideContribution(Request& request);
void handleSetDiscussionGroups(Request& request);
void handleGetDiscussionGroups(Request& request);
void handleAddComment(Request& request);
void handleListComments(Request& request);
void handleMarkComment(Request& request);
void handleCompileComments(Request& request);
void handleOpenDocument(Request& request);
void handleGetDocumentReaders(Request& request);
void handleAskQuestion(Request& request);

}  // namespace daihoi::protocol
