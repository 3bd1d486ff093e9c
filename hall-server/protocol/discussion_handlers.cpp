// Discussion of drafts (docs/DOCUMENTS.md): discussion groups, comments and
// replies, the secretariat's marks and the compiled comments of a document.
#include <algorithm>
#include <set>

#include "documents/vietnamese.hpp"
#include "protocol/discussion_wire.hpp"
#include "protocol/document_support.hpp"
#include "protocol/handlers.hpp"
#include "protocol/wire.hpp"

namespace daihoi::protocol {
namespace {

constexpr std::size_t kMaxGroupNameBytes = 200;
constexpr std::size_t kMaxGroups = 200;
constexpr std::size_t kMaxCommentBytes = 5000;
constexpr std::size_t kMaxMarkNoteBytes = 2000;

std::string delegationName(const Hall& hall, std::uint32_t delegationId) {
  if (delegationId == 0) return {};
  const domain::Delegation* delegation = hall.committed().roster().findDelegation(delegationId);
  return delegation ? delegation->name : std::string();
}

void commentToWire(const Hall& hall, const domain::Comment& comment, const domain::PassagePlace& place,
                   v1::Comment& out) {
  toWire(comment, place, delegationName(hall, comment.authorDelegationId), out);
}

// The comment with where it is now, for an event or a reply (pending state: it was just staged).
void stagedCommentToWire(const Hall& hall, const domain::Comment& comment, v1::Comment& out) {
  const domain::Document* document = hall.pending().documents().find(comment.documentId);
  domain::PassagePlace place{comment.version, comment.paragraphNumber};
  if (document != nullptr) {
    const domain::Comment* threadStart = hall.pending().comments().find(comment.threadId);
    place = domain::NewestPlaces(*document).place(threadStart ? threadStart->paragraphId : comment.paragraphId);
  }
  toWire(comment, place, delegationName(hall, comment.authorDelegationId), out);
}

void groupsReply(const domain::DiscussionGroups& groups, v1::DiscussionGroupsReply& out) {
  toWire(groups, *out.mutable_groups());
  out.set_visibility(static_cast<v1::CommentVisibility>(groups.visibility));
}

// Stages the comment, tells its readers and answers once it is durable.
void stageComment(Request& request, domain::Comment comment) {
  Hall& hall = request.hall();
  comment.id = hall.pending().comments().nextId();  // taken now, in commit order
  if (comment.replyTo == 0) comment.threadId = comment.id;
  comment.createdMs = hall.clock().nowMs();
  const std::uint64_t id = comment.id;
  request.stage(domain::CommentAdded{std::move(comment)});
  const domain::Comment& staged = *hall.pending().comments().find(id);
  v1::Event& event = request.emit(hall.commentAudience(staged));
  stagedCommentToWire(hall, staged, *event.mutable_comment_added()->mutable_comment());
  v1::Response response;
  *response.mutable_comment()->mutable_comment() = event.comment_added().comment();
  request.commitAndReply(std::move(response));
}

bool utf8Boundary(const std::string& text, std::uint32_t offset) {
  return offset >= text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

}  // namespace

void handleSetDiscussionGroups(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().set_discussion_groups();
  if (static_cast<std::size_t>(in.groups_size()) > kMaxGroups) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "at most " + std::to_string(kMaxGroups) + " discussion groups");
    return;
  }
  const int visibility = in.visibility() == v1::COMMENT_VISIBILITY_UNSPECIFIED ? v1::COMMENT_VISIBILITY_GROUP
                                                                                : in.visibility();
  if (visibility < 1 || visibility > 3) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "visibility must be group, all delegates or secretariat");
    return;
  }
  domain::DiscussionGroupsSet change;
  change.groups.visibility = static_cast<domain::CommentVisibility>(visibility);
  std::set<std::string> names;
  std::set<std::uint32_t> assigned;
  for (const v1::DiscussionGroup& group : in.groups()) {
    auto name = checkedText(request, group.name(), kMaxGroupNameBytes, "a group's name", true);
    if (!name) return;
    if (!names.insert(documents::foldVietnamese(*name)).second) {
      request.fail(v1::ERROR_INVALID_ARGUMENT, "two groups are named '" + *name + "'");
      return;
    }
    domain::DiscussionGroup out;
    out.id = static_cast<std::uint32_t>(change.groups.groups.size() + 1);
    out.name = std::move(*name);
    for (std::uint32_t delegationId : group.delegation_ids()) {
      if (hall.pending().roster().findDelegation(delegationId) == nullptr) {
        request.fail(v1::ERROR_NOT_FOUND, "no delegation " + std::to_string(delegationId));
        return;
      }
      if (!assigned.insert(delegationId).second) {
        request.fail(v1::ERROR_INVALID_ARGUMENT,
                     "delegation " + std::to_string(delegationId) + " is in two groups: a delegation discusses in one");
        return;
      }
      out.delegationIds.push_back(delegationId);
    }
    std::sort(out.delegationIds.begin(), out.delegationIds.end());
    change.groups.groups.push_back(std::move(out));
  }
  const domain::DiscussionGroups groups = change.groups;
  request.stage(std::move(change));
  using domain::Role;
  v1::Event& event = request.emit(Audience{domain::RoleSet{Role::Delegate, Role::Chair, Role::Secretary,
                                                           Role::Organizer, Role::Display}});
  auto& changed = *event.mutable_discussion_groups_changed();
  toWire(groups, *changed.mutable_groups());
  changed.set_visibility(static_cast<v1::CommentVisibility>(groups.visibility));
  toWire(request.principal(), *changed.mutable_by());
  v1::Response response;
  groupsReply(groups, *response.mutable_discussion_groups());
  request.commitAndReply(std::move(response));
}

void handleGetDiscussionGroups(Request& request) {
  v1::Response response;
  groupsReply(request.hall().committed().discussionGroups(), *response.mutable_discussion_groups());
  request.commitAndReply(std::move(response));
}

void handleAddComment(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().add_comment();
  const domain::Principal& author = request.principal();
  // A reply names its comment; its document is the comment's (document_id may be left 0).
  const domain::Comment* parent = nullptr;
  if (in.reply_to() != 0) {
    parent = hall.committed().comments().find(in.reply_to());
    const domain::Comment* threadStart = parent ? hall.committed().comments().find(parent->threadId) : nullptr;
    // A comment this author may not read answers as one that does not exist.
    if (parent == nullptr || threadStart == nullptr || !hall.mayReadThread(*threadStart, author) ||
        (in.document_id() != 0 && in.document_id() != parent->documentId)) {
      request.fail(v1::ERROR_NOT_FOUND,
                   "no comment " + std::to_string(in.reply_to()) +
                       (in.document_id() != 0 ? " on document " + std::to_string(in.document_id()) : std::string()));
      return;
    }
  }
  const domain::Document* document = readableDocument(request, parent ? parent->documentId : in.document_id());
  if (document == nullptr) return;
  auto text = checkedText(request, in.text(), kMaxCommentBytes, "the comment", true);
  if (!text) return;
  domain::Comment comment;
  comment.documentId = document->id;
  comment.author = author;
  comment.authorDelegationId = hall.delegationOf(author);
  comment.groupId = hall.committed().discussionGroups().groupOf(comment.authorDelegationId);
  comment.text = std::move(*text);

  if (parent != nullptr) {
    if (!in.paragraph_id().empty() && in.paragraph_id() != parent->paragraphId) {
      request.fail(v1::ERROR_INVALID_ARGUMENT, "a reply is on its thread's paragraph " + parent->paragraphId);
      return;
    }
    comment.replyTo = parent->id;
    comment.threadId = parent->threadId;
    comment.version = parent->version;
    comment.paragraphId = parent->paragraphId;
    comment.paragraphNumber = parent->paragraphNumber;
    stageComment(request, std::move(comment));
    return;
  }

  const domain::DocumentVersionInfo* version = versionOf(request, *document, in.version());
  if (version == nullptr) return;
  const std::vector<std::string>& ids = *version->paragraphIds;
  auto found = std::find(ids.begin(), ids.end(), in.paragraph_id());
  if (found == ids.end()) {
    request.fail(v1::ERROR_NOT_FOUND, "version " + std::to_string(version->number) + " of document " +
                                          std::to_string(document->id) + " has no paragraph '" + in.paragraph_id() +
                                          "'");
    return;
  }
  comment.version = version->number;
  comment.paragraphId = in.paragraph_id();
  comment.paragraphNumber = static_cast<std::uint32_t>(found - ids.begin() + 1);
  const std::uint32_t begin = in.range().begin();
  const std::uint32_t end = in.range().end();
  if (begin == end) {
    stageComment(request, std::move(comment));
    return;
  }
  if (begin > end) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "the range's begin is after its end");
    return;
  }
  // A range is checked against the paragraph's text, and its text kept as the quote.
  if (!requireArchive(request)) return;
  const std::uint32_t number = comment.paragraphNumber;
  hall.archive()->documentParagraph(
      document->id, version->number, number,
      whenRead<std::optional<documents::Paragraph>>(
          request, "the paragraph could not be read",
          [comment = std::move(comment), begin, end](Request& resumed,
                                                     std::optional<documents::Paragraph> paragraph) mutable {
            if (!paragraph) {
              resumed.fail(v1::ERROR_INTERNAL, "the paragraph is missing from the store");
              return;
            }
            const std::string& text = paragraph->text;
            if (end > text.size() || !utf8Boundary(text, begin) || !utf8Boundary(text, end)) {
              resumed.fail(v1::ERROR_INVALID_ARGUMENT,
                           "the range must lie within the paragraph's " + std::to_string(text.size()) +
                               " bytes, on character boundaries");
              return;
            }
            comment.range = domain::TextSpan{begin, end};
            comment.quote = text.substr(begin, end - begin);
            stageComment(resumed, std::move(comment));
          }));
}

void handleListComments(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().list_comments();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  const domain::CommentBook& book = hall.committed().comments();
  const domain::NewestPlaces places(*document);
  // Threads in the newest reading order (removed passages last), each followed by its replies.
  struct Listed {
    std::uint32_t number;
    std::uint64_t thread;
    std::uint64_t id;
    const domain::Comment* comment;
    domain::PassagePlace place;
  };
  std::vector<Listed> listed;
  for (const domain::Comment* comment : book.forDocument(document->id)) {
    const domain::Comment* threadStart = book.find(comment->threadId);
    if (threadStart == nullptr || !hall.mayReadThread(*threadStart, request.principal())) continue;
    const domain::PassagePlace place = places.place(threadStart->paragraphId);
    listed.push_back(Listed{place.removed() ? UINT32_MAX : place.paragraphNumber, threadStart->id, comment->id,
                            comment, place});
  }
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
    return std::tie(a.number, a.thread, a.id) < std::tie(b.number, b.thread, b.id);
  });
  v1::Response response;
  auto& reply = *response.mutable_comments();
  reply.set_document_id(document->id);
  for (const Listed& item : listed) commentToWire(hall, *item.comment, item.place, *reply.add_comments());
  request.commitAndReply(std::move(response));
}

void handleMarkComment(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().mark_comment();
  const domain::Comment* comment = hall.committed().comments().find(in.comment_id());
  if (comment == nullptr) {
    request.fail(v1::ERROR_NOT_FOUND, "no comment " + std::to_string(in.comment_id()));
    return;
  }
  if (!v1::CommentMark_IsValid(in.mark())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "mark must be accepted, noted, not accepted or none");
    return;
  }
  auto note = checkedText(request, in.note(), kMaxMarkNoteBytes, "the note", false);
  if (!note) return;
  const std::uint64_t id = comment->id;
  request.stage(domain::CommentMarked{id, static_cast<domain::CommentMark>(in.mark()), std::move(*note),
                                      request.principal(), hall.clock().nowMs()});
  const domain::Comment& marked = *hall.pending().comments().find(id);
  v1::Event& event = request.emit(hall.commentAudience(marked));
  stagedCommentToWire(hall, marked, *event.mutable_comment_marked()->mutable_comment());
  v1::Response response;
  *response.mutable_comment()->mutable_comment() = event.comment_marked().comment();
  request.commitAndReply(std::move(response));
}

void handleCompileComments(Request& request) {
  Hall& hall = request.hall();
  const auto& in = request.message().compile_comments();
  const domain::Document* document = readableDocument(request, in.document_id());
  if (document == nullptr) return;
  if (!v1::ExportFormat_IsValid(in.format())) {
    request.fail(v1::ERROR_INVALID_ARGUMENT, "format must be CSV, Markdown or none");
    return;
  }
  if (!requireArchive(request)) return;
  const std::uint32_t documentId = document->id;
  const v1::ExportFormat format = in.format();
  hall.archive()->documentParagraphs(
      documentId, document->newest().number,
      whenRead<std::vector<documents::Paragraph>>(
          request, "the newest version could not be read",
          [&hall, documentId, format](Request& resumed, std::vector<documents::Paragraph> paragraphs) {
            // Decided on the state now: comments made while the version was read are in.
            const domain::Document* document = hall.committed().documents().find(documentId);
            if (document == nullptr) {
              resumed.fail(v1::ERROR_NOT_FOUND, "no document " + std::to_string(documentId));
              return;
            }
            std::vector<domain::NewestParagraph> newest;
            newest.reserve(paragraphs.size());
            for (documents::Paragraph& paragraph : paragraphs) {
              newest.push_back(domain::NewestParagraph{std::move(paragraph.id), paragraph.number,
                                                       std::move(paragraph.section)});
            }
            const domain::DiscussionGroups& groups = hall.committed().discussionGroups();
            const domain::CommentCompilation compilation = domain::compileComments(
                *document, hall.committed().comments().forDocument(documentId), newest, groups);
            v1::Response response;
            auto& reply = *response.mutable_comment_compilation();
            reply.set_document_id(documentId);
            reply.set_title(document->title);
            reply.set_newest_version(document->newest().number);
            toWire(compilation.counts, *reply.mutable_counts());
            for (const domain::CompiledSection& section : compilation.sections) {
              v1::SectionComments& out = *reply.add_sections();
              out.set_section(section.section);
              out.set_first_paragraph_number(section.firstParagraphNumber);
              out.set_removed_passages(section.removedPassages);
              toWire(section.counts, *out.mutable_counts());
              for (const domain::Comment* comment : section.comments) out.add_comment_ids(comment->id);
            }
            for (const domain::CompiledGroup& group : compilation.groups) {
              v1::GroupComments& out = *reply.add_groups();
              out.set_group_id(group.groupId);
              out.set_group_name(group.name);
              toWire(group.counts, *out.mutable_counts());
              for (const domain::Comment* comment : group.comments) out.add_comment_ids(comment->id);
            }
            for (const domain::Comment* comment : compilation.comments) {
              commentToWire(hall, *comment, compilation.places.at(comment->id), *reply.add_comments());
            }
            reply.set_format(format);
            auto nameOf = [&hall](std::uint32_t id) { return delegationName(hall, id); };
            const std::string base = "gop-y-tai-lieu-" + std::to_string(documentId);
            if (format == v1::EXPORT_FORMAT_CSV) {
              reply.set_export_text(domain::commentsCsv(*document, compilation, groups, nameOf));
              reply.set_export_file_name(base + ".csv");
            } else if (format == v1::EXPORT_FORMAT_MARKDOWN) {
              reply.set_export_text(domain::commentsMarkdown(*document, compilation, groups, nameOf));
              reply.set_export_file_name(base + ".md");
            }
            resumed.commitAndReply(std::move(response));
          }));
}

}  // namespace daihoi::protocol
