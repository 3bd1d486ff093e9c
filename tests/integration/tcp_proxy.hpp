#pragma once
// A loopback TCP proxy between a terminal and the server that a test can cut,
// to drop connections the way a network does, without either side's help.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace daihoi::testing {

class TcpProxy {
 public:
  explicit TcpProxy(std::uint16_t targetPort);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // Closes every proxied connection at once (both directions).
  void cutAll();
  // While refusing, new connections are closed as soon as they arrive.
  void setRefusing(bool refusing) { refusing_ = refusing; }
  std::size_t connectionsAccepted() const { return accepted_; }

 private:
  void acceptLoop();
  static void pump(int from, int to);

  std::uint16_t targetPort_;
  std::uint16_t port_ = 0;
  int listenFd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> refusing_{false};
  std::atomic<std::size_t> accepted_{0};
  std::mutex mutex_;
  std::vector<int> fds_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace daihoi::testing
