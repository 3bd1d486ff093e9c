#include "store/writer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <vector>

namespace daihoi::store {
namespace {

[[noreturn]] void stopTheServer(const char* what, const char* detail) {
  std::fprintf(stderr, "daihoi store: %s, stopping the server: %s\n", what, detail);
  std::fflush(stderr);
  std::abort();
}

}  // namespace

Writer::Writer(std::unique_ptr<Store> store, std::size_t maxGroupSize)
    : store_(std::move(store)), maxGroupSize_(std::max<std::size_t>(maxGroupSize, 1)) {
  if (!store_) {
    throw std::invalid_argument("Writer needs a store");
  }
  thread_ = std::thread([this] { run(); });
}

Writer::~Writer() { stop(); }

void Writer::submit(Commit commit) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      throw std::logic_error("Writer::submit after stop()");
    }
    queue_.push_back(std::move(commit));
    stats_.queueDepth = queue_.size();
  }
  wake_.notify_one();
}

void Writer::stop() {
  std::lock_guard stopLock(stopMutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

WriterStats Writer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Writer::run() {
  std::vector<Commit> group;
  group.reserve(maxGroupSize_);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and everything submitted is durable
      }
      const std::size_t take = std::min(queue_.size(), maxGroupSize_);
      for (std::size_t i = 0; i < take; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      stats_.queueDepth = queue_.size();
    }

    const auto started = std::chrono::steady_clock::now();
    try {
      store_->commit(group);
    } catch (const std::exception& error) {
      // The server has already applied these changes in memory and will
      // acknowledge them to clients once durable. If they are not on disk,
      // memory and disk disagree and a restart would silently lose or alter
      // acknowledged decisions (attendance, sign-ins, the event chain).
      // Stopping the process is the only state that stays consistent.
      stopTheServer("a commit failed", error.what());
    } catch (...) {
      stopTheServer("a commit failed", "unknown exception");
    }
    const auto micros = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());

    std::uint64_t events = 0;
    for (const Commit& commit : group) {
      events += commit.events.size();
    }
    {
      std::lock_guard lock(mutex_);
      stats_.groupsCommitted += 1;
      stats_.commitsCommitted += group.size();
      stats_.eventsCommitted += events;
      stats_.lastGroupSize = group.size();
      stats_.maxGroupSize = std::max<std::uint64_t>(stats_.maxGroupSize, group.size());
      stats_.lastCommitMicros = micros;
      stats_.totalCommitMicros += micros;
      stats_.maxCommitMicros = std::max(stats_.maxCommitMicros, micros);
    }

    for (Commit& commit : group) {
      if (commit.onDurable) {
        try {
          commit.onDurable();
        } catch (const std::exception& error) {
          // The data is durable, but the callbacks after this one would never
          // run and their clients would wait forever: fail loudly instead.
          stopTheServer("an onDurable callback threw", error.what());
        } catch (...) {
          stopTheServer("an onDurable callback threw", "unknown exception");
        }
      }
    }
    group.clear();

    // After the callbacks: the votes' clients need not wait for the rewrite.
    if (store_->scrubIfNeeded()) {
      std::lock_guard lock(mutex_);
      stats_.scrubs += 1;
    }
  }
}

}  // namespace daihoi::store
