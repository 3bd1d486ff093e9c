#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <limits>

namespace daihoi::store {
namespace {

// Error messages quote the statement, shortened so that a log line stays readable.
std::string quoteSql(std::string_view sql) {
  constexpr std::size_t kMaxQuoted = 120;
  std::string quoted;
  quoted.reserve(std::min(sql.size(), kMaxQuoted) + 8);
  bool lastWasSpace = false;
  for (char c : sql) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (lastWasSpace || quoted.empty())) {
      continue;
    }
    quoted.push_back(space ? ' ' : c);
    lastWasSpace = space;
    if (quoted.size() >= kMaxQuoted) {
      quoted += "...";
      break;
    }
  }
  return "'" + quoted + "'";
}

bool isPragmaName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool isPragmaValue(std::string_view value) {
  if (value.empty()) {
    return false;
  }
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

int checkedLength(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw StoreError("value of " + std::to_string(bytes.size()) + " bytes is too large for SQLite");
  }
  return static_cast<int>(bytes.size());
}

}  // namespace

// ---------------------------------------------------------------- Statement

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql_.data(), checkedLength(sql_), &stmt_, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    fail(rc, "prepare");
  }
  if (stmt_ == nullptr) {
    throw StoreError("cannot prepare " + quoteSql(sql_) + ": it contains no SQL statement");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    sql_ = std::move(other.sql_);
    other.stmt_ = nullptr;
  }
  return *this;
}

void Statement::fail(int resultCode, std::string_view action) const {
  throw StoreError("SQLite cannot " + std::string(action) + " " + quoteSql(sql_) + ": " +
                       sqlite3_errmsg(db_) + " (code " + std::to_string(resultCode) + ")",
                   resultCode);
}

Statement& Statement::bindInt64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    fail(rc, "bind parameter " + std::to_string(index) + " of");
  }
  return *this;
}

Statement& Statement::bindDouble(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) {
    fail(rc, "bind parameter " + std::to_string(index) + " of");
  }
  return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), checkedLength(value), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    fail(rc, "bind parameter " + std::to_string(index) + " of");
  }
  return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: SQLite treats a null
  // data pointer as NULL, so point at a static byte when empty.
  static const char kEmpty = 0;
  const char* data = bytes.empty() ? &kEmpty : bytes.data();
  const int rc = sqlite3_bind_blob(stmt_, index, data, checkedLength(bytes), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    fail(rc, "bind parameter " + std::to_string(index) + " of");
  }
  return *this;
}

Statement& Statement::bindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) {
    fail(rc, "bind parameter " + std::to_string(index) + " of");
  }
  return *this;
}

Statement& Statement::bindOptionalInt64(int index, const std::optional<std::int64_t>& value) {
  return value ? bindInt64(index, *value) : bindNull(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  fail(rc, "run");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  // sqlite3_reset repeats the error of a failed step; that error was already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::columnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::columnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::columnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::columnOptionalInt64(int column) const {
  if (columnIsNull(column)) {
    return std::nullopt;
  }
  return columnInt64(column);
}

double Statement::columnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::columnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::columnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) {
    return {};
  }
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

// ----------------------------------------------------------------- Database

Database::Database(const std::string& path, Mode mode) : path_(path) {
  const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError("cannot open database '" + path + "': " + reason, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string reason = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw StoreError("SQLite cannot run " + quoteSql(sql) + ": " + reason + " (code " + std::to_string(rc) + ")",
                     rc);
  }
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

CachedStatement Database::cached(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    auto statement = std::make_unique<Statement>(db_, sql);
    it = cache_.emplace(std::move(key), std::move(statement)).first;
  }
  it->second->reset();
  return CachedStatement(*it->second);
}

std::int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

bool Database::inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string Database::pragmaText(std::string_view name) {
  if (!isPragmaName(name)) {
    throw StoreError("invalid pragma name '" + std::string(name) + "'");
  }
  Statement statement(db_, "PRAGMA " + std::string(name));
  if (!statement.step()) {
    throw StoreError("PRAGMA " + std::string(name) + " returned no value");
  }
  return statement.columnText(0);
}

std::int64_t Database::pragmaInt(std::string_view name) {
  if (!isPragmaName(name)) {
    throw StoreError("invalid pragma name '" + std::string(name) + "'");
  }
  Statement statement(db_, "PRAGMA " + std::string(name));
  if (!statement.step()) {
    throw StoreError("PRAGMA " + std::string(name) + " returned no value");
  }
  return statement.columnInt64(0);
}

void Database::setPragma(std::string_view name, std::string_view value) {
  if (!isPragmaName(name) || !isPragmaValue(value)) {
    throw StoreError("invalid pragma '" + std::string(name) + " = " + std::string(value) + "'");
  }
  exec("PRAGMA " + std::string(name) + " = " + std::string(value));
}

void Database::setBusyTimeout(int milliseconds) {
  const int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) {
    throw StoreError(std::string("cannot set busy timeout: ") + sqlite3_errmsg(db_), rc);
  }
}

// -------------------------------------------------------------- Transaction

Transaction::Transaction(Database& db) : db_(db) { db_.cached("BEGIN IMMEDIATE")->run(); }

Transaction::~Transaction() {
  // Some failures (I/O errors, a full disk) make SQLite roll back by itself;
  // only roll back a transaction that is still open.
  if (!finished_ && db_.inTransaction()) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.cached("COMMIT")->run();
  finished_ = true;
}

}  // namespace daihoi::store
