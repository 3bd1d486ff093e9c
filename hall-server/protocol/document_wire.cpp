#include "protocol/document_wire.hpp"

#include <algorithm>

#include "protocol/wire.hpp"

namespace daihoi::protocol {

std::string documentUrl(std::string_view sha256) { return "/documents/" + std::string(sha256); }

void toWire(const domain::DocumentAudience& in, v1::DocumentAudience& out) {
  out.set_everyone(in.everyone);
  for (std::uint32_t id : in.delegationIds) out.add_delegation_ids(id);
  for (std::uint32_t id : in.delegateIds) out.add_delegate_ids(id);
  for (domain::Role role : domain::kAllRoles) {
    if (in.roles.contains(role)) out.add_roles(toWire(role));
  }
}

domain::DocumentAudience fromWire(const v1::DocumentAudience& in) {
  domain::DocumentAudience out;
  out.everyone = in.everyone();
  out.delegationIds.assign(in.delegation_ids().begin(), in.delegation_ids().end());
  std::sort(out.delegationIds.begin(), out.delegationIds.end());
  out.delegationIds.erase(std::unique(out.delegationIds.begin(), out.delegationIds.end()), out.delegationIds.end());
  out.delegateIds.assign(in.delegate_ids().begin(), in.delegate_ids().end());
  std::sort(out.delegateIds.begin(), out.delegateIds.end());
  out.delegateIds.erase(std::unique(out.delegateIds.begin(), out.delegateIds.end()), out.delegateIds.end());
  for (int role : in.roles()) {
    if (role >= 1 && role <= 6) out.roles = out.roles | domain::RoleSet{static_cast<domain::Role>(role)};
  }
  return out;
}

void toWire(const domain::DocumentVersionInfo& in, v1::DocumentVersion& out) {
  out.set_number(in.number);
  out.set_sha256(in.sha256);
  out.set_size(in.size);
  out.set_format(static_cast<v1::DocumentFormat>(in.format));
  out.set_file_name(in.fileName);
  out.set_note(in.note);
  out.set_added_ms(in.addedMs);
  toWire(in.addedBy, *out.mutable_added_by());
  out.set_pages(in.pages);
  out.set_paragraphs(in.paragraphCount());
  out.set_url(documentUrl(in.sha256));
}

void toWire(const domain::Document& in, v1::DocumentSummary& out) {
  out.set_id(in.id);
  out.set_title(in.title);
  out.set_kind(static_cast<v1::DocumentKind>(in.kind));
  toWire(in.audience, *out.mutable_audience());
  for (const auto& version : in.versions) toWire(version, *out.add_versions());
  out.set_created_ms(in.createdMs);
  if (in.contribution) {
    const domain::Contribution& contribution = *in.contribution;
    v1::Contribution& wire = *out.mutable_contribution();
    wire.set_author_delegate_id(contribution.authorDelegateId);
    wire.set_status(static_cast<v1::ContributionStatus>(contribution.status));
    wire.set_decision_note(contribution.decisionNote);
    if (contribution.decidedMs != 0) toWire(contribution.decidedBy, *wire.mutable_decided_by());
    wire.set_decided_ms(contribution.decidedMs);
  }
}

void toWire(const documents::Paragraph& in, v1::Paragraph& out) {
  out.set_id(in.id);
  out.set_number(in.number);
  out.set_section(in.section);
  out.set_heading_level(static_cast<std::uint32_t>(in.headingLevel));
  out.set_page(in.page);
  out.set_text(in.text);
}

namespace {

v1::ParagraphChange::Kind kindToWire(documents::ParagraphChangeKind kind) {
  switch (kind) {
    case documents::ParagraphChangeKind::Unchanged: return v1::ParagraphChange::KIND_UNCHANGED;
    case documents::ParagraphChangeKind::Added: return v1::ParagraphChange::KIND_ADDED;
    case documents::ParagraphChangeKind::Removed: return v1::ParagraphChange::KIND_REMOVED;
    case documents::ParagraphChangeKind::Changed: return v1::ParagraphChange::KIND_CHANGED;
  }
  return v1::ParagraphChange::KIND_UNCHANGED;
}

v1::WordEdit::Op opToWire(documents::WordEdit::Op op) {
  switch (op) {
    case documents::WordEdit::Op::Equal: return v1::WordEdit::OP_EQUAL;
    case documents::WordEdit::Op::Insert: return v1::WordEdit::OP_INSERT;
    case documents::WordEdit::Op::Delete: return v1::WordEdit::OP_DELETE;
  }
  return v1::WordEdit::OP_EQUAL;
}

void placeOnly(const documents::Paragraph& in, v1::Paragraph& out) {
  out.set_id(in.id);
  out.set_number(in.number);
}

}  // namespace

void toWire(const documents::DocumentDiff& in, const std::vector<documents::Paragraph>& older,
            const std::vector<documents::Paragraph>& newer, v1::DocumentDiffReply& out) {
  for (const documents::ParagraphChange& change : in.changes) {
    v1::ParagraphChange& wire = *out.add_changes();
    wire.set_kind(kindToWire(change.kind));
    const bool withText = change.kind != documents::ParagraphChangeKind::Unchanged;
    if (change.older) {
      withText ? toWire(older.at(*change.older), *wire.mutable_older())
               : placeOnly(older.at(*change.older), *wire.mutable_older());
    }
    if (change.newer) {
      withText ? toWire(newer.at(*change.newer), *wire.mutable_newer())
               : placeOnly(newer.at(*change.newer), *wire.mutable_newer());
    }
    for (const documents::WordEdit& edit : change.words) {
      v1::WordEdit& word = *wire.add_words();
      word.set_op(opToWire(edit.op));
      word.set_text(edit.text);
    }
  }
  out.set_unchanged(in.counts.unchanged);
  out.set_added(in.counts.added);
  out.set_removed(in.counts.removed);
  out.set_changed(in.counts.changed);
}

}  // namespace daihoi::protocol
