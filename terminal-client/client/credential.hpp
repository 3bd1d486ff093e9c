#pragma once
// How a terminal proves who it is at sign-in.
#include <string>
#include <string_view>
#include <variant>

namespace daihoi::v1 {
class SignIn;
}

namespace daihoi::client {

struct DelegatePinCredential {
  std::string code;  // badge code, e.g. "HN-001"
  std::string pin;
};

// One-time: the server refuses a badge token that has already signed in.
struct BadgeTokenCredential {
  std::string token;
};

struct StaffPasswordCredential {
  std::string username;
  std::string password;
};

struct DeviceTokenCredential {
  std::string token;
};

using Credential =
    std::variant<DelegatePinCredential, BadgeTokenCredential, StaffPasswordCredential, DeviceTokenCredential>;

// Whether the credential may sign in again when a session cannot be resumed.
bool isReusable(const Credential& credential);

// "delegate PIN", "badge token", ... for messages.
std::string_view credentialKindName(const Credential& credential);

// Sets the credential oneof of `signIn`; last_seq is left to the caller.
void fillSignIn(const Credential& credential, daihoi::v1::SignIn& signIn);

}  // namespace daihoi::client
