#pragma once
// Column encodings shared by the store's translation units (internal to the
// store): id lists as "1,4,7", roles, principals and document audiences.
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "domain/documents.hpp"
#include "domain/model.hpp"
#include "domain/role.hpp"
#include "store/sqlite.hpp"

namespace daihoi::store::columns {

// Ascending ids, comma-separated; "" for none.
inline std::string joinIds(const std::vector<std::uint32_t>& ids) {
  std::string text;
  for (std::uint32_t id : ids) {
    if (!text.empty()) text += ',';
    text += std::to_string(id);
  }
  return text;
}

inline std::vector<std::uint32_t> splitIds(std::string_view text, const char* column) {
  std::vector<std::uint32_t> ids;
  const std::string whole(text);
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    std::uint32_t id = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || end != item.data() + item.size() || id == 0) {
      throw StoreError(std::string(column) + " holds a malformed id list '" + whole + "'");
    }
    ids.push_back(id);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return ids;
}

inline std::uint32_t id32(std::int64_t value, std::string_view what) {
  if (value < 0 || value > std::numeric_limits<std::uint32_t>::max()) {
    throw StoreError(std::string(what) + " " + std::to_string(value) + " is out of range");
  }
  return static_cast<std::uint32_t>(value);
}

inline std::uint64_t id64(std::int64_t value, std::string_view what) {
  if (value < 0) throw StoreError(std::string(what) + " " + std::to_string(value) + " is out of range");
  return static_cast<std::uint64_t>(value);
}

inline std::int64_t int64(std::uint64_t value, std::string_view what) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw StoreError(std::string(what) + " " + std::to_string(value) + " is out of range");
  }
  return static_cast<std::int64_t>(value);
}

inline domain::Role role(std::int64_t value, std::string_view column) {
  if (value < static_cast<std::int64_t>(domain::Role::Delegate) ||
      value > static_cast<std::int64_t>(domain::Role::Display)) {
    throw StoreError(std::string(column) + " holds an unknown role " + std::to_string(value));
  }
  return static_cast<domain::Role>(value);
}

// A principal in four columns from `first`: role, account id, display name, login.
inline void bindPrincipal(Statement& statement, int first, const domain::Principal& principal) {
  statement.bindInt64(first, static_cast<std::int64_t>(principal.role))
      .bindInt64(first + 1, principal.accountId)
      .bindText(first + 2, principal.displayName)
      .bindText(first + 3, principal.login);
}

inline domain::Principal principal(const Statement& row, int first, std::string_view table) {
  domain::Principal principal;
  principal.role = role(row.columnInt64(first), table);
  principal.accountId = id32(row.columnInt64(first + 1), std::string(table) + " account id");
  principal.displayName = row.columnText(first + 2);
  principal.login = row.columnText(first + 3);
  return principal;
}

// An audience in four columns from `first`, as the documents table has them:
// everyone (0/1), delegation ids, role bits, delegate ids.
inline void bindAudience(Statement& statement, int first, const domain::DocumentAudience& audience) {
  statement.bindInt64(first, audience.everyone ? 1 : 0)
      .bindText(first + 1, joinIds(audience.delegationIds))
      .bindInt64(first + 2, audience.roles.bits())
      .bindText(first + 3, joinIds(audience.delegateIds));
}

inline domain::DocumentAudience audience(const Statement& row, int first, const char* table) {
  domain::DocumentAudience audience;
  audience.everyone = row.columnInt64(first) != 0;
  audience.delegationIds = splitIds(row.columnText(first + 1), (std::string(table) + ".audience_delegations").c_str());
  audience.roles = domain::RoleSet::fromBits(static_cast<std::uint32_t>(row.columnInt64(first + 2)));
  audience.delegateIds = splitIds(row.columnText(first + 3), (std::string(table) + ".audience_delegates").c_str());
  return audience;
}

}  // namespace daihoi::store::columns
