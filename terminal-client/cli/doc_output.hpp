#pragma once
// How `daihoi` prints congress documents: a document just published, the list, a version's
// paragraphs, the changes between two versions, and their `watch` lines. Pure functions of
// protocol messages, like output.hpp: Vietnamese text for people (headlines also in English),
// JSON for scripts. In text, a changed paragraph shows its word edits inline as
// [-deleted-]{+inserted+}, the notation of `git diff --word-diff`.
#include <cstdint>
#include <string>
#include <string_view>

#include "client/state_mirror.hpp"
#include "daihoi.pb.h"

namespace daihoi::cli {

class JsonWriter;

std::string_view documentKindKey(daihoi::v1::DocumentKind kind);        // "draft-resolution" (--kind, JSON)
std::string_view documentKindLabel(daihoi::v1::DocumentKind kind);      // "dự thảo nghị quyết"
std::string_view documentFormatKey(daihoi::v1::DocumentFormat format);  // "markdown"
// "980 byte", "12,3 KB", "4,0 MB" (binary units, a decimal comma).
std::string fileSizeText(std::uint64_t bytes);
// Who reads the document besides the secretariat and organizers, who read every one: "mọi đại
// biểu và chủ tọa", or the delegations (names from `names`, else "đoàn #id"), roles and delegates.
std::string readersText(const daihoi::v1::DocumentAudience& audience, const client::StateMirror& names);
// A written contribution's status and author (who added its first version): "đã gửi, chờ ban thư ký
// duyệt, của Nguyễn Văn An". contributionAuthor: the name alone ("" for no contribution).
std::string contributionText(const daihoi::v1::DocumentSummary& document);
std::string contributionAuthor(const daihoi::v1::DocumentSummary& document);
// The document as every --json output writes it: id, title, kind, audience, versions, contribution.
void writeDocumentJson(JsonWriter& json, const daihoi::v1::DocumentSummary& document);
// [-deleted-]{+inserted+} around the edits, equal text as it is.
std::string inlineWordEdits(const google::protobuf::RepeatedPtrField<daihoi::v1::WordEdit>& words);

// `doc add` (version 1) and `doc update` (a later version): the reply's document and version.
std::string documentPublishedText(const daihoi::v1::DocumentReply& reply, const client::StateMirror& names);
std::string documentPublishedJson(const daihoi::v1::DocumentReply& reply);

// `doc list`: one line per document with its newest version; JSON with every version.
std::string documentListText(const daihoi::v1::DocumentsReply& reply);
std::string documentListJson(const daihoi::v1::DocumentsReply& reply);

// `doc show`: the numbered paragraphs, headings marked with '#' by level, page changes of a PDF.
std::string documentVersionText(const daihoi::v1::DocumentVersionReply& reply);
std::string documentVersionJson(const daihoi::v1::DocumentVersionReply& reply);

// `doc diff`: the counts, then the added, removed and changed paragraphs (unchanged ones only
// in JSON, with their ids and numbers).
std::string documentDiffText(const daihoi::v1::DocumentDiffReply& reply);
std::string documentDiffJson(const daihoi::v1::DocumentDiffReply& reply);

// The part of a `watch` line after "#seq time  " for DocumentPublished, and its JSON fields.
std::string documentEventText(const daihoi::v1::DocumentPublished& published);
void writeDocumentEventJson(JsonWriter& json, const daihoi::v1::DocumentPublished& published);

}  // namespace daihoi::cli
