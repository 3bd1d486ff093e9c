#include <doctest/doctest.h>

#include <string>

#include "store/sqlite.hpp"
#include "test_support.hpp"

using daihoi::store::Database;
using daihoi::store::StoreError;
using daihoi::store::Transaction;
using daihoi::store::test::TempDir;

namespace {

std::int64_t countRows(Database& db, const std::string& table) {
  auto statement = db.prepare("SELECT COUNT(*) FROM " + table);
  statement.step();
  return statement.columnInt64(0);
}

}  // namespace

TEST_CASE("Statement binds and reads integers, UTF-8 text, binary blobs and NULL") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n INTEGER)");
  const std::string name = "Nguyễn Thị Hồng Nhung";
  const std::string blob("\0\x01\xff\0", 4);
  db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
      .bindInt64(1, -9'007'199'254'740'993)
      .bindText(2, name)
      .bindBlob(3, blob)
      .bindNull(4)
      .run();

  auto row = db.prepare("SELECT i, s, b, n, length(s), typeof(b) FROM t");
  REQUIRE(row.step());
  CHECK(row.columnInt64(0) == -9'007'199'254'740'993);
  CHECK(row.columnText(1) == name);
  CHECK(row.columnBlob(2) == blob);
  CHECK(row.columnIsNull(3));
  CHECK_FALSE(row.columnOptionalInt64(3).has_value());
  CHECK(row.columnInt64(4) == 21);  // SQLite counts characters, not bytes: the text is stored as UTF-8
  CHECK(row.columnText(5) == "blob");
  CHECK_FALSE(row.step());
}

TEST_CASE("an empty blob is stored as a blob, not NULL") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (b BLOB NOT NULL)");
  db.prepare("INSERT INTO t VALUES (?1)").bindBlob(1, "").run();
  auto row = db.prepare("SELECT typeof(b), length(b) FROM t");
  REQUIRE(row.step());
  CHECK(row.columnText(0) == "blob");
  CHECK(row.columnInt64(1) == 0);
}

TEST_CASE("SQLite errors become StoreError with SQLite's message") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");

  SUBCASE("a syntax error names the statement") {
    try {
      db.prepare("SELEKT 1");
      FAIL("prepare accepted invalid SQL");
    } catch (const StoreError& error) {
      const std::string message = error.what();
      CHECK(message.find("SELEKT 1") != std::string::npos);
      CHECK(message.find("syntax error") != std::string::npos);
    }
  }
  SUBCASE("a constraint failure carries the extended result code") {
    db.prepare("INSERT INTO t (name) VALUES ('Huế')").run();
    auto duplicate = db.prepare("INSERT INTO t (name) VALUES ('Huế')");
    try {
      duplicate.run();
      FAIL("duplicate accepted");
    } catch (const StoreError& error) {
      CHECK(std::string(error.what()).find("UNIQUE constraint failed: t.name") != std::string::npos);
      CHECK(error.resultCode() == 2067);  // SQLITE_CONSTRAINT_UNIQUE
    }
  }
  SUBCASE("binding a parameter that does not exist") {
    auto statement = db.prepare("SELECT ?1");
    CHECK_THROWS_AS(statement.bindInt64(2, 1), StoreError);
  }
  SUBCASE("exec reports the failing statement") {
    CHECK_THROWS_WITH_AS(db.exec("INSERT INTO missing VALUES (1)"), doctest::Contains("no such table: missing"),
                         StoreError);
  }
  SUBCASE("an empty statement is refused") {
    CHECK_THROWS_AS(db.prepare("  -- only a comment"), StoreError);
  }
  SUBCASE("pragma names are checked before they reach SQL") {
    CHECK_THROWS_AS(db.pragmaText("journal_mode; DROP TABLE t"), StoreError);
    CHECK_THROWS_AS(db.setPragma("synchronous", "FULL; DROP TABLE t"), StoreError);
    CHECK(countRows(db, "t") == 0);  // the table is still there
  }
}

TEST_CASE("opening a missing database read-only fails instead of creating it") {
  TempDir dir;
  const std::string path = dir.file("missing.db");
  CHECK_THROWS_WITH_AS(Database(path, Database::Mode::ReadOnly), doctest::Contains("cannot open database"), StoreError);
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("Transaction commits, and rolls back when it is not committed") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (v INTEGER)");

  {
    Transaction transaction(db);
    CHECK(db.inTransaction());
    db.exec("INSERT INTO t VALUES (1)");
    transaction.commit();
  }
  CHECK_FALSE(db.inTransaction());
  CHECK(countRows(db, "t") == 1);

  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (2)");
  }
  CHECK_FALSE(db.inTransaction());
  CHECK(countRows(db, "t") == 1);

  try {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (3)");
    db.exec("INSERT INTO nowhere VALUES (4)");
    transaction.commit();
  } catch (const StoreError&) {
  }
  CHECK_FALSE(db.inTransaction());
  CHECK(countRows(db, "t") == 1);

  // Another connection saw only the committed row throughout.
  Database other(dir.file("t.db"));
  CHECK(countRows(other, "t") == 1);
}

TEST_CASE("BEGIN IMMEDIATE takes the write lock at once") {
  TempDir dir;
  Database first(dir.file("t.db"));
  first.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)");
  Database second(dir.file("t.db"));
  second.setBusyTimeout(0);

  Transaction holding(first);
  try {
    Transaction waiting(second);
    FAIL("two write transactions at once");
  } catch (const StoreError& error) {
    CHECK((error.resultCode() & 0xff) == 5);  // SQLITE_BUSY
  }
  holding.commit();
  Transaction now(second);
  now.commit();
}

TEST_CASE("a cached statement is reused and reset between leases") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");

  const daihoi::store::Statement* first = nullptr;
  {
    auto lease = db.cached("SELECT v FROM t ORDER BY v");
    REQUIRE(lease->step());
    CHECK(lease->columnInt64(0) == 1);  // left unfinished on purpose
    first = &*lease;
  }
  {
    auto lease = db.cached("SELECT v FROM t ORDER BY v");
    CHECK(&*lease == first);
    REQUIRE(lease->step());
    CHECK(lease->columnInt64(0) == 1);  // starts again from the first row
  }
  // The unfinished SELECT did not keep a read transaction open.
  CHECK_FALSE(db.inTransaction());
  db.exec("INSERT INTO t VALUES (4)");
  CHECK(countRows(db, "t") == 4);
}

TEST_CASE("lastInsertRowid and changes report the last write") {
  TempDir dir;
  Database db(dir.file("t.db"));
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
  db.prepare("INSERT INTO t (v) VALUES (10)").run();
  db.prepare("INSERT INTO t (v) VALUES (20)").run();
  CHECK(db.lastInsertRowid() == 2);
  db.prepare("UPDATE t SET v = v + 1").run();
  CHECK(db.changes() == 2);
}
