#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace daihoi::domain {

// Values equal the wire enum daihoi.v1.Role.
enum class Role : std::uint8_t {
  Delegate = 1,
  Chair = 2,
  Secretary = 3,
  Organizer = 4,
  Kiosk = 5,
  Display = 6,
};

inline constexpr Role kAllRoles[] = {Role::Delegate,  Role::Chair, Role::Secretary,
                                     Role::Organizer, Role::Kiosk, Role::Display};

std::string_view roleName(Role role);  // "delegate", "chair", ...
std::optional<Role> roleFromName(std::string_view name);

// A set of roles as a bit mask.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= bit(r);
  }
  static constexpr RoleSet all() {
    return {Role::Delegate, Role::Chair, Role::Secretary, Role::Organizer, Role::Kiosk, Role::Display};
  }
  static constexpr RoleSet staff() { return {Role::Chair, Role::Secretary, Role::Organizer}; }
  constexpr bool contains(Role r) const { return (bits_ & bit(r)) != 0; }
  constexpr RoleSet operator|(RoleSet other) const { return fromBits(bits_ | other.bits_); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  static constexpr RoleSet fromBits(std::uint32_t bits) {
    RoleSet s;
    s.bits_ = bits;
    return s;
  }
  constexpr bool operator==(const RoleSet&) const = default;

 private:
  static constexpr std::uint32_t bit(Role r) { return 1u << static_cast<unsigned>(r); }
  std::uint32_t bits_ = 0;
};

}  // namespace daihoi::domain
