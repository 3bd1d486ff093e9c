#include "cli/discussion_output.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/doc_output.hpp"
#include "cli/json_writer.hpp"
#include "cli/output.hpp"
#include "cli/text.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;

namespace {

constexpr std::size_t kWatchTextColumns = 160;  // a comment's text in a watch line is cut after this

// One line of text from the server: line breaks become spaces, then it is made safe to print.
std::string oneLine(std::string_view text) {
  std::string flat;
  flat.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      flat += ' ';
    } else {
      flat += c;
    }
  }
  return terminalSafe(flat);
}

std::string safe(std::string_view text) { return terminalSafe(text); }

// At most `columns` display columns of `text`, "…" at the end when it was cut.
std::string cut(const std::string& text, std::size_t columns) {
  if (displayWidth(text) <= columns) return text;
  std::string out;
  std::size_t offset = 0;
  while (offset < text.size()) {
    std::size_t length = 1;
    while (offset + length < text.size() && (static_cast<unsigned char>(text[offset + length]) & 0xC0) == 0x80) {
      ++length;
    }
    const std::string next = out + text.substr(offset, length);
    if (displayWidth(next) + 1 > columns) break;
    out = next;
    offset += length;
  }
  return out + "…";
}

// Every line of a (multi-line) text, safe and indented.
std::string indentedLines(std::string_view text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += indent + safe(line) + "\n";
    start = end + 1;
  }
  return out;
}

// "4,21": two decimals and a decimal comma.
std::string scoreText(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", score);
  std::string text = buffer;
  std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

std::string delegationNameOf(const client::StateMirror& names, std::uint32_t id) {
  if (const v1::Delegation* delegation = names.findDelegation(id)) return safe(delegation->name());
  return "đoàn #" + std::to_string(id);
}

std::string authorText(const v1::Comment& comment) {
  const v1::Principal& author = comment.author();
  if (author.role() == v1::ROLE_DELEGATE) {
    std::string name = author.display_name().empty() ? author.login() : author.display_name();
    return safe(name.empty() ? "#" + std::to_string(author.account_id()) : name);
  }
  return principalText(author);
}

// "Nguyễn Văn An · Đoàn Hà Nội · Tổ 1"
std::string authorLine(const v1::Comment& comment, const v1::DiscussionGroupsReply& groups) {
  std::string out = authorText(comment);
  if (!comment.delegation().empty()) out += " · " + safe(comment.delegation());
  const std::string group = groupName(groups, comment.group_id());
  if (!group.empty()) out += " · " + group;
  return out;
}

// "[tiếp thu · Thư ký Lan (thư ký) · “note”]" or "[chưa xử lý]"
std::string markText(const v1::Comment& comment) {
  std::string out = "[" + std::string(commentMarkLabel(comment.mark()));
  if (comment.mark() != v1::COMMENT_MARK_UNSPECIFIED) {
    if (comment.has_marked_by()) out += " · " + principalText(comment.marked_by());
    if (!comment.mark_note().empty()) out += " · “" + oneLine(comment.mark_note()) + "”";
  }
  return out + "]";
}

// The passage a thread is about: where it is now, where it was made, the quoted range.
std::string passageLine(const v1::Comment& comment) {
  std::string out = passagePlaceText(comment);
  const bool moved = comment.passage_removed() || comment.version() != comment.newest_version() ||
                     comment.paragraph_number() != comment.newest_paragraph_number();
  if (moved) {
    out += " (góp ý trên §" + std::to_string(comment.paragraph_number()) + " của bản " +
           std::to_string(comment.version()) + ")";
  }
  if (!comment.quote().empty()) out += " · «" + oneLine(comment.quote()) + "»";
  return out;
}

void writeCounts(JsonWriter& json, const v1::TallyByMark& counts) {
  json.beginObject()
      .key("total").value(counts.total())
      .key("accepted").value(counts.accepted())
      .key("noted").value(counts.noted())
      .key("notAccepted").value(counts.not_accepted())
      .key("unmarked").value(counts.unmarked())
      .endObject();
}

void writeRanges(JsonWriter& json, const google::protobuf::RepeatedPtrField<v1::TextRange>& ranges) {
  json.beginArray();
  for (const v1::TextRange& range : ranges) {
    json.beginObject().key("begin").value(range.begin()).key("end").value(range.end()).endObject();
  }
  json.endArray();
}

void writeGroups(JsonWriter& json, const google::protobuf::RepeatedPtrField<v1::DiscussionGroup>& groups,
                 const client::StateMirror* names) {
  json.beginArray();
  for (const v1::DiscussionGroup& group : groups) {
    json.beginObject().key("id").value(group.id()).key("name").value(group.name()).key("delegations").beginArray();
    for (std::uint32_t id : group.delegation_ids()) {
      json.beginObject().key("id").value(id);
      if (names != nullptr) {
        if (const v1::Delegation* delegation = names->findDelegation(id)) json.key("name").value(delegation->name());
      }
      json.endObject();
    }
    json.endArray().endObject();
  }
  json.endArray();
}

void writeComment(JsonWriter& json, const v1::Comment& comment, const v1::DiscussionGroupsReply& groups) {
  json.beginObject()
      .key("id").value(comment.id())
      .key("documentId").value(comment.document_id())
      .key("version").value(comment.version())
      .key("paragraphId").value(comment.paragraph_id())
      .key("paragraphNumber").value(comment.paragraph_number());
  if (comment.range().begin() != comment.range().end()) {
    json.key("range").beginObject().key("begin").value(comment.range().begin())
        .key("end").value(comment.range().end()).endObject();
  } else {
    json.key("range").null();
  }
  json.key("quote").value(comment.quote())
      .key("replyTo").value(comment.reply_to())
      .key("threadId").value(comment.thread_id())
      .key("author");
  writePrincipalJson(json, comment.author());
  json.key("delegation").value(comment.delegation()).key("groupId").value(comment.group_id());
  const std::string group = comment.group_id() == 0 ? std::string() : groupName(groups, comment.group_id());
  if (group.empty()) {
    json.key("groupName").null();
  } else {
    json.key("groupName").value(group);
  }
  json.key("text").value(comment.text())
      .key("createdMs").value(comment.created_ms())
      .key("mark").value(commentMarkKey(comment.mark()))
      .key("markNote").value(comment.mark_note());
  if (comment.has_marked_by()) {
    json.key("markedBy");
    writePrincipalJson(json, comment.marked_by());
  } else {
    json.key("markedBy").null();
  }
  json.key("markedMs").value(comment.marked_ms())
      .key("newestVersion").value(comment.newest_version())
      .key("newestParagraphNumber").value(comment.newest_paragraph_number())
      .key("passageRemoved").value(comment.passage_removed())
      .endObject();
}

std::string countsText(const v1::TallyByMark& counts) {
  return std::to_string(counts.total()) + " góp ý · tiếp thu " + std::to_string(counts.accepted()) + " · ghi nhận " +
         std::to_string(counts.noted()) + " · không tiếp thu " + std::to_string(counts.not_accepted()) +
         " · chưa xử lý " + std::to_string(counts.unmarked());
}

std::vector<std::string> countCells(const v1::TallyByMark& counts) {
  return {std::to_string(counts.total()), std::to_string(counts.accepted()), std::to_string(counts.noted()),
          std::to_string(counts.not_accepted()), std::to_string(counts.unmarked())};
}

std::string documentReference(std::uint32_t documentId, std::string_view title, std::uint32_t version) {
  return safe(title.empty() ? "Tài liệu #" + std::to_string(documentId) : std::string(title)) + " (#" +
         std::to_string(documentId) + ", bản " + std::to_string(version) + ")";
}

}  // namespace

std::string_view commentMarkKey(v1::CommentMark mark) {
  switch (mark) {
    case v1::COMMENT_MARK_ACCEPTED:
      return "accepted";
    case v1::COMMENT_MARK_NOTED:
      return "noted";
    case v1::COMMENT_MARK_NOT_ACCEPTED:
      return "not-accepted";
    default:
      return "none";
  }
}

std::string_view commentMarkLabel(v1::CommentMark mark) {
  switch (mark) {
    case v1::COMMENT_MARK_ACCEPTED:
      return "tiếp thu";
    case v1::COMMENT_MARK_NOTED:
      return "ghi nhận";
    case v1::COMMENT_MARK_NOT_ACCEPTED:
      return "không tiếp thu";
    default:
      return "chưa xử lý";
  }
}

std::string_view visibilityKey(v1::CommentVisibility visibility) {
  switch (visibility) {
    case v1::COMMENT_VISIBILITY_ALL_DELEGATES:
      return "all-delegates";
    case v1::COMMENT_VISIBILITY_SECRETARIAT:
      return "secretariat";
    default:
      return "group";  // unspecified is the server's default: the group
  }
}

std::string_view visibilityLabel(v1::CommentVisibility visibility) {
  switch (visibility) {
    case v1::COMMENT_VISIBILITY_ALL_DELEGATES:
      return "mọi đại biểu đọc được góp ý / every delegate reads the comments";
    case v1::COMMENT_VISIBILITY_SECRETARIAT:
      return "chỉ ban thư ký đọc góp ý của đại biểu / only the secretariat reads them";
    default:
      return "mỗi tổ đọc góp ý của tổ mình / each group reads its own";
  }
}

std::string highlightedText(std::string_view text, const google::protobuf::RepeatedPtrField<v1::TextRange>& highlights,
                            bool ansi) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const v1::TextRange& range : highlights) {
    const std::size_t begin = std::min<std::size_t>(range.begin(), text.size());
    const std::size_t end = std::min<std::size_t>(range.end(), text.size());
    if (begin < end) ranges.emplace_back(begin, end);
  }
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  std::size_t at = 0;
  for (std::size_t i = 0; i < ranges.size();) {
    std::size_t begin = std::max(ranges[i].first, at);
    std::size_t end = ranges[i].second;
    // Merge the ranges that touch or overlap this one.
    for (++i; i < ranges.size() && ranges[i].first <= end; ++i) end = std::max(end, ranges[i].second);
    if (begin >= end) continue;
    out += oneLine(text.substr(at, begin - at));
    const std::string marked = oneLine(text.substr(begin, end - begin));
    out += ansi ? "\033[1m" + marked + "\033[0m" : "«" + marked + "»";
    at = end;
  }
  return out + oneLine(text.substr(at));
}

std::variant<v1::SetDiscussionGroups, CliError> discussionGroupsRequest(const std::vector<DiscussionGroupSpec>& groups,
                                                                        v1::CommentVisibility visibility,
                                                                        const v1::RosterReply& roster) {
  v1::SetDiscussionGroups request;
  request.set_visibility(visibility);
  std::vector<std::pair<std::uint32_t, std::string>> placed;  // delegation → the group it is in
  for (const DiscussionGroupSpec& spec : groups) {
    v1::DiscussionGroup& group = *request.add_groups();
    group.set_name(spec.name);
    for (const std::string& name : spec.delegations) {
      auto found = findDelegationId(roster, name);
      if (auto* error = std::get_if<CliError>(&found)) {
        return usageError(spec.name + ": " + error->message);
      }
      const std::uint32_t id = std::get<std::uint32_t>(found);
      auto same = std::find_if(placed.begin(), placed.end(), [id](const auto& entry) { return entry.first == id; });
      if (same != placed.end()) {
        return usageError("\"" + name + "\" is in two groups (" + same->second + ", " + spec.name +
                          "): a delegation discusses in one group");
      }
      placed.emplace_back(id, spec.name);
      group.add_delegation_ids(id);
    }
  }
  return request;
}

std::string discussionGroupsText(const v1::DiscussionGroupsReply& reply, const client::StateMirror& names,
                                 bool changed) {
  std::string out = changed ? "Đã đặt tổ thảo luận / discussion groups set: " : "Tổ thảo luận / discussion groups: ";
  out += std::to_string(reply.groups_size()) + " tổ\n";
  out += "Góp ý của đại biểu: " + std::string(visibilityLabel(reply.visibility())) + "\n";
  if (reply.groups().empty()) {
    return out + "Chưa có tổ thảo luận nào: góp ý của đại biểu không thuộc tổ nào / no group yet\n";
  }
  std::vector<std::uint32_t> placed;
  for (const v1::DiscussionGroup& group : reply.groups()) {
    std::string line;
    for (std::uint32_t id : group.delegation_ids()) {
      line += (line.empty() ? "" : ", ") + delegationNameOf(names, id);
      placed.push_back(id);
    }
    out += "  " + safe(group.name()) + ": " + (line.empty() ? "(chưa có đoàn nào)" : line) + "\n";
  }
  std::string unplaced;
  for (const v1::Delegation& delegation : names.delegations()) {
    if (std::find(placed.begin(), placed.end(), delegation.id()) == placed.end()) {
      unplaced += (unplaced.empty() ? "" : ", ") + safe(delegation.name());
    }
  }
  if (!unplaced.empty()) {
    out += "Chưa vào tổ nào / in no group: " + unplaced + "\n";
  }
  return out;
}

std::string discussionGroupsJson(const v1::DiscussionGroupsReply& reply, const client::StateMirror& names) {
  JsonWriter json;
  json.beginObject().key("visibility").value(visibilityKey(reply.visibility())).key("groups");
  writeGroups(json, reply.groups(), &names);
  json.endObject();
  return json.str();
}

std::string searchText(const v1::SearchReply& reply, std::string_view query, std::uint32_t offset, bool ansi) {
  const std::string quoted = "\"" + oneLine(query) + "\"";
  if (reply.hits().empty()) {
    if (reply.total() > 0) {
      return "Tìm " + quoted + ": " + std::to_string(reply.total()) + " kết quả, không còn kết quả nào sau " +
             std::to_string(offset) + " / no more hits\n";
    }
    return "Không tìm thấy " + quoted + " trong các tài liệu bạn được đọc / no match\n";
  }
  const std::uint32_t first = offset + 1;
  const std::uint32_t last = offset + static_cast<std::uint32_t>(reply.hits_size());
  std::string out = "Tìm " + quoted + ": " + std::to_string(reply.total()) + " kết quả / hits";
  if (first != 1 || last != reply.total()) {
    out += " (" + std::to_string(first) + "–" + std::to_string(last) + ")";
  }
  out += "\n";
  std::uint32_t rank = first;
  for (const v1::SearchHit& hit : reply.hits()) {
    out += "\n" + std::to_string(rank++) + ". " +
           documentReference(hit.document_id(), hit.document_title(), hit.version()) + " · §" +
           std::to_string(hit.paragraph_number());
    if (!hit.section().empty()) out += " · " + oneLine(hit.section());
    out += " · điểm " + scoreText(hit.score()) + "\n";
    out += "   " + highlightedText(hit.snippet(), hit.highlights(), ansi) + "\n";
  }
  if (last < reply.total()) {
    out += "\nCòn " + std::to_string(reply.total() - last) + " kết quả: thêm --offset " + std::to_string(last) +
           " / more: --offset " + std::to_string(last) + "\n";
  }
  return out;
}

std::string searchJson(const v1::SearchReply& reply, std::string_view query) {
  JsonWriter json;
  json.beginObject().key("query").value(query).key("total").value(reply.total()).key("hits").beginArray();
  for (const v1::SearchHit& hit : reply.hits()) {
    json.beginObject()
        .key("documentId").value(hit.document_id())
        .key("documentTitle").value(hit.document_title())
        .key("kind").value(documentKindKey(hit.kind()))
        .key("version").value(hit.version())
        .key("paragraphId").value(hit.paragraph_id())
        .key("paragraphNumber").value(hit.paragraph_number())
        .key("section").value(hit.section())
        .key("snippet").value(hit.snippet())
        .key("highlights");
    writeRanges(json, hit.highlights());
    json.key("score").number(hit.score(), 4).endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string studyText(const v1::StudyReply& reply, std::string_view question, bool ansi) {
  std::string out = "Hỏi / question: \"" + oneLine(question) + "\"";
  if (!reply.terms().empty()) {
    std::string terms;
    for (const std::string& term : reply.terms()) terms += (terms.empty() ? "" : ", ") + oneLine(term);
    out += " · từ khoá / terms: " + terms;
  }
  out += "\n";
  if (reply.passages().empty()) {
    return out + "Không tìm thấy đoạn nào trả lời câu hỏi trong các tài liệu bạn được đọc / no passage answers it\n";
  }
  out += std::to_string(reply.passages_size()) + " đoạn liên quan nhất, kèm trích dẫn / passages with citations:\n";
  int rank = 1;
  for (const v1::StudyPassage& passage : reply.passages()) {
    out += "\n[" + std::to_string(rank++) + "] " +
           documentReference(passage.document_id(), passage.document_title(), passage.version()) + " · đoạn §" +
           std::to_string(passage.paragraph_number()) + " (" + safe(passage.paragraph_id()) + ")";
    if (!passage.section().empty()) out += " · " + oneLine(passage.section());
    out += " · điểm " + scoreText(passage.score()) + "\n";
    out += "    " + highlightedText(passage.text(), passage.highlights(), ansi) + "\n";
  }
  return out;
}

std::string studyJson(const v1::StudyReply& reply, std::string_view question) {
  JsonWriter json;
  json.beginObject().key("question").value(question).key("terms").beginArray();
  for (const std::string& term : reply.terms()) json.value(term);
  json.endArray().key("passages").beginArray();
  for (const v1::StudyPassage& passage : reply.passages()) {
    json.beginObject()
        .key("documentId").value(passage.document_id())
        .key("documentTitle").value(passage.document_title())
        .key("kind").value(documentKindKey(passage.kind()))
        .key("version").value(passage.version())
        .key("paragraphId").value(passage.paragraph_id())
        .key("paragraphNumber").value(passage.paragraph_number())
        .key("section").value(passage.section())
        .key("text").value(passage.text())
        .key("highlights");
    writeRanges(json, passage.highlights());
    json.key("score").number(passage.score(), 4).endObject();
  }
  json.endArray().endObject();
  return json.str();
}

const v1::Paragraph* findParagraph(const v1::DocumentVersionReply& version, std::uint32_t number) {
  for (const v1::Paragraph& paragraph : version.paragraphs()) {
    if (paragraph.number() == number) return &paragraph;
  }
  return nullptr;
}

std::string passagePlaceText(const v1::Comment& comment) {
  const std::uint32_t newest = comment.newest_version() != 0 ? comment.newest_version() : comment.version();
  if (comment.passage_removed()) {
    return "đoạn đã bị xoá ở bản " + std::to_string(newest);
  }
  const std::uint32_t number =
      comment.newest_paragraph_number() != 0 ? comment.newest_paragraph_number() : comment.paragraph_number();
  return "§" + std::to_string(number) + " trong bản " + std::to_string(newest);
}

std::string groupName(const v1::DiscussionGroupsReply& groups, std::uint32_t groupId) {
  if (groupId == 0) return {};
  for (const v1::DiscussionGroup& group : groups.groups()) {
    if (group.id() == groupId) return safe(group.name());
  }
  return "tổ #" + std::to_string(groupId);
}

std::string commentAddedText(const v1::Comment& comment, const v1::DiscussionGroupsReply& groups) {
  const std::string id = std::to_string(comment.id());
  std::string out = comment.reply_to() == 0
                        ? "Đã ghi góp ý #" + id + " / comment #" + id + " recorded"
                        : "Đã ghi trả lời #" + id + " cho góp ý #" + std::to_string(comment.reply_to()) +
                              " / reply #" + id + " recorded";
  out += " · tài liệu #" + std::to_string(comment.document_id()) + "\n";
  out += "Đoạn:    " + passageLine(comment) + "\n";
  out += "Người:   " + authorLine(comment, groups) + "\n";
  out += indentedLines(comment.text(), "  ");
  return out;
}

std::string commentJson(const v1::Comment& comment, const v1::DiscussionGroupsReply& groups) {
  JsonWriter json;
  json.beginObject().key("comment");
  writeComment(json, comment, groups);
  json.endObject();
  return json.str();
}

std::string commentsText(const v1::CommentsReply& reply, const v1::DiscussionGroupsReply& groups) {
  std::string out = "Góp ý về tài liệu #" + std::to_string(reply.document_id()) + " / comments on document #" +
                    std::to_string(reply.document_id()) + ": ";
  std::size_t threads = 0;
  for (const v1::Comment& comment : reply.comments()) threads += comment.reply_to() == 0 ? 1 : 0;
  if (reply.comments().empty()) {
    return out + "chưa có góp ý nào bạn được đọc / none you may read\n";
  }
  out += std::to_string(reply.comments_size()) + " góp ý trong " + std::to_string(threads) + " luồng\n";
  for (const v1::Comment& comment : reply.comments()) {
    const bool isReply = comment.reply_to() != 0;
    if (!isReply) {
      out += "\n── " + passageLine(comment) + "\n";
    }
    const std::string head = isReply ? "  ↳ #" + std::to_string(comment.id()) + " trả lời #" +
                                         std::to_string(comment.reply_to())
                                   : "#" + std::to_string(comment.id());
    out += head + " · " + authorLine(comment, groups) + " · " + formatLocalTime(comment.created_ms(), true) + " " +
           markText(comment) + "\n";
    out += indentedLines(comment.text(), isReply ? "      " : "    ");
  }
  return out;
}

std::string commentsJson(const v1::CommentsReply& reply, const v1::DiscussionGroupsReply& groups) {
  JsonWriter json;
  json.beginObject().key("documentId").value(reply.document_id()).key("comments").beginArray();
  for (const v1::Comment& comment : reply.comments()) writeComment(json, comment, groups);
  json.endArray().endObject();
  return json.str();
}

std::string commentMarkedText(const v1::Comment& comment) {
  const std::string id = std::to_string(comment.id());
  std::string out = "Đã đánh dấu góp ý #" + id + " / comment #" + id + " marked: " +
                    std::string(commentMarkLabel(comment.mark())) + "\n";
  if (!comment.mark_note().empty()) out += "Ghi chú:  " + oneLine(comment.mark_note()) + "\n";
  out += "Góp ý:    " + authorText(comment) + " · tài liệu #" + std::to_string(comment.document_id()) + " · " +
         passagePlaceText(comment) + "\n";
  out += indentedLines(comment.text(), "  ");
  return out;
}

std::string compilationText(const v1::CommentCompilation& reply, const std::string& savedTo) {
  std::string out = "Tổng hợp góp ý / compiled comments: " +
                    documentReference(reply.document_id(), reply.title(), reply.newest_version()) + "\n";
  out += "Tổng / total: " + countsText(reply.counts()) + "\n";
  const std::vector<std::string> countHeaders = {"Góp ý", "Tiếp thu", "Ghi nhận", "Không tiếp thu", "Chưa xử lý"};
  const std::vector<Align> right(5, Align::Right);
  if (!reply.sections().empty()) {
    std::vector<std::string> headers = {"Mục / section", "Từ đoạn"};
    headers.insert(headers.end(), countHeaders.begin(), countHeaders.end());
    std::vector<Align> alignment = {Align::Left, Align::Right};
    alignment.insert(alignment.end(), right.begin(), right.end());
    TextTable table(headers, alignment);
    for (const v1::SectionComments& section : reply.sections()) {
      std::vector<std::string> row;
      if (section.removed_passages()) {
        row = {"Đoạn đã bị xoá ở bản " + std::to_string(reply.newest_version()), "–"};
      } else {
        row = {section.section().empty() ? "(đầu văn bản)" : oneLine(section.section()),
               "§" + std::to_string(section.first_paragraph_number())};
      }
      const auto cells = countCells(section.counts());
      row.insert(row.end(), cells.begin(), cells.end());
      table.addRow(row);
    }
    out += "\nTheo mục / by section:\n" + table.render();
  }
  if (!reply.groups().empty()) {
    std::vector<std::string> headers = {"Tổ / group"};
    headers.insert(headers.end(), countHeaders.begin(), countHeaders.end());
    std::vector<Align> alignment = {Align::Left};
    alignment.insert(alignment.end(), right.begin(), right.end());
    TextTable table(headers, alignment);
    for (const v1::GroupComments& group : reply.groups()) {
      std::vector<std::string> row = {group.group_id() == 0 ? "(ngoài các tổ)"
                                                            : oneLine(group.group_name().empty()
                                                                          ? "tổ #" + std::to_string(group.group_id())
                                                                          : group.group_name())};
      const auto cells = countCells(group.counts());
      row.insert(row.end(), cells.begin(), cells.end());
      table.addRow(row);
    }
    out += "\nTheo tổ / by group:\n" + table.render();
  }
  if (!savedTo.empty()) {
    out += "\nĐã ghi tệp / written: " + safe(savedTo) + " (" +
           (reply.format() == v1::EXPORT_FORMAT_CSV ? "CSV" : "Markdown") + ", " +
           fileSizeText(reply.export_text().size()) + ")\n";
  }
  return out;
}

std::string compilationJson(const v1::CommentCompilation& reply, const std::string& savedTo) {
  JsonWriter json;
  json.beginObject()
      .key("documentId").value(reply.document_id())
      .key("title").value(reply.title())
      .key("newestVersion").value(reply.newest_version())
      .key("counts");
  writeCounts(json, reply.counts());
  json.key("sections").beginArray();
  for (const v1::SectionComments& section : reply.sections()) {
    json.beginObject()
        .key("section").value(section.section())
        .key("firstParagraphNumber").value(section.first_paragraph_number())
        .key("removedPassages").value(section.removed_passages())
        .key("counts");
    writeCounts(json, section.counts());
    json.key("commentIds").beginArray();
    for (std::uint64_t id : section.comment_ids()) json.value(id);
    json.endArray().endObject();
  }
  json.endArray().key("groups").beginArray();
  v1::DiscussionGroupsReply names;
  for (const v1::GroupComments& group : reply.groups()) {
    json.beginObject().key("groupId").value(group.group_id()).key("groupName").value(group.group_name()).key("counts");
    writeCounts(json, group.counts());
    json.key("commentIds").beginArray();
    for (std::uint64_t id : group.comment_ids()) json.value(id);
    json.endArray().endObject();
    v1::DiscussionGroup& known = *names.add_groups();
    known.set_id(group.group_id());
    known.set_name(group.group_name());
  }
  json.endArray().key("comments").beginArray();
  for (const v1::Comment& comment : reply.comments()) writeComment(json, comment, names);
  json.endArray();
  if (reply.format() == v1::EXPORT_FORMAT_CSV || reply.format() == v1::EXPORT_FORMAT_MARKDOWN) {
    json.key("format").value(reply.format() == v1::EXPORT_FORMAT_CSV ? "csv" : "md")
        .key("exportFileName").value(reply.export_file_name())
        .key("exportBytes").value(reply.export_text().size())
        .key("savedTo").value(savedTo);
  }
  json.endObject();
  return json.str();
}

std::string documentOpenedText(const v1::OpenDocumentReply& reply) {
  const std::string where =
      "tài liệu #" + std::to_string(reply.document_id()) + ", bản " + std::to_string(reply.version());
  if (reply.first_opened_ms() == 0) {
    return "Đã mở " + where + "; chỉ việc đọc của đại biểu được ghi nhận / only delegates' reading is recorded\n";
  }
  return "Đã ghi nhận bạn đọc " + where + " (lần đầu lúc " + formatLocalTime(reply.first_opened_ms(), true) +
         ") / your reading is recorded\n";
}

std::string documentOpenedJson(const v1::OpenDocumentReply& reply) {
  JsonWriter json;
  json.beginObject()
      .key("documentId").value(reply.document_id())
      .key("version").value(reply.version())
      .key("recorded").value(reply.first_opened_ms() != 0)
      .key("firstOpenedMs").value(reply.first_opened_ms())
      .endObject();
  return json.str();
}

std::string documentReadersText(const v1::DocumentReadersReply& reply, bool onlyMissing) {
  const std::string newest = std::to_string(reply.newest_version());
  const std::uint32_t notOpened = reply.readers() - std::min(reply.readers(), reply.opened_newest());
  std::string out = "Tài liệu #" + std::to_string(reply.document_id()) + ", bản mới nhất " + newest + ": " +
                    std::to_string(reply.opened_newest()) + "/" + std::to_string(reply.readers()) +
                    " đại biểu đã mở, " + std::to_string(notOpened) + " chưa mở / " +
                    std::to_string(reply.opened_newest()) + " of " + std::to_string(reply.readers()) +
                    " delegates opened version " + newest + "\n";
  // Those who opened it, when; or (--missing) those who have not, and which older version they opened.
  TextTable table({"Mã", "Họ và tên", "Đoàn", onlyMissing ? "Đã mở bản cũ" : "Mở bản " + newest + " lúc"},
                  {Align::Left, Align::Left, Align::Left, onlyMissing ? Align::Right : Align::Left});
  for (const v1::DocumentReader& reader : reply.delegates()) {
    const bool opened = reader.opened_newest_ms() != 0;
    if (opened == onlyMissing) continue;
    table.addRow({reader.code(), reader.full_name(), reader.delegation(),
                  opened ? formatLocalTime(reader.opened_newest_ms(), true)
                         : (reader.newest_opened() == 0 ? "–" : std::to_string(reader.newest_opened()))});
  }
  if (table.rowCount() == 0) {
    return out + (onlyMissing ? "Mọi đại biểu đã mở bản mới nhất / everyone has opened it\n"
                              : "Chưa đại biểu nào mở bản mới nhất / nobody has opened it yet\n");
  }
  return out + "\n" + (onlyMissing ? "Chưa mở bản " + newest + " / not opened yet:\n" : "Đã mở / opened:\n") +
         table.render();
}

std::string documentReadersJson(const v1::DocumentReadersReply& reply, bool onlyMissing) {
  JsonWriter json;
  json.beginObject()
      .key("documentId").value(reply.document_id())
      .key("newestVersion").value(reply.newest_version())
      .key("readers").value(reply.readers())
      .key("openedNewest").value(reply.opened_newest())
      .key("listed").value(onlyMissing ? "missing" : "opened")
      .key("delegates").beginArray();
  for (const v1::DocumentReader& reader : reply.delegates()) {
    if ((reader.opened_newest_ms() != 0) == onlyMissing) continue;
    json.beginObject()
        .key("delegateId").value(reader.delegate_id())
        .key("code").value(reader.code())
        .key("fullName").value(reader.full_name())
        .key("delegation").value(reader.delegation())
        .key("newestOpened").value(reader.newest_opened())
        .key("openedNewestMs").value(reader.opened_newest_ms())
        .endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string documentSavedText(std::uint32_t documentId, const v1::DocumentVersion& version, const std::string& path) {
  return "Đã tải tài liệu #" + std::to_string(documentId) + " bản " + std::to_string(version.number()) +
         " / downloaded: " + safe(version.file_name()) + " · " + fileSizeText(version.size()) +
         " · SHA-256 khớp / verified\nĐã ghi / written: " + safe(path) + "\n";
}

std::string documentSavedJson(std::uint32_t documentId, const v1::DocumentVersion& version, const std::string& path) {
  JsonWriter json;
  json.beginObject()
      .key("documentId").value(documentId)
      .key("version").value(version.number())
      .key("fileName").value(version.file_name())
      .key("size").value(version.size())
      .key("sha256").value(version.sha256())
      .key("verified").value(true)
      .key("savedTo").value(path)
      .endObject();
  return json.str();
}

std::string downloadFileName(std::uint32_t documentId, const v1::DocumentVersion& version) {
  std::string name = version.file_name();
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  const bool usable = !name.empty() && name != "." && name != ".." &&
                      std::none_of(name.begin(), name.end(), [](char c) {
                        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                      });
  if (usable) return name;
  std::string extension;
  switch (version.format()) {
    case v1::DOCUMENT_FORMAT_PDF:
      extension = ".pdf";
      break;
    case v1::DOCUMENT_FORMAT_MARKDOWN:
      extension = ".md";
      break;
    default:
      extension = ".txt";
      break;
  }
  return "tai-lieu-" + std::to_string(documentId) + "-ban-" + std::to_string(version.number()) + extension;
}

std::string contributionDecidedText(const v1::DocumentReply& reply, const client::StateMirror& names) {
  const v1::DocumentSummary& document = reply.document();
  const std::string id = std::to_string(document.id());
  const v1::Contribution& contribution = document.contribution();
  const bool approved = contribution.status() == v1::CONTRIBUTION_STATUS_APPROVED;
  std::string out = approved ? "Đã duyệt tham luận #" + id + " / contribution #" + id + " approved: "
                             : "Tham luận #" + id + " không được trình bày / contribution #" + id + " declined: ";
  out += safe(document.title()) + "\n";
  if (const std::string author = contributionAuthor(document); !author.empty()) {
    out += "Tác giả:    " + author + "\n";
  }
  if (!contribution.decision_note().empty()) {
    out += std::string(approved ? "Ghi chú:    " : "Lý do:      ") + oneLine(contribution.decision_note()) + "\n";
  }
  out += "Người đọc:  " + readersText(document.audience(), names) + "\n";
  return out;
}

std::string discussionEventText(const v1::Event& event, const client::StateMirror& names,
                                const v1::DiscussionGroupsReply& groups) {
  std::string line;
  switch (event.body_case()) {
    case v1::Event::kDiscussionGroupsChanged: {
      const auto& changed = event.discussion_groups_changed();
      line = "TỔ THẢO LUẬN " + std::to_string(changed.groups_size()) + " tổ";
      std::string list;
      for (const v1::DiscussionGroup& group : changed.groups()) {
        std::string members;
        for (std::uint32_t id : group.delegation_ids()) {
          members += (members.empty() ? "" : ", ") + delegationNameOf(names, id);
        }
        list += (list.empty() ? "" : "; ") + oneLine(group.name()) + " (" + members + ")";
      }
      if (!list.empty()) line += ": " + list;
      line += " · góp ý: " + std::string(visibilityKey(changed.visibility()));
      if (changed.has_by()) line += " · bởi " + principalText(changed.by());
      break;
    }
    case v1::Event::kCommentAdded: {
      const v1::Comment& comment = event.comment_added().comment();
      line = comment.reply_to() == 0 ? "GÓP Ý      #" + std::to_string(comment.id())
                                     : "TRẢ LỜI    #" + std::to_string(comment.id()) + " → #" +
                                           std::to_string(comment.reply_to());
      line += " tài liệu #" + std::to_string(comment.document_id()) + " " + passagePlaceText(comment) + " · " +
              authorLine(comment, groups) + ": " + cut(oneLine(comment.text()), kWatchTextColumns);
      break;
    }
    case v1::Event::kCommentMarked: {
      const v1::Comment& comment = event.comment_marked().comment();
      line = "ĐÁNH DẤU   góp ý #" + std::to_string(comment.id()) + " tài liệu #" +
             std::to_string(comment.document_id()) + " (" + authorText(comment) + "): " +
             std::string(commentMarkLabel(comment.mark()));
      if (!comment.mark_note().empty()) line += " · " + cut(oneLine(comment.mark_note()), kWatchTextColumns);
      if (comment.has_marked_by()) line += " · bởi " + principalText(comment.marked_by());
      break;
    }
    case v1::Event::kContributionDecided: {
      const v1::DocumentSummary& document = event.contribution_decided().document();
      line = "THAM LUẬN  #" + std::to_string(document.id()) + " " + oneLine(document.title()) + ": " +
             contributionText(document);
      if (!document.contribution().decision_note().empty()) {
        line += " · " + cut(oneLine(document.contribution().decision_note()), kWatchTextColumns);
      }
      if (document.contribution().has_decided_by()) {
        line += " · bởi " + principalText(document.contribution().decided_by());
      }
      break;
    }
    default:
      line = "SỰ KIỆN    (loại mới, client này chưa biết)";
      break;
  }
  return line;
}

void writeDiscussionEventJson(JsonWriter& json, const v1::Event& event, const v1::DiscussionGroupsReply& groups) {
  switch (event.body_case()) {
    case v1::Event::kDiscussionGroupsChanged: {
      const auto& changed = event.discussion_groups_changed();
      json.key("type").value("discussion_groups_changed").key("visibility").value(visibilityKey(changed.visibility()))
          .key("groups");
      writeGroups(json, changed.groups(), nullptr);
      if (changed.has_by()) {
        json.key("by");
        writePrincipalJson(json, changed.by());
      }
      break;
    }
    case v1::Event::kCommentAdded:
      json.key("type").value("comment_added").key("comment");
      writeComment(json, event.comment_added().comment(), groups);
      break;
    case v1::Event::kCommentMarked:
      json.key("type").value("comment_marked").key("comment");
      writeComment(json, event.comment_marked().comment(), groups);
      break;
    case v1::Event::kContributionDecided:
      json.key("type").value("contribution_decided").key("document");
      writeDocumentJson(json, event.contribution_decided().document());
      break;
    default:
      json.key("type").value("unknown");
      break;
  }
}

}  // namespace daihoi::cli
