#pragma once
// The single writer thread: group commit of everything the server decided.
//
// submit() only queues; the thread takes all queued commits (up to a cap) as
// one group, stores them in one transaction, then calls each onDurable in
// submission order. One fsync then serves many requests.
//
// A commit that fails is fatal: the Writer prints the error to stderr and
// calls std::abort(). The server has already acted on those changes in
// memory; carrying on would acknowledge state that is not on disk.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace daihoi::store {

struct WriterStats {
  std::uint64_t groupsCommitted = 0;     // transactions
  std::uint64_t commitsCommitted = 0;    // submitted Commits made durable
  std::uint64_t eventsCommitted = 0;
  std::uint64_t lastGroupSize = 0;
  std::uint64_t maxGroupSize = 0;
  std::uint64_t lastCommitMicros = 0;    // Store::commit of the last group
  std::uint64_t totalCommitMicros = 0;
  std::uint64_t maxCommitMicros = 0;
  std::uint64_t scrubs = 0;              // files rewritten after a secret ballot ended
  std::size_t queueDepth = 0;            // submitted, not yet taken by the thread
};

class Writer {
 public:
  static constexpr std::size_t kDefaultMaxGroupSize = 1000;

  // Takes the store once the server has finished loading from it.
  explicit Writer(std::unique_ptr<Store> store, std::size_t maxGroupSize = kDefaultMaxGroupSize);
  // Stops (see stop()).
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Thread-safe; never waits for the disk. Throws std::logic_error after stop().
  void submit(Commit commit);
  // Commits everything already submitted, calls its onDurable callbacks and
  // joins the thread. Idempotent.
  void stop();

  WriterStats stats() const;

 private:
  void run();

  std::unique_ptr<Store> store_;
  const std::size_t maxGroupSize_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Commit> queue_;
  bool stopping_ = false;
  WriterStats stats_;

  std::mutex stopMutex_;  // serialises stop() calls around the join
  std::thread thread_;    // last: starts after everything it uses exists
};

}  // namespace daihoi::store
