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
};

}  // namespace

const HandlerSpec* findHandler(v1::ClientMessage::RequestCase type) {
  auto it = std::find_if(kHandlers.begin(), kHandlers.end(), [type](const HandlerSpec& h) { return h.type == type; });
  return it == kHandlers.end() ? nullptr : &*it;
}

std::span<const HandlerSpec> allHandlers() { return kHandlers; }

}  // namespace daihoi::protocol
