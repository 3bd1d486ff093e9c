#pragma once
// The demo credentials file the hall server's demo generator writes, UTF-8, one account a line:
//   chair1<TAB>staff<TAB>chair1<TAB>password
//   kiosk-1<TAB>device<TAB>token
//   HN-001<TAB>delegate<TAB>HN-001<TAB>pin<TAB>badge-token
// Lines starting with '#' and blank lines are ignored.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/exit_codes.hpp"
#include "client/credential.hpp"

namespace daihoi::cli {

struct DemoAccount {
  std::string name;   // first field, what --as selects
  std::string kind;   // "staff", "device" or "delegate"
  std::vector<std::string> secrets;  // the fields after the kind
  std::size_t line = 0;
};

// Every line is checked: a wrong field count or kind fails with its line number.
std::variant<std::vector<DemoAccount>, CliError> parseDemoCredentials(std::string_view text);

// The credential of account `name`. Delegates sign in with code and PIN, which (unlike the
// one-time badge token) can sign in again when a session cannot be resumed.
std::variant<client::Credential, CliError> credentialFor(const std::vector<DemoAccount>& accounts,
                                                          std::string_view name);

}  // namespace daihoi::cli
