#pragma once
// Shared helpers for the store tests: temporary databases and sample data.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/accounts.hpp"
#include "domain/changes.hpp"
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

// Version `number` of document `id` (a draft resolution, or a written
// contribution when `contribution` is given) with this Markdown text, its
// paragraphs split as the hall splits them.
domain::DocumentVersionAdded documentVersion(std::uint32_t id, std::uint32_t number, std::string_view markdown,
                                             domain::DocumentAudience audience = {},
                                             std::optional<domain::Contribution> contribution = std::nullopt);

// Commits changes with one event each time, as the hall does.
class Hall {
 public:
  explicit Hall(Store& store) : store_(store), head_(store.chainHead()) {}
  void commit(std::vector<domain::Change> changes, std::uint64_t audienceComment = 0);

 private:
  Store& store_;
  ChainHead head_;
};

// Runs `sql` on its own connection and returns the first column of the first row.
std::int64_t queryInt(const std::string& dbPath, const std::string& sql);

}  // namespace daihoi::store::test
