#pragma once
// A small RAII layer over the sqlite3 C API. SQLite failures become
// StoreError exceptions carrying SQLite's own message: the store is part of
// the control plane, and whether a failed write is fatal is the caller's call.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace daihoi::store {

class StoreError : public std::runtime_error {
 public:
  // resultCode: SQLite's extended result code, or 0 when the error is the store's own.
  explicit StoreError(const std::string& message, int resultCode = 0)
      : std::runtime_error(message), resultCode_(resultCode) {}
  int resultCode() const { return resultCode_; }

 private:
  int resultCode_;
};

// One prepared statement. Bind indexes are 1-based and column indexes
// 0-based, as in SQLite. Text is UTF-8 and copied on bind.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bindInt64(int index, std::int64_t value);
  Statement& bindDouble(int index, double value);
  Statement& bindText(int index, std::string_view value);
  Statement& bindBlob(int index, std::string_view bytes);
  Statement& bindNull(int index);
  Statement& bindOptionalInt64(int index, const std::optional<std::int64_t>& value);

  // Advances to the next row: true when a row is available, false when done.
  bool step();
  // Steps until the statement is done (for INSERT, UPDATE, DELETE, DDL).
  void run();
  // Makes the statement ready to run again and clears its bindings. Never throws.
  void reset() noexcept;

  int columnCount() const;
  bool columnIsNull(int column) const;
  std::int64_t columnInt64(int column) const;
  std::optional<std::int64_t> columnOptionalInt64(int column) const;
  double columnDouble(int column) const;
  std::string columnText(int column) const;
  std::string columnBlob(int column) const;

  const std::string& sql() const { return sql_; }

 private:
  [[noreturn]] void fail(int resultCode, std::string_view action) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// A cached statement lent out by Database::cached(); it is reset when the
// lease ends so that an unfinished SELECT never keeps a read snapshot open.
class CachedStatement {
 public:
  explicit CachedStatement(Statement& statement) : statement_(statement) {}
  ~CachedStatement() { statement_.reset(); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  Statement& operator*() { return statement_; }
  Statement* operator->() { return &statement_; }

 private:
  Statement& statement_;
};

class Database {
 public:
  enum class Mode { ReadWriteCreate, ReadOnly };

  explicit Database(const std::string& path, Mode mode = Mode::ReadWriteCreate);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more ';'-separated statements, discarding any rows.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  // A prepared statement kept for the lifetime of the connection, for hot
  // paths. One lease per SQL text at a time: do not nest the same statement.
  CachedStatement cached(std::string_view sql);

  std::int64_t lastInsertRowid() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  bool inTransaction() const;

  // PRAGMA helpers; `name` must be a plain identifier such as "journal_mode".
  std::string pragmaText(std::string_view name);
  std::int64_t pragmaInt(std::string_view name);
  void setPragma(std::string_view name, std::string_view value);
  void setBusyTimeout(int milliseconds);

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT. Taking the write lock at BEGIN means a busy
// database fails (after busy_timeout) before any work is done, never halfway.
// Rolls back in the destructor unless committed; the destructor never throws.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool finished_ = false;
};

}  // namespace daihoi::store
