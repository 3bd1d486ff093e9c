#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "store/store.hpp"
#include "store/verify.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::store::test::nextEvents;
using daihoi::store::test::TempDir;

namespace {

// A log of `count` good events, written through the store and closed.
ChainHead writeLog(const std::string& path, std::size_t count) {
  auto store = Store::open(path);
  ChainHead head;
  for (std::size_t written = 0; written < count; written += 5) {
    Commit commit;
    commit.events = nextEvents(head, std::min<std::size_t>(5, count - written));
    store->commit({commit});
  }
  return head;
}

// Tampering as someone with the file would: the append-only triggers go first.
void tamper(const std::string& path, const std::string& sql) {
  Database raw(path);
  raw.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
  raw.exec(sql);
}

}  // namespace

TEST_CASE("verifyLog: an intact chain verifies") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const ChainHead head = writeLog(path, 20);
  REQUIRE(head.seq == 20);
  const VerifyReport report = verifyLog(path);
  CHECK(report.ok);
  CHECK(report.eventsChecked == 20);
  CHECK_FALSE(report.firstBrokenSeq.has_value());
  CHECK(report.reason.empty());
}

TEST_CASE("verifyLog: an empty log verifies") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 0);
  const VerifyReport report = verifyLog(path);
  CHECK(report.ok);
  CHECK(report.eventsChecked == 0);
}

TEST_CASE("verifyLog: an edited body is found at its seq") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 20);
  tamper(path, "UPDATE events SET body = CAST('Biểu quyết: 100% tán thành' AS BLOB) WHERE seq = 7");
  const VerifyReport report = verifyLog(path);
  CHECK_FALSE(report.ok);
  REQUIRE(report.firstBrokenSeq.has_value());
  CHECK(*report.firstBrokenSeq == 7);
  CHECK(report.eventsChecked == 6);
  CHECK_MESSAGE(report.reason.find("the body of event 7 was changed") != std::string::npos, report.reason);
}

TEST_CASE("verifyLog: an edited stored hash is found at its seq") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 20);
  tamper(path, "UPDATE events SET hash = zeroblob(32) WHERE seq = 9");
  const VerifyReport report = verifyLog(path);
  CHECK_FALSE(report.ok);
  REQUIRE(report.firstBrokenSeq.has_value());
  CHECK(*report.firstBrokenSeq == 9);
  CHECK(report.eventsChecked == 8);
  CHECK_MESSAGE(report.reason.find("the stored hash of event 9 was changed") != std::string::npos, report.reason);
}

TEST_CASE("verifyLog: a change to the last event is found, though it cannot tell body from hash") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 5);
  tamper(path, "UPDATE events SET body = X'00' WHERE seq = 5");
  const VerifyReport report = verifyLog(path);
  CHECK_FALSE(report.ok);
  CHECK(report.firstBrokenSeq == std::optional<std::uint64_t>(5));
  CHECK_MESSAGE(report.reason.find("event 5 does not chain") != std::string::npos, report.reason);
}

TEST_CASE("verifyLog: a deleted event is reported as the gap it leaves") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 20);

  SUBCASE("in the middle") {
    tamper(path, "DELETE FROM events WHERE seq = 12");
    const VerifyReport report = verifyLog(path);
    CHECK_FALSE(report.ok);
    CHECK(report.firstBrokenSeq == std::optional<std::uint64_t>(12));
    CHECK(report.eventsChecked == 11);
    CHECK_MESSAGE(report.reason == "event 12 is missing: the log jumps from seq 11 to 13", report.reason);
  }
  SUBCASE("at the start") {
    tamper(path, "DELETE FROM events WHERE seq = 1");
    const VerifyReport report = verifyLog(path);
    CHECK_FALSE(report.ok);
    CHECK(report.firstBrokenSeq == std::optional<std::uint64_t>(1));
    CHECK(report.eventsChecked == 0);
    CHECK_MESSAGE(report.reason == "event 1 is missing: the log starts at seq 2", report.reason);
  }
}

TEST_CASE("verifyLog: a rewritten event with a recomputed hash breaks the next link") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  writeLog(path, 10);
  {
    // Rewrite event 4 and recompute its hash: event 5 no longer links to it.
    auto store = Store::open(path);
    const auto events = store->loadEvents(2, 1);  // event 3
    const std::string forged = "Kết quả bầu cử đã sửa";
    const auto forgedHash = chainHash(events.at(0).hash, forged);
    Database raw(path);
    raw.exec("DROP TRIGGER events_no_update");
    raw.prepare("UPDATE events SET body = ?1, hash = ?2 WHERE seq = 4")
        .bindBlob(1, forged)
        .bindBlob(2, daihoi::asBytes(forgedHash))
        .run();
  }
  const VerifyReport report = verifyLog(path);
  CHECK_FALSE(report.ok);
  CHECK(report.firstBrokenSeq == std::optional<std::uint64_t>(5));
  CHECK_MESSAGE(report.reason.find("(or event 4 was rewritten with a new hash)") != std::string::npos, report.reason);
}

TEST_CASE("verifyLog: a missing or foreign file is a failed report, not a crash") {
  TempDir dir;
  SUBCASE("missing") {
    const VerifyReport report = verifyLog(dir.file("missing.db"));
    CHECK_FALSE(report.ok);
    CHECK_FALSE(report.firstBrokenSeq.has_value());
    CHECK(report.reason.find("cannot open database") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
  }
  SUBCASE("not a daihoi database") {
    Database other(dir.file("other.db"));
    other.exec("CREATE TABLE notes (text TEXT)");
    const VerifyReport report = verifyLog(dir.file("other.db"));
    CHECK_FALSE(report.ok);
    CHECK(report.reason.find("no such table: events") != std::string::npos);
  }
}

TEST_CASE("verifyLog reads a database the store still has open") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path);
  ChainHead head;
  Commit commit;
  commit.events = nextEvents(head, 8);
  store->commit({commit});
  const VerifyReport report = verifyLog(path);
  CHECK(report.ok);
  CHECK(report.eventsChecked == 8);
}
