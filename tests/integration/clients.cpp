#include "clients.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

namespace daihoi::testing {

namespace v1 = ::daihoi::v1;
using namespace std::chrono_literals;

client::ClientOptions optionsFor(const std::string& url) {
  client::ClientOptions options;
  options.url = url;
  options.clientName = "integration-test";
  options.requestTimeout = 10s;
  options.backoff.initialDelay = 50ms;
  options.backoff.maxDelay = 400ms;
  return options;
}

std::unique_ptr<client::HallClient> signedInClient(const std::string& url, const client::Credential& credential,
                                                   client::ClientOptions options) {
  options.url = url;
  auto client = std::make_unique<client::HallClient>(options);
  auto hello = client->connect();
  REQUIRE_MESSAGE(hello.ok(), hello.error().message);
  auto signIn = client->signIn(credential);
  REQUIRE_MESSAGE(signIn.ok(), signIn.error().message);
  return client;
}

client::StaffPasswordCredential staff(const ServerProcess& server, const std::string& name) {
  return {name, server.staffPassword(name)};
}

std::vector<std::unique_ptr<client::HallClient>> signedInDelegates(const ServerProcess& server,
                                                                   const std::vector<std::string>& codes) {
  std::vector<std::unique_ptr<client::HallClient>> clients(codes.size());
  std::vector<std::string> failures(codes.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < codes.size(); i = next++) {
        auto client = std::make_unique<client::HallClient>(optionsFor(server.url()));
        auto hello = client->connect();
        auto signIn = hello.ok() ? client->signIn(client::DelegatePinCredential{codes[i], server.delegatePin(codes[i])})
                                 : client::Outcome<v1::SignInReply>(hello.error());
        if (!signIn.ok()) failures[i] = codes[i] + ": " + signIn.error().message;
        clients[i] = std::move(client);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures) REQUIRE_MESSAGE(failure.empty(), failure);
  return clients;
}

void checkInAll(const ServerProcess& server, const std::vector<std::string>& codes) {
  auto secretary = signedInClient(server.url(), staff(server, "secretary"), optionsFor(server.url()));
  constexpr std::size_t kPerRequest = 200;  // a delegation or a bus-load at a time
  for (std::size_t start = 0; start < codes.size(); start += kPerRequest) {
    v1::ClientMessage m;
    m.mutable_check_in()->set_delegate_code(codes[start]);
    for (std::size_t i = start + 1; i < std::min(codes.size(), start + kPerRequest); ++i) {
      m.mutable_check_in()->add_more_codes(codes[i]);
    }
    m.mutable_check_in()->set_reason("có mặt");
    auto response = secretary->call(m);
    REQUIRE_MESSAGE(response.ok(), response.error().message);
  }
}

}  // namespace daihoi::testing
