// vote_floor: the floor of the vote benchmark.
//
// What the hall's store writes per vote, inserted straight into SQLite with
// the same durability and the same group commit, and nothing else: no
// sockets, no protocol, no hall.
//
// Per vote, like Store::commit for a VoteCast: an `events` row (the
// serialised VoteRecorded Event, its SHA-256 chain hash), a
// `ballot_participation` row and a contents row: `named_votes` (voter,
// choices, 32-byte receipt hash) for a named ballot, or `secret_votes` (random
// 16-byte key, choices, receipt hash; a group's rows inserted in key order)
// for a secret one. The tables, keys and indexes are the server's; its
// append-only and eligibility triggers are left out. WAL, synchronous=FULL.
//
// A producer thread stands in for the hall's network thread: it builds each
// vote's event and hashes (the hall does that before it submits) and queues
// it; a writer thread takes everything queued (up to --max-group, the
// Writer's cap) as one transaction, like store::Writer, and stamps every vote
// of the group durable when COMMIT returns. Latency is submit -> durable.
//
// Patterns: spread (each vote at a uniformly random moment within
// --spread-ms) and burst (all votes submitted in one loop).
//
// Prints per pattern a line `FLOOR pattern=... key=value ...` and exits 0
// when every vote became durable.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>

#include "common/bytes.hpp"
#include "common/chain.hpp"
#include "daihoi.pb.h"
#include "load_common.hpp"

namespace daihoi::bench {
namespace {

namespace v1 = ::daihoi::v1;

const char* const kUsage = R"(vote_floor — the floor of the Daihoi vote benchmark

usage: vote_floor --db FILE --votes V [options]

  --db FILE            database to create (an existing one is replaced)
  --votes V            votes per pattern (e.g. the hall run's eligible delegates)
  --patterns LIST      "spread burst" (default), or one of them
  --spread-ms T        spread pattern: votes at random moments within T ms (1000)
  --contents KIND      named (default) or secret: which contents row a vote writes
  --max-group G        most commits in one transaction (1000, like store::Writer)
  --seed S             random seed (1)
  --label TEXT         copied into the output
)";

struct Options {
  std::string db;
  std::size_t votes = 0;
  std::vector<std::string> patterns{"spread", "burst"};
  std::int64_t spreadMs = 1000;
  bool secret = false;
  std::size_t maxGroup = 1000;
  std::uint64_t seed = 1;
  std::string label;
};

Options parseOptions(int argc, char** argv) {
  Options options;
  const OptionHandler handle = [&options](const std::string& name, const std::string& value) {
    if (name == "db") {
      options.db = value;
    } else if (name == "votes") {
      options.votes = parseNumber(value, name);
    } else if (name == "patterns") {
      options.patterns = parsePatterns(value);
    } else if (name == "spread-ms") {
      options.spreadMs = static_cast<std::int64_t>(parseNumber(value, name));
    } else if (name == "contents") {
      if (value != "named" && value != "secret") throw std::invalid_argument("--contents is named or secret");
      options.secret = value == "secret";
    } else if (name == "max-group") {
      options.maxGroup = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "seed") {
      options.seed = parseNumber(value, name);
    } else if (name == "label") {
      options.label = value;
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {}, handle);
  if (options.db.empty()) throw std::invalid_argument("--db is required");
  if (options.votes == 0) throw std::invalid_argument("--votes must be at least 1");
  if (options.patterns.empty()) throw std::invalid_argument("--patterns is empty");
  return options;
}

// ------------------------------------------------------------ SQLite

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      const std::string problem = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + problem);
    }
  }
  ~Db() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string problem = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("SQLite: " + problem + " in: " + sql.substr(0, 80));
    }
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = prepared(sql);
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* bytes = sqlite3_column_text(statement, 0);
      if (bytes != nullptr) value = reinterpret_cast<const char*>(bytes);
    }
    sqlite3_reset(statement);
    return value;
  }
  // A cached prepared statement, reset and without bindings.
  sqlite3_stmt* prepared(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("SQLite prepare: ") + sqlite3_errmsg(db_));
    }
    statements_.emplace(sql, statement);
    return statement;
  }
  void run(sqlite3_stmt* statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) {
      const std::string problem = sqlite3_errmsg(db_);
      sqlite3_reset(statement);
      throw std::runtime_error("SQLite step: " + problem);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> statements_;
};

// The server's tables as far as a vote touches them (store/schema.cpp), without triggers.
constexpr const char* kSchema = R"sql(
CREATE TABLE ballots (id INTEGER PRIMARY KEY CHECK (id > 0));
CREATE TABLE events (
  seq               INTEGER PRIMARY KEY CHECK (seq > 0),
  time_ms           INTEGER NOT NULL,
  audience_roles    INTEGER NOT NULL,
  audience_delegate INTEGER NOT NULL DEFAULT 0,
  body              BLOB NOT NULL,
  hash              BLOB NOT NULL CHECK (length(hash) = 32),
  audience_ballot   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE ballot_participation (
  ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id INTEGER NOT NULL,
  PRIMARY KEY (ballot_id, delegate_id)
) WITHOUT ROWID;
CREATE TABLE named_votes (
  ballot_id    INTEGER NOT NULL REFERENCES ballots (id),
  delegate_id  INTEGER NOT NULL,
  choices      TEXT NOT NULL CHECK (choices NOT GLOB '*[^0-9,]*'),
  receipt_hash BLOB NOT NULL CHECK (length(receipt_hash) = 32),
  PRIMARY KEY (ballot_id, delegate_id)
) WITHOUT ROWID;
CREATE TABLE secret_votes (
  ballot_id    INTEGER NOT NULL REFERENCES ballots (id),
  vote_key     BLOB NOT NULL CHECK (length(vote_key) = 16),
  choices      TEXT NOT NULL CHECK (choices NOT GLOB '*[^0-9,]*'),
  receipt_hash BLOB NOT NULL CHECK (length(receipt_hash) = 32),
  PRIMARY KEY (ballot_id, vote_key)
) WITHOUT ROWID;
CREATE UNIQUE INDEX secret_votes_by_receipt ON secret_votes (ballot_id, receipt_hash);
CREATE UNIQUE INDEX named_votes_by_receipt ON named_votes (ballot_id, receipt_hash);
)sql";

// ------------------------------------------------------------ the group commit

struct Vote {
  std::uint32_t ballotId = 0;
  std::uint32_t delegateId = 0;
  std::uint64_t seq = 0;
  std::int64_t timeMs = 0;
  std::string body;        // the serialised Event
  Sha256 hash{};           // chain hash
  std::string choices;     // "0", "1" or "2"
  std::string receiptHash; // 32 bytes
  std::int64_t submitNs = 0;
  std::int64_t durableNs = -1;
};

// store::Writer's loop: take everything queued (up to the cap), one
// transaction, then every vote of the group is durable.
class FloorWriter {
 public:
  FloorWriter(Db& db, bool secret, std::size_t maxGroup) : db_(db), secret_(secret), maxGroup_(maxGroup) {
    thread_ = std::thread([this] { run(); });
  }
  ~FloorWriter() { stop(); }

  void submit(Vote* vote) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(vote);
    }
    wake_.notify_one();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  std::size_t groups() const { return groups_; }
  std::size_t maxGroupSeen() const { return maxGroupSeen_; }
  const std::string& failure() const { return failure_; }

 private:
  void run() {
    std::vector<Vote*> group;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        const std::size_t take = std::min(queue_.size(), maxGroup_);
        group.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      }
      try {
        commit(group);
      } catch (const std::exception& e) {
        failure_ = e.what();
        return;
      }
      const std::int64_t durable = nowNs();
      for (Vote* vote : group) vote->durableNs = durable;
      ++groups_;
      maxGroupSeen_ = std::max(maxGroupSeen_, group.size());
    }
  }

  void commit(const std::vector<Vote*>& group) {
    db_.run(db_.prepared("BEGIN IMMEDIATE"));
    auto* event = db_.prepared(
        "INSERT INTO events (seq, time_ms, audience_roles, audience_delegate, body, hash, audience_ballot) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    auto* participation = db_.prepared("INSERT INTO ballot_participation (ballot_id, delegate_id) VALUES (?1, ?2)");
    auto* named = db_.prepared(
        "INSERT INTO named_votes (ballot_id, delegate_id, choices, receipt_hash) VALUES (?1, ?2, ?3, ?4)");
    for (const Vote* vote : group) {
      sqlite3_bind_int64(event, 1, static_cast<sqlite3_int64>(vote->seq));
      sqlite3_bind_int64(event, 2, vote->timeMs);
      sqlite3_bind_int64(event, 3, 0);  // no role: the voter's own terminals
      sqlite3_bind_int64(event, 4, vote->delegateId);
      sqlite3_bind_blob(event, 5, vote->body.data(), static_cast<int>(vote->body.size()), SQLITE_STATIC);
      sqlite3_bind_blob(event, 6, vote->hash.data(), static_cast<int>(vote->hash.size()), SQLITE_STATIC);
      sqlite3_bind_int64(event, 7, 0);
      db_.run(event);
      sqlite3_bind_int64(participation, 1, vote->ballotId);
      sqlite3_bind_int64(participation, 2, vote->delegateId);
      db_.run(participation);
      if (!secret_) {
        sqlite3_bind_int64(named, 1, vote->ballotId);
        sqlite3_bind_int64(named, 2, vote->delegateId);
        sqlite3_bind_text(named, 3, vote->choices.data(), static_cast<int>(vote->choices.size()), SQLITE_STATIC);
        sqlite3_bind_blob(named, 4, vote->receiptHash.data(), static_cast<int>(vote->receiptHash.size()),
                          SQLITE_STATIC);
        db_.run(named);
      }
    }
    if (secret_) {
      // Store::insertSecretVotes: 16 random bytes per vote, inserted in key order.
      std::vector<std::pair<std::string, const Vote*>> keyed;
      keyed.reserve(group.size());
      for (const Vote* vote : group) keyed.emplace_back(randomBytes(16), vote);
      std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      auto* insert = db_.prepared(
          "INSERT INTO secret_votes (ballot_id, vote_key, choices, receipt_hash) VALUES (?1, ?2, ?3, ?4)");
      for (const auto& [key, vote] : keyed) {
        sqlite3_bind_int64(insert, 1, vote->ballotId);
        sqlite3_bind_blob(insert, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, vote->choices.data(), static_cast<int>(vote->choices.size()), SQLITE_STATIC);
        sqlite3_bind_blob(insert, 4, vote->receiptHash.data(), static_cast<int>(vote->receiptHash.size()),
                          SQLITE_STATIC);
        db_.run(insert);
      }
    }
    db_.run(db_.prepared("COMMIT"));
  }

  Db& db_;
  const bool secret_;
  const std::size_t maxGroup_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Vote*> queue_;
  bool stopping_ = false;
  std::size_t groups_ = 0;       // written by the thread, read after stop()
  std::size_t maxGroupSeen_ = 0;
  std::string failure_;
  std::thread thread_;
};

std::int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Runs one pattern; returns true when every vote became durable.
bool runPattern(const Options& options, Db& db, const std::string& pattern, std::uint32_t ballotId,
                std::uint64_t& seq, Sha256& head, std::mt19937_64& random) {
  db.exec("INSERT INTO ballots (id) VALUES (" + std::to_string(ballotId) + ")");
  const std::size_t n = options.votes;
  std::vector<Vote> votes(n);
  // Moments (ns after the start) at which each vote is submitted.
  std::vector<std::int64_t> offsets(n, 0);
  if (pattern == "spread") {
    std::uniform_int_distribution<std::int64_t> moment(0, options.spreadMs * 1'000'000 - 1);
    for (auto& offset : offsets) offset = moment(random);
    std::sort(offsets.begin(), offsets.end());
  }
  std::uniform_int_distribution<int> choice(0, 2);
  std::vector<std::uint32_t> voters(n);
  for (std::size_t i = 0; i < n; ++i) voters[i] = static_cast<std::uint32_t>(i + 1);
  std::shuffle(voters.begin(), voters.end(), random);

  const double cpuBefore = clientCpuSeconds();
  std::int64_t start = 0;
  std::size_t groups = 0;
  std::size_t maxGroup = 0;
  std::string failure;
  {
    FloorWriter writer(db, options.secret, options.maxGroup);
    start = nowNs() + 5'000'000;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t due = start + offsets[i];
      if (pattern == "spread") {
        while (nowNs() < due) std::this_thread::sleep_for(std::chrono::nanoseconds(due - nowNs()));
      }
      Vote& vote = votes[i];
      vote.submitNs = nowNs();
      // What the hall does on its network thread before it submits: the
      // receipt's hash, the VoteRecorded event, its place in the chain.
      vote.ballotId = ballotId;
      vote.delegateId = voters[i];
      vote.choices = std::to_string(choice(random));
      const std::string clientVoteId = randomBytes(16);
      vote.receiptHash = std::string(asBytes(sha256(std::string("daihoi-receipt-v1:") + clientVoteId)));
      vote.seq = ++seq;
      vote.timeMs = unixMs();
      v1::Event event;
      event.set_seq(vote.seq);
      event.set_time_ms(vote.timeMs);
      event.mutable_vote_recorded()->set_ballot_id(ballotId);
      event.mutable_vote_recorded()->set_delegate_id(vote.delegateId);
      vote.body = event.SerializeAsString();
      vote.hash = chainHash(head, vote.body);
      head = vote.hash;
      writer.submit(&vote);
    }
    writer.stop();
    groups = writer.groups();
    maxGroup = writer.maxGroupSeen();
    failure = writer.failure();
  }
  const double cpu = clientCpuSeconds() - cpuBefore;

  std::vector<std::int64_t> latencies;
  latencies.reserve(n);
  std::int64_t firstSubmit = -1;
  std::int64_t lastDurable = -1;
  std::size_t bodyBytes = 0;
  for (const Vote& vote : votes) {
    if (firstSubmit < 0 || vote.submitNs < firstSubmit) firstSubmit = vote.submitNs;
    bodyBytes += vote.body.size();
    if (vote.durableNs < 0) continue;
    latencies.push_back(vote.durableNs - vote.submitNs);
    lastDurable = std::max(lastDurable, vote.durableNs);
  }
  std::sort(latencies.begin(), latencies.end());
  const std::size_t durable = latencies.size();
  const double totalMs = lastDurable >= 0 ? nsToMs(lastDurable - firstSubmit) : NAN;
  const double perSecond = lastDurable > firstSubmit ? static_cast<double>(durable) * 1e9 /
                                                           static_cast<double>(lastDurable - firstSubmit)
                                                     : NAN;
  const bool ok = failure.empty() && durable == n;
  std::cout << std::fixed << std::setprecision(2) << "floor " << pattern << ": " << durable << "/" << n
            << " durable in " << groups << " transactions (largest " << maxGroup << "); submit->durable p50 "
            << percentileMs(latencies, 0.5) << " ms, p99 " << percentileMs(latencies, 0.99)
            << " ms, max " << maxMs(latencies) << " ms; first submit -> last durable "
            << totalMs << " ms (" << std::setprecision(0) << perSecond << " votes/s); event body "
            << (n > 0 ? bodyBytes / n : 0) << " bytes; CPU " << std::setprecision(3) << cpu << " s"
            << (failure.empty() ? "" : "; FAILED: " + failure) << std::endl;
  std::cout << "FLOOR pattern=" << pattern << " ok=" << (ok ? 1 : 0) << " votes=" << n << " durable=" << durable
            << std::setprecision(3) << " p50_ms=" << percentileMs(latencies, 0.5)
            << " p99_ms=" << percentileMs(latencies, 0.99)
            << " max_ms=" << maxMs(latencies) << " total_ms=" << totalMs
            << std::setprecision(0) << " votes_per_s=" << perSecond << " groups=" << groups
            << " max_group=" << maxGroup << std::setprecision(3) << " cpu_s=" << cpu << std::endl;
  return ok;
}

int run(const Options& options) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(options.db + suffix, ignored);
  }
  Db db(options.db);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA journal_mode = WAL");
  if (db.text("PRAGMA journal_mode") != "wal") throw std::runtime_error("the database cannot use WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA secure_delete = ON");
  if (db.text("PRAGMA synchronous") != "2") throw std::runtime_error("synchronous is not FULL");
  db.exec(kSchema);

  std::cout << "vote floor" << (options.label.empty() ? "" : " (" + options.label + ")") << ": " << options.votes
            << " votes per pattern, " << (options.secret ? "secret" : "named")
            << " contents, WAL, synchronous=FULL, at most " << options.maxGroup << " commits per transaction"
            << std::endl;
  std::mt19937_64 random(options.seed);
  std::uint64_t seq = 0;
  Sha256 head{};
  bool ok = true;
  std::uint32_t ballotId = 0;
  for (const std::string& pattern : options.patterns) {
    ok = runPattern(options, db, pattern, ++ballotId, seq, head, random) && ok;
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("vote_floor", kUsage, [&] { return parseOptions(argc, argv); },
                 [](const Options& options) { return run(options); });
}
