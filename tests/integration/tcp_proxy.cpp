#include "tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace daihoi::testing {

TcpProxy::TcpProxy(std::uint16_t targetPort) : targetPort_(targetPort) {
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listenFd_, 64) != 0) {
    throw std::runtime_error("proxy cannot listen");
  }
  socklen_t length = sizeof address;
  ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  ::shutdown(listenFd_, SHUT_RDWR);
  cutAll();
  acceptor_.join();
  for (auto& t : pumps_) t.join();
  for (int fd : fds_) ::close(fd);
  ::close(listenFd_);
}

void TcpProxy::acceptLoop() {
  while (!stopping_) {
    pollfd p{listenFd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (refusing_) {
      ::close(client);
      continue;
    }
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(targetPort_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(client);
      ::close(upstream);
      continue;
    }
    ++accepted_;
    std::lock_guard lock(mutex_);
    fds_.push_back(client);
    fds_.push_back(upstream);
    pumps_.emplace_back([client, upstream] { pump(client, upstream); });
    pumps_.emplace_back([client, upstream] { pump(upstream, client); });
  }
}

void TcpProxy::pump(int from, int to) {
  char buffer[16384];
  for (;;) {
    const auto n = ::recv(from, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    if (::send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n) break;
  }
  ::shutdown(to, SHUT_RDWR);
  ::shutdown(from, SHUT_RDWR);
}

void TcpProxy::cutAll() {
  std::lock_guard lock(mutex_);
  // shutdown (not close) wakes the pumps; the descriptors are closed once with the proxy.
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace daihoi::testing
