#include <doctest/doctest.h>

#include "client/client_vote_id.hpp"
#include "client/credential.hpp"
#include "daihoi.pb.h"

using namespace daihoi::client;

TEST_CASE("each credential fills its own SignIn field") {
  daihoi::v1::SignIn pin;
  fillSignIn(DelegatePinCredential{"HN-001", "4821"}, pin);
  CHECK(pin.credential_case() == daihoi::v1::SignIn::kDelegatePin);
  CHECK(pin.delegate_pin().code() == "HN-001");
  CHECK(pin.delegate_pin().pin() == "4821");

  daihoi::v1::SignIn staff;
  fillSignIn(StaffPasswordCredential{"thư-ký", "mật khẩu"}, staff);
  CHECK(staff.credential_case() == daihoi::v1::SignIn::kStaffPassword);
  CHECK(staff.staff_password().username() == "thư-ký");
  CHECK(staff.staff_password().password() == "mật khẩu");

  daihoi::v1::SignIn badge;
  fillSignIn(BadgeTokenCredential{"b-token"}, badge);
  CHECK(badge.badge_token() == "b-token");

  daihoi::v1::SignIn device;
  fillSignIn(DeviceTokenCredential{"d-token"}, device);
  CHECK(device.device_token() == "d-token");
}

TEST_CASE("only the one-time badge token cannot sign in again") {
  CHECK(isReusable(DelegatePinCredential{"HN-001", "1"}));
  CHECK(isReusable(StaffPasswordCredential{"u", "p"}));
  CHECK(isReusable(DeviceTokenCredential{"t"}));
  CHECK_FALSE(isReusable(BadgeTokenCredential{"t"}));
  CHECK(credentialKindName(BadgeTokenCredential{"t"}) == "badge token");
}

TEST_CASE("a client vote id is 24 random bytes as 48 hex digits, fresh each time") {
  auto first = daihoi::client::newClientVoteId();
  auto second = daihoi::client::newClientVoteId();
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->size() == 48);
  CHECK(first->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(*first != *second);
}
