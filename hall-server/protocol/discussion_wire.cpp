#include "protocol/discussion_wire.hpp"

#include "protocol/wire.hpp"

namespace daihoi::protocol {

void toWire(const domain::DiscussionGroups& in, google::protobuf::RepeatedPtrField<v1::DiscussionGroup>& groups) {
  for (const domain::DiscussionGroup& group : in.groups) {
    v1::DiscussionGroup& out = *groups.Add();
    out.set_id(group.id);
    out.set_name(group.name);
    for (std::uint32_t id : group.delegationIds) out.add_delegation_ids(id);
  }
}

void toWire(const domain::Comment& in, const domain::PassagePlace& place, const std::string& delegationName,
            v1::Comment& out) {
  out.set_id(in.id);
  out.set_document_id(in.documentId);
  out.set_version(in.version);
  out.set_paragraph_id(in.paragraphId);
  out.set_paragraph_number(in.paragraphNumber);
  if (!in.range.whole()) {
    out.mutable_range()->set_begin(in.range.begin);
    out.mutable_range()->set_end(in.range.end);
  }
  out.set_quote(in.quote);
  out.set_reply_to(in.replyTo);
  out.set_thread_id(in.threadId);
  toWire(in.author, *out.mutable_author());
  out.set_delegation(delegationName);
  out.set_group_id(in.groupId);
  out.set_text(in.text);
  out.set_created_ms(in.createdMs);
  out.set_mark(static_cast<v1::CommentMark>(in.mark));
  out.set_mark_note(in.markNote);
  if (in.markedMs != 0) toWire(in.markedBy, *out.mutable_marked_by());
  out.set_marked_ms(in.markedMs);
  out.set_newest_version(place.newestVersion);
  out.set_newest_paragraph_number(place.paragraphNumber);
  out.set_passage_removed(place.removed());
}

void toWire(const domain::MarkCounts& in, v1::TallyByMark& out) {
  out.set_total(in.total);
  out.set_accepted(in.accepted);
  out.set_noted(in.noted);
  out.set_not_accepted(in.notAccepted);
  out.set_unmarked(in.unmarked);
}

}  // namespace daihoi::protocol
