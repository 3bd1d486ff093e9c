#pragma once
// Discussion on the wire (daihoi.v1): groups, comments and compilations.
#include "daihoi.pb.h"
#include "domain/discussion.hpp"

namespace daihoi::protocol {

namespace v1 = ::daihoi::v1;

void toWire(const domain::DiscussionGroups& in, google::protobuf::RepeatedPtrField<v1::DiscussionGroup>& groups);
// A comment with where its passage is in the newest version and its author's delegation name.
void toWire(const domain::Comment& in, const domain::PassagePlace& place, const std::string& delegationName,
            v1::Comment& out);
void toWire(const domain::MarkCounts& in, v1::TallyByMark& out);

}  // namespace daihoi::protocol
