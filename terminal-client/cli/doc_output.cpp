#include "cli/doc_output.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/json_writer.hpp"
#include "cli/output.hpp"
#include "cli/text.hpp"

namespace daihoi::cli {

namespace v1 = daihoi::v1;

namespace {

std::string safe(std::string_view text) { return terminalSafe(text); }

std::string label(std::string_view text) { return padRight(text, 11) + " "; }

const v1::DocumentVersion* newestVersion(const v1::DocumentSummary& document) {
  return document.versions().empty() ? nullptr : &*document.versions().rbegin();
}

const v1::DocumentVersion* findVersion(const v1::DocumentSummary& document, std::uint32_t number) {
  for (const auto& version : document.versions()) {
    if (version.number() == number) {
      return &version;
    }
  }
  return nullptr;
}

std::string_view formatLabel(v1::DocumentFormat format) {
  switch (format) {
    case v1::DOCUMENT_FORMAT_PDF:
      return "PDF";
    case v1::DOCUMENT_FORMAT_MARKDOWN:
      return "Markdown";
    case v1::DOCUMENT_FORMAT_PLAIN_TEXT:
      return "văn bản thuần";
    default:
      return "định dạng không rõ";
  }
}

std::string_view changeKindKey(v1::ParagraphChange::Kind kind) {
  switch (kind) {
    case v1::ParagraphChange::KIND_ADDED:
      return "added";
    case v1::ParagraphChange::KIND_REMOVED:
      return "removed";
    case v1::ParagraphChange::KIND_CHANGED:
      return "changed";
    default:
      return "unchanged";
  }
}

std::string_view wordOpKey(v1::WordEdit::Op op) {
  switch (op) {
    case v1::WordEdit::OP_INSERT:
      return "insert";
    case v1::WordEdit::OP_DELETE:
      return "delete";
    default:
      return "equal";
  }
}

// "## " before a heading of level 2, as Markdown writes it; nothing before body text.
std::string headingMarks(const v1::Paragraph& paragraph) {
  const std::uint32_t level = std::min<std::uint32_t>(paragraph.heading_level(), 6);
  return level == 0 ? "" : std::string(level, '#') + " ";
}

std::string paragraphLine(const v1::Paragraph& paragraph) { return headingMarks(paragraph) + safe(paragraph.text()); }

void writeAudience(JsonWriter& json, const v1::DocumentAudience& audience) {
  json.beginObject().key("everyone").value(audience.everyone()).key("delegationIds").beginArray();
  for (std::uint32_t id : audience.delegation_ids()) {
    json.value(id);
  }
  json.endArray().key("roles").beginArray();
  for (int role : audience.roles()) {
    json.value(roleKey(static_cast<v1::Role>(role)));
  }
  json.endArray().key("delegateIds").beginArray();
  for (std::uint32_t id : audience.delegate_ids()) {
    json.value(id);
  }
  json.endArray().endObject();
}

std::string_view contributionStatusKey(v1::ContributionStatus status) {
  switch (status) {
    case v1::CONTRIBUTION_STATUS_SUBMITTED:
      return "submitted";
    case v1::CONTRIBUTION_STATUS_APPROVED:
      return "approved";
    case v1::CONTRIBUTION_STATUS_DECLINED:
      return "declined";
    default:
      return "unspecified";
  }
}

void writeVersion(JsonWriter& json, const v1::DocumentVersion& version) {
  json.beginObject()
      .key("number").value(version.number())
      .key("sha256").value(version.sha256())
      .key("size").value(version.size())
      .key("format").value(documentFormatKey(version.format()))
      .key("fileName").value(version.file_name())
      .key("note").value(version.note())
      .key("addedMs").value(version.added_ms())
      .key("addedBy");
  writePrincipalJson(json, version.added_by());
  json.key("pages").value(version.pages())
      .key("paragraphs").value(version.paragraphs())
      .key("url").value(version.url())
      .endObject();
}

}  // namespace

void writeDocumentJson(JsonWriter& json, const v1::DocumentSummary& document) {
  json.beginObject()
      .key("id").value(document.id())
      .key("title").value(document.title())
      .key("kind").value(documentKindKey(document.kind()))
      .key("audience");
  writeAudience(json, document.audience());
  json.key("createdMs").value(document.created_ms()).key("versions").beginArray();
  for (const auto& version : document.versions()) {
    writeVersion(json, version);
  }
  json.endArray();
  if (document.has_contribution()) {
    const v1::Contribution& contribution = document.contribution();
    json.key("contribution").beginObject()
        .key("authorDelegateId").value(contribution.author_delegate_id())
        .key("authorName").value(document.versions().empty() ? std::string()
                                                              : document.versions(0).added_by().display_name())
        .key("status").value(contributionStatusKey(contribution.status()))
        .key("decisionNote").value(contribution.decision_note());
    if (contribution.has_decided_by()) {
      json.key("decidedBy");
      writePrincipalJson(json, contribution.decided_by());
    }
    json.key("decidedMs").value(contribution.decided_ms()).endObject();
  }
  json.endObject();
}

namespace {

void writeParagraph(JsonWriter& json, const v1::Paragraph& paragraph) {
  json.beginObject()
      .key("id").value(paragraph.id())
      .key("number").value(paragraph.number())
      .key("section").value(paragraph.section())
      .key("headingLevel").value(paragraph.heading_level())
      .key("page").value(paragraph.page())
      .key("text").value(paragraph.text())
      .endObject();
}

void writeParagraphPlace(JsonWriter& json, const v1::Paragraph& paragraph) {
  json.beginObject().key("id").value(paragraph.id()).key("number").value(paragraph.number()).endObject();
}

// The lines of a version's file: name, format, size (and bytes), hash, paragraphs, pages, url.
std::string versionFileLines(const v1::DocumentVersion& version) {
  std::string out;
  out += label("Tệp:") + safe(version.file_name()) + " · " + std::string(formatLabel(version.format())) + " · " +
         fileSizeText(version.size());
  if (version.size() >= 1024) {
    out += " (" + std::to_string(version.size()) + " byte)";  // the exact size, to compare with the file
  }
  out += "\n";
  out += label("SHA-256:") + safe(version.sha256()) + "\n";
  out += label("Số đoạn:") + std::to_string(version.paragraphs()) + "\n";
  const std::string pages = version.pages() == 0 ? "– (không phải PDF)" : std::to_string(version.pages());
  out += label("Số trang:") + pages + "\n";
  out += label("Tải về:") + safe(version.url()) + "\n";
  return out;
}

// "~ Đoạn 5 sửa (trước là đoạn 4) · Điều 2. Nhiệm vụ" and the paragraph below it.
std::string changeBlock(const v1::ParagraphChange& change, std::uint32_t fromVersion) {
  const bool removed = change.kind() == v1::ParagraphChange::KIND_REMOVED;
  const v1::Paragraph& shown = removed ? change.older() : change.newer();
  std::string head;
  std::string body;
  switch (change.kind()) {
    case v1::ParagraphChange::KIND_ADDED:
      head = "+ Đoạn " + std::to_string(shown.number()) + " thêm";
      body = paragraphLine(shown);
      break;
    case v1::ParagraphChange::KIND_REMOVED:
      head = "- Đoạn " + std::to_string(shown.number()) + " của bản " + std::to_string(fromVersion) + " bỏ";
      body = paragraphLine(shown);
      break;
    default:
      head = "~ Đoạn " + std::to_string(shown.number()) + " sửa";
      if (change.older().number() != shown.number()) {
        head += " (trước là đoạn " + std::to_string(change.older().number()) + ")";
      }
      body = headingMarks(shown) + safe(inlineWordEdits(change.words()));
      break;
  }
  if (!shown.section().empty() && shown.heading_level() == 0) {
    head += " · " + safe(shown.section());
  }
  return head + "\n  " + body + "\n";
}

std::string countsLine(const v1::DocumentDiffReply& reply) {
  return std::to_string(reply.changed()) + " đoạn sửa, " + std::to_string(reply.added()) + " đoạn thêm, " +
         std::to_string(reply.removed()) + " đoạn bỏ, " + std::to_string(reply.unchanged()) + " đoạn giữ nguyên / " +
         std::to_string(reply.changed()) + " changed, " + std::to_string(reply.added()) + " added, " +
         std::to_string(reply.removed()) + " removed, " + std::to_string(reply.unchanged()) + " unchanged\n";
}

}  // namespace

std::string_view documentKindKey(v1::DocumentKind kind) {
  switch (kind) {
    case v1::DOCUMENT_KIND_POLITICAL_REPORT:
      return "political-report";
    case v1::DOCUMENT_KIND_DRAFT_RESOLUTION:
      return "draft-resolution";
    case v1::DOCUMENT_KIND_ACTION_PROGRAMME:
      return "action-programme";
    case v1::DOCUMENT_KIND_PERSONNEL_LIST:
      return "personnel-list";
    case v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION:
      return "written-contribution";
    case v1::DOCUMENT_KIND_OTHER:
      return "other";
    default:
      return "unspecified";
  }
}

std::string_view documentKindLabel(v1::DocumentKind kind) {
  switch (kind) {
    case v1::DOCUMENT_KIND_POLITICAL_REPORT:
      return "báo cáo chính trị";
    case v1::DOCUMENT_KIND_DRAFT_RESOLUTION:
      return "dự thảo nghị quyết";
    case v1::DOCUMENT_KIND_ACTION_PROGRAMME:
      return "chương trình hành động";
    case v1::DOCUMENT_KIND_PERSONNEL_LIST:
      return "danh sách nhân sự";
    case v1::DOCUMENT_KIND_WRITTEN_CONTRIBUTION:
      return "tham luận";
    case v1::DOCUMENT_KIND_OTHER:
      return "tài liệu khác";
    default:
      return "không rõ loại";
  }
}

std::string_view documentFormatKey(v1::DocumentFormat format) {
  switch (format) {
    case v1::DOCUMENT_FORMAT_PDF:
      return "pdf";
    case v1::DOCUMENT_FORMAT_MARKDOWN:
      return "markdown";
    case v1::DOCUMENT_FORMAT_PLAIN_TEXT:
      return "text";
    default:
      return "unspecified";
  }
}

std::string fileSizeText(std::uint64_t bytes) {
  if (bytes < 1024) {
    return std::to_string(bytes) + " byte";
  }
  const bool megabytes = bytes >= 1024 * 1024;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(bytes) / (megabytes ? 1024.0 * 1024.0 : 1024.0));
  std::string text = buffer;
  std::replace(text.begin(), text.end(), '.', ',');
  return text + (megabytes ? " MB" : " KB");
}

std::string contributionAuthor(const v1::DocumentSummary& document) {
  if (!document.has_contribution() || document.versions().empty()) {
    return {};
  }
  const v1::Principal& author = document.versions(0).added_by();
  return safe(author.display_name().empty() ? author.login() : author.display_name());
}

std::string contributionText(const v1::DocumentSummary& document) {
  const v1::Contribution& contribution = document.contribution();
  std::string text;
  switch (contribution.status()) {
    case v1::CONTRIBUTION_STATUS_SUBMITTED:
      text = "đã gửi, chờ ban thư ký duyệt";
      break;
    case v1::CONTRIBUTION_STATUS_APPROVED:
      text = "đã duyệt trình bày";
      break;
    case v1::CONTRIBUTION_STATUS_DECLINED:
      text = "không được trình bày";
      break;
    default:
      text = "chưa rõ trạng thái";
      break;
  }
  const std::string author = contributionAuthor(document);
  if (!author.empty()) {
    text += ", của " + author;
  }
  return text;
}

std::string readersText(const v1::DocumentAudience& audience, const client::StateMirror& names) {
  std::string out = audience.everyone() ? "mọi đại biểu và chủ tọa" : "";
  const auto add = [&out](const std::string& reader) { out += (out.empty() ? "" : ", ") + reader; };
  for (std::uint32_t id : audience.delegation_ids()) {
    const v1::Delegation* delegation = names.findDelegation(id);
    add(delegation ? safe(delegation->name()) : "đoàn #" + std::to_string(id));
  }
  for (int role : audience.roles()) {
    add(role == v1::ROLE_DELEGATE ? "mọi đại biểu" : std::string(roleLabel(static_cast<v1::Role>(role))));
  }
  for (std::uint32_t id : audience.delegate_ids()) {
    const v1::Delegate* delegate = names.findDelegate(id);
    add(delegate ? "đại biểu " + safe(delegate->code()) + " " + safe(delegate->full_name())
                 : "đại biểu #" + std::to_string(id));
  }
  return out.empty() ? "chỉ thư ký và ban tổ chức" : out;
}

std::string inlineWordEdits(const google::protobuf::RepeatedPtrField<v1::WordEdit>& words) {
  std::string out;
  for (const auto& word : words) {
    switch (word.op()) {
      case v1::WordEdit::OP_INSERT:
        out += "{+" + word.text() + "+}";
        break;
      case v1::WordEdit::OP_DELETE:
        out += "[-" + word.text() + "-]";
        break;
      default:
        out += word.text();
        break;
    }
  }
  return out;
}

std::string documentPublishedText(const v1::DocumentReply& reply, const client::StateMirror& names) {
  const v1::DocumentSummary& document = reply.document();
  const std::string id = std::to_string(document.id());
  const std::string number = std::to_string(reply.version());
  std::string out = reply.version() <= 1
                        ? "Đã đăng tài liệu #" + id + " / document #" + id + " published: "
                        : "Đã đăng phiên bản " + number + " của tài liệu #" + id + " / version " + number +
                              " of document #" + id + " published: ";
  out += safe(document.title()) + "\n";
  out += label("Loại:") + std::string(documentKindLabel(document.kind())) + "\n";
  out += label("Phiên bản:") + number + "\n";
  const v1::DocumentVersion* version = findVersion(document, reply.version());
  if (version != nullptr) {
    if (!version->note().empty()) {
      out += label(reply.version() <= 1 ? "Ghi chú:" : "Thay đổi:") + safe(version->note()) + "\n";
    }
    out += versionFileLines(*version);
  }
  out += label("Người đọc:") + readersText(document.audience(), names) + "\n";
  if (document.has_contribution()) {
    out += label("Tham luận:") + contributionText(document) + "\n";
  }
  return out;
}

std::string documentPublishedJson(const v1::DocumentReply& reply) {
  JsonWriter json;
  json.beginObject().key("version").value(reply.version()).key("document");
  writeDocumentJson(json, reply.document());
  json.endObject();
  return json.str();
}

std::string documentListText(const v1::DocumentsReply& reply) {
  if (reply.documents().empty()) {
    return "Chưa có tài liệu nào bạn được đọc / no document you may read\n";
  }
  TextTable table({"Số", "Loại", "Tiêu đề", "Bản", "Ngày đăng", "Dung lượng", "Số đoạn"},
                  {Align::Right, Align::Left, Align::Left, Align::Right, Align::Left, Align::Right, Align::Right});
  for (const auto& document : reply.documents()) {
    const v1::DocumentVersion* newest = newestVersion(document);
    const std::string title =
        document.has_contribution() ? document.title() + " (" + contributionText(document) + ")"
                                    : document.title();
    if (newest == nullptr) {
      table.addRow({std::to_string(document.id()), std::string(documentKindLabel(document.kind())), title});
      continue;
    }
    table.addRow({std::to_string(document.id()), std::string(documentKindLabel(document.kind())), title,
                  std::to_string(newest->number()), formatLocalTime(newest->added_ms(), true),
                  fileSizeText(newest->size()), std::to_string(newest->paragraphs())});
  }
  return table.render() + std::to_string(table.rowCount()) + " tài liệu / documents\n";
}

std::string documentListJson(const v1::DocumentsReply& reply) {
  JsonWriter json;
  json.beginObject().key("documents").beginArray();
  for (const auto& document : reply.documents()) {
    writeDocumentJson(json, document);
  }
  json.endArray().endObject();
  return json.str();
}

std::string documentVersionText(const v1::DocumentVersionReply& reply) {
  const v1::DocumentVersion& version = reply.version();
  std::string out = "Tài liệu #" + std::to_string(reply.document_id()) + " · phiên bản " +
                    std::to_string(version.number()) + " · " + safe(version.file_name()) + " · " +
                    formatLocalTime(version.added_ms(), true) + " · " + std::to_string(reply.paragraphs_size()) +
                    " đoạn / document #" + std::to_string(reply.document_id()) + ", version " +
                    std::to_string(version.number()) + "\n";
  if (!version.note().empty()) {
    out += "Ghi chú: " + safe(version.note()) + "\n";
  }
  const std::uint32_t last = reply.paragraphs().empty() ? 0 : reply.paragraphs().rbegin()->number();
  const std::size_t width = std::to_string(last).size();
  std::uint32_t page = 0;
  for (const auto& paragraph : reply.paragraphs()) {
    if (version.pages() > 0 && paragraph.page() != page) {
      page = paragraph.page();
      out += "\n— trang " + std::to_string(page) + " —\n";
    } else if (paragraph.heading_level() > 0) {
      out += "\n";  // a heading opens a section: set it apart
    }
    out += padLeft(std::to_string(paragraph.number()), width) + "  " + paragraphLine(paragraph) + "\n";
  }
  return out;
}

std::string documentVersionJson(const v1::DocumentVersionReply& reply) {
  JsonWriter json;
  json.beginObject().key("documentId").value(reply.document_id()).key("version");
  writeVersion(json, reply.version());
  json.key("paragraphs").beginArray();
  for (const auto& paragraph : reply.paragraphs()) {
    writeParagraph(json, paragraph);
  }
  json.endArray().endObject();
  return json.str();
}

std::string documentDiffText(const v1::DocumentDiffReply& reply) {
  const std::string from = std::to_string(reply.from_version());
  const std::string to = std::to_string(reply.to_version());
  std::string out = "Tài liệu #" + std::to_string(reply.document_id()) + ": phiên bản " + from + " → " + to +
                    " / changes from version " + from + " to " + to + "\n";
  out += countsLine(reply);
  if (reply.added() + reply.removed() + reply.changed() == 0) {
    return out + "Nội dung hai phiên bản như nhau / the text is the same\n";
  }
  for (const auto& change : reply.changes()) {
    if (change.kind() != v1::ParagraphChange::KIND_UNCHANGED) {
      out += "\n";
      out += changeBlock(change, reply.from_version());
    }
  }
  return out;
}

std::string documentDiffJson(const v1::DocumentDiffReply& reply) {
  JsonWriter json;
  json.beginObject()
      .key("documentId").value(reply.document_id())
      .key("fromVersion").value(reply.from_version())
      .key("toVersion").value(reply.to_version())
      .key("counts").beginObject()
      .key("unchanged").value(reply.unchanged())
      .key("added").value(reply.added())
      .key("removed").value(reply.removed())
      .key("changed").value(reply.changed())
      .endObject()
      .key("changes").beginArray();
  for (const auto& change : reply.changes()) {
    json.beginObject().key("kind").value(changeKindKey(change.kind()));
    // An unchanged paragraph comes with its ids and numbers only: no empty text that looks like a change.
    const auto write = change.kind() == v1::ParagraphChange::KIND_UNCHANGED ? writeParagraphPlace : writeParagraph;
    if (change.has_older()) {
      json.key("older");
      write(json, change.older());
    }
    if (change.has_newer()) {
      json.key("newer");
      write(json, change.newer());
    }
    if (change.kind() == v1::ParagraphChange::KIND_CHANGED) {
      json.key("words").beginArray();
      for (const auto& word : change.words()) {
        json.beginObject().key("op").value(wordOpKey(word.op())).key("text").value(word.text()).endObject();
      }
      json.endArray();
    }
    json.endObject();
  }
  json.endArray().endObject();
  return json.str();
}

std::string documentEventText(const v1::DocumentPublished& published) {
  const v1::DocumentSummary& document = published.document();
  std::string line = "TÀI LIỆU   #" + std::to_string(document.id()) + " " + safe(document.title()) + " (" +
                     std::string(documentKindLabel(document.kind())) + ") · phiên bản " +
                     std::to_string(published.version());
  if (const v1::DocumentVersion* version = findVersion(document, published.version());
      version != nullptr && !version->note().empty()) {
    line += ": " + safe(version->note());
  }
  if (published.has_by()) {
    line += " · bởi " + principalText(published.by());
  }
  return line;
}

void writeDocumentEventJson(JsonWriter& json, const v1::DocumentPublished& published) {
  json.key("type").value("document_published").key("version").value(published.version()).key("document");
  writeDocumentJson(json, published.document());
  if (published.has_by()) {
    json.key("by");
    writePrincipalJson(json, published.by());
  }
}

}  // namespace daihoi::cli
