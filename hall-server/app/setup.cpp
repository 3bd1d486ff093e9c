#include "app/setup.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "app/face_workers.hpp"
#include "auth/passwords.hpp"
#include "common/bytes.hpp"
#include "auth/tokens.hpp"
#include "domain/demo_congress.hpp"
#include "domain/roster_csv.hpp"
#include "store/store.hpp"

namespace daihoi::app {
namespace {

std::unique_ptr<store::Store> openFresh(const std::string& path) {
  auto store = store::Store::open(path);
  if (store->loadCongress()) throw std::runtime_error(path + " already holds a congress; nothing was changed");
  return store;
}

std::ofstream openPrivateFile(const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  ::chmod(path.c_str(), 0600);  // secrets: readable by the organizer only
  return out;
}

std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

domain::Role staffRole(const std::string& role) {
  auto parsed = domain::roleFromName(role);
  if (!parsed || !(domain::RoleSet::staff().contains(*parsed))) {
    throw std::runtime_error("staff role must be chair, secretary or organizer, not '" + role + "'");
  }
  return *parsed;
}

// "lin_manuel_miranda" → "Lin Manuel Miranda".
std::string personName(const std::string& folder) {
  std::string name;
  bool start = true;
  for (char c : folder) {
    if (c == '_' || c == '-') {
      name += ' ';
      start = true;
      continue;
    }
    name += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return name;
}

struct FacePerson {
  std::string name;
  std::vector<std::filesystem::path> photos;
};

std::vector<FacePerson> facePeople(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<FacePerson> people;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_directory()) continue;
    FacePerson person{personName(entry.path().filename().string()), {}};
    for (const auto& file : fs::directory_iterator(entry.path())) {
      std::string ext = file.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
      if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") person.photos.push_back(file.path());
    }
    std::sort(person.photos.begin(), person.photos.end());
    if (!person.photos.empty()) people.push_back(std::move(person));
  }
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return people;
}

// Adds one delegation of the people under `dir` to the roster.
domain::Roster withFacePeople(const domain::Roster& roster, const std::vector<FacePerson>& people) {
  auto delegations = roster.delegations();
  auto delegates = roster.delegates();
  std::uint32_t delegationId = 0, delegateId = 0, row = 0;
  for (const auto& d : delegations) delegationId = std::max(delegationId, d.id);
  for (const auto& d : delegates) {
    delegateId = std::max(delegateId, d.id);
    row = std::max(row, d.seat.row);
  }
  ++delegationId;
  delegations.push_back(domain::Delegation{delegationId, "Đoàn khách quốc tế (Face ID demo)"});
  std::uint32_t column = 0;
  for (const auto& person : people) {
    domain::Delegate delegate;
    delegate.id = ++delegateId;
    ++column;
    char code[16];
    std::snprintf(code, sizeof code, "QT-%02u", column);
    delegate.code = code;
    delegate.fullName = person.name;
    delegate.delegationId = delegationId;
    delegate.seat = domain::Seat{code, row + 2, column};
    delegate.voting = true;
    delegates.push_back(std::move(delegate));
  }
  return domain::Roster(std::move(delegations), std::move(delegates));
}

// Enrolls each person's photos offline with the server's own face workers.
void enrollFacePeople(store::Store& store, const domain::Roster& roster, const std::vector<FacePerson>& people) {
  boost::asio::io_context ioc;
  FaceWorkers workers(FaceWorkerOptions{}, ioc);
  if (const std::string problem = workers.waitUntilLoaded(); !problem.empty()) {
    std::cout << "face photos not enrolled (" << problem << ")\n";
    return;
  }
  auto guard = boost::asio::make_work_guard(ioc);
  std::size_t waiting = 0;
  std::vector<domain::FacesEnrolled> enrolled;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  for (const auto& person : people) {
    const domain::Delegate* delegate = nullptr;
    for (const auto& d : roster.delegates()) {
      if (d.fullName == person.name) delegate = &d;
    }
    enrolled.push_back(domain::FacesEnrolled{delegate->id, {}});
    const std::size_t slot = enrolled.size() - 1;
    for (const auto& path : person.photos) {
      std::ifstream in(path, std::ios::binary);
      std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      ++waiting;
      std::string sha = toHex(sha256(bytes));
      workers.analyze(std::move(bytes), protocol::FaceJob::Enrollment,
                      [&, slot, sha, name = path.filename().string(), code = delegate->code](protocol::FaceMeasurement m) {
                        if (auto photo = protocol::enrolledPhotoOf(m, sha, name, now)) {
                          enrolled[slot].photos.push_back(std::move(*photo));
                        } else {
                          std::cout << "  " << code << " " << name << ": "
                                    << (m.failed() ? m.errorMessage : m.prompt) << "\n";
                        }
                        if (--waiting == 0) guard.reset();
                      });
    }
  }
  ioc.run();
  workers.stop();
  std::vector<domain::Change> changes;
  for (auto& delegate : enrolled) {
    const auto* d = roster.findById(delegate.delegateId);
    std::cout << "Face ID demo: " << d->code << " " << d->fullName << ", " << delegate.photos.size()
              << " photo(s) enrolled\n";
    if (!delegate.photos.empty()) changes.emplace_back(std::move(delegate));
  }
  store.commit({store::Commit{{}, std::move(changes), nullptr}});
}

}  // namespace

void initDemo(const DemoOptions& options) {
  auto store = openFresh(options.databasePath);
  auto demo = domain::makeDemoCongress(options.delegates, options.delegations);
  std::vector<FacePerson> people;
  if (!options.facesDir.empty()) {
    people = facePeople(options.facesDir);
    demo.roster = withFacePeople(demo.roster, people);
  }
  store->saveCongress(demo.congress);
  store->replaceRoster(demo.roster);
  if (!people.empty()) enrollFacePeople(*store, demo.roster, people);

  auto out = openPrivateFile(options.credentialsPath);
  out << "# Daihoi demo credentials for " << demo.congress.name << "\n"
      << "# name<TAB>kind<TAB>login<TAB>secret (delegates: code, PIN, one-time badge token)\n";
  struct StaffSeed {
    const char* username;
    const char* displayName;
    domain::Role role;
  };
  const StaffSeed staff[] = {
      {"chair1", "Chủ tọa Nguyễn Văn Thành", domain::Role::Chair},
      {"chair2", "Chủ tọa Trần Thị Mai", domain::Role::Chair},
      {"secretary", "Thư ký Lê Minh Tuấn", domain::Role::Secretary},
      {"organizer", "Ban tổ chức Phạm Thu Hà", domain::Role::Organizer},
  };
  for (const auto& s : staff) {
    const std::string password = auth::newSecretToken().substr(0, 16);
    domain::StaffAccount account;
    account.username = s.username;
    account.displayName = s.displayName;
    account.role = s.role;
    account.passwordHash = auth::hashSecret(password, auth::HashStrength::Interactive);
    store->addStaff(account);
    out << s.username << "\tstaff\t" << s.username << "\t" << password << "\n";
  }
  const std::pair<const char*, domain::Role> devices[] = {
      {"kiosk-1", domain::Role::Kiosk}, {"kiosk-2", domain::Role::Kiosk}, {"display-1", domain::Role::Display}};
  for (const auto& [name, role] : devices) {
    const std::string token = auth::newSecretToken();
    store->addDevice(domain::Device{0, name, role, auth::tokenHash(token)});
    out << name << "\tdevice\t" << token << "\n";
  }
  std::vector<domain::DelegateCredential> credentials;
  for (const auto& delegate : demo.roster.delegates()) {
    const std::string pin = auth::newPin();
    const std::string badge = auth::newSecretToken();
    credentials.push_back(domain::DelegateCredential{delegate.id, auth::hashSecret(pin, auth::HashStrength::Pin),
                                                     auth::tokenHash(badge), false});
    out << delegate.code << "\tdelegate\t" << delegate.code << "\t" << pin << "\t" << badge << "\n";
  }
  store->setDelegateCredentials(credentials);
}

void initCongress(const InitOptions& options) {
  if (options.name.empty() || options.organizerUsername.empty() || options.organizerPassword.size() < 8) {
    throw std::runtime_error("init needs --name, --organizer and a password of at least 8 characters");
  }
  if (options.quorumDenominator == 0 || options.quorumNumerator > options.quorumDenominator) {
    throw std::runtime_error("the quorum must be a fraction between 0 and 1, e.g. 2/3");
  }
  auto store = openFresh(options.databasePath);
  domain::Congress congress;
  congress.name = options.name;
  congress.term = options.term;
  congress.venue = options.venue;
  congress.startsOn = options.startsOn;
  congress.endsOn = options.endsOn;
  congress.quorum = {options.quorumNumerator, options.quorumDenominator};
  store->saveCongress(congress);
  domain::StaffAccount organizer;
  organizer.username = options.organizerUsername;
  organizer.displayName = options.organizerName.empty() ? options.organizerUsername : options.organizerName;
  organizer.role = domain::Role::Organizer;
  organizer.passwordHash = auth::hashSecret(options.organizerPassword, auth::HashStrength::Interactive);
  store->addStaff(organizer);
}

std::size_t importRosterFile(const std::string& databasePath, const std::string& csvPath) {
  std::ifstream in(csvPath, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + csvPath);
  std::stringstream text;
  text << in.rdbuf();
  auto imported = domain::importRosterCsv(text.str());
  if (auto* problems = std::get_if<std::vector<domain::CsvProblem>>(&imported)) {
    for (const auto& p : *problems) std::cerr << csvPath << ":" << p.line << ": " << p.reason << "\n";
    std::cerr << problems->size() << " problem(s); nothing was imported\n";
    return problems->size();
  }
  auto store = store::Store::open(databasePath);
  if (!store->loadCongress()) throw std::runtime_error("create the congress first (hall-server init)");
  if (!store->loadPresent().empty()) {
    throw std::runtime_error("delegates are checked in: the roster cannot be replaced now");
  }
  const auto& roster = std::get<domain::Roster>(imported);
  store->replaceRoster(roster);
  std::cout << "imported " << roster.delegates().size() << " delegates in " << roster.delegations().size()
            << " delegations\n";
  return 0;
}

void addStaff(const std::string& databasePath, const std::string& role, const std::string& username,
              const std::string& displayName, const std::string& password) {
  if (password.size() < 8) throw std::runtime_error("a staff password needs at least 8 characters");
  domain::StaffAccount account;
  account.username = username;
  account.displayName = displayName.empty() ? username : displayName;
  account.role = staffRole(role);
  account.passwordHash = auth::hashSecret(password, auth::HashStrength::Interactive);
  auto store = store::Store::open(databasePath);
  for (const auto& existing : store->loadStaff()) {
    if (existing.username == username) throw std::runtime_error("user name '" + username + "' exists already");
  }
  store->addStaff(account);
}

std::string addDevice(const std::string& databasePath, const std::string& role, const std::string& name) {
  auto parsed = domain::roleFromName(role);
  if (!parsed || (*parsed != domain::Role::Kiosk && *parsed != domain::Role::Display)) {
    throw std::runtime_error("device role must be kiosk or display, not '" + role + "'");
  }
  const std::string token = auth::newSecretToken();
  auto store = store::Store::open(databasePath);
  store->addDevice(domain::Device{0, name, *parsed, auth::tokenHash(token)});
  return token;
}

std::size_t issueCredentials(const std::string& databasePath, const std::string& outputCsvPath, bool reissueAll) {
  auto store = store::Store::open(databasePath);
  const domain::Roster roster = store->loadRoster();
  std::unordered_map<std::uint32_t, domain::DelegateCredential> existing;
  for (auto& c : store->loadDelegateCredentials()) existing.emplace(c.delegateId, c);
  auto out = openPrivateFile(outputCsvPath);
  out << "code,full_name,delegation,seat,pin,badge_token\n";
  std::vector<domain::DelegateCredential> issued;
  for (const auto& delegate : roster.delegates()) {
    auto it = existing.find(delegate.id);
    if (!reissueAll && it != existing.end() && !it->second.pinHash.empty()) continue;
    const std::string pin = auth::newPin();
    const std::string badge = auth::newSecretToken();
    issued.push_back({delegate.id, auth::hashSecret(pin, auth::HashStrength::Pin), auth::tokenHash(badge), false});
    const domain::Delegation* delegation = roster.findDelegation(delegate.delegationId);
    out << csvField(delegate.code) << ',' << csvField(delegate.fullName) << ','
        << csvField(delegation ? delegation->name : "") << ',' << csvField(delegate.seat.label) << ',' << pin << ','
        << badge << '\n';
  }
  store->setDelegateCredentials(issued);
  return issued.size();
}

}  // namespace daihoi::app
