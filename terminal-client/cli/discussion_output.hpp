#pragma once
// How `daihoi` prints the discussion of drafts and the reading of documents: discussion groups,
// search hits and the study assistant's passages, comments with their threads and marks, the
// compiled comments, who opened a document, a downloaded file, a written contribution decided,
// and their `watch` lines. Pure functions of protocol messages, like output.hpp and doc_output.hpp:
// Vietnamese text for people (headlines also in English), JSON for scripts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/exit_codes.hpp"
#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

class JsonWriter;

std::string_view commentMarkKey(daihoi::v1::CommentMark mark);    // "accepted", … "none" (JSON, doc mark)
std::string_view commentMarkLabel(daihoi::v1::CommentMark mark);  // "tiếp thu", … "chưa xử lý"
std::string_view visibilityKey(daihoi::v1::CommentVisibility visibility);    // "group", … (JSON, --visibility)
std::string_view visibilityLabel(daihoi::v1::CommentVisibility visibility);  // "chỉ trong tổ của người góp ý"

// `text` with the byte ranges `highlights` marked: bold on a terminal (`ansi`), else «…». The
// ranges may come in any order, overlap or run past the text: they are sorted, merged and clipped.
// The rest is made safe to print (terminalSafe); line breaks become spaces.
std::string highlightedText(std::string_view text,
                            const google::protobuf::RepeatedPtrField<daihoi::v1::TextRange>& highlights, bool ansi);

// `groups set`: the groups as the wire has them, each delegation (by name, any letter case, or id)
// looked up in `roster`; an unknown delegation, or one in two groups, is a usage error.
std::variant<daihoi::v1::SetDiscussionGroups, CliError> discussionGroupsRequest(
    const std::vector<DiscussionGroupSpec>& groups, daihoi::v1::CommentVisibility visibility,
    const daihoi::v1::RosterReply& roster);

// `groups set` and `groups list`. Delegation names from `names`; the delegations in no group are listed.
std::string discussionGroupsText(const daihoi::v1::DiscussionGroupsReply& reply, const client::StateMirror& names,
                                 bool changed);
std::string discussionGroupsJson(const daihoi::v1::DiscussionGroupsReply& reply, const client::StateMirror& names);

// `doc search`.
std::string searchText(const daihoi::v1::SearchReply& reply, std::string_view query, std::uint32_t offset, bool ansi);
std::string searchJson(const daihoi::v1::SearchReply& reply, std::string_view query);

// `doc ask`.
std::string studyText(const daihoi::v1::StudyReply& reply, std::string_view question, bool ansi);
std::string studyJson(const daihoi::v1::StudyReply& reply, std::string_view question);

// The paragraph with this number in a version, or nullptr.
const daihoi::v1::Paragraph* findParagraph(const daihoi::v1::DocumentVersionReply& version, std::uint32_t number);

// Where a comment's passage is now: "§14 trong bản 3" or "đoạn đã bị xoá ở bản 3".
std::string passagePlaceText(const daihoi::v1::Comment& comment);

// A discussion group's name from `groups` ("tổ #3" when unknown, "" for 0: no group).
std::string groupName(const daihoi::v1::DiscussionGroupsReply& groups, std::uint32_t groupId);

// `doc comment` / `doc reply`: the comment as recorded.
std::string commentAddedText(const daihoi::v1::Comment& comment, const daihoi::v1::DiscussionGroupsReply& groups);
std::string commentJson(const daihoi::v1::Comment& comment, const daihoi::v1::DiscussionGroupsReply& groups);

// `doc comments`: the threads in the newest reading order, each reply under its thread.
std::string commentsText(const daihoi::v1::CommentsReply& reply, const daihoi::v1::DiscussionGroupsReply& groups);
std::string commentsJson(const daihoi::v1::CommentsReply& reply, const daihoi::v1::DiscussionGroupsReply& groups);

// `doc mark`.
std::string commentMarkedText(const daihoi::v1::Comment& comment);

// `doc compile`: the counts in all, by section and by group. `savedTo` names the file the export
// was written to (empty: none).
std::string compilationText(const daihoi::v1::CommentCompilation& reply, const std::string& savedTo);
std::string compilationJson(const daihoi::v1::CommentCompilation& reply, const std::string& savedTo);

// `doc open` (and what `doc show` records for a delegate).
std::string documentOpenedText(const daihoi::v1::OpenDocumentReply& reply);
std::string documentOpenedJson(const daihoi::v1::OpenDocumentReply& reply);

// `doc readers`: the counts, then the delegates who opened the newest version and when, or with
// `onlyMissing` those who have not (and the older version they opened, if any).
std::string documentReadersText(const daihoi::v1::DocumentReadersReply& reply, bool onlyMissing);
std::string documentReadersJson(const daihoi::v1::DocumentReadersReply& reply, bool onlyMissing);

// `doc get`: the file written and checked.
std::string documentSavedText(std::uint32_t documentId, const daihoi::v1::DocumentVersion& version,
                              const std::string& path);
std::string documentSavedJson(std::uint32_t documentId, const daihoi::v1::DocumentVersion& version,
                              const std::string& path);
// The file name `doc get` writes by default: the version's file name without any directory part,
// or "tai-lieu-ID-ban-N" + its extension when the server's name is unusable ("", ".", "..").
std::string downloadFileName(std::uint32_t documentId, const daihoi::v1::DocumentVersion& version);

// `doc approve` / `doc decline`.
std::string contributionDecidedText(const daihoi::v1::DocumentReply& reply, const client::StateMirror& names);

// The part of a `watch` line after "#seq time  " for the discussion events, and their JSON fields.
// Group names from `groups` (the sign-in snapshot's, kept up to date by `watch`).
std::string discussionEventText(const daihoi::v1::Event& event, const client::StateMirror& names,
                                const daihoi::v1::DiscussionGroupsReply& groups);
void writeDiscussionEventJson(JsonWriter& json, const daihoi::v1::Event& event,
                              const daihoi::v1::DiscussionGroupsReply& groups);

}  // namespace daihoi::cli
