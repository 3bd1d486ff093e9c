#include "auth/directory.hpp"

#include <utility>

namespace daihoi::auth {
namespace {

std::string asciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// Numeric role in messages: these are setup errors for the operator's log,
// and the wire enum values are documented in role.hpp.
std::string describeRole(domain::Role role) {
  return "role " + std::to_string(static_cast<unsigned>(role));
}

bool isDeviceRole(domain::Role role) {
  return role == domain::Role::Kiosk || role == domain::Role::Display;
}

}  // namespace

Result<Directory> Directory::build(std::vector<domain::StaffAccount> staff,
                                   std::vector<domain::Device> devices,
                                   std::vector<domain::DelegateCredential> delegateCredentials,
                                   const domain::Roster& roster) {
  Directory directory;

  for (std::size_t i = 0; i < staff.size(); ++i) {
    const domain::StaffAccount& account = staff[i];
    if (account.username.empty()) {
      return fail("invalid_argument", "staff account " + std::to_string(account.id) + " has no user name");
    }
    if (!domain::RoleSet::staff().contains(account.role)) {
      return fail("invalid_argument", "staff account '" + account.username + "' has " +
                                          describeRole(account.role) + ", not chair, secretary or organizer");
    }
    if (!directory.staffByLowerUsername_.emplace(asciiLower(account.username), i).second) {
      return fail("invalid_argument",
                  "user name '" + account.username + "' is used by two staff accounts (case is ignored)");
    }
  }
  directory.staff_ = std::move(staff);

  for (std::size_t i = 0; i < devices.size(); ++i) {
    const domain::Device& device = devices[i];
    if (!isDeviceRole(device.role)) {
      return fail("invalid_argument",
                  "device '" + device.name + "' has " + describeRole(device.role) + ", not kiosk or display");
    }
    if (device.tokenHash.empty()) {
      continue;
    }
    if (!directory.deviceByTokenHash_.emplace(device.tokenHash, i).second) {
      return fail("invalid_argument", "device '" + device.name + "' has the token hash of another device");
    }
  }
  directory.devices_ = std::move(devices);

  auto delegates = indexDelegates(std::move(delegateCredentials), roster);
  if (!delegates) {
    return delegates.error();
  }
  directory.delegates_ = std::move(delegates).value();
  return directory;
}

Result<Directory::DelegateIndex> Directory::indexDelegates(
    std::vector<domain::DelegateCredential> credentials, const domain::Roster& roster) {
  DelegateIndex index;
  // Only Roster's inline accessor is used, so the auth layer needs nothing
  // from the roster beyond its data.
  for (const domain::Delegate& delegate : roster.delegates()) {
    index.identities.emplace(delegate.id, DelegateIdentity{delegate.code, delegate.fullName});
  }
  for (domain::DelegateCredential& credential : credentials) {
    const std::uint32_t delegateId = credential.delegateId;
    if (index.identities.count(delegateId) == 0) {
      return fail("invalid_argument",
                  "credential for delegate " + std::to_string(delegateId) + " who is not in the roster");
    }
    if (!credential.badgeTokenHash.empty() &&
        !index.byBadgeTokenHash.emplace(credential.badgeTokenHash, delegateId).second) {
      return fail("invalid_argument",
                  "delegate " + std::to_string(delegateId) + " has the badge token hash of another delegate");
    }
    if (!index.credentials.emplace(delegateId, std::move(credential)).second) {
      return fail("invalid_argument", "two credentials for delegate " + std::to_string(delegateId));
    }
  }
  return index;
}

const domain::StaffAccount* Directory::staffByUsername(std::string_view username) const {
  const auto found = staffByLowerUsername_.find(asciiLower(username));
  return found == staffByLowerUsername_.end() ? nullptr : &staff_[found->second];
}

const domain::Device* Directory::deviceByTokenHash(std::string_view tokenHash) const {
  // A hash-map lookup leaks timing only about the hash of a 256-bit random
  // token, which does not help anyone find a token.
  const auto found = deviceByTokenHash_.find(tokenHash);
  return found == deviceByTokenHash_.end() ? nullptr : &devices_[found->second];
}

const domain::DelegateCredential* Directory::delegateCredential(std::uint32_t delegateId) const {
  const auto found = delegates_.credentials.find(delegateId);
  return found == delegates_.credentials.end() ? nullptr : &found->second;
}

std::optional<std::uint32_t> Directory::delegateByBadgeTokenHash(std::string_view badgeTokenHash) const {
  const auto found = delegates_.byBadgeTokenHash.find(badgeTokenHash);
  if (found == delegates_.byBadgeTokenHash.end()) {
    return std::nullopt;
  }
  const domain::DelegateCredential* credential = delegateCredential(found->second);
  if (credential == nullptr || credential->badgeUsed) {
    return std::nullopt;
  }
  return found->second;
}

bool Directory::markBadgeUsed(std::uint32_t delegateId) {
  const auto found = delegates_.credentials.find(delegateId);
  if (found == delegates_.credentials.end()) {
    return false;
  }
  found->second.badgeUsed = true;
  return true;
}

std::optional<domain::Principal> Directory::principalForDelegateId(std::uint32_t delegateId) const {
  const auto found = delegates_.identities.find(delegateId);
  if (found == delegates_.identities.end()) {
    return std::nullopt;
  }
  return domain::Principal{domain::Role::Delegate, delegateId, found->second.fullName, found->second.code};
}

Result<Ok> Directory::replaceDelegateCredentials(std::vector<domain::DelegateCredential> delegateCredentials,
                                                 const domain::Roster& roster) {
  auto delegates = indexDelegates(std::move(delegateCredentials), roster);
  if (!delegates) {
    return delegates.error();
  }
  delegates_ = std::move(delegates).value();
  return Ok{};
}

domain::Principal Directory::principalForStaff(const domain::StaffAccount& account) {
  return domain::Principal{account.role, account.id, account.displayName, account.username};
}

domain::Principal Directory::principalForDevice(const domain::Device& device) {
  return domain::Principal{device.role, device.id, device.name, device.name};
}

domain::Principal Directory::principalForDelegate(const domain::Delegate& delegate) {
  return domain::Principal{domain::Role::Delegate, delegate.id, delegate.fullName, delegate.code};
}

}  // namespace daihoi::auth
