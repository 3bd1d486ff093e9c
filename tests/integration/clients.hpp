#pragma once
// Client-library helpers shared by the integration tests.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/hall_client.hpp"
#include "server_process.hpp"

namespace daihoi::testing {

client::ClientOptions optionsFor(const std::string& url);
// Connects and signs in; fails the test when either step fails.
std::unique_ptr<client::HallClient> signedInClient(const std::string& url, const client::Credential& credential,
                                                   client::ClientOptions options);
client::StaffPasswordCredential staff(const ServerProcess& server, const std::string& name);
// Delegates signed in with their PINs, several at a time (argon2 runs on the server).
std::vector<std::unique_ptr<client::HallClient>> signedInDelegates(const ServerProcess& server,
                                                                   const std::vector<std::string>& codes);
// Checks delegates in as the secretariat does when a delegation arrives: many codes per request.
void checkInAll(const ServerProcess& server, const std::vector<std::string>& codes);

}  // namespace daihoi::testing
