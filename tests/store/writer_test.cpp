#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/verify.hpp"
#include "store/writer.hpp"
#include "test_support.hpp"

using namespace daihoi::store;
using daihoi::domain::Role;
using daihoi::store::test::nextEvents;
using daihoi::store::test::sampleRoster;
using daihoi::store::test::TempDir;
namespace domain = daihoi::domain;

namespace {

domain::SessionOpened session(std::size_t index) {
  return domain::SessionOpened{"token-" + std::to_string(index),
                               {Role::Delegate, 1, "Nguyễn Thị Hồng Nhung", "DB001"},
                               1'700'000'000'000,
                               4'000'000'000'000};
}

bool sessionStored(Database& db, std::size_t index) {
  auto statement = db.prepare("SELECT COUNT(*) FROM sessions WHERE token_hash = ?1");
  statement.bindText(1, "token-" + std::to_string(index));
  statement.step();
  return statement.columnInt64(0) == 1;
}

}  // namespace

TEST_CASE("Writer: submissions from 4 threads become durable, in order, in groups") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  {
    auto store = Store::open(path);
    store->replaceRoster(sampleRoster());
  }
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kPerThread = 250;
  constexpr std::size_t kTotal = kThreads * kPerThread;

  // Touched only by the writer thread until stop() has joined it.
  std::vector<std::size_t> durableOrder;
  std::vector<std::size_t> notYetVisible;
  Database observer(path);  // a second connection: what another process would see
  const std::thread::id mainThread = std::this_thread::get_id();
  bool callbackOnMainThread = false;

  // Like the server, the producers assign seq and submit under one lock, so
  // queue order is chain order.
  std::mutex submitMutex;
  ChainHead head;
  std::size_t submitted = 0;
  std::size_t eventCount = 0;

  Writer writer(Store::open(path));
  std::vector<std::thread> producers;
  for (std::size_t t = 0; t < kThreads; ++t) {
    producers.emplace_back([&] {
      for (std::size_t i = 0; i < kPerThread; ++i) {
        std::lock_guard lock(submitMutex);
        const std::size_t index = submitted++;
        Commit commit;
        if (index % 4 != 3) {  // some commits carry no event
          commit.events = nextEvents(head, 1);
          ++eventCount;
        }
        commit.changes = {session(index), domain::AttendanceRecorded{static_cast<std::uint32_t>(index % 5 + 1),
                                                                     index % 2 == 0,
                                                                     domain::AttendanceMethod::Face,
                                                                     "",
                                                                     {Role::Kiosk, 1, "Kiosk", "kiosk-1"},
                                                                     static_cast<std::int64_t>(index)}};
        commit.onDurable = [&, index] {
          durableOrder.push_back(index);
          callbackOnMainThread = callbackOnMainThread || std::this_thread::get_id() == mainThread;
          if (index % 50 == 0 && !sessionStored(observer, index)) {
            notYetVisible.push_back(index);
          }
        };
        writer.submit(std::move(commit));
      }
    });
  }
  for (auto& producer : producers) {
    producer.join();
  }
  writer.stop();

  REQUIRE(durableOrder.size() == kTotal);
  for (std::size_t i = 0; i < kTotal; ++i) {
    REQUIRE(durableOrder[i] == i);
  }
  CHECK(notYetVisible.empty());
  CHECK_FALSE(callbackOnMainThread);

  const WriterStats stats = writer.stats();
  CHECK(stats.commitsCommitted == kTotal);
  CHECK(stats.eventsCommitted == eventCount);
  CHECK(stats.maxGroupSize > 1);  // fsyncs were shared under load
  CHECK(stats.groupsCommitted < kTotal);
  CHECK(stats.queueDepth == 0);
  CHECK(stats.totalCommitMicros >= stats.lastCommitMicros);
  CHECK(stats.maxCommitMicros >= stats.lastCommitMicros);
  CHECK(stats.totalCommitMicros > 0);
  MESSAGE("groups: " << stats.groupsCommitted << ", largest " << stats.maxGroupSize << ", mean commit "
                     << stats.totalCommitMicros / stats.groupsCommitted << " us");

  // Everything is on disk after a reopen.
  auto reopened = Store::open(path);
  CHECK(reopened->chainHead() == head);
  CHECK(reopened->loadEvents(0, kTotal).size() == eventCount);
  CHECK(reopened->loadSessions(1'700'000'000'000).size() == kTotal);
  CHECK(reopened->loadAttendanceLog({std::nullopt, 0, kTotal + 1}).size() == kTotal);
  const auto report = verifyLog(path);
  CHECK(report.ok);
  CHECK(report.eventsChecked == eventCount);
}

TEST_CASE("Writer: submit never waits for the writer thread, and groups respect the cap") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  Writer writer(Store::open(path), 50);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> blocked;
  Commit first;
  first.changes = {session(0)};
  first.onDurable = [&] {
    blocked.set_value();
    released.wait();  // holds the writer thread
  };
  writer.submit(std::move(first));
  blocked.get_future().wait();

  std::size_t called = 0;
  for (std::size_t i = 1; i <= 200; ++i) {
    Commit commit;
    commit.changes = {session(i)};
    commit.onDurable = [&called] { ++called; };
    writer.submit(std::move(commit));
  }
  CHECK(writer.stats().queueDepth == 200);  // all queued while the writer is busy
  CHECK(called == 0);

  release.set_value();
  writer.stop();
  CHECK(called == 200);
  const WriterStats stats = writer.stats();
  CHECK(stats.groupsCommitted == 5);  // 1, then 4 groups of 50
  CHECK(stats.maxGroupSize == 50);
  CHECK(stats.lastGroupSize == 50);
  CHECK(stats.commitsCommitted == 201);
}

TEST_CASE("Writer: the destructor commits what is queued; submit after stop is an error") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  ChainHead head;
  std::size_t called = 0;
  {
    Writer writer(Store::open(path));
    for (std::size_t i = 0; i < 20; ++i) {
      Commit commit;
      commit.events = nextEvents(head, 2);
      commit.onDurable = [&called] { ++called; };
      writer.submit(std::move(commit));
    }
  }
  CHECK(called == 20);
  CHECK(Store::open(path)->chainHead() == head);

  Writer stopped(Store::open(path));
  stopped.stop();
  stopped.stop();  // idempotent
  CHECK_THROWS_AS(stopped.submit(Commit{}), std::logic_error);
}

TEST_CASE("Writer: a failed commit stops the process before anything is acknowledged") {
  TempDir dir;
  const std::string path = dir.file("hall.db");
  const std::string errors = dir.file("stderr.txt");
  const std::string acknowledged = dir.file("acknowledged.txt");
  { Store::open(path)->replaceRoster(sampleRoster()); }

  std::fflush(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The test process has no other threads here, so the child may run
    // ordinary code. doctest's crash handler must not report the expected abort.
    std::signal(SIGABRT, SIG_DFL);
    if (std::freopen(errors.c_str(), "w", stderr) == nullptr || std::freopen("/dev/null", "w", stdout) == nullptr) {
      _exit(3);
    }
    Writer writer(Store::open(path));
    Commit bad;
    bad.changes = {domain::AttendanceRecorded{99, true, domain::AttendanceMethod::Manual, "", {}, 1}};
    bad.onDurable = [&] { std::ofstream(acknowledged) << "acknowledged"; };
    writer.submit(std::move(bad));
    writer.stop();
    _exit(0);  // not reached when the Writer aborts
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  if (WIFSIGNALED(status)) {
    CHECK(WTERMSIG(status) == SIGABRT);
  }
  std::ifstream in(errors);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("a commit failed") != std::string::npos);
  CHECK(text.str().find("not on the roster") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(acknowledged));
  CHECK(Store::open(path)->loadAttendanceLog().empty());
}
