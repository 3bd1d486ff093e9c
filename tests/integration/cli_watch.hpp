#pragma once
// `daihoi watch` in a thread of its own, started only once its session is signed
// in (the hall's daihoi_signed_in_sessions gauge grew), so that no event the test
// causes afterwards can be missed. Needs raw_socket.cpp and server_process.cpp.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "raw_socket.hpp"
#include "server_process.hpp"

namespace daihoi::testing {

class Watcher {
 public:
  // Watches as `as` until `count` events arrived (at most two minutes); `options` go
  // before the command (e.g. {"--json"}).
  Watcher(const ServerProcess& server, const std::string& as, int count, std::vector<std::string> options = {}) {
    const int before = signedInSessions(server.port());
    std::vector<std::string> args = {"--as", as};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"watch", "--count", std::to_string(count), "--for", "120"});
    thread_ = std::thread([&server, args, this] { result_ = runCli(server, args); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (signedInSessions(server.port()) <= before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~Watcher() {
    if (thread_.joinable()) thread_.join();
  }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Waits for the watch to end and returns its exit code and output.
  CommandResult finish() {
    thread_.join();
    return result_;
  }

 private:
  std::thread thread_;
  CommandResult result_;
};

}  // namespace daihoi::testing
