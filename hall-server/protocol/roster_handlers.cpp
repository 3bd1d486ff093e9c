// GetCongress, GetRoster, ImportRoster.
#include <algorithm>
#include <unordered_map>

#include "domain/roster_csv.hpp"
#include "protocol/handlers.hpp"
#include "protocol/request.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

// Keeps each delegate's id across imports (matched by code), so that
// credentials and attendance records stay with the same person; new codes
// get fresh ids after the highest one ever used.
domain::Roster keepIdsByCode(const domain::Roster& current, const domain::Roster& imported) {
  std::uint32_t nextId = 0;
  for (const auto& d : current.delegates()) nextId = std::max(nextId, d.id);
  std::unordered_map<std::uint32_t, std::uint32_t> delegationIds;
  std::uint32_t nextDelegationId = 0;
  for (const auto& d : current.delegations()) nextDelegationId = std::max(nextDelegationId, d.id);
  std::vector<domain::Delegation> delegations;
  for (const auto& d : imported.delegations()) {
    auto same = std::find_if(current.delegations().begin(), current.delegations().end(),
                             [&](const domain::Delegation& c) { return c.name == d.name; });
    const std::uint32_t id = same != current.delegations().end() ? same->id : ++nextDelegationId;
    delegationIds[d.id] = id;
    delegations.push_back({id, d.name});
  }
  std::vector<domain::Delegate> delegates;
  for (auto d : imported.delegates()) {
    const domain::Delegate* existing = current.findByCode(d.code);
    d.id = existing ? existing->id : ++nextId;
    d.delegationId = delegationIds.at(d.delegationId);
    delegates.push_back(std::move(d));
  }
  return domain::Roster(std::move(delegations), std::move(delegates));
}

}  // namespace

void handleGetCongress(Request& request) {
  v1::Response response;
  toWire(request.hall().committed().congress(), *response.mutable_congress());
  request.commitAndReply(std::move(response));
}

void handleGetRoster(Request& request) {
  v1::Response response;
  rosterToWire(request.hall().committed().roster(), *response.mutable_roster());
  request.commitAndReply(std::move(response));
}

void handleImportRoster(Request& request) {
  Hall& hall = request.hall();
  const std::string& csv = request.message().import_roster().csv();
  auto imported = domain::importRosterCsv(csv);
  if (auto* problems = std::get_if<std::vector<domain::CsvProblem>>(&imported)) {
    v1::Response response;
    auto& error = *response.mutable_error();
    error.set_code(v1::ERROR_CSV_INVALID);
    error.set_message(std::to_string(problems->size()) + " problem(s) in the CSV file; nothing was imported");
    for (const auto& problem : *problems) {
      auto& out = *error.add_csv_problems();
      out.set_line(problem.line);
      out.set_reason(problem.reason);
    }
    request.commitAndReply(std::move(response));
    return;
  }
  if (hall.pending().ballots().anyOpened()) {
    // Ballots name delegates by id in their eligible lists and votes.
    request.fail(v1::ERROR_FAILED_PRECONDITION, "the roster cannot be replaced once a ballot has been opened");
    return;
  }
  if (hall.pending().attendance().totals().present > 0) {
    request.fail(v1::ERROR_FAILED_PRECONDITION,
                 "the roster cannot be replaced while delegates are checked in; check them out first");
    return;
  }
  domain::Roster roster = keepIdsByCode(hall.pending().roster(), std::get<domain::Roster>(imported));
  v1::Response response;
  response.mutable_import_roster()->set_delegations(static_cast<std::uint32_t>(roster.delegations().size()));
  response.mutable_import_roster()->set_delegates(static_cast<std::uint32_t>(roster.delegates().size()));

  // Credentials stay with the delegates that remain (ids are kept by code).
  std::vector<domain::DelegateCredential> kept;
  for (const auto& delegate : roster.delegates()) {
    if (const auto* credential = hall.directory().delegateCredential(delegate.id)) kept.push_back(*credential);
  }
  if (auto replaced = hall.directory().replaceDelegateCredentials(std::move(kept), roster); !replaced) {
    request.fail(v1::ERROR_INTERNAL, "credentials do not match the new roster: " + replaced.error().message);
    return;
  }
  auto& event = *request.emit(Audience{domain::RoleSet::all()}).mutable_roster_replaced();
  event.set_delegations(response.import_roster().delegations());
  event.set_delegates(response.import_roster().delegates());
  toWire(request.principal(), *event.mutable_replaced_by());
  // A delegate who is no longer on the roster cannot go on with a session.
  for (const auto& [tokenHash, session] : hall.sessions()) {
    if (session.principal.role == domain::Role::Delegate && roster.findById(session.principal.accountId) == nullptr) {
      request.stage(domain::SessionClosed{tokenHash});
      auto& closed = *request.emit(Audience{{domain::Role::Organizer}}).mutable_session_closed();
      toWire(session.principal, *closed.mutable_principal());
    }
  }
  request.stage(domain::RosterReplaced{std::move(roster)});
  request.commitAndReply(std::move(response));
}

}  // namespace daihoi::protocol
