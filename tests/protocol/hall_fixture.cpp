#include "hall_fixture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <thread>

#include "auth/passwords.hpp"
#include "auth/tokens.hpp"
#include "domain/demo_congress.hpp"
#include "net/frame.hpp"

namespace daihoi::testing {

namespace {
// Server frames are unmasked binary frames: strip the header.
std::string_view framePayload(const std::string& frame) {
  const auto length = static_cast<std::uint8_t>(frame[1]) & 0x7F;
  const std::size_t header = length < 126 ? 2 : (length == 126 ? 4 : 10);
  return std::string_view(frame).substr(header);
}
}  // namespace

FakeTerminal::FakeTerminal(protocol::Hall& hall, std::uint64_t id)
    : connection(std::make_shared<protocol::Connection>(hall, *this, id, "127.0.0.1:" + std::to_string(40000 + id))) {}

void FakeTerminal::sendFrame(std::shared_ptr<const std::string> frame) {
  REQUIRE(static_cast<std::uint8_t>((*frame)[0]) == 0x82);  // final binary frame
  v1::ServerMessage message;
  const auto payload = framePayload(*frame);
  REQUIRE(message.ParseFromArray(payload.data(), static_cast<int>(payload.size())));
  received.push_back(std::move(message));
}

std::uint64_t FakeTerminal::send(v1::ClientMessage message) {
  const std::uint64_t id = nextRequestId_++;
  message.set_request_id(id);
  sendRaw(message.SerializeAsString());
  return id;
}

std::optional<v1::Response> FakeTerminal::responseTo(std::uint64_t requestId) const {
  for (const auto& m : received) {
    if (m.has_response() && m.response().request_id() == requestId) return m.response();
  }
  return std::nullopt;
}

std::vector<v1::Event> FakeTerminal::events() const {
  std::vector<v1::Event> out;
  for (const auto& m : received) {
    if (m.has_event()) out.push_back(m.event());
  }
  return out;
}

std::vector<v1::LiveUpdate> FakeTerminal::liveUpdates() const {
  std::vector<v1::LiveUpdate> out;
  for (const auto& m : received) {
    if (m.has_live()) out.push_back(m.live());
  }
  return out;
}

v1::ClientMessage hello() {
  v1::ClientMessage m;
  m.mutable_hello()->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  m.mutable_hello()->set_client_name("protocol-test");
  return m;
}

v1::ClientMessage signInMessage(const v1::SignIn& signIn) {
  v1::ClientMessage m;
  *m.mutable_sign_in() = signIn;
  return m;
}

HallFixture::HallFixture(std::uint32_t delegateCount) {
  std::random_device random;
  dir = std::filesystem::temp_directory_path() / ("daihoi-protocol-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  dbPath = (dir / "hall.db").string();
  auto store = store::Store::open(dbPath, &clock);
  auto demo = domain::makeDemoCongress(delegateCount, 3);
  store->saveCongress(demo.congress);
  store->replaceRoster(demo.roster);
  delegates = demo.roster.delegates();

  const std::pair<domain::Role, const char*> staff[] = {
      {domain::Role::Chair, "chair"}, {domain::Role::Secretary, "secretary"}, {domain::Role::Organizer, "organizer"}};
  for (const auto& [role, name] : staff) {
    domain::StaffAccount account;
    account.username = name;
    account.displayName = std::string("Test ") + name;
    account.role = role;
    account.passwordHash = auth::hashSecret(std::string(name) + "-password", auth::HashStrength::Interactive);
    store->addStaff(account);
    Account a{{}, role};
    a.signIn.mutable_staff_password()->set_username(name);
    a.signIn.mutable_staff_password()->set_password(std::string(name) + "-password");
    accounts[role] = a;
  }
  for (auto [role, name] : {std::pair{domain::Role::Kiosk, "kiosk-1"}, std::pair{domain::Role::Display, "display-1"}}) {
    const std::string token = auth::newSecretToken();
    store->addDevice(domain::Device{0, name, role, auth::tokenHash(token)});
    Account a{{}, role};
    a.signIn.set_device_token(token);
    accounts[role] = a;
  }
  std::vector<domain::DelegateCredential> credentials;
  for (const auto& d : delegates) {
    const std::string pin = auth::newPin();
    const std::string badge = auth::newSecretToken();
    delegatePins[d.code] = pin;
    badgeTokens[d.code] = badge;
    credentials.push_back({d.id, auth::hashSecret(pin, auth::HashStrength::Pin), auth::tokenHash(badge), false});
  }
  store->setDelegateCredentials(credentials);
  Account delegate{{}, domain::Role::Delegate};
  delegate.signIn.mutable_delegate_pin()->set_code(delegates.front().code);
  delegate.signIn.mutable_delegate_pin()->set_pin(delegatePins[delegates.front().code]);
  accounts[domain::Role::Delegate] = delegate;

  writer = std::make_unique<store::Writer>(std::move(store));
  start();
}

void HallFixture::start() {
  auto store = store::Store::openReadOnly(dbPath);
  auto seed = app::loadSeed(*store, clock, 1000);
  store.reset();
  journal = std::make_unique<app::WriterJournal>(*writer, ioc);
  work = std::make_unique<app::PoolWork>(1, ioc);
  timers = std::make_unique<app::AsioTimers>(ioc);
  archive = std::make_unique<app::ArchiveReader>(dbPath, ioc);
  documents = std::make_unique<app::DocumentWorker>(dbPath, ioc);
  hall = std::make_unique<protocol::Hall>(options, clock, std::move(seed), *journal, *work, *timers,
                                          [](std::string_view payload) {
                                            return net::encodeSharedFrame(net::Opcode::Binary, payload);
                                          });
  hall->attachArchive(archive.get());
  hall->attachDocumentWork(documents.get());
  if (faceEngine != nullptr) hall->attachFaceEngine(faceEngine);
}

HallFixture::~HallFixture() {
  settle();
  hall.reset();
  documents.reset();
  archive.reset();
  timers.reset();
  work.reset();
  writer.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

void HallFixture::settle() {
  // Commits and credential checks complete on other threads and post back;
  // run until a quiet period with nothing in flight.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int quietRounds = 0;
  while (quietRounds < 3 && std::chrono::steady_clock::now() < deadline) {
    ioc.restart();
    const std::size_t ran = ioc.run_for(std::chrono::milliseconds(15));
    const bool busy = (hall && hall->metrics().commitsInFlight > 0) || (work && work->inFlight() > 0) ||
                      (archive && archive->inFlight() > 0) || (documents && documents->inFlight() > 0);
    quietRounds = (ran == 0 && !busy) ? quietRounds + 1 : 0;
  }
}

std::unique_ptr<FakeTerminal> HallFixture::terminal() {
  return std::make_unique<FakeTerminal>(*hall, nextTerminalId_++);
}

std::unique_ptr<FakeTerminal> HallFixture::signedIn(domain::Role role) {
  auto t = terminal();
  t->send(hello());
  const auto id = t->send(signInMessage(accounts.at(role).signIn));
  settle();
  auto response = t->responseTo(id);
  REQUIRE(response.has_value());
  REQUIRE_MESSAGE(response->has_sign_in(), response->DebugString());
  return t;
}

std::unique_ptr<FakeTerminal> HallFixture::signedInDelegate(const std::string& code) {
  auto t = terminal();
  t->send(hello());
  v1::SignIn signIn;
  signIn.mutable_delegate_pin()->set_code(code);
  signIn.mutable_delegate_pin()->set_pin(delegatePins.at(code));
  const auto id = t->send(signInMessage(signIn));
  settle();
  auto response = t->responseTo(id);
  REQUIRE(response.has_value());
  REQUIRE_MESSAGE(response->has_sign_in(), response->DebugString());
  return t;
}

void HallFixture::runFor(std::chrono::milliseconds duration) {
  // run_for returns early whenever the io_context has no work at that moment
  // (a commit still on the writer thread): keep running until the time is up.
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
    ioc.restart();
    if (ioc.run_for(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now())) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  settle();
}

void HallFixture::restart() {
  settle();
  hall.reset();
  documents.reset();
  archive.reset();
  timers.reset();
  work.reset();
  writer.reset();
  writer = std::make_unique<store::Writer>(store::Store::open(dbPath, &clock));
  start();
}

}  // namespace daihoi::testing
