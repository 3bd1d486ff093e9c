#include "client/credential.hpp"

#include "daihoi.pb.h"

namespace daihoi::client {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace

bool isReusable(const Credential& credential) {
  return !std::holds_alternative<BadgeTokenCredential>(credential);
}

std::string_view credentialKindName(const Credential& credential) {
  return std::visit(Overloaded{
                        [](const DelegatePinCredential&) { return std::string_view{"delegate PIN"}; },
                        [](const BadgeTokenCredential&) { return std::string_view{"badge token"}; },
                        [](const StaffPasswordCredential&) { return std::string_view{"staff password"}; },
                        [](const DeviceTokenCredential&) { return std::string_view{"device token"}; },
                    },
                    credential);
}

void fillSignIn(const Credential& credential, daihoi::v1::SignIn& signIn) {
  std::visit(Overloaded{
                 [&](const DelegatePinCredential& c) {
                   auto* pin = signIn.mutable_delegate_pin();
                   pin->set_code(c.code);
                   pin->set_pin(c.pin);
                 },
                 [&](const BadgeTokenCredential& c) { signIn.set_badge_token(c.token); },
                 [&](const StaffPasswordCredential& c) {
                   auto* staff = signIn.mutable_staff_password();
                   staff->set_username(c.username);
                   staff->set_password(c.password);
                 },
                 [&](const DeviceTokenCredential& c) { signIn.set_device_token(c.token); },
             },
             credential);
}

}  // namespace daihoi::client
