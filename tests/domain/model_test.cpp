#include <doctest/doctest.h>

#include <stdexcept>

#include "domain/model.hpp"

using namespace daihoi::domain;

TEST_CASE("quorum of two thirds is rounded up") {
  const Fraction twoThirds{2, 3};
  CHECK(twoThirds.atLeastOf(500) == 334);  // 333 * 3 = 999 < 1000
  CHECK(twoThirds.atLeastOf(3) == 2);
  CHECK(twoThirds.atLeastOf(1) == 1);
  CHECK(twoThirds.atLeastOf(2) == 2);
  CHECK(twoThirds.atLeastOf(6) == 4);
  CHECK(twoThirds.atLeastOf(0) == 0);
}

TEST_CASE("half: exactly half is at least half") {
  const Fraction half{1, 2};
  CHECK(half.atLeastOf(4) == 2);
  CHECK(half.atLeastOf(5) == 3);
  CHECK(half.atLeastOf(1) == 1);
  CHECK(half.atLeastOf(0) == 0);
}

TEST_CASE("fraction arithmetic is exact near the 32-bit limit") {
  const std::uint32_t max = 0xFFFFFFFFu;
  CHECK(Fraction{1, 1}.atLeastOf(max) == max);
  CHECK(Fraction{2, 3}.atLeastOf(max) == 2863311530u);  // 2 * (2^32 - 1) / 3 is exact
  CHECK(Fraction{1, 2}.atLeastOf(max) == 2147483648u);
  CHECK(Fraction{0xFFFFFFFEu, 0xFFFFFFFFu}.atLeastOf(max) == 0xFFFFFFFEu);
  CHECK(Fraction{0, 5}.atLeastOf(100) == 0);
}

TEST_CASE("an invalid fraction is a programming error") {
  CHECK_FALSE(Fraction{1, 0}.isValid());
  CHECK_FALSE(Fraction{4, 3}.isValid());
  CHECK(Fraction{3, 3}.isValid());
  CHECK_THROWS_AS((Fraction{1, 0}.atLeastOf(10)), std::invalid_argument);
  CHECK_THROWS_AS((Fraction{4, 3}.atLeastOf(10)), std::invalid_argument);
}

namespace {
Roster smallRoster() {
  std::vector<Delegation> delegations{{1, "Đoàn Hà Nội"}, {2, "Đoàn Đà Nẵng"}};
  // Built one by one: GCC 12 warns falsely (-Wmaybe-uninitialized) on a braced list of these.
  auto delegate = [](std::uint32_t id, std::string code, std::string name, std::uint32_t delegation,
                     std::string seat, std::uint32_t row, std::uint32_t column, bool voting,
                     std::vector<std::string> photos) {
    Delegate d;
    d.id = id;
    d.code = std::move(code);
    d.fullName = std::move(name);
    d.delegationId = delegation;
    d.seat = Seat{std::move(seat), row, column};
    d.voting = voting;
    d.photoFiles = std::move(photos);
    return d;
  };
  std::vector<Delegate> delegates;
  delegates.push_back(delegate(1, "HN-001", "Nguyễn Văn An", 1, "A-01", 1, 1, true, {}));
  delegates.push_back(delegate(2, "HN-002", "Trần Thị Bích", 1, "A-02", 1, 2, true, {"bich.jpg"}));
  delegates.push_back(delegate(3, "DN-001", "Lê Hoàng Cường", 2, "B-01", 2, 1, false, {}));
  return Roster(delegations, delegates);
}
}  // namespace

TEST_CASE("roster lookups") {
  const Roster roster = smallRoster();
  REQUIRE(roster.findById(2) != nullptr);
  CHECK(roster.findById(2)->fullName == "Trần Thị Bích");
  CHECK(roster.findById(4) == nullptr);
  CHECK(roster.findById(0) == nullptr);
  REQUIRE(roster.findByCode("DN-001") != nullptr);
  CHECK(roster.findByCode("DN-001")->id == 3);
  CHECK(roster.findByCode("dn-001") == nullptr);
  CHECK(roster.findByCode("") == nullptr);
  REQUIRE(roster.findDelegation(2) != nullptr);
  CHECK(roster.findDelegation(2)->name == "Đoàn Đà Nẵng");
  CHECK(roster.findDelegation(3) == nullptr);
  CHECK(roster.summoned() == 2);  // the guest has no vote
  CHECK(Roster().summoned() == 0);
}

TEST_CASE("a copied roster keeps working lookups") {
  Roster copy;
  {
    const Roster original = smallRoster();
    copy = original;
  }
  REQUIRE(copy.findByCode("HN-002") != nullptr);
  CHECK(copy.findByCode("HN-002") == &copy.delegates()[1]);
}

TEST_CASE("a roster with ambiguous ids or codes is refused") {
  const std::vector<Delegation> delegations{{1, "Đoàn Hà Nội"}};
  CHECK_THROWS_AS(Roster(delegations, {{1, "HN-001", "A", 1, {}, true, {}}, {1, "HN-002", "B", 1, {}, true, {}}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(Roster(delegations, {{1, "HN-001", "A", 1, {}, true, {}}, {2, "HN-001", "B", 1, {}, true, {}}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(Roster({{1, "X"}, {1, "Y"}}, {}), std::invalid_argument);
}
