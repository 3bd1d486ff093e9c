#include "domain/discussion.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

namespace daihoi::domain {

std::string_view commentMarkName(CommentMark mark) {
  switch (mark) {
    case CommentMark::Accepted:
      return "accepted";
    case CommentMark::Noted:
      return "noted";
    case CommentMark::NotAccepted:
      return "not-accepted";
    case CommentMark::None:
      break;
  }
  return "";
}

std::string_view commentMarkVietnamese(CommentMark mark) {
  switch (mark) {
    case CommentMark::Accepted:
      return "tiếp thu";
    case CommentMark::Noted:
      return "ghi nhận";
    case CommentMark::NotAccepted:
      return "không tiếp thu";
    case CommentMark::None:
      break;
  }
  return "chưa xử lý";
}

std::string_view commentVisibilityName(CommentVisibility visibility) {
  switch (visibility) {
    case CommentVisibility::AllDelegates:
      return "all-delegates";
    case CommentVisibility::Secretariat:
      return "secretariat";
    case CommentVisibility::Group:
      break;
  }
  return "group";
}

std::uint32_t DiscussionGroups::groupOf(std::uint32_t delegationId) const {
  if (delegationId == 0) return 0;
  for (const DiscussionGroup& group : groups) {
    if (std::binary_search(group.delegationIds.begin(), group.delegationIds.end(), delegationId)) return group.id;
  }
  return 0;
}

const DiscussionGroup* DiscussionGroups::find(std::uint32_t id) const {
  for (const DiscussionGroup& group : groups) {
    if (group.id == id) return &group;
  }
  return nullptr;
}

const Comment* CommentBook::find(std::uint64_t id) const {
  auto it = comments_.find(id);
  return it == comments_.end() ? nullptr : &it->second;
}

std::vector<const Comment*> CommentBook::forDocument(std::uint32_t documentId) const {
  std::vector<const Comment*> found;
  auto [first, last] = byDocument_.equal_range(documentId);
  for (auto it = first; it != last; ++it) found.push_back(&comments_.at(it->second));
  std::sort(found.begin(), found.end(), [](const Comment* a, const Comment* b) { return a->id < b->id; });
  return found;
}

void CommentBook::add(Comment comment) {
  const std::uint64_t id = comment.id;
  const std::uint32_t documentId = comment.documentId;
  if (comments_.emplace(id, std::move(comment)).second) byDocument_.emplace(documentId, id);
}

void CommentBook::mark(std::uint64_t id, CommentMark mark, std::string note, Principal by, std::int64_t timeMs) {
  auto it = comments_.find(id);
  if (it == comments_.end()) return;
  Comment& comment = it->second;
  comment.mark = mark;
  comment.markNote = std::move(note);
  comment.markedBy = std::move(by);
  comment.markedMs = timeMs;
}

bool mayReadThread(const Comment& threadStart, const Principal& reader, std::uint32_t readerDelegationId,
                   const DiscussionGroups& groups) {
  if (reader.role == Role::Secretary || reader.role == Role::Organizer) return true;
  if (reader.role == threadStart.author.role && reader.accountId == threadStart.author.accountId) return true;
  if (reader.role != Role::Delegate) return false;
  switch (groups.visibility) {
    case CommentVisibility::Secretariat:
      return false;
    case CommentVisibility::AllDelegates:
      return true;
    case CommentVisibility::Group:
      break;
  }
  // The group is the one the thread was started in; a delegation moved to another
  // group since reads what its new group discusses.
  return threadStart.groupId != 0 && groups.groupOf(readerDelegationId) == threadStart.groupId;
}

NewestPlaces::NewestPlaces(const Document& document) : newestVersion_(document.newest().number) {
  const auto& ids = document.newest().paragraphIds;
  if (!ids) return;
  numbers_.reserve(ids->size());
  for (std::size_t i = 0; i < ids->size(); ++i) numbers_.emplace((*ids)[i], static_cast<std::uint32_t>(i + 1));
}

PassagePlace NewestPlaces::place(const std::string& paragraphId) const {
  auto it = numbers_.find(paragraphId);
  return PassagePlace{newestVersion_, it == numbers_.end() ? 0 : it->second};
}

void MarkCounts::count(CommentMark mark) {
  ++total;
  switch (mark) {
    case CommentMark::Accepted:
      ++accepted;
      break;
    case CommentMark::Noted:
      ++noted;
      break;
    case CommentMark::NotAccepted:
      ++notAccepted;
      break;
    case CommentMark::None:
      ++unmarked;
      break;
  }
}

CommentCompilation compileComments(const Document& document, const std::vector<const Comment*>& comments,
                                   const std::vector<NewestParagraph>& newest, const DiscussionGroups& groups) {
  CommentCompilation compilation;
  const NewestPlaces places(document);
  // A reply belongs where its thread is: a thread is placed by its first comment.
  std::unordered_map<std::uint64_t, PassagePlace> threadPlaces;
  for (const Comment* comment : comments) {
    if (comment->threadId == comment->id) threadPlaces.emplace(comment->id, places.place(comment->paragraphId));
  }
  for (const Comment* comment : comments) {
    auto thread = threadPlaces.find(comment->threadId);
    compilation.places.emplace(comment->id,
                               thread != threadPlaces.end() ? thread->second : places.place(comment->paragraphId));
  }
  compilation.comments = comments;
  // Reading order: removed passages last, then by paragraph, thread, time.
  auto key = [&compilation](const Comment* comment) {
    const PassagePlace place = compilation.places.at(comment->id);
    const std::uint32_t number = place.removed() ? UINT32_MAX : place.paragraphNumber;
    return std::make_tuple(number, comment->threadId, comment->id);
  };
  std::stable_sort(compilation.comments.begin(), compilation.comments.end(),
                   [&key](const Comment* a, const Comment* b) { return key(a) < key(b); });

  // Sections of the newest version in reading order; a paragraph's section is its heading's text.
  std::vector<std::uint32_t> sectionOfNumber(newest.size() + 2, 0);
  std::vector<CompiledSection> sections;
  for (const NewestParagraph& paragraph : newest) {
    if (sections.empty() || sections.back().section != paragraph.section) {
      sections.push_back(CompiledSection{paragraph.section, paragraph.number});
    }
    if (paragraph.number < sectionOfNumber.size()) {
      sectionOfNumber[paragraph.number] = static_cast<std::uint32_t>(sections.size() - 1);
    }
  }
  CompiledSection removed;
  removed.removedPassages = true;
  std::map<std::uint32_t, CompiledGroup> byGroup;
  for (const Comment* comment : compilation.comments) {
    compilation.counts.count(comment->mark);
    const PassagePlace place = compilation.places.at(comment->id);
    CompiledSection* section = &removed;
    if (!place.removed() && place.paragraphNumber < sectionOfNumber.size() && !sections.empty()) {
      section = &sections[sectionOfNumber[place.paragraphNumber]];
    }
    section->counts.count(comment->mark);
    section->comments.push_back(comment);
    CompiledGroup& group = byGroup[comment->groupId];
    group.groupId = comment->groupId;
    group.counts.count(comment->mark);
    group.comments.push_back(comment);
  }
  for (CompiledSection& section : sections) {
    if (section.counts.total > 0) compilation.sections.push_back(std::move(section));
  }
  if (removed.counts.total > 0) compilation.sections.push_back(std::move(removed));
  for (auto& [id, group] : byGroup) {
    const DiscussionGroup* named = groups.find(id);
    group.name = named ? named->name : std::string();
    compilation.groups.push_back(std::move(group));
  }
  return compilation;
}

namespace {

std::string csvField(std::string_view value) {
  // Quoted always; a leading = + - @ would be a formula in a spreadsheet.
  std::string out = "\"";
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string groupName(const DiscussionGroups& groups, std::uint32_t id) {
  const DiscussionGroup* group = groups.find(id);
  if (group != nullptr) return group->name;
  return id == 0 ? "Không thuộc tổ" : "Tổ " + std::to_string(id);
}

std::string placeText(const PassagePlace& place) {
  if (place.removed()) return "đã bị xoá ở bản " + std::to_string(place.newestVersion);
  return "§" + std::to_string(place.paragraphNumber) + " bản " + std::to_string(place.newestVersion);
}

std::string countsText(const MarkCounts& counts) {
  return std::to_string(counts.total) + " ý kiến: " + std::to_string(counts.accepted) + " tiếp thu, " +
         std::to_string(counts.noted) + " ghi nhận, " + std::to_string(counts.notAccepted) + " không tiếp thu, " +
         std::to_string(counts.unmarked) + " chưa xử lý";
}

// Markdown text on one line, its markup characters escaped.
std::string markdownText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '#' || c == '[' || c == ']' || c == '|' || c == '<' ||
        c == '>') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// Vietnam's time (UTC+7 all year), which is what the secretariat's spreadsheets mean by a time.
std::string vietnamTime(std::int64_t unixMs) {
  using namespace std::chrono;
  const sys_time<milliseconds> utc{milliseconds{unixMs}};
  const auto local = utc + hours{7};
  const auto day = floor<days>(local);
  const year_month_day date{day};
  const hh_mm_ss<milliseconds> time{local - day};
  char text[64];
  const int length = std::snprintf(text, sizeof text, "%04d-%02u-%02u %02ld:%02ld:%02ld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long>(time.seconds().count()));
  return std::string(text, static_cast<std::size_t>(std::max(length, 0)));
}

std::string sectionTitle(const CompiledSection& section) {
  if (section.removedPassages) return "Đoạn đã bị xoá ở bản mới nhất";
  if (section.section.empty()) return "Phần mở đầu";
  return section.section;
}

}  // namespace

std::string commentsCsv(const Document& document, const CommentCompilation& compilation,
                        const DiscussionGroups& groups,
                        const std::function<std::string(std::uint32_t)>& delegationName) {
  std::string out = "\xEF\xBB\xBF";
  out += "Mã ý kiến,Trả lời ý kiến,Tài liệu,Bản,Đoạn,Vị trí ở bản mới nhất,Mục,Tổ,Đoàn,Người góp ý,Trích đoạn,"
         "Nội dung,Thời gian (UTC+7),Xử lý,Ghi chú xử lý\r\n";
  // Sections by comment, for the Mục column.
  std::unordered_map<std::uint64_t, const CompiledSection*> sectionOf;
  for (const CompiledSection& section : compilation.sections) {
    for (const Comment* comment : section.comments) sectionOf.emplace(comment->id, &section);
  }
  for (const Comment* comment : compilation.comments) {
    const PassagePlace place = compilation.places.at(comment->id);
    auto section = sectionOf.find(comment->id);
    const std::vector<std::string> fields{
        std::to_string(comment->id),
        comment->replyTo == 0 ? std::string() : std::to_string(comment->replyTo),
        document.title,
        std::to_string(comment->version),
        "§" + std::to_string(comment->paragraphNumber),
        placeText(place),
        section == sectionOf.end() ? std::string() : sectionTitle(*section->second),
        groupName(groups, comment->groupId),
        comment->authorDelegationId == 0 ? std::string() : delegationName(comment->authorDelegationId),
        comment->author.displayName,
        comment->quote,
        comment->text,
        vietnamTime(comment->createdMs),
        std::string(commentMarkVietnamese(comment->mark)),
        comment->markNote,
    };
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += csvField(fields[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string commentsMarkdown(const Document& document, const CommentCompilation& compilation,
                             const DiscussionGroups& groups,
                             const std::function<std::string(std::uint32_t)>& delegationName) {
  std::string out = "# Tổng hợp ý kiến góp ý: " + markdownText(document.title) + "\n\n";
  out += "Bản mới nhất: " + std::to_string(document.newest().number) + ". Tổng cộng " +
         countsText(compilation.counts) + ".\n\n";
  out += "## Theo tổ thảo luận\n\n| Tổ | Ý kiến | Tiếp thu | Ghi nhận | Không tiếp thu | Chưa xử lý |\n"
         "|---|---:|---:|---:|---:|---:|\n";
  for (const CompiledGroup& group : compilation.groups) {
    out += "| " + markdownText(groupName(groups, group.groupId)) + " | " + std::to_string(group.counts.total) +
           " | " + std::to_string(group.counts.accepted) + " | " + std::to_string(group.counts.noted) + " | " +
           std::to_string(group.counts.notAccepted) + " | " + std::to_string(group.counts.unmarked) + " |\n";
  }
  out += "\n## Theo mục\n";
  for (const CompiledSection& section : compilation.sections) {
    out += "\n### " + markdownText(sectionTitle(section)) + "\n\n" + countsText(section.counts) + ".\n\n";
    for (const Comment* comment : section.comments) {
      const PassagePlace place = compilation.places.at(comment->id);
      out += comment->replyTo == 0 ? "- " : "  - ";
      out += "**#" + std::to_string(comment->id) + "** " + markdownText(comment->author.displayName);
      if (comment->authorDelegationId != 0) {
        out += " (" + markdownText(delegationName(comment->authorDelegationId)) + ", " +
               markdownText(groupName(groups, comment->groupId)) + ")";
      }
      out += ", §" + std::to_string(comment->paragraphNumber) + " bản " + std::to_string(comment->version) + " → " +
             placeText(place);
      if (comment->replyTo != 0) out += ", trả lời #" + std::to_string(comment->replyTo);
      out += ": " + markdownText(comment->text);
      if (!comment->quote.empty()) out += " — trích: “" + markdownText(comment->quote) + "”";
      out += " — *" + std::string(commentMarkVietnamese(comment->mark)) + "*";
      if (!comment->markNote.empty()) out += " (" + markdownText(comment->markNote) + ")";
      out += "\n";
    }
  }
  return out;
}

std::optional<std::int64_t> ReadingRecord::firstOpened(std::uint32_t documentId, std::uint32_t version,
                                                       std::uint32_t delegateId) const {
  auto it = opened_.find({documentId, delegateId});
  if (it == opened_.end()) return std::nullopt;
  auto version_it = it->second.find(version);
  if (version_it == it->second.end()) return std::nullopt;
  return version_it->second;
}

std::uint32_t ReadingRecord::newestOpened(std::uint32_t documentId, std::uint32_t delegateId) const {
  auto it = opened_.find({documentId, delegateId});
  return it == opened_.end() || it->second.empty() ? 0 : it->second.rbegin()->first;
}

void ReadingRecord::record(std::uint32_t documentId, std::uint32_t version, std::uint32_t delegateId,
                           std::int64_t timeMs) {
  opened_[{documentId, delegateId}].emplace(version, timeMs);
}

}  // namespace daihoi::domain
