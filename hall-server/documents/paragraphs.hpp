#pragma once
// A document's text as numbered paragraphs with stable ids. A paragraph keeps
// its id from one version to the next when its text is unchanged, and also when
// the diff pairs it with a changed paragraph of the previous version (so a
// comment follows its passage); new paragraphs get ids from their text's hash.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::documents {

enum class TextFormat {
  PlainText,  // paragraphs are separated by blank lines; lines within one are joined
  Markdown,   // the same, and "#…" lines are headings; list items and table rows are paragraphs
  PdfText,    // the output of extractPdfText(): paragraphs separated by blank lines, pages by \f
};

struct Paragraph {
  std::string id;            // "p" + 10 hex digits; unique within a version
  std::uint32_t number = 0;  // 1, 2, … in reading order
  // The heading this paragraph is under ("Chương II …", "Điều 5. …", a Markdown
  // heading; empty before the first heading). A heading's own section is itself.
  std::string section;
  int headingLevel = 0;      // 1–6 when the paragraph is a heading, 0 for body text
  std::uint32_t page = 0;    // PdfText: the page it starts on (1-based); 0 otherwise
  std::string text;          // whitespace collapsed; Markdown markers of headings/emphasis removed
};

// Splits `text` (valid UTF-8) into paragraphs, numbered from 1, with ids from
// the text alone (as for a first version). Empty paragraphs are dropped.
// Headings are recognised in all formats by their Vietnamese legal-document
// shape too: "Phần thứ …", "Chương …", "Mục …", "Điều N." and roman-numeral or
// "1." / "1.2." numbered short lines without a final full stop.
//
// In detail:
// - A form feed ends a paragraph in every format (PdfText also counts pages).
// - Legal heading levels: "Phần"/"PHẦN" 1, "Chương"/"CHƯƠNG" 2, "Mục"/"MỤC" 3
//   (each followed by a number, a roman numeral or, for parts, "thứ …"),
//   "Điều N."/"ĐIỀU N." 4, all up to 200 bytes; "IV. Title" 2, "1. Title" 3,
//   "1.2. Title" 4 (deeper: 5, 6), up to 120 bytes and not ending in . ; or ,.
// - A line that is a Phần/Chương/Mục/Điều heading starts a paragraph of its
//   own even without a blank line before or after it; a title in capitals on
//   the next lines joins a Phần/Chương/Mục heading ("Chương I NHỮNG QUY ĐỊNH CHUNG").
// - Markdown: "#"–"######" headings; "- ", "* ", "+ " items without their
//   marker and "1. ", "1) " items with their number, each a paragraph (never
//   a heading); table rows as "cell | cell" (the delimiter row dropped); a
//   fenced code block is one paragraph, its text not stripped; "---" lines
//   end a paragraph; emphasis and code markers are removed elsewhere.
std::vector<Paragraph> splitParagraphs(std::string_view text, TextFormat format);

// Gives `current` (from splitParagraphs) the ids of `previous` where the diff
// pairs them (unchanged or changed paragraphs); the others keep ids from their
// text, made unique within `current`: in reading order, each takes the first
// of paragraphIdFor(text, 1), (text, 2), … that no paragraph of `current` has.
void inheritIds(const std::vector<Paragraph>& previous, std::vector<Paragraph>& current);

// The id a paragraph with this text gets when nothing is inherited; `n`-th
// duplicate (n ≥ 2) gets "-n" appended. The hex digits are the first 10 of
// the 64-bit FNV-1a hash of the exact (collapsed, not folded) text.
std::string paragraphIdFor(std::string_view text, unsigned duplicate = 1);

}  // namespace daihoi::documents
