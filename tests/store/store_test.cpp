#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::ManualClock;
using daihoi::domain::Role;
using daihoi::store::test::queryInt;
using daihoi::store::test::sampleCongress;
using daihoi::store::test::sampleRoster;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;

namespace {

domain::AttendanceRecorded attendance(std::uint32_t delegateId, bool present, std::int64_t timeMs) {
  domain::AttendanceRecorded change;
  change.delegateId = delegateId;
  change.present = present;
  change.method = domain::AttendanceMethod::Manual;
  change.reason = "Đến muộn, có xác nhận của trưởng đoàn";
  change.recordedBy = daihoi::store::test::secretary();
  change.timeMs = timeMs;
  return change;
}

Commit changesOnly(std::vector<domain::Change> changes) {
  Commit commit;
  commit.changes = std::move(changes);
  return commit;
}

domain::DelegateCredential credential(std::uint32_t delegateId, std::string pin, std::string badge, bool used = false) {
  return domain::DelegateCredential{delegateId, std::move(pin), std::move(badge), used};
}

}  // namespace

TEST_CASE("the congress round-trips with Vietnamese text and is a single row") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    CHECK_FALSE(store->loadCongress().has_value());
    store->saveCongress(sampleCongress());
    auto changed = sampleCongress();
    changed.venue = "Nhà văn hóa Trung tâm, 25 Lý Thường Kiệt";
    changed.quorum = domain::Fraction{1, 2};
    store->saveCongress(changed);
  }
  auto store = Store::open(path);
  const auto loaded = store->loadCongress();
  REQUIRE(loaded.has_value());
  auto expected = sampleCongress();
  expected.venue = "Nhà văn hóa Trung tâm, 25 Lý Thường Kiệt";
  expected.quorum = domain::Fraction{1, 2};
  CHECK(*loaded == expected);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM congress") == 1);
}

TEST_CASE("a congress with an impossible quorum is refused") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  auto congress = sampleCongress();
  congress.quorum = domain::Fraction{3, 2};
  CHECK_THROWS_WITH_AS(store->saveCongress(congress), doctest::Contains("quorum_is_a_fraction"), StoreError);
  congress.quorum = domain::Fraction{1, 0};
  CHECK_THROWS_AS(store->saveCongress(congress), StoreError);
  CHECK_FALSE(store->loadCongress().has_value());
}

TEST_CASE("the roster round-trips: delegations, seats, guests, photos in order") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  { Store::open(path)->replaceRoster(sampleRoster()); }
  auto store = Store::open(path);
  const domain::Roster loaded = store->loadRoster();
  const domain::Roster expected = sampleRoster();
  CHECK(loaded.delegations() == expected.delegations());
  CHECK(loaded.delegates() == expected.delegates());
  CHECK(loaded.findByCode("DB004")->photoFiles == std::vector<std::string>{"ảnh/phạm-quốc-việt.png"});
  CHECK(loaded.findById(1)->fullName == "Nguyễn Thị Hồng Nhung");
  CHECK(loaded.summoned() == 4);
}

TEST_CASE("an empty store loads empty collections") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  CHECK(store->loadRoster().delegates().empty());
  CHECK(store->loadPresent().empty());
  CHECK(store->loadStaff().empty());
  CHECK(store->loadDevices().empty());
  CHECK(store->loadDelegateCredentials().empty());
  CHECK(store->loadSessions(0).empty());
  CHECK(store->loadEvents(0, 100).empty());
  CHECK(store->loadAttendanceLog().empty());
  CHECK(store->chainHead() == ChainHead{});
}

TEST_CASE("replacing the roster: credentials and presence follow the delegate's code") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  store->setDelegateCredentials({credential(1, "$argon2id$pin-1", "badge-1", true),
                                 credential(2, "$argon2id$pin-2", "badge-2"),
                                 credential(3, "$argon2id$pin-3", "badge-3")});
  store->commit({changesOnly({attendance(2, true, 100), attendance(3, true, 200)})});

  // DB002 leaves the roster; the import shifts DB003 and DB004 down one id
  // and a new delegate DB006 takes id 4; id 5 keeps KM001.
  std::vector<domain::Delegation> delegations{{1, "Đoàn đại biểu Đảng bộ thành phố Huế"},
                                              {3, "Đoàn đại biểu Đảng bộ Khối các cơ quan tỉnh"}};
  auto old = sampleRoster();
  std::vector<domain::Delegate> delegates{*old.findById(1), *old.findById(3), *old.findById(4), *old.findById(5)};
  delegates[1].id = 2;
  delegates[1].delegationId = 1;
  delegates[2].id = 3;
  domain::Delegate newcomer;
  newcomer.id = 4;
  newcomer.code = "DB006";
  newcomer.fullName = "Đinh Công Tráng";
  newcomer.delegationId = 3;
  newcomer.seat = domain::Seat{"B-03", 2, 3};
  delegates.insert(delegates.begin() + 3, newcomer);
  const domain::Roster replacement(delegations, delegates);
  store->replaceRoster(replacement);

  const auto roster = store->loadRoster();
  CHECK(roster.delegates() == replacement.delegates());
  CHECK(roster.delegations() == replacement.delegations());

  const auto credentials = store->loadDelegateCredentials();
  REQUIRE(credentials.size() == 2);
  CHECK(credentials[0].delegateId == 1);  // DB001, unchanged id
  CHECK(credentials[0].badgeTokenHash == "badge-1");
  CHECK(credentials[0].badgeUsed);
  CHECK(credentials[1].delegateId == 2);  // DB003, now id 2
  CHECK(credentials[1].pinHash == "$argon2id$pin-3");
  CHECK_FALSE(credentials[1].badgeUsed);

  CHECK(store->loadPresent() == std::vector<std::uint32_t>{2});  // DB003 was present; DB002 is gone

  // History is kept, naming each delegate as they were when recorded.
  const auto log = store->loadAttendanceLog();
  REQUIRE(log.size() == 2);
  CHECK(log[0].delegateId == 2);
  CHECK(log[0].delegateCode == "DB002");
  CHECK(log[1].delegateCode == "DB003");
}

TEST_CASE("a roster that breaks a reference is refused and the old roster stays") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  store->replaceRoster(sampleRoster());
  store->setDelegateCredential(credential(1, "pin", "badge"));

  auto old = sampleRoster();
  std::vector<domain::Delegate> delegates = old.delegates();
  delegates[0].delegationId = 42;  // no such delegation
  const domain::Roster broken(old.delegations(), delegates);
  CHECK_THROWS_WITH_AS(store->replaceRoster(broken), doctest::Contains("FOREIGN KEY constraint failed"), StoreError);

  CHECK(store->loadRoster().delegates() == old.delegates());
  CHECK(store->loadDelegateCredentials().size() == 1);
}

TEST_CASE("staff accounts: ids are assigned or kept, usernames unique, roles checked") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    CHECK(store->addStaff({0, "chutoa", "Chủ tọa Nguyễn Văn Hùng", Role::Chair, "$argon2id$a"}) == 1);
    CHECK(store->addStaff({0, "thuky", "Thư ký Lê Thị Mỹ Duyên", Role::Secretary, "$argon2id$b"}) == 2);
    CHECK(store->addStaff({10, "bantochuc", "Ban Tổ chức", Role::Organizer, "$argon2id$c"}) == 10);
    CHECK_THROWS_WITH_AS(store->addStaff({0, "thuky", "Another", Role::Secretary, "x"}),
                         doctest::Contains("UNIQUE constraint failed: staff_accounts.username"), StoreError);
    CHECK_THROWS_WITH_AS(store->addStaff({0, "kiosk", "Kiosk", Role::Kiosk, "x"}),
                         doctest::Contains("chair, secretary or organizer"), StoreError);
  }
  auto store = Store::open(path);
  const auto staff = store->loadStaff();
  REQUIRE(staff.size() == 3);
  CHECK(staff[0].id == 1);
  CHECK(staff[0].username == "chutoa");
  CHECK(staff[0].displayName == "Chủ tọa Nguyễn Văn Hùng");
  CHECK(staff[0].role == Role::Chair);
  CHECK(staff[0].passwordHash == "$argon2id$a");
  CHECK(staff[1].displayName == "Thư ký Lê Thị Mỹ Duyên");
  CHECK(staff[2].id == 10);
  CHECK(staff[2].role == Role::Organizer);
  // A new account never reuses an id (sessions refer to accounts by id).
  CHECK(store->addStaff({0, "thuky2", "Thư ký 2", Role::Secretary, "x"}) == 11);
}

TEST_CASE("devices round-trip and need a device role") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    CHECK(store->addDevice({0, "kiosk-sảnh-A", Role::Kiosk, "1f2e"}) == 1);
    CHECK(store->addDevice({0, "màn-hình-chính", Role::Display, "3d4c"}) == 2);
    CHECK_THROWS_AS(store->addDevice({0, "kiosk-sảnh-A", Role::Kiosk, "5b6a"}), StoreError);
    CHECK_THROWS_AS(store->addDevice({0, "kiosk-2", Role::Kiosk, "1f2e"}), StoreError);  // token reused
    CHECK_THROWS_WITH_AS(store->addDevice({0, "chair", Role::Chair, "7788"}), doctest::Contains("kiosk or display"),
                         StoreError);
  }
  const auto devices = Store::open(path)->loadDevices();
  REQUIRE(devices.size() == 2);
  CHECK(devices[0].name == "kiosk-sảnh-A");
  CHECK(devices[0].role == Role::Kiosk);
  CHECK(devices[0].tokenHash == "1f2e");
  CHECK(devices[1].name == "màn-hình-chính");
  CHECK(devices[1].role == Role::Display);
}

TEST_CASE("delegate credentials: set, replace, bulk, and only for delegates on the roster") {
  TempDir dir;
  ManualClock clock(1'700'000'000'000);
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path, &clock);
  store->replaceRoster(sampleRoster());

  store->setDelegateCredential(credential(1, "$argon2id$old", "badge-old"));
  store->setDelegateCredential(credential(1, "$argon2id$new", "badge-new"));
  store->setDelegateCredential(credential(2, "", "badge-2", true));
  auto loaded = store->loadDelegateCredentials();
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0].pinHash == "$argon2id$new");
  CHECK(loaded[0].badgeTokenHash == "badge-new");
  CHECK_FALSE(loaded[0].badgeUsed);
  CHECK(loaded[1].pinHash.empty());
  CHECK(loaded[1].badgeUsed);
  CHECK(queryInt(path, "SELECT badge_used_ms FROM delegate_credentials WHERE delegate_id = 2") == 1'700'000'000'000);

  // Re-issuing the credential as used keeps the first use time.
  clock.advance(5000);
  store->setDelegateCredential(credential(2, "$argon2id$pin", "badge-2", true));
  CHECK(queryInt(path, "SELECT badge_used_ms FROM delegate_credentials WHERE delegate_id = 2") == 1'700'000'000'000);

  CHECK_THROWS_WITH_AS(store->setDelegateCredential(credential(99, "pin", "badge")),
                       doctest::Contains("FOREIGN KEY constraint failed"), StoreError);

  // A bulk write is all or nothing.
  CHECK_THROWS_AS(store->setDelegateCredentials({credential(3, "p3", "b3"), credential(98, "p", "b")}), StoreError);
  CHECK(store->loadDelegateCredentials().size() == 2);
  store->setDelegateCredentials({credential(3, "p3", "b3"), credential(4, "p4", "b4"), credential(5, "p5", "")});
  loaded = store->loadDelegateCredentials();
  REQUIRE(loaded.size() == 5);
  CHECK(loaded[4].delegateId == 5);
  CHECK(loaded[4].badgeTokenHash.empty());
}

TEST_CASE("sessions: only open, unexpired sessions are loaded") {
  TempDir dir;
  ManualClock clock(1'700'000'100'000);
  const std::string path = dir.file("hall.db");
  const std::int64_t now = 1'700'000'000'000;
  {
    auto store = Store::open(path, &clock);
    auto opened = [](std::string hash, domain::Principal principal, std::int64_t created, std::int64_t expires) {
      return domain::SessionOpened{std::move(hash), std::move(principal), created, expires};
    };
    store->commit({changesOnly({
        opened("aa01", {Role::Delegate, 3, "Lê Hoàng Phương Thảo", "DB003"}, now - 1000, now + 3'600'000),
        opened("aa02", {Role::Chair, 1, "Chủ tọa", "chutoa"}, now - 9'000'000, now - 1),  // expired
        opened("aa03", {Role::Kiosk, 1, "kiosk-sảnh-A", "kiosk-sảnh-A"}, now - 2000, now + 3'600'000),
        opened("aa04", {Role::Secretary, 2, "Thư ký", "thuky"}, now - 500, now + 3'600'000),
    })});
    store->commit({changesOnly({domain::SessionClosed{"aa04"}, domain::SessionClosed{"not-a-session"}})});
  }
  CHECK(queryInt(path, "SELECT closed_ms FROM sessions WHERE token_hash = 'aa04'") == 1'700'000'100'000);

  auto store = Store::open(path);
  const auto sessions = store->loadSessions(now);
  REQUIRE(sessions.size() == 2);
  CHECK(sessions[0].tokenHash == "aa03");  // oldest first
  CHECK(sessions[0].principal.role == Role::Kiosk);
  CHECK(sessions[0].principal.login == "kiosk-sảnh-A");
  CHECK(sessions[1].tokenHash == "aa01");
  CHECK(sessions[1].principal.role == Role::Delegate);
  CHECK(sessions[1].principal.accountId == 3);
  CHECK(sessions[1].principal.displayName == "Lê Hoàng Phương Thảo");
  CHECK(sessions[1].createdMs == now - 1000);
  CHECK(sessions[1].expiresMs == now + 3'600'000);
  // An hour later, everything has expired.
  CHECK(store->loadSessions(now + 3'600'000).empty());
}

TEST_CASE("a read-only store reads what the writer committed and refuses writes") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto writer = Store::open(path);
  writer->saveCongress(sampleCongress());

  auto reader = Store::openReadOnly(path);
  CHECK(reader->loadCongress()->name == sampleCongress().name);

  ChainHead head;
  Commit commit;
  commit.events = daihoi::store::test::nextEvents(head, 3);
  writer->commit({commit});
  CHECK(reader->loadEvents(0, 10).size() == 3);  // sees the writer's later commit
  CHECK(reader->chainHead() == head);

  CHECK_THROWS_WITH_AS(reader->saveCongress(sampleCongress()), doctest::Contains("read-only"), StoreError);
  CHECK_THROWS_AS(reader->commit({commit}), StoreError);
}
