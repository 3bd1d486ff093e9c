#include <doctest/doctest.h>

#include <set>
#include <string>

#include "documents/paragraphs.hpp"

using namespace daihoi::documents;

namespace {
std::vector<std::string> textsOf(const std::vector<Paragraph>& paragraphs) {
  std::vector<std::string> texts;
  for (const Paragraph& paragraph : paragraphs) {
    texts.push_back(paragraph.text);
  }
  return texts;
}

std::vector<int> levelsOf(const std::vector<Paragraph>& paragraphs) {
  std::vector<int> levels;
  for (const Paragraph& paragraph : paragraphs) {
    levels.push_back(paragraph.headingLevel);
  }
  return levels;
}

bool looksLikeId(const std::string& id) {
  const std::size_t hexEnd = 11;
  if (id.size() < hexEnd || id[0] != 'p' || id.find_first_not_of("0123456789abcdef", 1) < hexEnd) {
    return false;
  }
  return id.size() == hexEnd || (id[hexEnd] == '-' && id.size() > hexEnd + 1);
}

bool idsUnique(const std::vector<Paragraph>& paragraphs) {
  std::set<std::string> ids;
  for (const Paragraph& paragraph : paragraphs) {
    if (!looksLikeId(paragraph.id) || !ids.insert(paragraph.id).second) {
      return false;
    }
  }
  return true;
}

std::string joined(const std::vector<std::string>& paragraphs) {
  std::string text;
  for (const std::string& paragraph : paragraphs) {
    text += paragraph + "\n\n";
  }
  return text;
}
}  // namespace

TEST_CASE("plain text: blank lines separate paragraphs, single line ends join lines") {
  const auto paragraphs = splitParagraphs(
      "\n  Đại hội   đại biểu\ntoàn quốc\r\nlần thứ XIV.\n\n\n\tKính thưa các đồng chí,\r\n \r\nTrân trọng.  \n",
      TextFormat::PlainText);
  CHECK(textsOf(paragraphs) ==
        std::vector<std::string>{"Đại hội đại biểu toàn quốc lần thứ XIV.", "Kính thưa các đồng chí,", "Trân trọng."});
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    CHECK(paragraphs[i].number == i + 1);
    CHECK(paragraphs[i].headingLevel == 0);
    CHECK(paragraphs[i].section.empty());
    CHECK(paragraphs[i].page == 0);
    CHECK(paragraphs[i].id == paragraphIdFor(paragraphs[i].text));
  }
  CHECK(splitParagraphs("", TextFormat::PlainText).empty());
  CHECK(splitParagraphs(" \n\n\t\r\n\u00A0\n", TextFormat::PlainText).empty());
}

TEST_CASE("a Vietnamese legal text: parts, chapters, sections and articles are headings") {
  const auto paragraphs = splitParagraphs(
      "NGHỊ QUYẾT\nVỀ TỔ CHỨC ĐẠI HỘI\n\n"
      "Phần thứ nhất\nNHỮNG VẤN ĐỀ CHUNG\n\n"
      "Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\n"
      "Điều 1. Phạm vi điều chỉnh\nNghị quyết này quy định về tổ chức\nđại hội.\n\n"
      "Điều 2. Đối tượng áp dụng\nĐại biểu chính thức.\n"
      "Chương II\nTỔ CHỨC ĐẠI HỘI\n"
      "Mục 1\nCHUẨN BỊ\n"
      "Điều 3. Thành phần\nKhách mời.\n",
      TextFormat::PlainText);
  CHECK(textsOf(paragraphs) == std::vector<std::string>{
                                   "NGHỊ QUYẾT VỀ TỔ CHỨC ĐẠI HỘI",
                                   "Phần thứ nhất NHỮNG VẤN ĐỀ CHUNG",
                                   "Chương I NHỮNG QUY ĐỊNH CHUNG",
                                   "Điều 1. Phạm vi điều chỉnh",
                                   "Nghị quyết này quy định về tổ chức đại hội.",
                                   "Điều 2. Đối tượng áp dụng",
                                   "Đại biểu chính thức.",
                                   "Chương II TỔ CHỨC ĐẠI HỘI",
                                   "Mục 1 CHUẨN BỊ",
                                   "Điều 3. Thành phần",
                                   "Khách mời.",
                               });
  CHECK(levelsOf(paragraphs) == std::vector<int>{0, 1, 2, 4, 0, 4, 0, 2, 3, 4, 0});
  CHECK(paragraphs[0].section.empty());
  CHECK(paragraphs[2].section == "Chương I NHỮNG QUY ĐỊNH CHUNG");
  CHECK(paragraphs[4].section == "Điều 1. Phạm vi điều chỉnh");
  CHECK(paragraphs[6].section == "Điều 2. Đối tượng áp dụng");
  CHECK(paragraphs[8].section == "Mục 1 CHUẨN BỊ");
  CHECK(paragraphs[10].section == "Điều 3. Thành phần");
  CHECK(paragraphs[10].number == 11);
}

TEST_CASE("legal headings in capitals, and words that only look like them") {
  const auto paragraphs = splitParagraphs(joined({
                                              "CHƯƠNG IV",
                                              "ĐIỀU 12. HIỆU LỰC THI HÀNH",
                                              "PHẦN II",
                                              "MỤC 3: BẦU CỬ",
                                              "Phần lớn đại biểu tán thành",
                                              "Mục tiêu của đại hội là đoàn kết",
                                              "Mức 1 là cao nhất",
                                              "Điều 5 của Luật này được sửa đổi",
                                              "Mục 2 nêu rõ nhiệm vụ.",
                                              "Chương Ivan",
                                          }),
                                          TextFormat::PlainText);
  CHECK(levelsOf(paragraphs) == std::vector<int>{2, 4, 1, 3, 0, 0, 0, 0, 0, 0});
  CHECK(paragraphs[9].section == "MỤC 3: BẦU CỬ");
}

TEST_CASE("numbered short lines without a final full stop are headings") {
  const auto paragraphs = splitParagraphs(joined({
                                              "I. TÌNH HÌNH CHUNG",
                                              "1. Kết quả đạt được",
                                              "Năm 2025, kinh tế tăng trưởng khá.",
                                              "1.2. Hạn chế",
                                              "1.2.3 Nguyên nhân",
                                              "2. Đại biểu có quyền phát biểu.",
                                              "3. Đại biểu có quyền chất vấn;",
                                              "2026. Năm bản lề",
                                              "IIII. Không phải số La Mã",
                                              "II. Phương hướng",
                                              "1. " + std::string(130, 'x'),
                                          }),
                                          TextFormat::PlainText);
  CHECK(levelsOf(paragraphs) == std::vector<int>{2, 3, 0, 4, 5, 0, 0, 0, 0, 2, 0});
  CHECK(paragraphs[2].section == "1. Kết quả đạt được");
  CHECK(paragraphs[8].section == "1.2.3 Nguyên nhân");
  CHECK(paragraphs[10].section == "II. Phương hướng");
}

TEST_CASE("markdown: headings, emphasis, lists, tables, code fences") {
  const auto paragraphs = splitParagraphs(
      "# Báo cáo chính trị\n"
      "\n"
      "Đây là **đoạn** đầu,\n"
      "với _nhấn mạnh_, ***cả hai*** và `mã`.\n"
      "\n"
      "## Chương I ##\n"
      "- Mục thứ nhất\n"
      "- Mục *thứ hai*\n"
      "  nối tiếp\n"
      "1. Khoản một\n"
      "\n"
      "| Họ tên | Đoàn |\n"
      "|---|:---:|\n"
      "| **Nguyễn Văn An** | Hà Nội |\n"
      "\n"
      "```text\n"
      "mã  **không** đổi\n"
      "\n"
      "dòng cuối\n"
      "```\n"
      "Điều 1. Phạm vi\n"
      "snake_case, 2 * 3 và “**Đại hội**”\n"
      "---\n"
      "#hashtag không phải tiêu đề\n"
      "###### Sáu\n",
      TextFormat::Markdown);
  CHECK(textsOf(paragraphs) == std::vector<std::string>{
                                   "Báo cáo chính trị",
                                   "Đây là đoạn đầu, với nhấn mạnh, cả hai và mã.",
                                   "Chương I",
                                   "Mục thứ nhất",
                                   "Mục thứ hai nối tiếp",
                                   "1. Khoản một",
                                   "Họ tên | Đoàn",
                                   "Nguyễn Văn An | Hà Nội",
                                   "mã **không** đổi dòng cuối",
                                   "Điều 1. Phạm vi",
                                   "snake_case, 2 * 3 và “Đại hội”",
                                   "#hashtag không phải tiêu đề",
                                   "Sáu",
                               });
  CHECK(levelsOf(paragraphs) == std::vector<int>{1, 0, 2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 6});
  CHECK(paragraphs[1].section == "Báo cáo chính trị");
  CHECK(paragraphs[5].section == "Chương I");
  CHECK(paragraphs[11].section == "Điều 1. Phạm vi");
  CHECK(paragraphs[12].section == "Sáu");
}

TEST_CASE("markdown: an unclosed code fence runs to the end; inline ``` and a lone # are no blocks") {
  const auto paragraphs = splitParagraphs("#\n\n```mã``` trên một dòng\n\nTrước\n~~~~\na\n~~~\n\nb", TextFormat::Markdown);
  CHECK(textsOf(paragraphs) == std::vector<std::string>{"mã trên một dòng", "Trước", "a ~~~ b"});
}

TEST_CASE("PDF text: form feeds separate pages, paragraphs start on the page they are on") {
  const auto paragraphs = splitParagraphs(
      "BÁO CÁO\n\nTrang một, đoạn hai\nnối dòng\n\n\fChương II\n\nTrang hai\f\fTrang bốn\n\n\f",
      TextFormat::PdfText);
  CHECK(textsOf(paragraphs) ==
        std::vector<std::string>{"BÁO CÁO", "Trang một, đoạn hai nối dòng", "Chương II", "Trang hai", "Trang bốn"});
  std::vector<std::uint32_t> pages;
  for (const Paragraph& paragraph : paragraphs) {
    pages.push_back(paragraph.page);
  }
  CHECK(pages == std::vector<std::uint32_t>{1, 1, 2, 2, 4});
  CHECK(paragraphs[2].headingLevel == 2);
  CHECK(paragraphs[3].section == "Chương II");
}

TEST_CASE("a form feed ends a paragraph in plain text too, without pages") {
  const auto paragraphs = splitParagraphs("một\fhai", TextFormat::PlainText);
  CHECK(textsOf(paragraphs) == std::vector<std::string>{"một", "hai"});
  CHECK(paragraphs[1].page == 0);
}

TEST_CASE("ids: 'p' and the first ten hex digits of the text's FNV-1a hash, duplicates numbered") {
  CHECK(paragraphIdFor("") == "pcbf29ce484");
  CHECK(paragraphIdFor("a") == "paf63dc4c86");
  CHECK(paragraphIdFor("Đại hội Đảng bộ") == "p87fb284ecb");
  CHECK(paragraphIdFor("Đại hội Đảng bộ", 1) == "p87fb284ecb");
  CHECK(paragraphIdFor("Đại hội Đảng bộ", 3) == "p87fb284ecb-3");
  CHECK(paragraphIdFor("dai hoi dang bo") != paragraphIdFor("Đại hội Đảng bộ"));  // exact text, not folded

  const auto paragraphs =
      splitParagraphs("Tán thành.\n\nKhông tán thành.\n\nTán thành.\n\nTán thành.", TextFormat::PlainText);
  REQUIRE(paragraphs.size() == 4);
  CHECK(paragraphs[0].id == paragraphIdFor("Tán thành."));
  CHECK(paragraphs[1].id == paragraphIdFor("Không tán thành."));
  CHECK(paragraphs[2].id == paragraphIdFor("Tán thành.") + "-2");
  CHECK(paragraphs[3].id == paragraphIdFor("Tán thành.") + "-3");
  CHECK(idsUnique(paragraphs));
}

TEST_CASE("ids follow their paragraphs into the next version") {
  const auto first = splitParagraphs(joined({
                                         "Đại hội đại biểu toàn quốc lần thứ XIV.",
                                         "Điều 1. Phạm vi",
                                         "Đại biểu biểu quyết bằng thẻ.",
                                         "Nghị quyết này có hiệu lực kể từ ngày ký ban hành.",
                                         "Biểu quyết xong thì công bố kết quả ngay tại hội trường.",
                                         "Đại biểu biểu quyết bằng thẻ.",
                                         "Bế mạc.",
                                     }),
                                     TextFormat::PlainText);
  auto second = splitParagraphs(joined({
                                    "Lời mở đầu của Đoàn Chủ tịch.",  // inserted at the top
                                    "Đại hội đại biểu toàn quốc lần thứ XIV.",
                                    "Điều 1. Phạm vi",
                                    "Đại biểu biểu quyết bằng thẻ.",
                                    "Nghị quyết này có hiệu lực kể từ ngày duyệt ban hành.",  // one word changed
                                    // "Biểu quyết xong …" removed
                                    "Đại biểu biểu quyết bằng thẻ.",
                                    "Bế mạc.",
                                }),
                                TextFormat::PlainText);
  REQUIRE(first.size() == 7);
  REQUIRE(second.size() == 7);
  CHECK(first[5].id == first[2].id + "-2");
  inheritIds(first, second);
  CHECK(second[0].id == paragraphIdFor("Lời mở đầu của Đoàn Chủ tịch."));
  CHECK(second[1].id == first[0].id);
  CHECK(second[2].id == first[1].id);
  CHECK(second[3].id == first[2].id);
  CHECK(second[4].id == first[3].id);  // changed: keeps its id, not one from its new text
  CHECK(second[4].id != paragraphIdFor(second[4].text));
  CHECK(second[5].id == first[5].id);  // the duplicate keeps its "-2"
  CHECK(second[6].id == first[6].id);
  CHECK(idsUnique(second));
  // Numbers follow the new order; ids do not.
  CHECK(second[4].number == 5);
  CHECK(first[3].number == 4);
}

TEST_CASE("an added paragraph whose text id was inherited by another takes the next suffix") {
  const std::string original = "Các đại biểu thảo luận ở tổ trong buổi sáng.";
  const auto first = splitParagraphs(joined({original, "Chiều họp toàn thể.", "Tối nghỉ."}), TextFormat::PlainText);
  auto second = splitParagraphs(
      joined({"Các đại biểu thảo luận ở tổ trong buổi chiều.", "Chiều họp toàn thể.", "Tối nghỉ.", original}),
      TextFormat::PlainText);
  inheritIds(first, second);
  CHECK(second[0].id == paragraphIdFor(original));  // the edited paragraph keeps its id
  CHECK(second[1].id == first[1].id);
  CHECK(second[2].id == first[2].id);
  CHECK(second[3].id == paragraphIdFor(original, 2));
  CHECK(idsUnique(second));
}

TEST_CASE("inheriting is deterministic and unique for unrelated versions") {
  const auto first = splitParagraphs(joined({"Một.", "Hai.", "Ba."}), TextFormat::PlainText);
  auto second = splitParagraphs(joined({"Bốn.", "Năm.", "Năm.", "Một."}), TextFormat::PlainText);
  auto again = second;
  inheritIds(first, second);
  inheritIds(first, again);
  CHECK(second[3].id == first[0].id);
  CHECK(second[0].id == paragraphIdFor("Bốn."));
  CHECK(second[2].id == paragraphIdFor("Năm.", 2));
  CHECK(idsUnique(second));
  for (std::size_t i = 0; i < second.size(); ++i) {
    CHECK(second[i].id == again[i].id);
  }
  std::vector<Paragraph> empty;
  inheritIds(first, empty);
  CHECK(empty.empty());
}
