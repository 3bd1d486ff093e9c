#pragma once
// Offline set-up commands on a database file, before or between sittings.
#include <cstdint>
#include <string>

namespace daihoi::app {

struct DemoOptions {
  std::string databasePath;
  std::string credentialsPath;
  std::uint32_t delegates = 500;
  std::uint32_t delegations = 15;
  // <identity>/<photo> folders: each identity becomes a delegate of a demo
  // delegation, its photos enrolled for Face ID (when the models are there).
  std::string facesDir;
};
// Creates the demo congress with random credentials written to credentialsPath.
// Refuses when the database already holds a congress.
void initDemo(const DemoOptions& options);

struct InitOptions {
  std::string databasePath;
  std::string name;
  std::string term;
  std::string venue;
  std::string startsOn;
  std::string endsOn;
  std::uint32_t quorumNumerator = 2;
  std::uint32_t quorumDenominator = 3;
  std::string organizerUsername;
  std::string organizerName;
  std::string organizerPassword;
};
void initCongress(const InitOptions& options);

// Imports a roster CSV; prints every problem with its line number and imports
// nothing unless the whole file is good. Returns the number of problems.
std::size_t importRosterFile(const std::string& databasePath, const std::string& csvPath);

void addStaff(const std::string& databasePath, const std::string& role, const std::string& username,
              const std::string& displayName, const std::string& password);
// Returns the new device's token (shown once; only its hash is stored).
std::string addDevice(const std::string& databasePath, const std::string& role, const std::string& name);
// Issues a PIN and a badge token to every delegate without one and writes
// them (code, name, delegation, seat, PIN, badge token) as CSV for printing.
std::size_t issueCredentials(const std::string& databasePath, const std::string& outputCsvPath, bool reissueAll);

}  // namespace daihoi::app
