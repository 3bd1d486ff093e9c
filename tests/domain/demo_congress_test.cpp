#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "domain/demo_congress.hpp"

using namespace daihoi::domain;

TEST_CASE("the demo congress is deterministic for a seed") {
  const DemoCongress a = makeDemoCongress();
  const DemoCongress b = makeDemoCongress();
  CHECK(a.congress == b.congress);
  CHECK(a.roster.delegations() == b.roster.delegations());
  CHECK(a.roster.delegates() == b.roster.delegates());
  const DemoCongress again = makeDemoCongress(500, 15, 2026);
  CHECK(again.roster.delegates() == a.roster.delegates());
  // Pinned values: the generator is fully specified (splitmix64), so these hold
  // on every platform; demo data is referred to in docs and load tests.
  CHECK(a.roster.delegates().front().fullName == "Đỗ Minh Hải");
  CHECK(a.roster.findByCode("HCM-035")->fullName == "Phan Thanh Cường");
  CHECK(a.roster.delegates().back().code == "BN-018");
  CHECK(a.roster.delegates().back().seat == Seat{"O-18", 32, 18});
  CHECK_FALSE(a.roster.findById(3)->voting);
  const DemoCongress other = makeDemoCongress(500, 15, 7);
  CHECK(other.roster.delegates() != a.roster.delegates());
}

TEST_CASE("the default demo congress: 500 delegates in 15 delegations") {
  const DemoCongress demo = makeDemoCongress();
  const Congress& congress = demo.congress;
  CHECK(congress.name == "Đại hội đại biểu lần thứ XV");
  CHECK(congress.venue == "Trung tâm Hội nghị Quốc gia, Hà Nội");
  CHECK(congress.term == "2026–2031");
  CHECK(congress.startsOn == "2026-01-19");
  CHECK(congress.endsOn == "2026-01-23");
  CHECK(congress.quorum == Fraction{2, 3});

  const Roster& roster = demo.roster;
  REQUIRE(roster.delegates().size() == 500);
  REQUIRE(roster.delegations().size() == 15);
  CHECK(roster.findDelegation(1)->name == "Đoàn Hà Nội");
  CHECK(roster.findDelegation(2)->name == "Đoàn Thành phố Hồ Chí Minh");

  std::set<std::string> delegationNames;
  for (std::size_t i = 0; i < roster.delegations().size(); ++i) {
    CHECK(roster.delegations()[i].id == i + 1);
    CHECK(roster.delegations()[i].name.rfind("Đoàn ", 0) == 0);
    delegationNames.insert(roster.delegations()[i].name);
  }
  CHECK(delegationNames.size() == 15);

  std::set<std::string> codes;
  std::set<std::string> seats;
  std::set<std::pair<std::uint32_t, std::uint32_t>> positions;
  std::map<std::uint32_t, std::uint32_t> sizes;
  std::uint32_t guests = 0;
  std::uint32_t women = 0;
  for (std::size_t i = 0; i < roster.delegates().size(); ++i) {
    const Delegate& d = roster.delegates()[i];
    CHECK(d.id == i + 1);
    codes.insert(d.code);
    seats.insert(d.seat.label);
    positions.insert({d.seat.row, d.seat.column});
    CHECK(d.seat.row >= 1);
    CHECK(d.seat.column >= 1);
    CHECK(roster.findDelegation(d.delegationId) != nullptr);
    CHECK(d.photoFiles.empty());
    ++sizes[d.delegationId];
    guests += d.voting ? 0 : 1;
    // Three words, with Vietnamese letters outside ASCII somewhere in the roster.
    CHECK(std::count(d.fullName.begin(), d.fullName.end(), ' ') == 2);
    if (d.fullName.find(" Thị ") != std::string::npos) {
      ++women;
    }
  }
  CHECK(codes.size() == 500);
  CHECK(seats.size() == 500);
  CHECK(positions.size() == 500);
  CHECK(guests == 15);  // 3%
  CHECK(roster.summoned() == 485);
  CHECK(women > 50);
  CHECK(women < 200);

  const auto [smallest, largest] = std::minmax_element(
      sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  CHECK(smallest->second >= 10);
  CHECK(largest->second > 2 * smallest->second);  // delegations differ in size

  const Delegate& first = roster.delegates().front();
  CHECK(first.code == "HN-001");
  CHECK(first.seat.label == "A-01");
  CHECK(first.seat.row == 1);
  CHECK(first.seat.column == 1);
}

TEST_CASE("demo names carry diacritics and use common family names") {
  const DemoCongress demo = makeDemoCongress();
  std::uint32_t withDiacritics = 0;
  std::uint32_t nguyen = 0;
  for (const Delegate& d : demo.roster.delegates()) {
    const bool nonAscii = std::any_of(d.fullName.begin(), d.fullName.end(),
                                      [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    withDiacritics += nonAscii ? 1 : 0;
    nguyen += d.fullName.rfind("Nguyễn ", 0) == 0 ? 1 : 0;
    // "Thị" is a woman's middle name: never paired with a man's given name.
    if (d.fullName.find(" Thị ") != std::string::npos) {
      CHECK(d.fullName.find(" Thị Hùng") == std::string::npos);
      CHECK(d.fullName.find(" Thị Dũng") == std::string::npos);
    }
  }
  CHECK(withDiacritics > 450);
  CHECK(nguyen > 120);  // about 38% of Vietnamese people are Nguyễn
  CHECK(nguyen < 260);
}

TEST_CASE("demo codes and seats follow the delegation blocks") {
  const DemoCongress demo = makeDemoCongress(120, 4, 99);
  const Roster& roster = demo.roster;
  REQUIRE(roster.delegates().size() == 120);
  for (const Delegate& d : roster.delegates()) {
    const char block = static_cast<char>('A' + d.delegationId - 1);
    CHECK(d.seat.label[0] == block);
    CHECK(d.seat.label[1] == '-');
    CHECK(d.code.find('-') != std::string::npos);
  }
  CHECK(roster.findByCode("HN-001") != nullptr);
  CHECK(roster.findByCode("HCM-001") != nullptr);
  CHECK(roster.findByCode("QD-001") != nullptr);
  CHECK(roster.findByCode("CA-001") != nullptr);
}

TEST_CASE("demo sizes at the edges") {
  const DemoCongress tiny = makeDemoCongress(3, 5, 1);
  CHECK(tiny.roster.delegates().size() == 3);
  CHECK(tiny.roster.delegations().size() == 5);
  const DemoCongress all = makeDemoCongress(2000, kMaxDemoDelegations, 1);
  CHECK(all.roster.delegates().size() == 2000);
  CHECK(all.roster.delegations().size() == kMaxDemoDelegations);
  CHECK(makeDemoCongress(0, 1, 1).roster.delegates().empty());
  CHECK_THROWS_AS(makeDemoCongress(10, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(makeDemoCongress(10, kMaxDemoDelegations + 1, 1), std::invalid_argument);
}
