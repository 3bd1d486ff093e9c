// extractPdfText over PDFs written by the cairo writer (Vietnamese text in an
// embedded DejaVu font, as a word processor would make them) and over bad
// input built by hand: not a PDF, damaged, truncated, encrypted, scanned.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "documents/pdf_text.hpp"
#include "pdf_writer.hpp"

namespace {

using daihoi::documents::extractPdfText;
using daihoi::documents::PdfLimits;
using daihoi::testing::PdfPage;
using daihoi::testing::PdfParagraph;
using daihoi::testing::PdfWriterOptions;
using daihoi::testing::writePdf;
using daihoi::testing::writePdfPages;
using daihoi::testing::WrittenPdf;

PdfParagraph heading(std::string text) { return {std::move(text), PdfParagraph::Style::Heading}; }
PdfParagraph body(std::string text) { return {std::move(text), PdfParagraph::Style::Body}; }

// The text extractPdfText should give back: paragraphs separated by a blank
// line, pages by a form feed.
std::string expectedText(const std::vector<PdfPage>& pages) {
  std::string text;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    if (p > 0) text += '\f';
    for (std::size_t i = 0; i < pages[p].size(); ++i) text += (i > 0 ? "\n\n" : "") + pages[p][i].text;
  }
  return text;
}

std::string collapseWhitespace(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\f';
    if (!space) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(separator, start)) != std::string_view::npos; start = end + separator.size()) {
    parts.emplace_back(text.substr(start, end - start));
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

bool isValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

std::string errorCode(std::string_view bytes, const PdfLimits& limits = {}) {
  const auto result = extractPdfText(bytes, limits);
  return result ? "ok" : result.error().code;
}

// Three pages of a draft resolution, each paragraph several lines long.
std::vector<PdfPage> draftResolution() {
  return {
      {heading("Chương I. NHỮNG QUY ĐỊNH CHUNG"), heading("Điều 1. Phạm vi điều chỉnh"),
       body("Nghị quyết này quy định về phương hướng, mục tiêu, nhiệm vụ và giải pháp phát triển kinh tế - xã hội "
            "của tỉnh trong nhiệm kỳ 2025 - 2030, được Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII thảo luận và "
            "thông qua tại phiên họp toàn thể ngày 15 tháng 10 năm 2025."),
       body("Các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội có trách "
            "nhiệm cụ thể hóa nghị quyết thành chương trình, kế hoạch hành động phù hợp với điều kiện của từng "
            "địa phương, đơn vị, bảo đảm tính khả thi và hiệu quả.")},
      {heading("Điều 2. Đối tượng áp dụng"),
       body("Nghị quyết áp dụng đối với toàn thể cán bộ, đảng viên, công chức, viên chức và người lao động trong "
            "các cơ quan của Đảng, Nhà nước, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội; khuyến khích các "
            "doanh nghiệp, hợp tác xã và nhân dân tích cực tham gia thực hiện."),
       body("Đảng bộ các huyện, thị xã, thành phố trực thuộc tỉnh ưu tiên nguồn lực cho các xã đặc biệt khó khăn, "
            "vùng đồng bào dân tộc thiểu số và miền núi, bảo đảm không để ai bị bỏ lại phía sau trong quá trình "
            "phát triển.")},
      {heading("Chương II. NHIỆM VỤ VÀ GIẢI PHÁP"), heading("Điều 3. Nhiệm vụ trọng tâm"),
       body("Tập trung lãnh đạo, chỉ đạo đẩy mạnh chuyển đổi số, phát triển kinh tế số, xã hội số và chính quyền "
            "số; nâng cao chất lượng nguồn nhân lực, nhất là nguồn nhân lực chất lượng cao; xây dựng hệ thống "
            "kết cấu hạ tầng đồng bộ, hiện đại."),
       body("Nghị quyết này có hiệu lực kể từ ngày ký.")},
  };
}

// A minimal PDF assembled by hand: numbered objects, a cross-reference table
// with their offsets, and a trailer.
std::string assemblePdf(const std::vector<std::string>& objects, const std::string& trailerEntries) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " + trailerEntries +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// One blank page; with `encryptDictionary`, encrypted by the standard
// security handler. The page has no content stream and the document no
// strings, so nothing else needs encrypting.
std::string handMadeBlankPdf(const std::string& encryptDictionary = {}) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
  std::string trailer;
  if (!encryptDictionary.empty()) {
    objects.push_back(encryptDictionary);
    trailer = "/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]";
  }
  return assemblePdf(objects, trailer);
}

// One A4 page drawn by `content` (a content stream; /F1 is Helvetica, not
// embedded), with extra page entries such as /Rotate: a PDF of another maker.
std::string handMadeTextPdf(const std::string& content, const std::string& pageEntries = {}) {
  const std::string page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + pageEntries +
                           " /Resources << /Font << /F1 5 0 R >> >> >>";
  const std::string stream = "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream";
  return assemblePdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream,
                      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"},
                     "");
}

// Lines of 11 pt Helvetica 14 pt apart, from y = 760 down, each at its own x.
std::string linesAt(const std::vector<std::pair<int, std::string>>& lines) {
  std::string content = "BT /F1 11 Tf\n";
  int y = 760;
  for (const auto& [x, text] : lines) {
    content += "1 0 0 1 " + std::to_string(x) + " " + std::to_string(y) + " Tm (" + text + ") Tj\n";
    y -= 14;
  }
  return content + "ET\n";
}

// RC4 40-bit (V 1, R 2), P -4, the ID above, owner password "owner"; O and U
// computed by algorithms 3.3 and 3.4 of the PDF 1.7 reference for the user
// password "" (anyone can open it) and "secret".
const std::string kEncryptedForEveryone =
    "<< /Filter /Standard /V 1 /R 2 /P -4"
    " /O <c92422687facee686e373f10b5c7d04738053152f7e2ee30e11c69ec442576ab>"
    " /U <ac040a2978b7c85f8fe80d88b24ca08c107362d17be737fbcac6b20d7ef3459e> >>";
const std::string kEncryptedWithPassword =
    "<< /Filter /Standard /V 1 /R 2 /P -4"
    " /O <92fe0f4454ad4c9644693f33c07cb54f587dce1e2682fe9ecea6107a1ef630dd>"
    " /U <49ecc2152a5aa9a4640923d0daf38ac2ceab69380b5caf562e5b9c72ee266a25> >>";

}  // namespace

TEST_CASE("a Vietnamese draft resolution of three pages comes back paragraph by paragraph") {
  const std::vector<PdfPage> pages = draftResolution();
  PdfWriterOptions options;
  options.title = "Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh";
  const WrittenPdf pdf = writePdfPages(pages, options);
  REQUIRE(pdf.pages == 3);
  REQUIRE(pdf.lines.size() > 15);  // the paragraphs do wrap

  const auto result = extractPdfText(pdf.bytes);
  REQUIRE(result.ok());
  CHECK(result->pages == 3);
  CHECK(result->title == "Dự thảo Nghị quyết Đại hội Đảng bộ tỉnh");
  CHECK(isValidUtf8(result->text));
  CHECK(result->text == expectedText(pages));
  CHECK(split(result->text, "\f").size() == 3);
  for (const std::string word :
       {"Đảng bộ", "nghị quyết", "ưu tiên", "NHỮNG QUY ĐỊNH CHUNG", "đồng bào dân tộc thiểu số"}) {
    CHECK_MESSAGE(result->text.find(word) != std::string::npos, word);
  }
}

TEST_CASE("a document without a title has an empty one") {
  const auto result = extractPdfText(writePdf({body("Danh sách đại biểu chính thức")}).bytes);
  REQUIRE(result.ok());
  CHECK(result->title.empty());
}

TEST_CASE("a word broken after its hyphen at a line end is joined again, hyphen kept") {
  std::string paragraph = "Tuyến đường";
  for (int i = 0; i < 40; ++i) paragraph += " dài " + std::to_string(i) + " ki-lô-mét, mặt đường dày 25 xăng-ti-mét";
  paragraph += ".";
  const WrittenPdf pdf = writePdf({body(paragraph)});
  bool brokeAtHyphen = false;
  for (const std::string& line : pdf.lines) brokeAtHyphen = brokeAtHyphen || line.back() == '-';
  REQUIRE(brokeAtHyphen);

  const auto result = extractPdfText(pdf.bytes);
  REQUIRE(result.ok());
  CHECK(result->text == paragraph);
}

TEST_CASE("paragraphs are told apart by spacing, indent, font size or a short last line") {
  // Each subcase but the first two has one sign of a new paragraph only (no
  // final punctuation where it is not the sign).
  const std::string wrapped =
      "Đại hội biểu quyết thông qua báo cáo chính trị của Ban Chấp hành Đảng bộ khóa XVII trình Đại hội, "
      "với các chỉ tiêu chủ yếu về phát triển kinh tế, văn hóa, xã hội, quốc phòng, an ninh và xây dựng Đảng, "
      "xây dựng hệ thống chính trị trong sạch, vững mạnh toàn diện";

  SUBCASE("one line is one paragraph") {
    const auto result = extractPdfText(writePdf({body("Danh sách đại biểu chính thức")}).bytes);
    REQUIRE(result.ok());
    CHECK(result->text == "Danh sách đại biểu chính thức");
  }
  SUBCASE("two one-line paragraphs under a heading: too few lines to measure, spacing still tells") {
    // Both lines are nearly full and end with a full stop: only the extra space separates them.
    const auto result = extractPdfText(
        writePdf({{"Chương II. NHIỆM VỤ VÀ GIẢI PHÁP", PdfParagraph::Style::Heading},
                  body("Đẩy mạnh công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ."),
                  body("Phát triển kinh tế nhanh và bền vững, lấy khoa học công nghệ làm động lực.")})
            .bytes);
    REQUIRE(result.ok());
    CHECK(result->text ==
          "Chương II. NHIỆM VỤ VÀ GIẢI PHÁP\n\n"
          "Đẩy mạnh công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ.\n\n"
          "Phát triển kinh tế nhanh và bền vững, lấy khoa học công nghệ làm động lực.");
  }
  SUBCASE("the lines of one paragraph join with spaces") {
    PdfWriterOptions tight;
    tight.paragraphSpacing = 0;
    const WrittenPdf pdf = writePdf({body(wrapped)}, tight);
    REQUIRE(pdf.lines.size() >= 3);
    const auto result = extractPdfText(pdf.bytes);
    REQUIRE(result.ok());
    CHECK(result->text == wrapped);
  }
  SUBCASE("a first-line indent alone") {
    PdfWriterOptions indented;
    indented.paragraphSpacing = 0;
    indented.firstLineIndent = 24;
    const PdfPage page = {body(wrapped), body(wrapped), body(wrapped)};
    const auto result = extractPdfText(writePdf(page, indented).bytes);
    REQUIRE(result.ok());
    CHECK(result->text == expectedText({page}));
  }
  SUBCASE("a heading by its font size alone") {
    PdfWriterOptions tight;
    tight.paragraphSpacing = 0;
    const PdfPage page = {heading("Điều 4. Tổ chức thực hiện"), body(wrapped), heading("Điều 5. Hiệu lực thi hành"),
                          body(wrapped)};
    const auto result = extractPdfText(writePdf(page, tight).bytes);
    REQUIRE(result.ok());
    CHECK(result->text == expectedText({page}));
  }
  SUBCASE("short lines ending a sentence, without spacing or indent") {
    PdfWriterOptions tight;
    tight.paragraphSpacing = 0;
    const PdfPage page = {body("Chủ tịch đoàn tuyên bố: “Đại hội bắt đầu làm việc.”"),
                          body("Đại biểu có mặt: 512 người."), body("Đại biểu vắng mặt có lý do: 8 người;"),
                          body("Tỷ lệ tham dự đạt 98,46%, đủ điều kiện tiến hành Đại hội.")};
    const auto result = extractPdfText(writePdf(page, tight).bytes);
    REQUIRE(result.ok());
    CHECK(result->text == expectedText({page}));
  }
  SUBCASE("short lines without a sentence end, without spacing or indent, read as one paragraph") {
    PdfWriterOptions tight;
    tight.paragraphSpacing = 0;
    const auto result = extractPdfText(writePdf({body("Đồng chí Nguyễn Văn An"), body("Bí thư Tỉnh ủy")}, tight).bytes);
    REQUIRE(result.ok());
    CHECK(result->text == "Đồng chí Nguyễn Văn An Bí thư Tỉnh ủy");
  }
}

TEST_CASE("two columns are read one after the other, not line by line across") {
  const std::string columns =
      linesAt(
          {{72, "The left column begins here"}, {72, "and goes on for a second line"}, {72, "and ends on a third"}}) +
      linesAt({{320, "The right column begins here"},
               {320, "and goes on for a second line"},
               {320, "and ends on a third"}});
  const auto result = extractPdfText(handMadeTextPdf(columns));
  REQUIRE(result.ok());
  CHECK(result->text ==
        "The left column begins here and goes on for a second line and ends on a third\n\n"
        "The right column begins here and goes on for a second line and ends on a third");
}

TEST_CASE("a hanging indent (a list item going on over indented lines) is not a new paragraph") {
  const auto result = extractPdfText(handMadeTextPdf(linesAt(
      {{72, "1. The first item of the list goes on"}, {90, "over a second line, indented"}, {90, "and a third"}})));
  REQUIRE(result.ok());
  CHECK(result->text == "1. The first item of the list goes on over a second line, indented and a third");
}

TEST_CASE("a space poppler saw counts where tight justification leaves little gap") {
  // Each space (278/1000 em in Helvetica) is taken back by 200/1000 em: a gap
  // of 0.9 pt, narrower than the gap that makes a space on its own.
  const auto result = extractPdfText(
      handMadeTextPdf("BT /F1 11 Tf 72 760 Td [(Tight ) 200 (justification ) 200 (keeps spaces)] TJ ET"));
  REQUIRE(result.ok());
  CHECK(result->text == "Tight justification keeps spaces");
}

TEST_CASE("words placed apart without a space character are separated by their gap") {
  // Some producers position every word; table cells are separate text objects.
  // Poppler does not mark a space after either.
  const auto result = extractPdfText(
      handMadeTextPdf("BT /F1 11 Tf 72 760 Td (Placed) Tj 40 0 Td (apart) Tj ET BT /F1 11 Tf 300 760 Td (cell) Tj ET"));
  REQUIRE(result.ok());
  CHECK(result->text == "Placed apart cell");
}

TEST_CASE("a page turned by /Rotate (a landscape page) reads like an upright one") {
  // A sentence ending at the right margin goes on; one ending short of it ends
  // the paragraph: the page's width must be right whichever way it is turned.
  const std::string full = "The first line of a paragraph runs on to the right margin of the page and ends a sentence.";
  const std::string paragraphs =
      linesAt({{72, full}, {72, "The second line ends the paragraph."}, {72, "A paragraph of one line"}});
  for (const std::string rotate : {"", "/Rotate 90", "/Rotate 180", "/Rotate 270"}) {
    const auto result = extractPdfText(handMadeTextPdf(paragraphs, rotate));
    REQUIRE(result.ok());
    CHECK_MESSAGE(result->text == full + " The second line ends the paragraph.\n\nA paragraph of one line", rotate);
  }
}

TEST_CASE("a long document flows over 200 pages and reads back whole") {
  const std::vector<PdfPage> sample = draftResolution();
  PdfPage paragraphs;
  for (int article = 1; paragraphs.size() < 3'000; ++article) {
    paragraphs.push_back(heading("Điều " + std::to_string(article) + ". Nội dung thứ " + std::to_string(article)));
    for (const PdfPage& page : sample) {
      for (const PdfParagraph& paragraph : page) {
        if (paragraph.style == PdfParagraph::Style::Body) paragraphs.push_back(paragraph);
      }
    }
  }
  const WrittenPdf pdf = writePdf(paragraphs);
  REQUIRE(pdf.pages >= 200);

  const auto result = extractPdfText(pdf.bytes);
  REQUIRE(result.ok());
  CHECK(result->pages == pdf.pages);
  CHECK(split(result->text, "\f").size() == pdf.pages);
  std::string all;
  for (const PdfParagraph& paragraph : paragraphs) all += paragraph.text + " ";
  CHECK(collapseWhitespace(result->text) == collapseWhitespace(all));

  // Only a paragraph cut by a page break may come out in two pieces.
  std::vector<std::string> written;
  for (const PdfParagraph& paragraph : paragraphs) written.push_back(paragraph.text);
  std::sort(written.begin(), written.end());
  std::vector<std::string> unknown;
  for (const std::string& page : split(result->text, "\f")) {
    const std::vector<std::string> pieces = split(page, "\n\n");
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
      if (!std::binary_search(written.begin(), written.end(), pieces[i])) unknown.push_back(pieces[i]);
    }
  }
  CHECK_MESSAGE(unknown.empty(), unknown.size()
                                     << " unknown paragraphs, such as: " << (unknown.empty() ? "" : unknown[0]));
}

TEST_CASE("what is not a PDF is refused as not_pdf") {
  CHECK(errorCode("") == "not_pdf");
  CHECK(errorCode("Đây là một tệp văn bản thường, không phải PDF.\n") == "not_pdf");
  CHECK(errorCode(std::string(2'000, ' ') + "%PDF-1.4\n") == "not_pdf");  // the header is too far in

  const auto result = extractPdfText("plain text");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message == "Tệp không phải PDF / the file is not a PDF");
}

TEST_CASE("a header after a few bytes of junk is still a PDF, as for other readers") {
  const std::string pdf = writePdf({body("Biên bản kiểm phiếu")}).bytes;
  const auto result = extractPdfText(std::string(100, '\n') + pdf);
  REQUIRE(result.ok());
  CHECK(result->text == "Biên bản kiểm phiếu");
}

TEST_CASE("damaged PDFs are corrupt_pdf, never a crash") {
  CHECK(errorCode("%PDF-1.4\n") == "corrupt_pdf");
  CHECK(errorCode("%PDF-1.4\n" + std::string(5'000, '\x9c') + "garbage 1 0 obj << /Type") == "corrupt_pdf");
  CHECK(errorCode(assemblePdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}, "")) ==
        "corrupt_pdf");  // no page at all

  SUBCASE("bytes flipped anywhere give a result or a failure with a known code") {
    const std::string pdf = writePdfPages(draftResolution()).bytes;
    std::uint32_t seed = 12345;
    for (int round = 0; round < 60; ++round) {
      std::string damaged = pdf;
      for (int flip = 0; flip < 8; ++flip) {
        seed = seed * 1664525 + 1013904223;
        damaged[seed % damaged.size()] = static_cast<char>(seed >> 24);
      }
      const std::string code = errorCode(damaged);
      CHECK_MESSAGE((code == "ok" || code == "corrupt_pdf" || code == "no_text" || code == "not_pdf"), code);
    }
  }
}

TEST_CASE("a truncated PDF") {
  // cairo writes the page tree, the catalog (/Root), the cross-reference
  // table and the trailer last. Poppler rebuilds a missing table by scanning
  // for objects, so losing only the end of the file is harmless; without the
  // catalog there is no document.
  const std::string pdf = writePdfPages(draftResolution()).bytes;

  SUBCASE("cut at half its length: corrupt_pdf") {
    const auto result = extractPdfText(std::string_view(pdf).substr(0, pdf.size() / 2));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "corrupt_pdf");
  }
  SUBCASE("cut before its cross-reference table: rebuilt, and read whole") {
    const auto result = extractPdfText(std::string_view(pdf).substr(0, pdf.rfind("xref")));
    REQUIRE(result.ok());
    CHECK(result->text == expectedText(draftResolution()));
  }
}

TEST_CASE("encrypted PDFs are refused, even when they open without a password") {
  REQUIRE(errorCode(handMadeBlankPdf()) == "no_text");  // the same file unencrypted is a valid (blank) PDF

  const auto forEveryone = extractPdfText(handMadeBlankPdf(kEncryptedForEveryone));
  REQUIRE_FALSE(forEveryone.ok());
  CHECK(forEveryone.error().code == "encrypted");
  CHECK(forEveryone.error().message.find("every terminal") != std::string::npos);

  const auto withPassword = extractPdfText(handMadeBlankPdf(kEncryptedWithPassword));
  REQUIRE_FALSE(withPassword.ok());
  CHECK(withPassword.error().code == "encrypted");
  CHECK(withPassword.error().message.find("password") != std::string::npos);
}

TEST_CASE("a PDF without a text layer (a scan) is no_text") {
  PdfWriterOptions scan;
  scan.noiseImageSide = 64;
  const WrittenPdf pdf = writePdfPages({{}, {}}, scan);
  REQUIRE(pdf.pages == 2);
  const auto result = extractPdfText(pdf.bytes);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "no_text");
  CHECK(result.error().message.find("text layer") != std::string::npos);

  CHECK(errorCode(writePdfPages({{}}).bytes) == "no_text");  // a blank page
}

TEST_CASE("a page without text among pages with text is an empty page") {
  const auto result = extractPdfText(writePdfPages({{body("Trang một.")}, {}, {body("Trang ba.")}}).bytes);
  REQUIRE(result.ok());
  CHECK(result->pages == 3);
  CHECK(result->text == "Trang một.\f\fTrang ba.");
}

TEST_CASE("more pages than the limit is too_many_pages") {
  const std::string pdf = writePdfPages({{body("1")}, {body("2")}, {body("3")}, {body("4")}, {body("5")}}).bytes;
  const auto refused = extractPdfText(pdf, PdfLimits{.maxPages = 4});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "too_many_pages");
  CHECK(refused.error().message.find("5 pages, more than the limit of 4") != std::string::npos);

  const auto accepted = extractPdfText(pdf, PdfLimits{.maxPages = 5});
  REQUIRE(accepted.ok());
  CHECK(accepted->text == "1\f2\f3\f4\f5");
}

TEST_CASE("a big PDF with an image on every page reads like a small one") {
  PdfWriterOptions heavy;
  heavy.noiseImageSide = 300;  // about 270 kB a page
  const WrittenPdf pdf = writePdfPages(draftResolution(), heavy);
  CHECK(pdf.bytes.size() > 3 * 250'000);
  const auto result = extractPdfText(pdf.bytes);
  REQUIRE(result.ok());
  CHECK(result->text == expectedText(draftResolution()));
}
