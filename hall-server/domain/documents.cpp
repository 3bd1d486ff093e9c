#include "domain/documents.hpp"

#include <algorithm>
#include <array>

namespace daihoi::domain {

namespace {

constexpr std::array<std::pair<DocumentKind, std::string_view>, 6> kKindNames{{
    {DocumentKind::PoliticalReport, "political-report"},
    {DocumentKind::DraftResolution, "draft-resolution"},
    {DocumentKind::ActionProgramme, "action-programme"},
    {DocumentKind::PersonnelList, "personnel-list"},
    {DocumentKind::WrittenContribution, "written-contribution"},
    {DocumentKind::Other, "other"},
}};

}  // namespace

std::string_view documentKindName(DocumentKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "other";
}

std::optional<DocumentKind> documentKindFromName(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

bool isDocumentKind(int value) { return value >= 1 && value <= 6; }

std::string_view documentFormatName(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::Pdf: return "pdf";
    case DocumentFormat::Markdown: return "markdown";
    case DocumentFormat::PlainText: return "text";
  }
  return "text";
}

std::string_view documentContentType(DocumentFormat format) {
  switch (format) {
    case DocumentFormat::Pdf: return "application/pdf";
    case DocumentFormat::Markdown: return "text/markdown; charset=utf-8";
    case DocumentFormat::PlainText: return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

const DocumentVersionInfo* Document::version(std::uint32_t number) const {
  if (number == 0 || number > versions.size()) return nullptr;
  return &versions[number - 1];
}

bool mayRead(const Document& document, const Principal& principal, std::uint32_t delegationId) {
  const Role role = principal.role;
  if (role == Role::Secretary || role == Role::Organizer) return true;
  const DocumentAudience& audience = document.audience;
  if (audience.roles.contains(role)) return true;
  if (audience.everyone && (role == Role::Delegate || role == Role::Chair)) return true;
  if (role != Role::Delegate) return false;
  if (std::binary_search(audience.delegateIds.begin(), audience.delegateIds.end(), principal.accountId)) return true;
  return delegationId != 0 &&
         std::binary_search(audience.delegationIds.begin(), audience.delegationIds.end(), delegationId);
}

std::string_view contributionStatusName(ContributionStatus status) {
  switch (status) {
    case ContributionStatus::Submitted:
      return "submitted";
    case ContributionStatus::Approved:
      return "approved";
    case ContributionStatus::Declined:
      return "declined";
  }
  return "submitted";
}

const Document* DocumentLibrary::find(std::uint32_t id) const {
  auto it = documents_.find(id);
  return it == documents_.end() ? nullptr : &it->second;
}

std::vector<const Document*> DocumentLibrary::withFile(std::string_view sha256) const {
  std::vector<const Document*> found;
  auto [first, last] = byFile_.equal_range(sha256);
  for (auto it = first; it != last; ++it) {
    const Document* document = find(it->second);
    if (document != nullptr && std::find(found.begin(), found.end(), document) == found.end()) found.push_back(document);
  }
  return found;
}

void DocumentLibrary::addVersion(const Document& header, DocumentVersionInfo version) {
  auto [it, inserted] = documents_.try_emplace(header.id);
  Document& document = it->second;
  if (inserted) {
    document.id = header.id;
    document.title = header.title;
    document.kind = header.kind;
    document.audience = header.audience;
    document.createdMs = header.createdMs;
    document.contribution = header.contribution;
  }
  byFile_.emplace(version.sha256, header.id);
  document.versions.push_back(std::move(version));
}

void DocumentLibrary::decideContribution(std::uint32_t documentId, Contribution decision,
                                         const DocumentAudience& audience) {
  auto it = documents_.find(documentId);
  if (it == documents_.end() || !it->second.contribution) return;
  Document& document = it->second;
  decision.authorDelegateId = document.contribution->authorDelegateId;
  document.contribution = std::move(decision);
  document.audience = audience;
}

}  // namespace daihoi::domain
