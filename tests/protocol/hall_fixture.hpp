#pragma once
// A hall on a real SQLite database with the real writer thread and io_context
// — the server minus sockets. Terminals are captured outboxes.
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/archive_reader.hpp"
#include "app/document_worker.hpp"
#include "app/runtime.hpp"
#include "daihoi.pb.h"
#include "protocol/connection.hpp"
#include "protocol/hall.hpp"

namespace daihoi::testing {

namespace v1 = ::daihoi::v1;

// A terminal without a socket: what the hall sends is decoded and kept.
class FakeTerminal final : public protocol::Outbox {
 public:
  FakeTerminal(protocol::Hall& hall, std::uint64_t id);
  void sendFrame(std::shared_ptr<const std::string> frame) override;
  void closeForPolicy(std::string_view reason) override { closeReason = std::string(reason); }

  void sendRaw(std::string_view bytes) { connection->onBinaryMessage(bytes); }
  std::uint64_t send(v1::ClientMessage message);  // assigns a request id, returns it

  // Responses and events in arrival order.
  std::vector<v1::ServerMessage> received;
  std::optional<v1::Response> responseTo(std::uint64_t requestId) const;
  std::vector<v1::Event> events() const;
  std::vector<v1::LiveUpdate> liveUpdates() const;
  std::string closeReason;
  std::shared_ptr<protocol::Connection> connection;

 private:
  std::uint64_t nextRequestId_ = 1;
};

struct Account {
  v1::SignIn signIn;  // credential to use
  domain::Role role;
};

class HallFixture {
 public:
  explicit HallFixture(std::uint32_t delegates = 30);
  ~HallFixture();

  // Runs the io_context until nothing is pending (commits, credential checks).
  void settle();
  std::unique_ptr<FakeTerminal> terminal();
  // A terminal that said Hello and signed in with the account of `role`.
  std::unique_ptr<FakeTerminal> signedIn(domain::Role role);
  // A terminal signed in as the delegate with this code (PIN).
  std::unique_ptr<FakeTerminal> signedInDelegate(const std::string& code);
  // Runs the io_context for a while in real time: timers (deadlines, coalesced progress) fire.
  void runFor(std::chrono::milliseconds duration);
  // Restarts the hall from the database, as after a server restart.
  void restart();

  std::filesystem::path dir;
  std::string dbPath;
  std::map<domain::Role, Account> accounts;
  std::map<std::string, std::string> delegatePins;  // code -> PIN
  std::map<std::string, std::string> badgeTokens;   // code -> token
  std::vector<domain::Delegate> delegates;
  ManualClock clock;
  boost::asio::io_context ioc{1};
  std::unique_ptr<store::Writer> writer;
  std::unique_ptr<app::WriterJournal> journal;
  std::unique_ptr<app::PoolWork> work;
  std::unique_ptr<app::AsioTimers> timers;
  std::unique_ptr<app::ArchiveReader> archive;
  std::unique_ptr<app::DocumentWorker> documents;
  std::unique_ptr<protocol::Hall> hall;
  // Used by start() and restart(): tests change them, then restart().
  protocol::HallOptions options;
  protocol::FaceEngine* faceEngine = nullptr;  // attached at every start when set

 private:
  void start();
  std::uint64_t nextTerminalId_ = 1;
};

v1::ClientMessage hello();
v1::ClientMessage signInMessage(const v1::SignIn& signIn);

}  // namespace daihoi::testing
