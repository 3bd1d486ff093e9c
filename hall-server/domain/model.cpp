#include "domain/model.hpp"

#include <stdexcept>

namespace daihoi::domain {

std::uint32_t Fraction::atLeastOf(std::uint32_t total) const {
  if (!isValid()) {
    throw std::invalid_argument("fraction " + std::to_string(numerator) + "/" + std::to_string(denominator) +
                                " is not a valid share (need 0 < denominator and numerator <= denominator)");
  }
  // total * numerator < 2^64, and the result never exceeds total because
  // numerator <= denominator, so neither step can overflow.
  const std::uint64_t scaled = std::uint64_t{total} * numerator;
  return static_cast<std::uint32_t>((scaled + denominator - 1) / denominator);
}

Roster::Roster(std::vector<Delegation> delegations, std::vector<Delegate> delegates)
    : delegations_(std::move(delegations)), delegates_(std::move(delegates)) {
  delegationById_.reserve(delegations_.size());
  for (std::size_t i = 0; i < delegations_.size(); ++i) {
    if (!delegationById_.emplace(delegations_[i].id, i).second) {
      throw std::invalid_argument("roster has delegation id " + std::to_string(delegations_[i].id) + " twice");
    }
  }
  byId_.reserve(delegates_.size());
  byCode_.reserve(delegates_.size());
  for (std::size_t i = 0; i < delegates_.size(); ++i) {
    const Delegate& delegate = delegates_[i];
    if (!byId_.emplace(delegate.id, i).second) {
      throw std::invalid_argument("roster has delegate id " + std::to_string(delegate.id) + " twice");
    }
    if (!byCode_.emplace(delegate.code, i).second) {
      throw std::invalid_argument("roster has delegate code '" + delegate.code + "' twice");
    }
    if (delegate.voting) {
      ++summoned_;
    }
  }
}

const Delegate* Roster::findById(std::uint32_t id) const {
  auto it = byId_.find(id);
  return it == byId_.end() ? nullptr : &delegates_[it->second];
}

const Delegate* Roster::findByCode(std::string_view code) const {
  auto it = byCode_.find(std::string(code));
  return it == byCode_.end() ? nullptr : &delegates_[it->second];
}

const Delegation* Roster::findDelegation(std::uint32_t id) const {
  auto it = delegationById_.find(id);
  return it == delegationById_.end() ? nullptr : &delegations_[it->second];
}

}  // namespace daihoi::domain
