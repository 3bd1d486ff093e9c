#pragma once
// All live WebSocket sessions, for keep-alive sweeps, shutdown and metrics.
// Network thread only.
#include <cstdint>
#include <unordered_set>

#include "net/ws_session.hpp"

namespace daihoi::net {

struct NetCounters {
  std::uint64_t accepted = 0;
  std::uint64_t acceptFailures = 0;  // accept() failed: out of file descriptors or memory, or the peer left
  std::uint64_t upgrades = 0;
  std::uint64_t rejectedOrigins = 0;
  std::uint64_t protocolErrors = 0;
  std::uint64_t slowConsumersDropped = 0;
  std::uint64_t tlsHandshakeFailures = 0;
};

// A connection before its WebSocket upgrade (TLS handshake, HTTP requests).
class HttpSessionBase {
 public:
  virtual ~HttpSessionBase() = default;
  virtual void closeNow() = 0;
};

class SessionRegistry {
 public:
  void add(WsSessionBase* session) { sessions_.insert(session); }
  void remove(WsSessionBase* session) { sessions_.erase(session); }
  std::size_t size() const { return sessions_.size(); }
  void addHttp(HttpSessionBase* session) { httpSessions_.insert(session); }
  void removeHttp(HttpSessionBase* session) { httpSessions_.erase(session); }
  void closeHttpSessions() {
    auto sessions = httpSessions_;  // closing may complete handlers later, never re-entrantly
    for (HttpSessionBase* session : sessions) session->closeNow();
  }

  void sweep(std::chrono::steady_clock::time_point now) {
    for (WsSessionBase* session : sessions_) session->sweep(now);
  }
  void goingAway() {
    for (WsSessionBase* session : sessions_) session->goingAway();
  }
  struct QueueDepth {
    std::size_t total = 0;
    std::size_t max = 0;
  };
  QueueDepth queueDepth() const {
    QueueDepth depth;
    for (const WsSessionBase* session : sessions_) {
      const std::size_t n = session->queuedFrames();
      depth.total += n;
      depth.max = std::max(depth.max, n);
    }
    return depth;
  }

  NetCounters& counters() { return counters_; }
  const NetCounters& counters() const { return counters_; }
  void countSlowConsumerDropped() { ++counters_.slowConsumersDropped; }
  void countProtocolError() { ++counters_.protocolErrors; }
  std::uint64_t nextConnectionId() { return ++lastConnectionId_; }

 private:
  std::unordered_set<WsSessionBase*> sessions_;
  std::unordered_set<HttpSessionBase*> httpSessions_;
  NetCounters counters_;
  std::uint64_t lastConnectionId_ = 0;
};

}  // namespace daihoi::net
