#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "common/clock.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/verify.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::ManualClock;
using daihoi::store::test::queryInt;
using daihoi::store::test::TempDir;

namespace {

std::string readFixture(const std::string& name) {
  std::ifstream in(std::string(DAIHOI_STORE_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing fixture " << name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool schemaObjectExists(const std::string& dbPath, const std::string& type, const std::string& name) {
  return queryInt(dbPath, "SELECT COUNT(*) FROM sqlite_master WHERE type = '" + type + "' AND name = '" + name + "'") ==
         1;
}

}  // namespace

TEST_CASE("migrations are numbered 1, 2, 3, ... without gaps") {
  const auto all = migrations();
  REQUIRE_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].version == static_cast<int>(i + 1));
    CHECK_FALSE(all[i].description.empty());
  }
  CHECK(latestSchemaVersion() == all.back().version);
}

TEST_CASE("a new database gets every migration, each recorded with its time") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  ManualClock clock(1'750'000'000'000);
  {
    auto store = Store::open(path, &clock);
    CHECK(store->schemaVersion() == latestSchemaVersion());
  }
  CHECK(queryInt(path, "SELECT COUNT(*) FROM schema_version") == latestSchemaVersion());
  CHECK(queryInt(path, "SELECT MIN(applied_ms) FROM schema_version") == 1'750'000'000'000);
  CHECK(schemaObjectExists(path, "table", "events"));
  CHECK(schemaObjectExists(path, "index", "attendance_log_by_delegate"));

  // Opening again applies nothing.
  clock.advance(1000);
  { auto store = Store::open(path, &clock); }
  CHECK(queryInt(path, "SELECT COUNT(*) FROM schema_version") == latestSchemaVersion());
  CHECK(queryInt(path, "SELECT MAX(applied_ms) FROM schema_version") == 1'750'000'000'000);
}

TEST_CASE("a version 1 database migrates and keeps its data") {
  TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    Database fixture(path);
    fixture.exec(readFixture("schema_v1.sql"));
  }
  REQUIRE(queryInt(path, "SELECT MAX(version) FROM schema_version") == 1);
  REQUIRE_FALSE(schemaObjectExists(path, "index", "sessions_open_by_expiry"));

  ManualClock clock(1'760'000'000'000);
  auto store = Store::open(path, &clock);
  CHECK(store->schemaVersion() == latestSchemaVersion());
  CHECK(queryInt(path, "SELECT applied_ms FROM schema_version WHERE version = 1") == 1'696'000'000'000);
  CHECK(queryInt(path, "SELECT MIN(applied_ms) FROM schema_version WHERE version >= 2") == 1'760'000'000'000);

  // Version 2's objects exist and work.
  CHECK(schemaObjectExists(path, "index", "attendance_log_by_delegate"));
  CHECK(schemaObjectExists(path, "index", "sessions_open_by_expiry"));
  {
    Database raw(path);
    CHECK_THROWS_WITH_AS(raw.exec("UPDATE events SET body = X'00' WHERE seq = 1"),
                         doctest::Contains("events are append-only"), StoreError);
    CHECK_THROWS_WITH_AS(raw.exec("DELETE FROM attendance_log"), doctest::Contains("attendance_log is append-only"),
                         StoreError);
  }

  // Version 1's data is all there.
  const auto congress = store->loadCongress();
  REQUIRE(congress.has_value());
  CHECK(congress->name == "Đại hội đại biểu Hội Nông dân tỉnh Quảng Nam");
  CHECK(congress->quorum == daihoi::domain::Fraction{1, 2});

  const auto roster = store->loadRoster();
  REQUIRE(roster.delegates().size() == 3);
  CHECK(roster.findByCode("ND003")->fullName == "Huỳnh Ngọc Ẩn");
  CHECK_FALSE(roster.findByCode("ND003")->voting);
  CHECK(roster.findById(1)->photoFiles ==
        std::vector<std::string>{"anh/ngo-thi-phuong.jpg", "anh/ngo-thi-phuong-2.jpg"});
  CHECK(roster.findDelegation(2)->name == "Đoàn Điện Bàn");

  CHECK(store->loadStaff().at(0).username == "thuky");
  CHECK(store->loadDevices().at(0).name == "kiosk-1");
  const auto credentials = store->loadDelegateCredentials();
  REQUIRE(credentials.size() == 2);
  CHECK(credentials[0].badgeUsed);
  CHECK_FALSE(credentials[1].badgeUsed);
  CHECK(store->loadSessions(1'760'000'000'000).size() == 1);
  CHECK(store->loadPresent() == std::vector<std::uint32_t>{1});
  CHECK(store->loadAttendanceLog().at(0).delegateCode == "ND001");

  CHECK(store->chainHead().seq == 2);
  CHECK(verifyLog(path).ok);

  // The chain continues from the migrated log.
  ChainHead head = store->chainHead();
  Commit next;
  next.events = daihoi::store::test::nextEvents(head, 1);
  store->commit({next});
  CHECK(store->chainHead().seq == 3);
  const auto report = verifyLog(path);
  CHECK(report.ok);
  CHECK(report.eventsChecked == 3);
}

TEST_CASE("the schema's foreign keys tie presence, credentials and photos to the roster") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  { Store::open(path)->replaceRoster(daihoi::store::test::sampleRoster()); }
  Database raw(path);
  raw.setPragma("foreign_keys", "ON");
  for (const std::string sql : {"INSERT INTO attendance_current (delegate_id, since_ms) VALUES (99, 1)",
                                "INSERT INTO delegate_credentials (delegate_id) VALUES (99)",
                                "INSERT INTO delegate_photos (delegate_id, position, file) VALUES (99, 0, 'x.jpg')",
                                "UPDATE delegates SET delegation_id = 99 WHERE id = 1"}) {
    CAPTURE(sql);
    CHECK_THROWS_WITH_AS(raw.exec(sql), doctest::Contains("FOREIGN KEY constraint failed"), StoreError);
  }
  CHECK_THROWS_WITH_AS(raw.exec("INSERT INTO attendance_log (delegate_id, delegate_code, present, method, reason, "
                                "recorded_by_role, recorded_by_id, recorded_by_name, recorded_by_login, time_ms) "
                                "VALUES (99, 'X', 1, 1, '', 3, 1, 'n', 'l', 1)"),
                       doctest::Contains("the delegate is not on the roster"), StoreError);
}

TEST_CASE("a database from a newer build is refused and left alone") {
  TempDir dir;
  const std::string path = dir.file("future.db");
  { auto store = Store::open(path); }
  {
    Database raw(path);
    raw.exec("INSERT INTO schema_version (version, applied_ms) VALUES (" + std::to_string(latestSchemaVersion() + 5) +
             ", 0)");
  }
  CHECK_THROWS_WITH_AS(Store::open(path), doctest::Contains("newer than this build supports"), StoreError);
  CHECK_THROWS_AS(Store::openReadOnly(path), StoreError);
  CHECK(queryInt(path, "SELECT MAX(version) FROM schema_version") == latestSchemaVersion() + 5);
}

TEST_CASE("a file that is not a database is a clear error") {
  TempDir dir;
  const std::string path = dir.file("notes.db");
  {
    std::ofstream out(path, std::ios::binary);
    out << "Biên bản họp, không phải cơ sở dữ liệu. Đây là một tệp văn bản đủ dài để không bị coi là rỗng.";
  }
  CHECK_THROWS_WITH_AS(Store::open(path), doctest::Contains("file is not a database"), StoreError);
}

TEST_CASE("the store's connection runs WAL, synchronous=FULL, foreign keys and a busy timeout") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path);
  const ConnectionSettings settings = store->connectionSettings();
  CHECK(settings.journalMode == "wal");
  CHECK(settings.synchronous == 2);  // FULL
  CHECK(settings.foreignKeys);
  CHECK(settings.busyTimeoutMs == Store::kBusyTimeoutMs);

  // WAL is a property of the file: a fresh connection sees it too.
  Database other(path);
  CHECK(other.pragmaText("journal_mode") == "wal");
}
