#pragma once
// The in-memory credential directory the hall server loads at start from the
// store: who may sign in and with which hashed secret. It holds hashes only;
// verifying a secret is passwords.hpp's job, throttling rate_limiter.hpp's.
//
// Pointers returned by lookups stay valid until the directory is moved from or
// its delegate credentials are replaced (replaceDelegateCredentials).
// Not thread-safe: used on the server's sign-in thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/string_map.hpp"
#include "common/result.hpp"
#include "domain/accounts.hpp"
#include "domain/model.hpp"

namespace daihoi::auth {

class Directory {
 public:
  // An empty directory: nobody can sign in.
  Directory() = default;

  // Fails with "invalid_argument" on inconsistent data: an empty or duplicate
  // user name (compared case-insensitively), a staff account whose role is not
  // chair/secretary/organizer, a device whose role is not kiosk/display, two
  // devices or badges with the same token hash, or a delegate credential that
  // is duplicated or names a delegate missing from `roster`.
  // Devices and credentials with an empty hash are kept but cannot sign in
  // with that secret (revoked device, PIN or badge not issued).
  static Result<Directory> build(std::vector<domain::StaffAccount> staff,
                                 std::vector<domain::Device> devices,
                                 std::vector<domain::DelegateCredential> delegateCredentials,
                                 const domain::Roster& roster);

  // User names match ASCII case-insensitively ("Thuky" == "thuky"); bytes
  // outside ASCII (Vietnamese letters) must match exactly.
  const domain::StaffAccount* staffByUsername(std::string_view username) const;
  // `tokenHash` as made by auth::tokenHash (lower-case hex).
  const domain::Device* deviceByTokenHash(std::string_view tokenHash) const;
  const domain::DelegateCredential* delegateCredential(std::uint32_t delegateId) const;
  // The delegate whose badge token hashes to this, unless the badge has
  // already been used: badge tokens sign in once.
  std::optional<std::uint32_t> delegateByBadgeTokenHash(std::string_view badgeTokenHash) const;
  // Spends a delegate's badge token after a badge sign-in. The store must
  // persist this too (DelegateCredential::badgeUsed). False if the delegate
  // has no credential.
  bool markBadgeUsed(std::uint32_t delegateId);

  // The principal of a delegate in the roster the directory was built with.
  std::optional<domain::Principal> principalForDelegateId(std::uint32_t delegateId) const;

  // After a roster re-import: the new credentials, checked against the new
  // roster as in build(). On failure nothing changes.
  Result<Ok> replaceDelegateCredentials(std::vector<domain::DelegateCredential> delegateCredentials,
                                        const domain::Roster& roster);

  static domain::Principal principalForStaff(const domain::StaffAccount& account);
  static domain::Principal principalForDevice(const domain::Device& device);
  // Display name = full name, login = badge code.
  static domain::Principal principalForDelegate(const domain::Delegate& delegate);

  std::size_t staffCount() const { return staff_.size(); }
  std::size_t deviceCount() const { return devices_.size(); }
  std::size_t delegateCredentialCount() const { return delegates_.credentials.size(); }

 private:
  struct DelegateIdentity {
    std::string code;
    std::string fullName;
  };
  struct DelegateIndex {
    std::unordered_map<std::uint32_t, domain::DelegateCredential> credentials;
    StringMap<std::uint32_t> byBadgeTokenHash;
    std::unordered_map<std::uint32_t, DelegateIdentity> identities;  // from the roster
  };

  static Result<DelegateIndex> indexDelegates(std::vector<domain::DelegateCredential> credentials,
                                              const domain::Roster& roster);

  std::vector<domain::StaffAccount> staff_;
  StringMap<std::size_t> staffByLowerUsername_;
  std::vector<domain::Device> devices_;
  StringMap<std::size_t> deviceByTokenHash_;
  DelegateIndex delegates_;
};

}  // namespace daihoi::auth
