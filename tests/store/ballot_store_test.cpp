#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/bytes.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::store::test::queryInt;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;

namespace {

constexpr std::int64_t kT0 = 1'760'000'000'000;

// Builds commits whose events continue the hash chain.
struct Chain {
  ChainHead head;

  Commit commit(const std::string& body, std::vector<domain::Change> changes, std::uint32_t audienceBallot = 0) {
    EventRow event;
    event.seq = head.seq + 1;
    event.timeMs = kT0 + static_cast<std::int64_t>(event.seq);
    event.audienceRoles = domain::RoleSet::all().bits();
    event.audienceBallot = audienceBallot;
    event.body = body;
    event.hash = chainHash(head.hash, event.body);
    head = ChainHead{event.seq, event.hash};
    Commit result;
    result.events = {std::move(event)};
    result.changes = std::move(changes);
    return result;
  }
};

domain::ReceiptHash receipt(const std::string& seed) { return std::string(daihoi::asBytes(daihoi::sha256(seed))); }

domain::BallotDefinition namedMotion(std::uint32_t id) {
  domain::BallotDefinition definition;
  definition.id = id;
  definition.title = "Thông qua Nghị quyết Đại hội";
  definition.agendaItem = "Phần IV: Biểu quyết thông qua Nghị quyết";
  definition.kind = domain::BallotKind::Motion;
  definition.mode = domain::BallotMode::Named;
  definition.options = {"Tán thành", "Không tán thành", "Không biểu quyết"};
  definition.majority = {domain::MajorityBase::Summoned, domain::Threshold::MoreThan, {1, 2}};
  definition.participationQuorum = {1, 2};
  definition.allowChanges = true;
  definition.confirmationRequired = true;
  definition.durationMs = 300'000;
  return definition;
}

domain::BallotDefinition secretElection(std::uint32_t id) {
  domain::BallotDefinition definition;
  definition.id = id;
  definition.title = "Bầu Ban Chấp hành Đảng bộ tỉnh khóa XVIII";
  definition.agendaItem = "Phần III: Bầu cử";
  definition.kind = domain::BallotKind::Election;
  definition.mode = domain::BallotMode::Secret;
  definition.options = {"Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu", "Phạm Đức Dũng", "Võ Thị Én"};
  definition.seats = 2;
  definition.minSelections = 0;
  definition.maxSelections = 2;
  definition.majority = {domain::MajorityBase::ValidBallots, domain::Threshold::MoreThan, {1, 2}};
  definition.emptyBallot = domain::EmptyBallot::Blank;
  definition.participationQuorum = {2, 3};
  definition.requireCongressQuorum = false;
  return definition;
}

domain::VoteCast vote(std::uint32_t ballotId, std::uint32_t delegateId, std::vector<std::uint32_t> choices, bool secret,
                      const std::string& receiptSeed) {
  domain::VoteCast change;
  change.ballotId = ballotId;
  change.delegateId = delegateId;
  change.choices = std::move(choices);
  change.receiptHash = receipt(receiptSeed);
  change.secret = secret;
  return change;
}

const domain::BallotState& ballotWithId(const std::vector<domain::BallotState>& ballots, std::uint32_t id) {
  const auto found = std::find_if(ballots.begin(), ballots.end(),
                                  [id](const domain::BallotState& ballot) { return ballot.definition.id == id; });
  REQUIRE(found != ballots.end());
  return *found;
}

std::vector<std::vector<std::uint32_t>> sortedSecretChoices(const domain::BallotState& ballot) {
  std::vector<std::vector<std::uint32_t>> choices;
  for (const domain::SecretVote& secret : ballot.secret) {
    choices.push_back(secret.choices);
  }
  std::sort(choices.begin(), choices.end());
  return choices;
}

// A database file opened with the plain sqlite3 API, as someone holding a
// copy of the file would: no Store, no migrations, no triggers of ours.
class RawFile {
 public:
  explicit RawFile(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      FAIL("cannot open " << path << ": " << sqlite3_errmsg(db_));
    }
  }
  ~RawFile() { sqlite3_close(db_); }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;

  // Every row, each column's bytes as they are stored.
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK, sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> result;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int column = 0; column < sqlite3_column_count(statement); ++column) {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
        row.emplace_back(bytes == nullptr ? "" : std::string(bytes, sqlite3_column_bytes(statement, column)));
      }
      result.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return result;
  }

  bool prepares(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    const bool ok = sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK;
    sqlite3_finalize(statement);
    return ok;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Spearman's rank correlation of two orderings of the same n items:
// `order[i]` is the rank, in the second ordering, of the item at rank i in the first.
double spearman(const std::vector<std::size_t>& order) {
  const double n = static_cast<double>(order.size());
  double squares = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const double difference = static_cast<double>(i) - static_cast<double>(order[i]);
    squares += difference * difference;
  }
  return 1.0 - 6.0 * squares / (n * (n * n - 1.0));
}

// Kendall's S summed over the pairs of cells that share a page, as a z score
// under independence: whether cells lie in the page in the order they arrived.
// `offsetAndArrival` is sorted by offset.
double withinPageConcordance(const std::vector<std::pair<std::size_t, std::size_t>>& offsetAndArrival,
                             std::size_t pageSize) {
  double s = 0;
  double variance = 0;
  for (std::size_t begin = 0; begin < offsetAndArrival.size();) {
    const std::size_t page = offsetAndArrival[begin].first / pageSize;
    std::size_t end = begin;
    while (end < offsetAndArrival.size() && offsetAndArrival[end].first / pageSize == page) {
      ++end;
    }
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = i + 1; j < end; ++j) {
        s += offsetAndArrival[i].second < offsetAndArrival[j].second ? 1 : -1;
      }
    }
    const double k = static_cast<double>(end - begin);
    variance += k * (k - 1) * (2 * k + 5) / 18;
    begin = end;
  }
  return variance == 0 ? 0 : s / std::sqrt(variance);
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

TEST_CASE("voting rules, the counting committee and ballots round-trip through commit and load") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  auto store = Store::open(path);

  SUBCASE("the Party statute preset while no rules were chosen; no ballots, no committee") {
    const auto rules = store->loadVotingRules();
    CHECK(rules.preset == domain::RulePreset::PartyStatute);
    CHECK(rules.rules == domain::presetRules(domain::RulePreset::PartyStatute));
    CHECK(store->loadBallots().empty());
    CHECK(store->loadCountingCommittee().empty());
    return;
  }

  Chain chain;
  domain::VotingRulesChosen rules{domain::RulePreset::Generic, domain::presetRules(domain::RulePreset::Generic)};
  rules.rules.election = {domain::MajorityBase::PresentEligible, domain::Threshold::AtLeast, {2, 3}};
  rules.rules.participationQuorum = {1, 2};
  const domain::BallotDefinition motion = namedMotion(1);
  const domain::BallotDefinition election = secretElection(2);
  domain::BallotDefinition runoff = secretElection(5);
  runoff.title = "Bầu Ban Chấp hành (vòng 2)";
  runoff.runoffOf = 2;
  domain::BallotDefinition withdrawn = namedMotion(3);
  withdrawn.allowChanges = false;
  withdrawn.options = {"Đồng ý", "Không đồng ý"};

  store->commit(
      {chain.commit("rules", {rules, domain::CountingCommitteeAppointed{{2, 4, 9}}}),
       chain.commit("drafts",
                    {domain::BallotDrafted{motion, kT0 + 1}, domain::BallotDrafted{election, kT0 + 2},
                     domain::BallotDrafted{withdrawn, kT0 + 3}, domain::BallotDrafted{namedMotion(4), kT0 + 4}})});
  store->commit({chain.commit("committee", {domain::CountingCommitteeAppointed{{4, 9, 11}}}),
                 chain.commit("open 1", {domain::BallotOpened{1, kT0 + 10, kT0 + 300'010, {1, 2, 3, 4}, 5}}, 1),
                 chain.commit("open 2", {domain::BallotOpened{2, kT0 + 11, 0, {1, 2, 3, 4, 6}, 6}}, 2),
                 chain.commit("open 4", {domain::BallotOpened{4, kT0 + 12, 0, {2, 3}, 5}}, 4)});

  auto replacement = vote(1, 2, {0}, false, "1/2 again");
  replacement.replacesEarlierVote = true;
  store->commit({chain.commit("votes", {vote(1, 1, {0}, false, "1/1"), vote(1, 2, {1}, false, "1/2"),
                                        vote(2, 1, {0, 3}, true, "2/1"), vote(2, 4, {}, true, "2/4")}),
                 chain.commit("more votes", {vote(1, 3, {2}, false, "1/3"), vote(2, 6, {1, 3}, true, "2/6")})});
  store->commit({chain.commit("change", {replacement})});
  store->commit(
      {chain.commit("close", {domain::BallotClosed{1, kT0 + 300'010, true}, domain::BallotClosed{2, kT0 + 500, false}}),
       chain.commit("cancel", {domain::BallotCancelled{3, kT0 + 501, "Rút khỏi chương trình"},
                               domain::BallotCancelled{4, kT0 + 502, "Sai danh sách"},
                               domain::BallotDrafted{runoff, kT0 + 503}})});
  // Two confirmations in the same millisecond keep their commit order.
  store->commit(
      {chain.commit("confirm", {domain::TallyConfirmed{1, 9, kT0 + 600}, domain::TallyConfirmed{1, 4, kT0 + 600}}),
       chain.commit("confirm", {domain::TallyConfirmed{1, 11, kT0 + 601}}),
       chain.commit("publish", {domain::BallotPublished{1, kT0 + 700}}, 1)});

  const auto check = [&](Store& loaded) {
    const auto loadedRules = loaded.loadVotingRules();
    CHECK(loadedRules.preset == rules.preset);
    CHECK(loadedRules.rules == rules.rules);
    CHECK(loaded.loadCountingCommittee() == std::vector<std::uint32_t>{4, 9, 11});

    const auto ballots = loaded.loadBallots();
    REQUIRE(ballots.size() == 5);
    for (std::size_t i = 0; i < ballots.size(); ++i) {
      CHECK(ballots[i].definition.id == i + 1);
      CHECK_FALSE(ballots[i].tally.has_value());
    }

    const domain::BallotState& first = ballotWithId(ballots, 1);
    CHECK(first.definition == motion);
    CHECK(first.status == domain::BallotStatus::Published);
    CHECK(first.createdMs == kT0 + 1);
    CHECK(first.openedMs == kT0 + 10);
    CHECK(first.deadlineMs == kT0 + 300'010);
    CHECK(first.closedMs == kT0 + 300'010);
    CHECK(first.closedByDeadline);
    CHECK(first.publishedMs == kT0 + 700);
    CHECK(first.cancelledMs == 0);
    CHECK(*first.eligible == std::vector<std::uint32_t>{1, 2, 3, 4});
    CHECK(first.summoned == 5);
    CHECK(first.voted == std::unordered_set<std::uint32_t>{1, 2, 3});
    CHECK(first.named.size() == 3);
    CHECK(first.named.at(1) == domain::NamedVote{{0}, receipt("1/1")});
    CHECK(first.named.at(2) == domain::NamedVote{{0}, receipt("1/2 again")});
    CHECK(first.named.at(3) == domain::NamedVote{{2}, receipt("1/3")});
    CHECK(first.secret.empty());
    CHECK(first.receipts == std::unordered_set<std::string>{receipt("1/1"), receipt("1/2 again"), receipt("1/3")});
    CHECK(first.confirmedBy == std::vector<std::uint32_t>{9, 4, 11});

    const domain::BallotState& second = ballotWithId(ballots, 2);
    CHECK(second.definition == election);
    CHECK(second.status == domain::BallotStatus::Closed);
    CHECK(second.deadlineMs == 0);
    CHECK(second.closedMs == kT0 + 500);
    CHECK_FALSE(second.closedByDeadline);
    CHECK(*second.eligible == std::vector<std::uint32_t>{1, 2, 3, 4, 6});
    CHECK(second.summoned == 6);
    CHECK(second.voted == std::unordered_set<std::uint32_t>{1, 4, 6});
    CHECK(second.named.empty());
    CHECK(sortedSecretChoices(second) == std::vector<std::vector<std::uint32_t>>{{}, {0, 3}, {1, 3}});
    CHECK(second.receipts == std::unordered_set<std::string>{receipt("2/1"), receipt("2/4"), receipt("2/6")});
    CHECK(second.confirmedBy.empty());

    const domain::BallotState& third = ballotWithId(ballots, 3);
    CHECK(third.definition == withdrawn);
    CHECK(third.status == domain::BallotStatus::Cancelled);
    CHECK(third.openedMs == 0);
    CHECK(third.eligible->empty());
    CHECK(third.cancelledMs == kT0 + 501);
    CHECK(third.cancelReason == "Rút khỏi chương trình");

    const domain::BallotState& fourth = ballotWithId(ballots, 4);
    CHECK(fourth.status == domain::BallotStatus::Cancelled);
    CHECK(fourth.openedMs == kT0 + 12);
    CHECK(*fourth.eligible == std::vector<std::uint32_t>{2, 3});
    CHECK(fourth.cancelReason == "Sai danh sách");

    const domain::BallotState& fifth = ballotWithId(ballots, 5);
    CHECK(fifth.definition == runoff);
    CHECK(fifth.status == domain::BallotStatus::Draft);
    CHECK(fifth.createdMs == kT0 + 503);
  };
  check(*store);
  CHECK(store->chainHead() == chain.head);
  const auto events = store->loadEvents(0, 100);
  REQUIRE(events.size() == chain.head.seq);
  CHECK(events[3].audienceBallot == 1);
  CHECK(events[4].audienceBallot == 2);
  CHECK(events[0].audienceBallot == 0);
  CHECK(events.back().audienceBallot == 1);

  store.reset();
  check(*Store::openReadOnly(path));
}

TEST_CASE("a ballot change that does not fit the stored ballot rolls back the whole group") {
  TempDir dir;
  auto store = Store::open(dir.file("hall.db"));
  Chain chain;
  domain::BallotDefinition fixedVote = namedMotion(3);
  fixedVote.allowChanges = false;
  store->commit({chain.commit(
      "setup", {domain::BallotDrafted{namedMotion(1), kT0}, domain::BallotDrafted{secretElection(2), kT0},
                domain::BallotDrafted{fixedVote, kT0}, domain::BallotOpened{1, kT0, 0, {1, 2, 3}, 3},
                domain::BallotOpened{2, kT0, 0, {1, 2, 3}, 3}, domain::BallotOpened{3, kT0, 0, {1, 2, 3}, 3},
                vote(1, 1, {0}, false, "a"), vote(2, 1, {0}, true, "b"), vote(3, 1, {0}, false, "c")})});
  const ChainHead headBefore = store->chainHead();

  ChainHead staleHead = headBefore;
  Chain rejected{staleHead};
  std::vector<domain::Change> bad;
  std::string expected;
  SUBCASE("opening a ballot that is already open") {
    bad = {domain::BallotOpened{1, kT0, 0, {1}, 1}};
    expected = "cannot open ballot 1: no such ballot is a draft";
  }
  SUBCASE("publishing a ballot that is not closed") {
    bad = {domain::BallotPublished{2, kT0}};
    expected = "cannot publish ballot 2";
  }
  SUBCASE("a vote by a delegate who is not eligible") {
    bad = {vote(1, 7, {0}, false, "x")};
    expected = "the delegate is not eligible";
  }
  SUBCASE("a second vote without replacement") {
    bad = {vote(1, 1, {1}, false, "x")};
    expected = "UNIQUE constraint failed";
  }
  SUBCASE("a replacement in a secret ballot") {
    auto change = vote(2, 1, {1}, true, "x");
    change.replacesEarlierVote = true;
    bad = {change};
    expected = "a vote cannot be replaced";
  }
  SUBCASE("a replacement in a ballot that does not allow changes") {
    auto change = vote(3, 1, {1}, false, "x");
    change.replacesEarlierVote = true;
    bad = {change};
    expected = "a vote changes only in an open ballot that allows changes";
  }
  SUBCASE("secret contents for a named ballot") {
    bad = {vote(1, 2, {0}, true, "x")};
    expected = "the ballot is not a secret ballot";
  }
  SUBCASE("a receipt hash counted twice in a secret ballot") {
    bad = {vote(2, 2, {0}, true, "b")};
    expected = "UNIQUE constraint failed";
  }
  // A valid change first: it must be rolled back with the rest.
  CHECK_THROWS_WITH_AS(
      store->commit({rejected.commit("good", {domain::CountingCommitteeAppointed{{5}}}), rejected.commit("bad", bad)}),
      doctest::Contains(expected.c_str()), StoreError);
  CHECK(store->chainHead() == headBefore);
  CHECK(store->loadCountingCommittee().empty());
  const auto ballots = store->loadBallots();
  CHECK(ballotWithId(ballots, 1).status == domain::BallotStatus::Open);
  CHECK(ballotWithId(ballots, 1).voted == std::unordered_set<std::uint32_t>{1});
  CHECK(ballotWithId(ballots, 2).secret.size() == 1);
  CHECK_FALSE(store->scrubIfNeeded());
}

TEST_CASE("votes, participation and confirmations cannot be deleted or altered behind the store's back") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    Chain chain;
    domain::BallotDefinition fixedVote = namedMotion(3);
    fixedVote.allowChanges = false;
    store->commit({chain.commit(
        "setup", {domain::BallotDrafted{namedMotion(1), kT0}, domain::BallotDrafted{secretElection(2), kT0},
                  domain::BallotDrafted{fixedVote, kT0}, domain::BallotOpened{1, kT0, 0, {1, 2}, 2},
                  domain::BallotOpened{2, kT0, 0, {1, 2}, 2}, domain::BallotOpened{3, kT0, 0, {1, 2}, 2},
                  vote(1, 1, {0}, false, "a"), vote(2, 1, {0}, true, "b"), vote(3, 1, {0}, false, "c"),
                  domain::BallotClosed{3, kT0 + 1, false}, domain::TallyConfirmed{3, 2, kT0 + 2}})});
  }
  Database raw(path);
  for (const std::string sql : {"DELETE FROM ballot_participation", "UPDATE ballot_participation SET delegate_id = 2",
                                "DELETE FROM secret_votes", "UPDATE secret_votes SET choices = '1'",
                                "UPDATE secret_votes SET vote_key = randomblob(16)", "DELETE FROM tally_confirmations",
                                "UPDATE tally_confirmations SET time_ms = 0", "DELETE FROM ballot_eligible",
                                "DELETE FROM ballot_options", "UPDATE ballot_options SET label = 'x'"}) {
    CAPTURE(sql);
    CHECK_THROWS_WITH_AS(raw.exec(sql), doctest::Contains("append-only"), StoreError);
  }
  CHECK_THROWS_WITH_AS(raw.exec("DELETE FROM named_votes"), doctest::Contains("never deleted"), StoreError);
  CHECK_THROWS_WITH_AS(raw.exec("UPDATE named_votes SET choices = '1' WHERE ballot_id = 3"),
                       doctest::Contains("a vote changes only in an open ballot that allows changes"), StoreError);
  CHECK_THROWS_WITH_AS(raw.exec("UPDATE named_votes SET delegate_id = 2 WHERE ballot_id = 1"),
                       doctest::Contains("a vote changes only"), StoreError);
  CHECK_THROWS_WITH_AS(raw.exec("DELETE FROM ballots"), doctest::Contains("ballots are never deleted"), StoreError);
  // Even together with a status change the store could make.
  CHECK_THROWS_WITH_AS(raw.exec("UPDATE ballots SET mode = 1, status = 3 WHERE id = 2"),
                       doctest::Contains("definition never changes"), StoreError);
  CHECK_THROWS_WITH_AS(raw.exec("UPDATE ballots SET status = 2 WHERE id = 3"),
                       doctest::Contains("only by moving its status forward"), StoreError);
  CHECK_THROWS_WITH_AS(raw.exec("UPDATE ballots SET closed_ms = 0 WHERE id = 3"),
                       doctest::Contains("only by moving its status forward"), StoreError);
  // The change the store makes for a replaced vote is allowed.
  raw.exec("UPDATE named_votes SET choices = '1' WHERE ballot_id = 1 AND delegate_id = 1");
  CHECK(queryInt(path, "SELECT COUNT(*) FROM secret_votes") == 1);
  CHECK(queryInt(path, "SELECT COUNT(*) FROM ballot_participation") == 3);
}

TEST_CASE("a version 2 database migrates to the voting schema; old events address no ballot") {
  TempDir dir;
  const std::string path = dir.file("v2.db");
  {
    std::ifstream fixture(std::string(DAIHOI_STORE_FIXTURES) + "/schema_v1.sql", std::ios::binary);
    REQUIRE(fixture.good());
    std::ostringstream sql;
    sql << fixture.rdbuf();
    Database raw(path);
    raw.exec(sql.str());
    // Version 2 exactly as a build of that version applied it.
    raw.exec(migrations()[1].sql);
    raw.exec("INSERT INTO schema_version (version, applied_ms) VALUES (2, 1697000000000)");
  }
  REQUIRE(queryInt(path, "SELECT MAX(version) FROM schema_version") == 2);

  auto store = Store::open(path);
  CHECK(store->schemaVersion() == latestSchemaVersion());
  const auto events = store->loadEvents(0, 10);
  REQUIRE(events.size() == 2);
  for (const EventRow& event : events) {
    CHECK(event.audienceBallot == 0);
  }
  CHECK(store->loadBallots().empty());
  CHECK(store->loadVotingRules().preset == domain::RulePreset::PartyStatute);

  // The chain continues, and the new tables work.
  Chain chain{store->chainHead()};
  store->commit({chain.commit("draft",
                              {domain::BallotDrafted{namedMotion(1), kT0}, domain::BallotOpened{1, kT0, 0, {1, 2}, 2},
                               vote(1, 2, {1}, false, "v")},
                              1)});
  CHECK(store->loadEvents(2, 10).at(0).audienceBallot == 1);
  CHECK(ballotWithId(store->loadBallots(), 1).named.at(2).choices == std::vector<std::uint32_t>{1});
}

TEST_CASE("a secret ballot stays secret on disk: no voter, no time, no arrival order") {
  constexpr std::uint32_t kVoters = 500;
  constexpr std::uint32_t kBallot = 1;
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const std::string walPath = path + "-wal";

  std::vector<std::uint32_t> eligible;
  for (std::uint32_t id = 1; id <= kVoters; ++id) {
    eligible.push_back(id);
  }
  // The order in which delegates vote; fixed so that a failure can be replayed.
  std::vector<std::uint32_t> votingOrder = eligible;
  std::mt19937 random(20251014);
  std::shuffle(votingOrder.begin(), votingOrder.end(), random);

  std::unordered_map<std::string, std::size_t> arrivalByReceipt;
  {
    auto store = Store::open(path);
    REQUIRE(store->connectionSettings().secureDelete);
    Chain chain;
    store->commit({chain.commit("draft and open", {domain::BallotDrafted{secretElection(kBallot), kT0},
                                                   domain::BallotOpened{kBallot, kT0, 0, eligible, kVoters}})});

    // Groups of varying sizes, many of a single vote, as they come from the Writer.
    const std::vector<std::size_t> groupSizes{1, 1, 3, 1, 7, 2, 1, 1, 15, 5, 1, 30, 1, 2, 9, 1, 60, 4};
    std::size_t next = 0;
    for (std::size_t g = 0; next < votingOrder.size(); ++g) {
      std::vector<Commit> group;
      const std::size_t size = g < groupSizes.size() ? groupSizes[g] : 1;
      for (std::size_t i = 0; i < size && next < votingOrder.size(); ++i, ++next) {
        const std::uint32_t delegateId = votingOrder[next];
        // Choices depend on the arrival, so that contents could betray the order if kept in it.
        std::vector<std::uint32_t> choices{static_cast<std::uint32_t>(next % 5)};
        if (next % 3 == 0) {
          choices.push_back(4);
          choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
        }
        domain::VoteCast change = vote(kBallot, delegateId, choices, true, "");
        change.receiptHash = daihoi::randomBytes(32);
        arrivalByReceipt.emplace(change.receiptHash, next);
        // The event records participation only.
        group.push_back(chain.commit("đã bỏ phiếu: đại biểu " + std::to_string(delegateId), {change}, kBallot));
      }
      store->commit(group);
    }
    CHECK_FALSE(store->scrubIfNeeded());
    CHECK(std::filesystem::file_size(walPath) > 0);

    store->commit({chain.commit("close", {domain::BallotClosed{kBallot, kT0 + 1000, false}}, kBallot)});
    CHECK(store->scrubIfNeeded());
    CHECK_FALSE(store->scrubIfNeeded());
    // (c) Neither file keeps pages in arrival order: the WAL is empty.
    CHECK(std::filesystem::file_size(walPath) == 0);

    const auto loaded = ballotWithId(store->loadBallots(), kBallot);
    CHECK(loaded.voted.size() == kVoters);
    CHECK(loaded.secret.size() == kVoters);
  }
  CHECK((!std::filesystem::exists(walPath) || std::filesystem::file_size(walPath) == 0));
  const std::string fileBytes = readFile(path);

  RawFile file(path);
  // (a) The contents table names no voter: exactly these columns, no foreign
  // key but to the ballot, no rowid, and no integer besides the ballot id.
  std::vector<std::string> columns;
  for (const auto& row : file.rows("SELECT name, type FROM pragma_table_info('secret_votes') ORDER BY cid")) {
    columns.push_back(row[0] + " " + row[1]);
  }
  CHECK(columns == std::vector<std::string>{"ballot_id INTEGER", "vote_key BLOB", "choices TEXT", "receipt_hash BLOB"});
  for (const auto& row : file.rows("SELECT \"table\", \"from\" FROM pragma_foreign_key_list('secret_votes')")) {
    CHECK(row == std::vector<std::string>{"ballots", "ballot_id"});
  }
  CHECK_FALSE(file.prepares("SELECT rowid FROM secret_votes"));
  CHECK(file.rows("SELECT 1 FROM secret_votes WHERE typeof(vote_key) <> 'blob' OR typeof(choices) <> 'text' "
                  "OR typeof(receipt_hash) <> 'blob' OR ballot_id <> 1")
            .empty());
  // Participation holds no time either.
  std::vector<std::string> participationColumns;
  for (const auto& row : file.rows("SELECT name FROM pragma_table_info('ballot_participation') ORDER BY cid")) {
    participationColumns.push_back(row[0]);
  }
  CHECK(participationColumns == std::vector<std::string>{"ballot_id", "delegate_id"});

  // (b) The rows' order in the table (its key order, no ORDER BY) is
  // independent of the order of arrival.
  const auto rows = file.rows("SELECT receipt_hash FROM secret_votes");
  REQUIRE(rows.size() == kVoters);
  std::vector<std::size_t> arrivalByPosition;
  for (const auto& row : rows) {
    arrivalByPosition.push_back(arrivalByReceipt.at(row[0]));
  }
  const double bound = 4.0 / std::sqrt(static_cast<double>(kVoters - 1));
  const double keyOrderRho = spearman(arrivalByPosition);
  CHECK(std::abs(keyOrderRho) < bound);

  // Nor is the placement of the contents in the file, where the bytes of the
  // table and of its receipt index actually lie: neither across the file nor
  // within a page, where SQLite places cells in the order they were inserted
  // until the page is rebuilt.
  std::vector<std::pair<std::size_t, std::size_t>> offsetAndArrival;
  for (const auto& [receiptHash, arrival] : arrivalByReceipt) {
    std::size_t offset = fileBytes.find(receiptHash);
    REQUIRE(offset != std::string::npos);
    for (; offset != std::string::npos; offset = fileBytes.find(receiptHash, offset + 1)) {
      offsetAndArrival.emplace_back(offset, arrival);
    }
  }
  std::sort(offsetAndArrival.begin(), offsetAndArrival.end());
  std::vector<std::size_t> arrivalByOffset;  // each vote once, where its receipt first occurs
  std::vector<bool> seen(kVoters, false);
  for (const auto& [offset, arrival] : offsetAndArrival) {
    if (!seen[arrival]) {
      seen[arrival] = true;
      arrivalByOffset.push_back(arrival);
    }
  }
  const double fileOrderRho = spearman(arrivalByOffset);
  CHECK(std::abs(fileOrderRho) < bound);

  const auto pageSize = static_cast<std::size_t>(std::stoll(file.rows("PRAGMA page_size").at(0).at(0)));
  const double withinPageZ = withinPageConcordance(offsetAndArrival, pageSize);
  CHECK(std::abs(withinPageZ) < 4.0);
  MESSAGE("against arrival: key order rho " << keyOrderRho << ", file order rho " << fileOrderRho << " (bound " << bound
                                            << "), within pages z " << withinPageZ);

  // (d) The event log written by the test names voters but holds no contents.
  const auto bodies = file.rows("SELECT body FROM events");
  REQUIRE(bodies.size() == kVoters + 2);
  std::size_t bodiesWithContents = 0;
  for (const auto& body : bodies) {
    for (const auto& [receiptHash, arrival] : arrivalByReceipt) {
      if (body[0].find(receiptHash) != std::string::npos ||
          body[0].find(daihoi::toHex(receiptHash)) != std::string::npos) {
        ++bodiesWithContents;
      }
    }
  }
  CHECK(bodiesWithContents == 0);
}

TEST_CASE("Writer: scrubs the file after a group that closed a secret ballot, and only then") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  Chain chain;
  {
    Writer writer(Store::open(path));
    writer.submit(
        chain.commit("named", {domain::BallotDrafted{namedMotion(1), kT0}, domain::BallotOpened{1, kT0, 0, {1, 2}, 2},
                               vote(1, 1, {0}, false, "a"), domain::BallotClosed{1, kT0 + 1, false}}));
    writer.stop();
    CHECK(writer.stats().scrubs == 0);
  }
  Writer writer(Store::open(path));
  writer.submit(chain.commit(
      "secret", {domain::BallotDrafted{secretElection(2), kT0}, domain::BallotOpened{2, kT0, 0, {1, 2}, 2}}));
  writer.submit(chain.commit("vote", {vote(2, 1, {1}, true, "b")}));
  writer.submit(chain.commit("vote", {vote(2, 2, {0, 1}, true, "c")}));
  writer.submit(chain.commit("close", {domain::BallotClosed{2, kT0 + 2, false}}));
  writer.stop();
  const WriterStats stats = writer.stats();
  CHECK(stats.scrubs == 1);
  CHECK(stats.commitsCommitted == 4);
  CHECK(std::filesystem::file_size(path + "-wal") == 0);
}

TEST_CASE("after a restart the store scrubs only when a secret ballot's scrub did not finish") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  Chain chain;
  {
    auto store = Store::open(path);
    store->commit({chain.commit("named", {domain::BallotDrafted{namedMotion(1), kT0},
                                          domain::BallotOpened{1, kT0, 0, {1, 2}, 2}, vote(1, 1, {0}, false, "a"),
                                          domain::BallotClosed{1, kT0 + 1, false}})});
  }
  CHECK_FALSE(Store::open(path)->scrubAfterRestart());
  {
    // A crash between the close and its scrub: the close is committed, the scrub never ran.
    auto store = Store::open(path);
    store->commit({chain.commit("secret", {domain::BallotDrafted{secretElection(2), kT0},
                                           domain::BallotOpened{2, kT0, 0, {1, 2}, 2}, vote(2, 1, {1}, true, "b"),
                                           domain::BallotClosed{2, kT0 + 2, false}})});
  }
  {
    auto store = Store::open(path);
    CHECK(store->scrubAfterRestart());
    CHECK(std::filesystem::file_size(path + "-wal") == 0);
  }
  // Finished once: later starts cost nothing.
  CHECK(queryInt(path, "SELECT COUNT(*) FROM scrub_pending") == 0);
  CHECK_FALSE(Store::open(path)->scrubAfterRestart());
}
