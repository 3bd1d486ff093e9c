// Voting against the real hall-server over WebSockets with hundreds of
// concurrent voters: named and secret ballots, refusals, the counting
// committee, kill -9 in the middle of a burst, and the database file itself.
#include <doctest/doctest.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <future>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

#include "clients.hpp"
#include "server_process.hpp"

using namespace daihoi::testing;
using namespace daihoi::client;
namespace v1 = daihoi::v1;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kVoters = 300;

struct Hall {
  explicit Hall(std::uint32_t delegates) : server(ServerOptions{delegates}) {
    server.start();
    chair = signedInClient(server.url(), staff(server, "chair1"), optionsFor(server.url()));
    secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
    const auto mirror = secretary->mirror();  // a copy: keep it alive while iterating
    for (const auto& d : mirror.delegates()) {
      if (d.voting()) votingCodes.push_back(d.code());
    }
  }
  ServerProcess server;
  std::unique_ptr<HallClient> chair, secretary;
  std::vector<std::string> votingCodes;
};

v1::Response mustCall(HallClient& client, const v1::ClientMessage& message) {
  auto response = client.call(message);
  REQUIRE_MESSAGE(response.ok(), response.error().message);
  return *response;
}

v1::ErrorCode errorOf(const Outcome<v1::Response>& response) {
  if (response.ok() || response.error().kind != ErrorKind::Server) return v1::ERROR_CODE_UNSPECIFIED;
  return response.error().serverCode;
}

std::uint32_t draftBallot(HallClient& secretary, v1::BallotKind kind, v1::BallotMode mode,
                          std::vector<std::string> options, std::uint32_t seats = 1, std::uint64_t durationMs = 0) {
  v1::ClientMessage m;
  auto& draft = *m.mutable_create_ballot()->mutable_draft();
  draft.set_title(kind == v1::BALLOT_KIND_ELECTION ? "Bầu Ban Chấp hành khóa mới" : "Thông qua Nghị quyết");
  draft.set_kind(kind);
  draft.set_mode(mode);
  draft.set_seats(seats);
  draft.set_duration_ms(durationMs);
  for (auto& o : options) draft.add_options(o);
  auto r = mustCall(secretary, m);
  REQUIRE(r.has_ballot());
  return r.ballot().ballot().definition().id();
}

v1::ClientMessage simple(const char* which, std::uint32_t id) {
  v1::ClientMessage m;
  const std::string w = which;
  if (w == "open") m.mutable_open_ballot()->set_ballot_id(id);
  if (w == "close") m.mutable_close_ballot()->set_ballot_id(id);
  if (w == "publish") m.mutable_publish_ballot()->set_ballot_id(id);
  if (w == "result") m.mutable_get_ballot_result()->set_ballot_id(id);
  if (w == "confirm") m.mutable_confirm_tally()->set_ballot_id(id);
  if (w == "named") m.mutable_get_named_votes()->set_ballot_id(id);
  if (w == "list") m.mutable_list_ballots();
  return m;
}

v1::ClientMessage vote(std::uint32_t ballot, const std::vector<std::uint32_t>& choices, const std::string& voteId) {
  v1::ClientMessage m;
  m.mutable_cast_vote()->set_ballot_id(ballot);
  for (auto c : choices) m.mutable_cast_vote()->add_choices(c);
  m.mutable_cast_vote()->set_client_vote_id(voteId);
  return m;
}

std::string voteIdFor(std::uint32_t ballot, std::size_t voter) {
  return "it-" + std::to_string(ballot) + "-" + std::to_string(voter) + "-0123456789abcdef";
}

std::vector<std::string> firstCodes(const std::vector<std::string>& codes, std::size_t n) {
  REQUIRE(codes.size() >= n);
  return std::vector<std::string>(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(n));
}

std::string sha256Bytes(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

// Spearman's rank correlation of two permutations of 0..n-1.
double spearman(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
  const double n = static_cast<double>(a.size());
  double d2 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(b[i]);
    d2 += d * d;
  }
  return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

struct Db {
  explicit Db(const std::string& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  }
  ~Db() { sqlite3_close(db); }
  // Every row of a query as text columns (blobs as raw bytes).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(statement); ++c) {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, c));
        row.emplace_back(bytes == nullptr ? "" : std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(statement, c))));
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return out;
  }
  sqlite3* db = nullptr;
};

}  // namespace

TEST_CASE("300 concurrent voters: a named motion and a secret election, with the counting committee") {
  Hall hall(330);
  const auto codes = firstCodes(hall.votingCodes, kVoters);
  checkInAll(hall.server, codes);
  auto voters = signedInDelegates(hall.server, codes);
  auto display = signedInClient(hall.server.url(), DeviceTokenCredential{hall.server.deviceToken("display-1")},
                                optionsFor(hall.server.url()));
  auto organizer = signedInClient(hall.server.url(), staff(hall.server, "organizer"), optionsFor(hall.server.url()));

  // ---- a named motion
  const auto motion = draftBallot(*hall.secretary, v1::BALLOT_KIND_MOTION, v1::BALLOT_MODE_NAMED, {});
  auto opened = mustCall(*hall.chair, simple("open", motion));
  CHECK(opened.ballot().ballot().eligible() == kVoters);

  // Wrong role and ineligible voters are refused.
  CHECK(errorOf(hall.chair->call(vote(motion, {0}, voteIdFor(motion, 999)))) == v1::ERROR_PERMISSION_DENIED);
  const std::string outsider = hall.votingCodes.at(kVoters);  // not checked in: not eligible
  auto absent = signedInDelegates(hall.server, {outsider});
  CHECK(errorOf(absent[0]->call(vote(motion, {0}, voteIdFor(motion, 998)))) == v1::ERROR_NOT_ELIGIBLE);

  // Everyone votes at once; choice by position: yes, no, abstain in turn.
  std::vector<std::future<Outcome<v1::Response>>> pending;
  for (std::size_t i = 0; i < kVoters; ++i) {
    pending.push_back(voters[i]->request(vote(motion, {static_cast<std::uint32_t>(i % 3)}, voteIdFor(motion, i))));
  }
  std::vector<std::string> receipts(kVoters);
  for (std::size_t i = 0; i < kVoters; ++i) {
    auto response = pending[i].get();
    REQUIRE_MESSAGE(response.ok(), response.error().message);
    REQUIRE(response->has_cast_vote());
    receipts[i] = response->cast_vote().receipt();
  }
  // Duplicates: the same id is the same acknowledgement; another vote is refused.
  auto again = mustCall(*voters[7], vote(motion, {1}, voteIdFor(motion, 7)));
  CHECK(again.cast_vote().repeated());
  CHECK(again.cast_vote().receipt() == receipts[7]);
  CHECK(errorOf(voters[7]->call(vote(motion, {2}, voteIdFor(motion, 1007)))) == v1::ERROR_ALREADY_VOTED);

  mustCall(*hall.chair, simple("close", motion));
  // Late vote: refused as closed, never silently lost.
  CHECK(errorOf(absent[0]->call(vote(motion, {0}, voteIdFor(motion, 997)))) == v1::ERROR_BALLOT_CLOSED);
  auto result = mustCall(*hall.chair, simple("result", motion));
  const auto& tally = result.ballot_result().tally();
  CHECK(tally.votes_cast() == kVoters);
  CHECK(tally.votes(0) == 100);
  CHECK(tally.votes(1) == 100);
  CHECK(tally.votes(2) == 100);
  auto named = mustCall(*organizer, simple("named", motion));
  REQUIRE(named.named_votes().votes_size() == static_cast<int>(kVoters));
  std::map<std::string, std::size_t> indexOf;
  for (std::size_t i = 0; i < kVoters; ++i) indexOf[codes[i]] = i;
  for (const auto& row : named.named_votes().votes()) {
    REQUIRE(row.voted());
    REQUIRE(row.choices_size() == 1);
    CHECK(row.choices(0) == indexOf.at(row.delegate_code()) % 3);
  }
  const auto publishedMotion = mustCall(*hall.chair, simple("publish", motion));
  const std::uint64_t motionSeq = publishedMotion.ballot().seq();

  // ---- a secret election: 5 candidates, 3 seats, a committee of three
  v1::ClientMessage appoint;
  for (std::size_t i = 0; i < 3; ++i) appoint.mutable_appoint_counting_committee()->add_delegate_codes(codes[i]);
  mustCall(*hall.chair, appoint);
  const auto election = draftBallot(*hall.secretary, v1::BALLOT_KIND_ELECTION, v1::BALLOT_MODE_SECRET,
                                    {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"},
                                    3);
  mustCall(*hall.chair, simple("open", election));
  CHECK(errorOf(voters[0]->call(vote(election, {0, 1, 2, 3}, voteIdFor(election, 0)))) ==
        v1::ERROR_TOO_MANY_CHOICES);
  // Voter i keeps candidates 0 and 1 always, candidate 2 when i is even: 0 and 1 get 300, 2 gets 150.
  pending.clear();
  for (std::size_t i = 0; i < kVoters; ++i) {
    std::vector<std::uint32_t> kept = {0, 1};
    if (i % 2 == 0) kept.push_back(2);
    pending.push_back(voters[i]->request(vote(election, kept, voteIdFor(election, i))));
  }
  for (auto& future : pending) {
    auto response = future.get();
    REQUIRE_MESSAGE(response.ok(), response.error().message);
  }
  mustCall(*hall.chair, simple("close", election));
  CHECK(errorOf(hall.chair->call(simple("publish", election))) == v1::ERROR_NOT_CONFIRMED);
  CHECK(errorOf(organizer->call(simple("named", election))) == v1::ERROR_FAILED_PRECONDITION);
  auto committeeView = mustCall(*voters[0], simple("result", election));
  const auto& electionTally = committeeView.ballot_result().tally();
  CHECK(electionTally.votes(0) == 300);
  CHECK(electionTally.votes(1) == 300);
  CHECK(electionTally.votes(2) == 150);  // exactly half of the valid ballots: not more than half
  CHECK(std::vector<std::uint32_t>(electionTally.elected().begin(), electionTally.elected().end()) ==
        std::vector<std::uint32_t>{0, 1});
  CHECK(electionTally.seats_unfilled() == 1);
  mustCall(*voters[0], simple("confirm", election));
  mustCall(*voters[2], simple("confirm", election));
  auto publishedElection = mustCall(*hall.chair, simple("publish", election));
  const std::uint64_t electionSeq = publishedElection.ballot().seq();

  // The result reaches every terminal and the display.
  for (auto& voter : voters) REQUIRE(voter->waitForSeq(electionSeq, 15s));
  REQUIRE(display->waitForSeq(electionSeq, 15s));
  CHECK(motionSeq < electionSeq);
  auto displayView = mustCall(*display, simple("result", election));
  CHECK(displayView.ballot_result().confirmed_by_size() == 2);
  // Receipts: only their holders can check; a receipt says counted, nothing more.
  v1::ClientMessage verify;
  verify.mutable_verify_receipt()->set_ballot_id(motion);
  verify.mutable_verify_receipt()->set_receipt(receipts[42]);
  CHECK(mustCall(*voters[42], verify).verify_receipt().counted());
}

TEST_CASE("kill -9 during a burst of votes: every acknowledged vote counted once, the ballot still open") {
  Hall hall(330);
  const auto codes = firstCodes(hall.votingCodes, kVoters);
  checkInAll(hall.server, codes);
  auto voters = signedInDelegates(hall.server, codes);
  const auto ballot = draftBallot(*hall.secretary, v1::BALLOT_KIND_MOTION, v1::BALLOT_MODE_SECRET, {}, 1, 600'000);
  const auto opened = mustCall(*hall.chair, simple("open", ballot));
  const std::int64_t deadline = opened.ballot().ballot().deadline_ms();
  REQUIRE(deadline > 0);

  std::vector<std::future<Outcome<v1::Response>>> pending;
  for (std::size_t i = 0; i < kVoters; ++i) {
    pending.push_back(voters[i]->request(vote(ballot, {static_cast<std::uint32_t>(i % 3)}, voteIdFor(ballot, i)),
                                         std::chrono::milliseconds(3000)));
  }
  // Kill the server once part of the burst is acknowledged.
  const auto until = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    const auto ready = std::count_if(pending.begin(), pending.end(), [](auto& f) { return f.wait_for(0s) == std::future_status::ready; });
    if (ready >= 30 || std::chrono::steady_clock::now() > until) break;
    std::this_thread::sleep_for(1ms);
  }
  hall.server.kill9();
  std::map<std::size_t, std::string> acknowledged;
  for (std::size_t i = 0; i < kVoters; ++i) {
    auto response = pending[i].get();
    if (response.ok() && response->has_cast_vote()) acknowledged[i] = response->cast_vote().receipt();
  }
  INFO("acknowledged before the kill: " << acknowledged.size());
  REQUIRE_FALSE(acknowledged.empty());

  hall.server.start();
  // Terminals resume by themselves on the same address.
  for (auto& voter : voters) REQUIRE(voter->waitForState(ConnectionState::SignedIn, 20s));
  // Every voter retries with its own client_vote_id: acknowledged ones are recognised, not counted twice.
  std::size_t repeated = 0;
  for (std::size_t i = 0; i < kVoters; ++i) {
    auto response = voters[i]->call(vote(ballot, {static_cast<std::uint32_t>(i % 3)}, voteIdFor(ballot, i)));
    REQUIRE_MESSAGE(response.ok(), response.error().message);
    if (auto it = acknowledged.find(i); it != acknowledged.end()) {
      CHECK(response->cast_vote().repeated());
      CHECK(response->cast_vote().receipt() == it->second);
    }
    repeated += response->cast_vote().repeated() ? 1 : 0;
  }
  CHECK(repeated >= acknowledged.size());

  auto chair = signedInClient(hall.server.url(), staff(hall.server, "chair1"), optionsFor(hall.server.url()));
  auto listed = mustCall(*chair, simple("list", 0));
  REQUIRE(listed.ballots().ballots_size() == 1);
  CHECK(listed.ballots().ballots(0).status() == v1::BALLOT_STATUS_OPEN);
  CHECK(listed.ballots().ballots(0).deadline_ms() == deadline);
  mustCall(*chair, simple("close", ballot));
  auto result = mustCall(*chair, simple("result", ballot));
  const auto& tally = result.ballot_result().tally();
  CHECK(tally.votes_cast() == kVoters);
  CHECK(tally.votes(0) == 100);
  CHECK(tally.votes(1) == 100);
  CHECK(tally.votes(2) == 100);
}

TEST_CASE("a secret ballot cannot be linked to its voters from the database file") {
  Hall hall(230);
  const std::size_t n = 210;
  const auto codes = firstCodes(hall.votingCodes, n);
  checkInAll(hall.server, codes);
  auto voters = signedInDelegates(hall.server, codes);
  const auto ballot = draftBallot(*hall.secretary, v1::BALLOT_KIND_ELECTION, v1::BALLOT_MODE_SECRET,
                                  {"Ứng viên A", "Ứng viên B", "Ứng viên C", "Ứng viên D"}, 2);
  mustCall(*hall.chair, simple("open", ballot));
  // Votes arrive in waves of varying size, so commit groups range from one vote to many.
  std::map<std::string, std::uint32_t> voterByReceiptHash;
  std::size_t next = 0;
  for (std::size_t wave = 1; next < n; ++wave) {
    std::vector<std::pair<std::size_t, std::future<Outcome<v1::Response>>>> pending;
    for (std::size_t k = 0; k < wave * 3 && next < n; ++k, ++next) {
      std::vector<std::uint32_t> kept = {static_cast<std::uint32_t>(next % 4)};
      pending.emplace_back(next, voters[next]->request(vote(ballot, kept, voteIdFor(ballot, next))));
    }
    for (auto& [index, future] : pending) {
      auto response = future.get();
      REQUIRE_MESSAGE(response.ok(), response.error().message);
      voterByReceiptHash[sha256Bytes(response->cast_vote().receipt())] = voters[index]->principal()->account_id();
    }
  }
  mustCall(*hall.chair, simple("close", ballot));
  // Stopped cleanly, the files are what an administrator could copy.
  voters.clear();
  hall.chair.reset();
  hall.secretary.reset();
  REQUIRE(hall.server.stop(SIGTERM) == 0);
  const auto wal = hall.server.dbPath() + "-wal";
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));

  Db db(hall.server.dbPath());
  // The contents table names no voter and no time.
  std::vector<std::string> columns;
  for (auto& row : db.rows("SELECT name FROM pragma_table_info('secret_votes')")) columns.push_back(row[0]);
  CHECK(columns == std::vector<std::string>{"ballot_id", "vote_key", "choices", "receipt_hash"});
  // The order voters voted in, from the event log (participation only).
  std::vector<std::uint32_t> votingOrder;
  const auto events = db.rows("SELECT body FROM events ORDER BY seq");
  for (auto& row : events) {
    v1::Event event;
    REQUIRE(event.ParseFromString(row[0]));
    if (event.has_vote_recorded() && event.vote_recorded().ballot_id() == ballot) {
      votingOrder.push_back(event.vote_recorded().delegate_id());
    }
    // The log never holds a receipt or its hash.
    for (auto& [hash, voter] : voterByReceiptHash) REQUIRE(row[0].find(hash) == std::string::npos);
  }
  REQUIRE(votingOrder.size() == n);
  const auto contents =
      db.rows("SELECT receipt_hash, choices FROM secret_votes WHERE ballot_id = " + std::to_string(ballot));
  REQUIRE(contents.size() == n);
  // Rank of each voter in the voting order and in the physical order of the contents.
  std::map<std::uint32_t, std::size_t> votedAt;
  for (std::size_t i = 0; i < votingOrder.size(); ++i) votedAt[votingOrder[i]] = i;
  std::vector<std::size_t> byVoting, byRow;
  for (std::size_t row = 0; row < contents.size(); ++row) {
    const std::uint32_t voter = voterByReceiptHash.at(contents[row][0]);  // only the test holds the receipts
    byVoting.push_back(votedAt.at(voter));
    byRow.push_back(row);
  }
  const double rho = spearman(byVoting, byRow);
  INFO("Spearman rho between voting order and row order: " << rho);
  CHECK(std::abs(rho) < 4.0 / std::sqrt(static_cast<double>(n - 1)));
  // Participation is kept apart and says nothing about the choice.
  const auto participation = db.rows("SELECT * FROM ballot_participation WHERE ballot_id = " + std::to_string(ballot));
  CHECK(participation.size() == n);
  CHECK(participation.front().size() == 2);
}
