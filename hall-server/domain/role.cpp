#include "domain/role.hpp"

namespace daihoi::domain {

std::string_view roleName(Role role) {
  switch (role) {
    case Role::Delegate: return "delegate";
    case Role::Chair: return "chair";
    case Role::Secretary: return "secretary";
    case Role::Organizer: return "organizer";
    case Role::Kiosk: return "kiosk";
    case Role::Display: return "display";
  }
  // Only reachable through a cast from an out-of-range integer.
  return "unknown";
}

std::optional<Role> roleFromName(std::string_view name) {
  for (Role role : kAllRoles) {
    if (roleName(role) == name) {
      return role;
    }
  }
  return std::nullopt;
}

}  // namespace daihoi::domain
