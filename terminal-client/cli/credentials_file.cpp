#include "cli/credentials_file.hpp"

#include <algorithm>

namespace daihoi::cli {
namespace {

std::vector<std::string> splitTabs(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.emplace_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) {
      return fields;
    }
    start = tab + 1;
  }
}

bool isBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

CliError lineError(std::size_t line, const std::string& why) {
  return usageError("credentials file, line " + std::to_string(line) + ": " + why);
}

}  // namespace

std::variant<std::vector<DemoAccount>, CliError> parseDemoCredentials(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::vector<DemoAccount> accounts;
  std::size_t lineNumber = 0;
  while (!text.empty()) {
    ++lineNumber;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (isBlank(line) || line.front() == '#') {
      continue;
    }
    std::vector<std::string> fields = splitTabs(line);
    if (fields.size() < 3) {
      return lineError(lineNumber, "expected name<TAB>kind<TAB>secret..., found " + std::to_string(fields.size()) +
                                       " field(s)");
    }
    DemoAccount account;
    account.name = fields[0];
    account.kind = fields[1];
    account.secrets.assign(fields.begin() + 2, fields.end());
    account.line = lineNumber;
    if (account.name.empty()) {
      return lineError(lineNumber, "the account name is empty");
    }
    const std::size_t secrets = account.secrets.size();
    if (account.kind == "staff") {
      if (secrets != 2 || account.secrets[0].empty() || account.secrets[1].empty()) {
        return lineError(lineNumber, "a staff account needs a user name and a password");
      }
    } else if (account.kind == "device") {
      if (secrets != 1 || account.secrets[0].empty()) {
        return lineError(lineNumber, "a device needs exactly one token");
      }
    } else if (account.kind == "delegate") {
      if (secrets < 2 || secrets > 3 || account.secrets[0].empty() ||
          (account.secrets[1].empty() && (secrets < 3 || account.secrets[2].empty()))) {
        return lineError(lineNumber, "a delegate needs a code, a PIN and optionally a badge token");
      }
    } else {
      return lineError(lineNumber, "unknown account kind \"" + account.kind + "\" (staff, device or delegate)");
    }
    accounts.push_back(std::move(account));
  }
  return accounts;
}

std::variant<client::Credential, CliError> credentialFor(const std::vector<DemoAccount>& accounts,
                                                          std::string_view name) {
  auto it = std::find_if(accounts.begin(), accounts.end(),
                         [&](const DemoAccount& account) { return account.name == name; });
  if (it == accounts.end()) {
    std::string known;
    for (const auto& account : accounts) {
      if (!known.empty()) {
        known += ", ";
      }
      if (known.size() > 200) {
        known += "...";
        break;
      }
      known += account.name;
    }
    return usageError("no account \"" + std::string(name) + "\" in the credentials file" +
                      (known.empty() ? std::string{} : " (accounts: " + known + ")"));
  }
  const auto& secrets = it->secrets;
  if (it->kind == "staff") {
    return client::Credential{client::StaffPasswordCredential{secrets[0], secrets[1]}};
  }
  if (it->kind == "device") {
    return client::Credential{client::DeviceTokenCredential{secrets[0]}};
  }
  if (!secrets[1].empty()) {
    return client::Credential{client::DelegatePinCredential{secrets[0], secrets[1]}};
  }
  return client::Credential{client::BadgeTokenCredential{secrets[2]}};
}

}  // namespace daihoi::cli
