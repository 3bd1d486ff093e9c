#include "documents/pdf_text.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <vector>

#include "documents/vietnamese.hpp"

namespace daihoi::documents {
namespace {

// PDF readers accept the header anywhere in the first 1024 bytes (some
// producers put junk before it); poppler does too.
constexpr std::size_t kHeaderWindow = 1024;

// Layout thresholds, in heights of a line's text boxes (about 1.15 × the
// font size), so that they hold for any font size.
constexpr double kSameLineOverlap = 0.5;      // boxes overlapping vertically this much share a line
constexpr double kWordGap = 0.15;             // a horizontal gap wider than this is a space
constexpr double kParagraphExtraSpace = 0.4;  // a line this much lower than usual starts a paragraph
constexpr std::size_t kFewPitches = 3;        // fewer line distances than this do not show the usual one
constexpr double kSingleSpacing = 1.3;        // line distance of single spacing, in line heights
constexpr double kIndent = 0.5;               // so does a first-line indent this deep
constexpr double kHeightChange = 0.2;         // relative: a heading next to body text
// A line ending this fraction of the text width short of the right edge,
// with a full stop or the like, ends its paragraph.
constexpr double kShortLine = 0.15;

void ignorePopplerMessage(const std::string& /*message*/, void* /*closure*/) {}

// Poppler reports every defect of a damaged file on stderr; the server log is
// not the place for the syntax errors of an uploaded file.
void silencePoppler() {
  static const bool silenced = [] {
    poppler::set_debug_error_function(ignorePopplerMessage, nullptr);
    return true;
  }();
  (void)silenced;
}

bool hasPdfHeader(std::string_view bytes) {
  return bytes.substr(0, kHeaderWindow + 5).find("%PDF-") != std::string_view::npos;
}

// Not ustring::to_utf8(): it goes through iconv and silently drops everything
// after an unpaired surrogate, which a broken ToUnicode map can produce. Here
// that becomes U+FFFD. Control characters become spaces, as "\n" and "\f"
// separate the paragraphs and pages of the output.
std::string toUtf8(const poppler::ustring& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t unit = text[i];
    const bool highSurrogate = unit >= 0xD800 && unit <= 0xDBFF;
    if (highSurrogate && i + 1 < text.size() && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF) {
      appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (text[i + 1] - 0xDC00));
      ++i;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      appendUtf8(out, 0xFFFD);
    } else if (unit < 0x20 || unit == 0x7F) {
      out += ' ';
    } else {
      appendUtf8(out, unit);
    }
  }
  return out;
}

std::string trimmed(std::string_view text) {
  const std::size_t start = text.find_first_not_of(' ');
  if (start == std::string_view::npos) return {};
  return std::string(text.substr(start, text.find_last_not_of(' ') - start + 1));
}

// The code point starting at `i` of valid UTF-8.
char32_t codePointAt(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return lead;
  const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  char32_t c = lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return c;
}

std::size_t lastCodePointStart(std::string_view text) {
  std::size_t i = text.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

// The lower-case letters of Vietnamese (and of Latin-1).
bool isLowercaseLetter(char32_t c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 0xDF && c <= 0xFF) return c != 0xF7;  // ß à á â ã … ÿ, not ÷
  if (c == 0x103 || c == 0x111 || c == 0x129 || c == 0x169 || c == 0x1A1 || c == 0x1B0) {
    return true;  // ă đ ĩ ũ ơ ư
  }
  return c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 1;  // ạ ả ấ … ỹ: odd in Latin Extended Additional
}

bool isClosingMark(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 || c == 0x201D || c == 0xBB;
}

bool isSentenceEnd(char32_t c) { return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == 0x2026; }

// "… thi hành." or "… như sau:" or "… (đã sửa đổi).”"
bool endsSentence(std::string_view line) {
  while (!line.empty()) {
    const std::size_t start = lastCodePointStart(line);
    const char32_t last = codePointAt(line, start);
    if (!isClosingMark(last)) return isSentenceEnd(last);
    line.remove_suffix(line.size() - start);
  }
  return false;
}

// "ki-" at a line end, "lô-mét" on the next. Vietnamese hyphens are mostly
// part of the word (ki-lô-mét, Mác-Lênin), so the hyphen stays: only the line
// break goes, without a space.
bool continuesHyphenatedWord(std::string_view line, std::string_view next) {
  return line.size() >= 2 && line.back() == '-' && line[line.size() - 2] != ' ' && !next.empty() &&
         isLowercaseLetter(codePointAt(next, 0));
}

// A text box in the frame of its own writing direction: x grows along the
// text, y from one line to the next. Turned text (a landscape page stored
// with /Rotate 90) then groups into lines like upright text.
struct Area {
  double left, top, right, bottom;
};

Area readingArea(const poppler::rectf& box, int rotation) {
  switch (rotation) {
    case 1:  // text runs down the page, the next line is to its left
      return {box.top(), -box.right(), box.bottom(), -box.left()};
    case 2:  // upside down
      return {-box.right(), -box.bottom(), -box.left(), -box.top()};
    case 3:  // text runs up the page, the next line is to its right
      return {-box.bottom(), box.left(), -box.top(), box.right()};
    default:
      return {box.left(), box.top(), box.right(), box.bottom()};
  }
}

struct Line {
  std::string text;
  Area area;
  int rotation = 0;  // of its first box, as poppler::text_box::rotation()
  double height() const { return area.bottom - area.top; }
};

// On the line's baseline, and not left of its end (by more than kerning).
bool continuesLine(const Line& line, const Area& box) {
  const double smaller = std::min(line.height(), box.bottom - box.top);
  const double overlap = std::min(line.area.bottom, box.bottom) - std::max(line.area.top, box.top);
  return overlap > kSameLineOverlap * smaller && box.left >= line.area.right - kWordGap * smaller;
}

// Poppler lists the words in reading order (column by column, line by line);
// consecutive words on one baseline, left to right, make a line.
std::vector<Line> linesOf(const poppler::page& page) {
  std::vector<Line> lines;
  bool spaceAfterPrevious = false;
  for (const poppler::text_box& box : page.text_list()) {
    std::string text = toUtf8(box.text());
    if (text.find_first_not_of(' ') == std::string::npos) continue;
    const Area area = readingArea(box.bbox(), box.rotation());
    if (lines.empty() || !continuesLine(lines.back(), area)) {
      lines.push_back(Line{std::move(text), area, box.rotation()});
    } else {
      Line& line = lines.back();
      if (spaceAfterPrevious || area.left - line.area.right > kWordGap * line.height()) line.text += ' ';
      line.text += text;
      line.area = {line.area.left, std::min(line.area.top, area.top), area.right,
                   std::max(line.area.bottom, area.bottom)};
    }
    spaceAfterPrevious = box.has_space_after();
  }
  return lines;
}

struct PageMetrics {
  double usualPitch = 0;  // between the bottoms of consecutive lines within a paragraph
  double textLeft = 0;
  double textRight = 0;
  bool fewPitches = false;  // fewer than kFewPitches distances measured
};

bool similarHeight(const Line& a, const Line& b) {
  return std::abs(a.height() - b.height()) <= kHeightChange * std::min(a.height(), b.height());
}

// The page (crop box) as text_list() places boxes on it, with its /Rotate
// applied, in the reading frame of `rotation`.
Area pageArea(const poppler::page& page, int rotation) {
  const poppler::rectf box = page.page_rect();
  const bool turned = page.orientation() == poppler::page::landscape || page.orientation() == poppler::page::seascape;
  return readingArea(poppler::rectf(0, 0, turned ? box.height() : box.width(), turned ? box.width() : box.height()),
                     rotation);
}

// The usual pitch is the lower median of the distances between consecutive
// lines of one font size: lines within paragraphs outnumber paragraph breaks
// (on a page of one-line paragraphs it is the paragraph distance, and the
// other signs have to tell them apart).
// The text's right edge is that of the widest line, or as far from the page's
// right edge as the text is from its left edge if that is further: on a page
// of short lines (a list) the widest line is short too.
PageMetrics measure(const std::vector<Line>& lines, const Area& page) {
  PageMetrics metrics;
  std::vector<double> pitches;
  metrics.textLeft = lines.front().area.left;
  metrics.textRight = lines.front().area.right;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const double pitch = lines[i].area.bottom - lines[i - 1].area.bottom;
    if (pitch > 0 && similarHeight(lines[i - 1], lines[i])) pitches.push_back(pitch);
    metrics.textLeft = std::min(metrics.textLeft, lines[i].area.left);
    metrics.textRight = std::max(metrics.textRight, lines[i].area.right);
  }
  metrics.textRight = std::max(metrics.textRight, page.right - (metrics.textLeft - page.left));
  if (!pitches.empty()) {
    const auto median = pitches.begin() + static_cast<std::ptrdiff_t>((pitches.size() - 1) / 2);
    std::nth_element(pitches.begin(), median, pitches.end());
    metrics.usualPitch = *median;
  }
  metrics.fewPitches = pitches.size() < kFewPitches;
  return metrics;
}

// A first-line indent: further right than the line before and the line after
// (when the line after is as far right, it is a hanging indent or a centred
// block, not a new paragraph).
bool isIndented(const Line& previous, const Line& line, const Line* next) {
  const double depth = kIndent * line.height();
  return line.area.left - previous.area.left > depth && (next == nullptr || line.area.left - next->area.left > depth);
}

bool startsParagraph(const Line& previous, const Line& line, const Line* next, const PageMetrics& page) {
  if (!similarHeight(previous, line)) return true;  // a heading and its text
  const double pitch = line.area.bottom - previous.area.bottom;
  if (pitch <= 0) return true;  // back up the page: the next column or block
  // usualPitch > 0 here: this pair itself counted in it. Too few distances
  // cannot tell line spacing from paragraph spacing (a page of two or three
  // one-line paragraphs): then single spacing at most is assumed.
  const double usual = page.fewPitches ? std::min(page.usualPitch, kSingleSpacing * line.height()) : page.usualPitch;
  if (pitch > usual + kParagraphExtraSpace * line.height()) return true;
  if (isIndented(previous, line, next)) return true;
  const bool previousShort = previous.area.right < page.textRight - kShortLine * (page.textRight - page.textLeft);
  return previousShort && endsSentence(previous.text);
}

// Paragraphs separated by "\n\n", the lines of one joined with a space. The
// page's text runs in the direction of its first line: pages rarely mix.
std::string pageText(const poppler::page& page) {
  const std::vector<Line> lines = linesOf(page);
  if (lines.empty()) return {};
  const PageMetrics metrics = measure(lines, pageArea(page, lines.front().rotation));
  std::string text = lines.front().text;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const Line* next = i + 1 < lines.size() ? &lines[i + 1] : nullptr;
    if (startsParagraph(lines[i - 1], lines[i], next, metrics)) {
      text += "\n\n";
    } else if (!continuesHyphenatedWord(lines[i - 1].text, lines[i].text)) {
      text += ' ';
    }
    text += lines[i].text;
  }
  return text;
}

Failure corrupt() {
  return fail("corrupt_pdf", "Tệp PDF bị hỏng hoặc không đầy đủ / the PDF is damaged or incomplete");
}

}  // namespace

Result<PdfText> extractPdfText(std::string_view bytes, const PdfLimits& limits) {
  silencePoppler();
  if (!hasPdfHeader(bytes)) return fail("not_pdf", "Tệp không phải PDF / the file is not a PDF");
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail("too_large", "Tệp PDF quá lớn (trên 2 GB) / the PDF is too large (over 2 GB)");
  }
  // load_from_raw_data reads `bytes` in place: they outlive `document`.
  const std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) return corrupt();
  if (document->is_locked()) {
    return fail("encrypted",
                "Tệp PDF có mật khẩu; hãy gửi bản không mã hoá / the PDF is password-protected; send an "
                "unencrypted copy");
  }
  // Encrypted with an empty user password: readable here, but maybe not by
  // every terminal's viewer, and a congress document must be.
  if (document->is_encrypted()) {
    return fail("encrypted",
                "Tệp PDF được mã hoá; tài liệu đại hội phải đọc được trên mọi máy, hãy gửi bản không mã hoá / "
                "the PDF is encrypted; a congress document must be readable on every terminal, send an "
                "unencrypted copy");
  }
  const int pageCount = document->pages();
  if (pageCount <= 0) return corrupt();
  if (static_cast<std::uint32_t>(pageCount) > limits.maxPages) {
    return fail("too_many_pages", "Tệp PDF có " + std::to_string(pageCount) + " trang, vượt giới hạn " +
                                      std::to_string(limits.maxPages) + " trang / the PDF has " +
                                      std::to_string(pageCount) + " pages, more than the limit of " +
                                      std::to_string(limits.maxPages));
  }

  PdfText result;
  result.pages = static_cast<std::uint32_t>(pageCount);
  result.title = trimmed(toUtf8(document->get_title()));
  bool anyText = false;
  for (int index = 0; index < pageCount; ++index) {
    const std::unique_ptr<poppler::page> page(document->create_page(index));
    if (!page) return corrupt();
    const std::string text = pageText(*page);
    anyText = anyText || !text.empty();
    if (index > 0) result.text += '\f';
    result.text += text;
  }
  if (!anyText) {
    return fail("no_text",
                "Tệp PDF không có lớp chữ (bản quét?); hãy gửi bản PDF có chữ / the PDF has no text layer (a "
                "scan?); send a PDF with text");
  }
  return result;
}

}  // namespace daihoi::documents
