#pragma once
// Shared helpers for the store tests: temporary databases and sample data.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "domain/accounts.hpp"
#include "domain/model.hpp"
#include "store/chain.hpp"
#include "store/store.hpp"

namespace daihoi::store::test {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

domain::Congress sampleCongress();
// Three delegations, five delegates with Vietnamese names; delegate 5 is a guest.
domain::Roster sampleRoster();

domain::Principal secretary();

// `count` events continuing `head`, which is advanced past them.
std::vector<EventRow> nextEvents(ChainHead& head, std::size_t count, std::int64_t timeMs = 1'700'000'000'000);

// Runs `sql` on its own connection and returns the first column of the first row.
std::int64_t queryInt(const std::string& dbPath, const std::string& sql);

}  // namespace daihoi::store::test
