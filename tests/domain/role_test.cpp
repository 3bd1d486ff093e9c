#include <doctest/doctest.h>

#include "domain/role.hpp"

using namespace daihoi::domain;

TEST_CASE("role names round-trip for every role") {
  for (Role role : kAllRoles) {
    CAPTURE(static_cast<int>(role));
    const auto back = roleFromName(roleName(role));
    REQUIRE(back.has_value());
    CHECK(*back == role);
  }
  CHECK(roleName(Role::Delegate) == "delegate");
  CHECK(roleName(Role::Chair) == "chair");
  CHECK(roleName(Role::Secretary) == "secretary");
  CHECK(roleName(Role::Organizer) == "organizer");
  CHECK(roleName(Role::Kiosk) == "kiosk");
  CHECK(roleName(Role::Display) == "display");
}

TEST_CASE("unknown role names are rejected, matching is exact") {
  CHECK_FALSE(roleFromName("").has_value());
  CHECK_FALSE(roleFromName("admin").has_value());
  CHECK_FALSE(roleFromName("Chair").has_value());
  CHECK_FALSE(roleFromName("chair ").has_value());
}

TEST_CASE("role sets") {
  const RoleSet staff = RoleSet::staff();
  CHECK(staff.contains(Role::Chair));
  CHECK(staff.contains(Role::Secretary));
  CHECK(staff.contains(Role::Organizer));
  CHECK_FALSE(staff.contains(Role::Delegate));
  CHECK((staff | RoleSet{Role::Kiosk}).contains(Role::Kiosk));
  CHECK(RoleSet{}.empty());
  CHECK(RoleSet::fromBits(RoleSet::all().bits()) == RoleSet::all());
}
