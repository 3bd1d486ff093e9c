// Every request type has one handler with declared roles, and the dispatcher
// enforces exactly those roles (the role matrix).
#include <doctest/doctest.h>

#include <google/protobuf/descriptor.h>

#include <set>

#include "hall_fixture.hpp"
#include "protocol/handlers.hpp"

using namespace daihoi;
using namespace daihoi::testing;
using domain::Role;

namespace {

const google::protobuf::OneofDescriptor* requestOneof() {
  return v1::ClientMessage::descriptor()->FindOneofByName("request");
}

// A request of the given type with an empty body.
v1::ClientMessage emptyRequest(const google::protobuf::FieldDescriptor* field) {
  v1::ClientMessage message;
  message.GetReflection()->MutableMessage(&message, field);
  return message;
}

// The policy, written out so that a change to the table is a visible decision.
const std::map<std::string, std::set<Role>> kExpectedRoles = {
    {"SignOut", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Kiosk, Role::Display}},
    {"GetCongress", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Kiosk, Role::Display}},
    {"GetRoster", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Kiosk, Role::Display}},
    {"GetAttendance", {Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"CheckIn", {Role::Secretary}},
    {"CheckOut", {Role::Secretary}},
    {"ImportRoster", {Role::Organizer}},
    {"CreateBallot", {Role::Secretary, Role::Organizer}},
    {"CreateRunoff", {Role::Chair, Role::Secretary}},
    {"OpenBallot", {Role::Chair}},
    {"CloseBallot", {Role::Chair}},
    {"PublishBallot", {Role::Chair}},
    {"CancelBallot", {Role::Chair}},
    {"CastVote", {Role::Delegate}},
    {"VerifyReceipt", {Role::Delegate}},
    {"ListBallots", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetBallotResult", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetNamedVotes", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetBallotProgress", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"ConfirmTally", {Role::Delegate}},
    {"AppointCountingCommittee", {Role::Chair}},
    {"SetVotingRules", {Role::Organizer}},
    {"GetVotingRules", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"FaceFrame", {Role::Kiosk}},
    {"FaceReset", {Role::Kiosk}},
    {"EnrollFaces", {Role::Organizer}},
    {"GetFaceEnrollment", {Role::Organizer, Role::Secretary}},
    {"GetFaceThumbnail", {Role::Organizer, Role::Secretary}},
    {"TakeRollCall", {Role::Chair}},
    {"StartSitting", {Role::Chair}},
    {"EndSitting", {Role::Chair}},
    {"GetAttendanceLog", {Role::Chair, Role::Secretary, Role::Organizer}},
    {"UploadChunk", {Role::Delegate, Role::Secretary, Role::Organizer}},
    {"AddDocument", {Role::Delegate, Role::Secretary, Role::Organizer}},
    {"UpdateDocument", {Role::Delegate, Role::Secretary, Role::Organizer}},
    {"DecideContribution", {Role::Secretary, Role::Organizer}},
    {"ListDocuments", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetDocumentVersion", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetDocumentDiff", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"SearchDocuments", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"AskQuestion", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"OpenDocument", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"GetDocumentReaders", {Role::Secretary, Role::Organizer}},
    {"SetDiscussionGroups", {Role::Organizer}},
    {"GetDiscussionGroups", {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Display}},
    {"AddComment", {Role::Delegate, Role::Secretary, Role::Organizer}},
    {"ListComments", {Role::Delegate, Role::Secretary, Role::Organizer}},
    {"MarkComment", {Role::Secretary, Role::Organizer}},
    {"CompileComments", {Role::Secretary, Role::Organizer}},
};

}  // namespace

TEST_CASE("every request type in the protocol has exactly one handler") {
  const auto* oneof = requestOneof();
  REQUIRE(oneof != nullptr);
  CHECK(protocol::allHandlers().size() == static_cast<std::size_t>(oneof->field_count()));
  std::set<std::string> names;
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* field = oneof->field(i);
    const auto* spec = protocol::findHandler(static_cast<v1::ClientMessage::RequestCase>(field->number()));
    REQUIRE_MESSAGE(spec != nullptr, "no handler for " << field->name());
    CHECK_MESSAGE(!spec->allowed.empty(), spec->name << " declares no roles");
    CHECK(names.insert(std::string(spec->name)).second);
    const bool preSignIn = field->name() == "hello" || field->name() == "sign_in";
    CHECK_MESSAGE(spec->requiresSignIn == !preSignIn, spec->name);
    if (spec->requiresSignIn) {
      REQUIRE_MESSAGE(kExpectedRoles.count(std::string(spec->name)) == 1, spec->name << " missing from the policy");
      for (Role role : domain::kAllRoles) {
        CHECK_MESSAGE(spec->allowed.contains(role) == (kExpectedRoles.at(std::string(spec->name)).count(role) > 0),
                      spec->name << " / " << domain::roleName(role));
      }
    }
  }
}

TEST_CASE_FIXTURE(HallFixture, "role matrix: every request type x every role is allowed or denied as declared") {
  const auto* oneof = requestOneof();
  for (Role role : domain::kAllRoles) {
    auto terminal = signedIn(role);
    for (int i = 0; i < oneof->field_count(); ++i) {
      const auto* field = oneof->field(i);
      const auto* spec = protocol::findHandler(static_cast<v1::ClientMessage::RequestCase>(field->number()));
      if (!spec->requiresSignIn || spec->name == "SignOut") continue;  // sign-out is checked below
      const auto id = terminal->send(emptyRequest(field));
      settle();
      const auto response = terminal->responseTo(id);
      REQUIRE_MESSAGE(response.has_value(), spec->name << " as " << domain::roleName(role) << ": no response");
      const bool denied = response->has_error() && response->error().code() == v1::ERROR_PERMISSION_DENIED;
      CHECK_MESSAGE(denied == !spec->allowed.contains(role),
                    spec->name << " as " << domain::roleName(role) << ": " << response->DebugString());
    }
    v1::ClientMessage signOut;
    signOut.mutable_sign_out();
    const auto id = terminal->send(signOut);
    settle();
    const auto response = terminal->responseTo(id);
    REQUIRE(response.has_value());
    CHECK_MESSAGE(response->has_sign_out(), response->DebugString());
  }
}

TEST_CASE_FIXTURE(HallFixture, "requests before sign-in are refused, except Hello and SignIn") {
  auto terminal = this->terminal();
  v1::ClientMessage getRoster;
  getRoster.mutable_get_roster();
  auto id = terminal->send(getRoster);
  settle();
  REQUIRE(terminal->responseTo(id));
  CHECK(terminal->responseTo(id)->error().code() == v1::ERROR_HELLO_REQUIRED);
  terminal->send(hello());
  id = terminal->send(getRoster);
  settle();
  CHECK(terminal->responseTo(id)->error().code() == v1::ERROR_NOT_SIGNED_IN);
}
