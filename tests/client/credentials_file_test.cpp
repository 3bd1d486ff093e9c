#include <doctest/doctest.h>

#include "cli/credentials_file.hpp"

using namespace daihoi::cli;
using namespace daihoi::client;

namespace {

const char* kDemoFile =
    "# Daihoi demo credentials — do not use in production\n"
    "chair1\tstaff\tchair1\tmk-chair-1\n"
    "secretary\tstaff\tsecretary\tmk-thu-ky\n"
    "organizer\tstaff\torganizer\tmk-btc\n"
    "kiosk-1\tdevice\tkiosk-token-abc\n"
    "display-1\tdevice\tdisplay-token-xyz\n"
    "\n"
    "HN-001\tdelegate\tHN-001\t482913\tbadge-HN-001\n";

std::vector<DemoAccount> parsed(std::string_view text) {
  auto result = parseDemoCredentials(text);
  REQUIRE(std::holds_alternative<std::vector<DemoAccount>>(result));
  return std::get<std::vector<DemoAccount>>(result);
}

CliError parseError(std::string_view text) {
  auto result = parseDemoCredentials(text);
  REQUIRE(std::holds_alternative<CliError>(result));
  return std::get<CliError>(result);
}

}  // namespace

TEST_CASE("the demo file's accounts, comments and blank lines") {
  auto accounts = parsed(kDemoFile);
  REQUIRE(accounts.size() == 6);
  CHECK(accounts[0].name == "chair1");
  CHECK(accounts[0].kind == "staff");
  CHECK(accounts[0].line == 2);
  CHECK(accounts[3].secrets == std::vector<std::string>{"kiosk-token-abc"});
  CHECK(accounts[5].name == "HN-001");
  CHECK(accounts[5].line == 8);
  CHECK(accounts[5].secrets == std::vector<std::string>{"HN-001", "482913", "badge-HN-001"});
}

TEST_CASE("--as picks the credential by the first field") {
  auto accounts = parsed(kDemoFile);

  auto staff = credentialFor(accounts, "secretary");
  REQUIRE(std::holds_alternative<Credential>(staff));
  const auto& password = std::get<StaffPasswordCredential>(std::get<Credential>(staff));
  CHECK(password.username == "secretary");
  CHECK(password.password == "mk-thu-ky");

  auto device = credentialFor(accounts, "display-1");
  REQUIRE(std::holds_alternative<Credential>(device));
  CHECK(std::get<DeviceTokenCredential>(std::get<Credential>(device)).token == "display-token-xyz");

  // PIN rather than the one-time badge token, so that a lost session can sign in again.
  auto delegate = credentialFor(accounts, "HN-001");
  REQUIRE(std::holds_alternative<Credential>(delegate));
  const auto& pin = std::get<DelegatePinCredential>(std::get<Credential>(delegate));
  CHECK(pin.code == "HN-001");
  CHECK(pin.pin == "482913");
}

TEST_CASE("an unknown name lists the accounts there are") {
  auto accounts = parsed(kDemoFile);
  auto missing = credentialFor(accounts, "chair2");
  REQUIRE(std::holds_alternative<CliError>(missing));
  const auto& error = std::get<CliError>(missing);
  CHECK(error.exitCode == kExitUsage);
  CHECK(error.message.find("chair2") != std::string::npos);
  CHECK(error.message.find("kiosk-1") != std::string::npos);
}

TEST_CASE("a delegate without PIN signs in with the badge token") {
  auto accounts = parsed("HUE-001\tdelegate\tHUE-001\t\tbadge-hue\n");
  auto credential = credentialFor(accounts, "HUE-001");
  REQUIRE(std::holds_alternative<Credential>(credential));
  CHECK(std::get<BadgeTokenCredential>(std::get<Credential>(credential)).token == "badge-hue");
}

TEST_CASE("Windows line endings, a BOM and Vietnamese names are fine") {
  auto accounts = parsed("\xEF\xBB\xBF# tài khoản\r\nthư-ký\tstaff\tthư-ký\tmật-khẩu\r\n");
  REQUIRE(accounts.size() == 1);
  CHECK(accounts[0].name == "thư-ký");
  CHECK(accounts[0].secrets[1] == "mật-khẩu");
}

TEST_CASE("malformed lines fail with their line number") {
  CHECK(parseError("# c\nchair1 staff chair1 pw\n").message.find("line 2") != std::string::npos);
  CHECK(parseError("x\tstaff\tx\n").message.find("line 1") != std::string::npos);            // no password
  CHECK(parseError("x\tstaff\tx\tpw\textra\n").message.find("line 1") != std::string::npos);  // too many
  CHECK(parseError("k\tdevice\n").message.find("line 1") != std::string::npos);
  CHECK(parseError("k\tdevice\ta\tb\n").message.find("line 1") != std::string::npos);
  CHECK(parseError("d\tdelegate\td\n").message.find("line 1") != std::string::npos);
  CHECK(parseError("d\tdelegate\td\t\t\n").message.find("line 1") != std::string::npos);  // neither PIN nor badge
  CHECK(parseError("\tstaff\tu\tp\n").message.find("empty") != std::string::npos);
  const auto unknownKind = parseError("\n\nr\trobot\tt\n");
  CHECK(unknownKind.message.find("line 3") != std::string::npos);
  CHECK(unknownKind.message.find("robot") != std::string::npos);
  CHECK(unknownKind.exitCode == kExitUsage);
}

TEST_CASE("an empty file has no accounts") {
  CHECK(parsed("").empty());
  CHECK(parsed("# only comments\n\n").empty());
}
