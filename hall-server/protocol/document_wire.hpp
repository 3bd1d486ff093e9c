#pragma once
// Documents on the wire (daihoi.v1): summaries, paragraphs and diffs.
#include "daihoi.pb.h"
#include "documents/diff.hpp"
#include "documents/paragraphs.hpp"
#include "domain/documents.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;

void toWire(const domain::DocumentAudience& in, v1::DocumentAudience& out);
void toWire(const domain::DocumentVersionInfo& in, v1::DocumentVersion& out);
void toWire(const domain::Document& in, v1::DocumentSummary& out);
void toWire(const documents::Paragraph& in, v1::Paragraph& out);
// Changed, added and removed paragraphs with their text; unchanged ones by id and number only.
void toWire(const documents::DocumentDiff& in, const std::vector<documents::Paragraph>& older,
            const std::vector<documents::Paragraph>& newer, v1::DocumentDiffReply& out);
domain::DocumentAudience fromWire(const v1::DocumentAudience& in);
// The path a version's file is fetched from (HTTP GET with the session token).
std::string documentUrl(std::string_view sha256);

}  // namespace daihoi::protocol
