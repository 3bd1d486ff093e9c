#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::domain::AttendanceMethod;
using daihoi::domain::Role;
using daihoi::store::test::nextEvents;
using daihoi::store::test::queryInt;
using daihoi::store::test::sampleRoster;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;

namespace {

domain::AttendanceRecorded attendance(std::uint32_t delegateId, bool present, std::int64_t timeMs,
                                      AttendanceMethod method = AttendanceMethod::Badge) {
  domain::AttendanceRecorded change;
  change.delegateId = delegateId;
  change.present = present;
  change.method = method;
  change.recordedBy = domain::Principal{Role::Kiosk, 2, "Kiosk sảnh B", "kiosk-2"};
  change.timeMs = timeMs;
  return change;
}

domain::SessionOpened session(std::string tokenHash) {
  return domain::SessionOpened{std::move(tokenHash), {Role::Delegate, 1, "Nguyễn Thị Hồng Nhung", "DB001"},
                               1'700'000'000'000, 1'700'003'600'000};
}

std::unique_ptr<Store> storeWithRoster(const TempDir& dir) {
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  return store;
}

void checkNothingCommitted(Store& store, const std::string& path) {
  CHECK(store.chainHead() == ChainHead{});
  CHECK(store.loadEvents(0, 100).empty());
  CHECK(store.loadPresent().empty());
  CHECK(store.loadAttendanceLog().empty());
  CHECK(store.loadSessions(0).empty());
  CHECK(queryInt(path, "SELECT COUNT(*) FROM sessions") == 0);
}

}  // namespace

TEST_CASE("a group commits every commit's events and changes") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  store->setDelegateCredential({1, "$argon2id$pin", "badge-1", false});

  ChainHead head;
  Commit signIn;
  signIn.events = nextEvents(head, 1);
  signIn.changes = {session("ab12"), domain::BadgeTokenUsed{1, 1'700'000'000'500}};
  Commit arrival;
  arrival.events = nextEvents(head, 2);
  arrival.changes = {attendance(1, true, 1'700'000'001'000), attendance(4, true, 1'700'000'002'000)};
  Commit noEvents;
  noEvents.changes = {attendance(4, false, 1'700'000'003'000, AttendanceMethod::Manual)};
  store->commit({signIn, arrival, noEvents});

  CHECK(store->chainHead() == head);
  std::vector<EventRow> expected = signIn.events;
  expected.insert(expected.end(), arrival.events.begin(), arrival.events.end());
  CHECK(store->loadEvents(0, 100) == expected);

  CHECK(store->loadPresent() == std::vector<std::uint32_t>{1});
  CHECK(store->loadSessions(1'700'000'000'000).size() == 1);
  CHECK(store->loadDelegateCredentials().at(0).badgeUsed);

  const auto log = store->loadAttendanceLog();
  REQUIRE(log.size() == 3);
  CHECK(log[0].delegateId == 1);
  CHECK(log[0].delegateCode == "DB001");
  CHECK(log[0].present);
  CHECK(log[0].method == AttendanceMethod::Badge);
  CHECK(log[0].recordedBy.role == Role::Kiosk);
  CHECK(log[0].recordedBy.accountId == 2);
  CHECK(log[0].recordedBy.displayName == "Kiosk sảnh B");
  CHECK(log[0].recordedBy.login == "kiosk-2");
  CHECK(log[0].timeMs == 1'700'000'001'000);
  CHECK(log[2].delegateId == 4);
  CHECK_FALSE(log[2].present);
  CHECK(log[2].method == AttendanceMethod::Manual);
  CHECK(log[0].id < log[1].id);
  CHECK(log[1].id < log[2].id);
}

TEST_CASE("a failing change rolls back the whole group") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  const std::string path = dir.file("hall.db");

  ChainHead head;
  Commit good;
  good.events = nextEvents(head, 2);
  good.changes = {attendance(1, true, 1000), session("cd34")};
  Commit bad;
  bad.events = nextEvents(head, 1);

  SUBCASE("attendance for a delegate who is not on the roster") {
    bad.changes = {attendance(2, true, 2000), attendance(99, true, 3000)};
    CHECK_THROWS_WITH_AS(store->commit({good, bad}), doctest::Contains("the delegate is not on the roster"),
                         StoreError);
  }
  SUBCASE("a session token that is already open") {
    bad.changes = {session("cd34")};
    CHECK_THROWS_WITH_AS(store->commit({good, bad}), doctest::Contains("UNIQUE constraint failed: sessions.token_hash"),
                         StoreError);
  }
  SUBCASE("a badge use for a delegate without a badge token") {
    bad.changes = {domain::BadgeTokenUsed{3, 4000}};
    CHECK_THROWS_WITH_AS(store->commit({good, bad}), doctest::Contains("no badge token is stored"), StoreError);
  }
  SUBCASE("a roster replacement that breaks a reference") {
    auto roster = sampleRoster();
    auto delegates = roster.delegates();
    delegates.back().delegationId = 77;
    bad.changes = {domain::RosterReplaced{domain::Roster(roster.delegations(), delegates)}};
    CHECK_THROWS_AS(store->commit({good, bad}), StoreError);
    CHECK(store->loadRoster().delegates() == sampleRoster().delegates());
  }

  checkNothingCommitted(*store, path);
  // The store is usable afterwards and the chain starts again at seq 1.
  store->commit({good});
  CHECK(store->chainHead().seq == 2);
  CHECK(store->loadPresent() == std::vector<std::uint32_t>{1});
}

TEST_CASE("the store refuses events that would break the chain") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  const std::string path = dir.file("hall.db");
  ChainHead head;
  Commit first;
  first.events = nextEvents(head, 3);

  SUBCASE("a gap in seq") {
    first.events.erase(first.events.begin() + 1);
    CHECK_THROWS_WITH_AS(store->commit({first}), doctest::Contains("event seq 3 does not follow the log head 1"),
                         StoreError);
  }
  SUBCASE("a log that does not start at 1") {
    first.events.erase(first.events.begin());
    CHECK_THROWS_WITH_AS(store->commit({first}), doctest::Contains("event seq 2 does not follow the log head 0"),
                         StoreError);
  }
  SUBCASE("a hash that does not chain") {
    first.events[2].body += "!";
    CHECK_THROWS_WITH_AS(store->commit({first}), doctest::Contains("event 3 has a hash that does not chain"),
                         StoreError);
  }
  SUBCASE("a second group must continue the first") {
    store->commit({first});
    ChainHead stale;
    Commit again;
    again.events = nextEvents(stale, 1);
    CHECK_THROWS_WITH_AS(store->commit({again}), doctest::Contains("event seq 1 does not follow the log head 3"),
                         StoreError);
    CHECK(store->chainHead() == head);
    return;
  }
  checkNothingCommitted(*store, path);
}

TEST_CASE("attendance: present then absent, the log keeps both") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  store->commit({Commit{{}, {attendance(2, true, 100), attendance(3, true, 110)}, {}}});
  store->commit({Commit{{}, {attendance(2, true, 120)}, {}}});  // already present: since stays 100
  CHECK(queryInt(dir.file("hall.db"), "SELECT since_ms FROM attendance_current WHERE delegate_id = 2") == 100);
  store->commit({Commit{{}, {attendance(2, false, 200)}, {}}});
  CHECK(store->loadPresent() == std::vector<std::uint32_t>{3});
  CHECK(store->loadAttendanceLog().size() == 4);
}

TEST_CASE("a roster replacement commits with the event that records it") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  auto roster = sampleRoster();
  auto delegates = roster.delegates();
  delegates[0].fullName = "Nguyễn Thị Hồng Nhung (Phó Bí thư)";
  delegates[0].photoFiles = {"photos/db001-c.jpg"};
  delegates.pop_back();

  ChainHead head;
  Commit commit;
  commit.events = nextEvents(head, 1);
  commit.changes = {domain::RosterReplaced{domain::Roster(roster.delegations(), delegates)}};
  store->commit({commit});

  const auto loaded = store->loadRoster();
  CHECK(loaded.delegates() == delegates);
  CHECK(loaded.findByCode("KM001") == nullptr);
  CHECK(store->chainHead().seq == 1);
}

TEST_CASE("events page by seq") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  ChainHead head;
  Commit commit;
  commit.events = nextEvents(head, 25);
  store->commit({commit});

  const auto firstPage = store->loadEvents(0, 10);
  REQUIRE(firstPage.size() == 10);
  CHECK(firstPage.front().seq == 1);
  CHECK(firstPage.back().seq == 10);
  const auto lastPage = store->loadEvents(20, 10);
  REQUIRE(lastPage.size() == 5);
  CHECK(lastPage.front() == commit.events[20]);
  CHECK(lastPage.back().hash == head.hash);
  CHECK(store->loadEvents(25, 10).empty());
  CHECK(store->loadEvents(0, 0).empty());
}

TEST_CASE("the attendance log filters by delegate and pages by id") {
  TempDir dir;
  auto store = storeWithRoster(dir);
  std::vector<domain::Change> changes;
  for (int i = 0; i < 6; ++i) {
    changes.push_back(attendance(i % 2 == 0 ? 1 : 2, i % 4 < 2, 1000 + i));
  }
  store->commit({Commit{{}, changes, {}}});

  const auto forDelegate1 = store->loadAttendanceLog({1, 0, 100});
  REQUIRE(forDelegate1.size() == 3);
  for (const auto& row : forDelegate1) {
    CHECK(row.delegateId == 1);
  }
  const auto page = store->loadAttendanceLog({std::nullopt, forDelegate1[0].id, 2});
  REQUIRE(page.size() == 2);
  CHECK(page[0].id == forDelegate1[0].id + 1);
  CHECK(page[0].delegateId == 2);
}
