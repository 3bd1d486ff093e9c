#pragma once
// The threads behind the hall: the store's writer as its journal, and a pool
// for slow credential checks. Both call back onto the network io_context.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <list>

#include "common/clock.hpp"
#include "protocol/hall.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace daihoi::app {

namespace asio = boost::asio;

// The hall's journal is the store's writer thread; completions come back to
// the network thread in order (the writer calls them in submission order and
// the io_context runs posted handlers in order on its one thread).
class WriterJournal final : public protocol::Journal {
 public:
  WriterJournal(store::Writer& writer, asio::io_context& ioc) : writer_(writer), ioc_(ioc) {}

  void append(std::vector<protocol::JournalEvent> events, std::vector<domain::Change> changes,
              std::function<void()> onDurable) override {
    store::Commit commit;
    commit.events.reserve(events.size());
    for (auto& e : events) {
      commit.events.push_back(store::EventRow{e.seq, e.timeMs, e.audience.roles.bits(), e.audience.delegateId,
                                              e.audience.ballotId, e.audience.documentId, e.audience.commentId,
                                              std::move(e.body), e.hash});
    }
    commit.changes = std::move(changes);
    commit.onDurable = [this, done = std::move(onDurable)]() mutable { asio::post(ioc_, std::move(done)); };
    writer_.submit(std::move(commit));
  }

 private:
  store::Writer& writer_;
  asio::io_context& ioc_;
};

class PoolWork final : public protocol::BlockingWork {
 public:
  PoolWork(unsigned threads, asio::io_context& ioc) : pool_(threads), ioc_(ioc) {}
  ~PoolWork() override { pool_.join(); }
  void run(std::function<void()> work, std::function<void()> done) override {
    ++inFlight_;
    asio::post(pool_, [this, work = std::move(work), done = std::move(done)]() mutable {
      work();
      asio::post(ioc_, [this, done = std::move(done)] {
        --inFlight_;
        done();
      });
    });
  }
  // Tasks submitted whose completion has not run yet (network thread only).
  int inFlight() const { return inFlight_; }

 private:
  asio::thread_pool pool_;
  asio::io_context& ioc_;
  int inFlight_ = 0;  // changed on the network thread only
};

// The hall's timers on the network io_context. stop() cancels everything
// scheduled: nothing runs once the store is draining.
class AsioTimers final : public protocol::Timers {
 public:
  explicit AsioTimers(asio::io_context& ioc) : ioc_(ioc) {}
  ~AsioTimers() override { stop(); }
  AsioTimers(const AsioTimers&) = delete;
  AsioTimers& operator=(const AsioTimers&) = delete;

  void after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    if (shared_->stopped) return;
    // Completions may run after this object is gone (cancelled ones still
    // complete): they hold the shared state, never `this`.
    auto shared = shared_;
    auto it = shared->timers.emplace(shared->timers.end(), ioc_);
    it->expires_after(delay);
    it->async_wait([shared, it, fn = std::move(fn)](boost::system::error_code ec) {
      shared->timers.erase(it);
      if (!ec && !shared->stopped) fn();
    });
  }
  void stop() {
    shared_->stopped = true;
    for (auto& timer : shared_->timers) timer.cancel();
  }

 private:
  struct Shared {
    bool stopped = false;
    std::list<asio::steady_timer> timers;
  };
  asio::io_context& ioc_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

// Everything the hall needs from the database at start-up.
protocol::HallSeed loadSeed(store::Store& store, const Clock& clock, std::size_t recentCapacity);

}  // namespace daihoi::app
