#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "auth/directory.hpp"
#include "auth/passwords.hpp"
#include "auth/tokens.hpp"

using daihoi::auth::Directory;
using daihoi::auth::HashStrength;
using daihoi::auth::hashSecret;
using daihoi::auth::tokenHash;
using daihoi::auth::verifySecret;
namespace domain = daihoi::domain;

namespace {

domain::Roster makeRoster() {
  std::vector<domain::Delegation> delegations = {{1, "Đoàn Hà Nội"}, {2, "Đoàn Thừa Thiên Huế"}};
  std::vector<domain::Delegate> delegates(2);
  delegates[0].id = 1;
  delegates[0].code = "HN-001";
  delegates[0].fullName = "Nguyễn Thị Hồng Nhung";
  delegates[0].delegationId = 1;
  delegates[1].id = 2;
  delegates[1].code = "HUE-017";
  delegates[1].fullName = "Trần Văn Đức";
  delegates[1].delegationId = 2;
  return domain::Roster(std::move(delegations), std::move(delegates));
}

struct Fixture {
  domain::Roster roster = makeRoster();
  std::string pinHash = hashSecret("204816", HashStrength::Pin);
  std::string kioskToken = "kiosk-token-for-tests";
  std::string badgeToken = "badge-token-for-tests";

  std::vector<domain::StaffAccount> staff() const {
    return {{7, "ThuKy", "Lê Thu Kỳ", domain::Role::Secretary, "$argon2id$unused"},
            {8, "chutich", "Phạm Chủ Tịch", domain::Role::Chair, "$argon2id$unused"}};
  }
  std::vector<domain::Device> devices() const {
    return {{3, "kiosk-1", domain::Role::Kiosk, tokenHash(kioskToken)},
            {4, "display-revoked", domain::Role::Display, ""}};
  }
  std::vector<domain::DelegateCredential> credentials() const {
    return {{1, pinHash, tokenHash(badgeToken), false}, {2, "", "", false}};
  }
  Directory build() const {
    auto directory = Directory::build(staff(), devices(), credentials(), roster);
    REQUIRE(directory.ok());
    return std::move(directory).value();
  }
};

}  // namespace

TEST_CASE("an empty directory lets nobody in") {
  const Directory directory;
  CHECK(directory.staffByUsername("thuky") == nullptr);
  CHECK(directory.deviceByTokenHash(tokenHash("x")) == nullptr);
  CHECK(directory.delegateCredential(1) == nullptr);
  CHECK_FALSE(directory.delegateByBadgeTokenHash(tokenHash("x")).has_value());
}

TEST_CASE("staff user names match ASCII case-insensitively") {
  Fixture fixture;
  const Directory directory = fixture.build();
  const domain::StaffAccount* lower = directory.staffByUsername("thuky");
  REQUIRE(lower != nullptr);
  CHECK(lower->id == 7);
  CHECK(directory.staffByUsername("THUKY") == lower);
  CHECK(directory.staffByUsername("ThuKy") == lower);
  CHECK(directory.staffByUsername("ChuTich")->id == 8);
  CHECK(directory.staffByUsername("thuky ") == nullptr);
  CHECK(directory.staffByUsername("") == nullptr);
  CHECK(directory.staffCount() == 2);
}

TEST_CASE("non-ASCII letters in user names must match exactly") {
  Fixture fixture;
  auto built = Directory::build({{9, "đức", "Đức", domain::Role::Organizer, ""}}, {}, {}, fixture.roster);
  REQUIRE(built.ok());
  CHECK(built->staffByUsername("đức") != nullptr);
  CHECK(built->staffByUsername("ĐỨC") == nullptr);
}

TEST_CASE("devices are found by token hash; a revoked device has none") {
  Fixture fixture;
  const Directory directory = fixture.build();
  const domain::Device* kiosk = directory.deviceByTokenHash(tokenHash(fixture.kioskToken));
  REQUIRE(kiosk != nullptr);
  CHECK(kiosk->name == "kiosk-1");
  CHECK(directory.deviceByTokenHash(tokenHash("another token")) == nullptr);
  CHECK(directory.deviceByTokenHash(fixture.kioskToken) == nullptr);  // the raw token is not its hash
  CHECK(directory.deviceByTokenHash("") == nullptr);
  CHECK(directory.deviceCount() == 2);
}

TEST_CASE("delegate credentials and PIN verification") {
  Fixture fixture;
  const Directory directory = fixture.build();
  const domain::DelegateCredential* credential = directory.delegateCredential(1);
  REQUIRE(credential != nullptr);
  CHECK(verifySecret(credential->pinHash, "204816"));
  CHECK_FALSE(verifySecret(credential->pinHash, "204817"));
  const domain::DelegateCredential* noPin = directory.delegateCredential(2);
  REQUIRE(noPin != nullptr);
  CHECK_FALSE(verifySecret(noPin->pinHash, ""));
  CHECK(directory.delegateCredential(99) == nullptr);
}

TEST_CASE("a badge token signs in once") {
  Fixture fixture;
  Directory directory = fixture.build();
  const std::string badgeHash = tokenHash(fixture.badgeToken);
  CHECK(directory.delegateByBadgeTokenHash(badgeHash) == std::optional<std::uint32_t>(1));
  CHECK_FALSE(directory.delegateByBadgeTokenHash(tokenHash("forged")).has_value());
  CHECK_FALSE(directory.delegateByBadgeTokenHash("").has_value());  // delegate 2 has no badge

  CHECK(directory.markBadgeUsed(1));
  CHECK_FALSE(directory.delegateByBadgeTokenHash(badgeHash).has_value());
  CHECK(directory.delegateCredential(1)->badgeUsed);
  CHECK(verifySecret(directory.delegateCredential(1)->pinHash, "204816"));  // the PIN still works
  CHECK_FALSE(directory.markBadgeUsed(99));
}

TEST_CASE("principals carry role, id, display name and login") {
  Fixture fixture;
  const Directory directory = fixture.build();

  const domain::Principal staff = Directory::principalForStaff(*directory.staffByUsername("thuky"));
  CHECK(staff.role == domain::Role::Secretary);
  CHECK(staff.accountId == 7);
  CHECK(staff.displayName == "Lê Thu Kỳ");
  CHECK(staff.login == "ThuKy");

  const domain::Principal kiosk =
      Directory::principalForDevice(*directory.deviceByTokenHash(tokenHash(fixture.kioskToken)));
  CHECK(kiosk.role == domain::Role::Kiosk);
  CHECK(kiosk.accountId == 3);
  CHECK(kiosk.login == "kiosk-1");

  const domain::Principal delegate = Directory::principalForDelegate(*fixture.roster.findById(2));
  CHECK(delegate.role == domain::Role::Delegate);
  CHECK(delegate.accountId == 2);
  CHECK(delegate.displayName == "Trần Văn Đức");
  CHECK(delegate.login == "HUE-017");

  const auto byId = directory.principalForDelegateId(1);
  REQUIRE(byId.has_value());
  CHECK(byId->displayName == "Nguyễn Thị Hồng Nhung");
  CHECK(byId->login == "HN-001");
  CHECK_FALSE(directory.principalForDelegateId(99).has_value());
}

TEST_CASE("inconsistent directory data is refused with a clear failure") {
  Fixture fixture;
  auto expectFailure = [](const daihoi::Result<Directory>& result, std::string_view fragment) {
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "invalid_argument");
    CHECK(result.error().message.find(fragment) != std::string::npos);
  };

  auto staff = fixture.staff();
  staff.push_back({10, "THUKY", "Người khác", domain::Role::Organizer, ""});
  expectFailure(Directory::build(staff, {}, {}, fixture.roster), "used by two staff accounts");

  expectFailure(Directory::build({{11, "", "Không tên", domain::Role::Chair, ""}}, {}, {}, fixture.roster),
                "has no user name");
  expectFailure(Directory::build({{12, "may", "Máy", domain::Role::Kiosk, ""}}, {}, {}, fixture.roster),
                "not chair, secretary or organizer");

  auto devices = fixture.devices();
  devices.push_back({5, "kiosk-2", domain::Role::Kiosk, tokenHash(fixture.kioskToken)});
  expectFailure(Directory::build({}, devices, {}, fixture.roster), "token hash of another device");
  expectFailure(Directory::build({}, {{6, "chair-tablet", domain::Role::Chair, "ab"}}, {}, fixture.roster),
                "not kiosk or display");

  expectFailure(Directory::build({}, {}, {{42, "", "", false}}, fixture.roster), "not in the roster");
  expectFailure(Directory::build({}, {}, {{1, "", "", false}, {1, "", "", false}}, fixture.roster),
                "two credentials for delegate 1");
  expectFailure(Directory::build({}, {}, {{1, "", "same", false}, {2, "", "same", false}}, fixture.roster),
                "badge token hash of another delegate");
}

TEST_CASE("replacing delegate credentials after a roster re-import") {
  Fixture fixture;
  Directory directory = fixture.build();

  std::vector<domain::Delegate> delegates(1);
  delegates[0].id = 5;
  delegates[0].code = "HCM-005";
  delegates[0].fullName = "Võ Thị Sáu";
  delegates[0].delegationId = 1;
  const domain::Roster reimported({{1, "Đoàn TP Hồ Chí Minh"}}, std::move(delegates));

  // Credentials that do not fit the new roster change nothing.
  const auto refused = directory.replaceDelegateCredentials({{1, "", "", false}}, reimported);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "invalid_argument");
  CHECK(directory.delegateCredential(1) != nullptr);
  CHECK(directory.delegateByBadgeTokenHash(tokenHash(fixture.badgeToken)) == std::optional<std::uint32_t>(1));

  const auto replaced =
      directory.replaceDelegateCredentials({{5, fixture.pinHash, tokenHash("new badge"), false}}, reimported);
  REQUIRE(replaced.ok());
  CHECK(directory.delegateCredential(1) == nullptr);
  CHECK_FALSE(directory.delegateByBadgeTokenHash(tokenHash(fixture.badgeToken)).has_value());
  CHECK(directory.delegateByBadgeTokenHash(tokenHash("new badge")) == std::optional<std::uint32_t>(5));
  CHECK(directory.principalForDelegateId(5)->displayName == "Võ Thị Sáu");
  CHECK_FALSE(directory.principalForDelegateId(1).has_value());
  CHECK(directory.delegateCredentialCount() == 1);
  // Staff and devices are untouched.
  CHECK(directory.staffByUsername("thuky") != nullptr);
  CHECK(directory.deviceByTokenHash(tokenHash(fixture.kioskToken)) != nullptr);
}
