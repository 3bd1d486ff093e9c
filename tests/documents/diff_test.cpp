#include <doctest/doctest.h>

#include <random>
#include <string>

#include "documents/diff.hpp"

using namespace daihoi::documents;
using Kind = ParagraphChangeKind;
using Op = WordEdit::Op;

namespace {
std::vector<Paragraph> paragraphs(const std::vector<std::string>& texts) {
  std::vector<Paragraph> result;
  for (const std::string& text : texts) {
    Paragraph paragraph;
    paragraph.number = static_cast<std::uint32_t>(result.size() + 1);
    paragraph.text = text;
    result.push_back(std::move(paragraph));
  }
  return result;
}

// The text the edits give when `kept` (Insert for the newer text, Delete for the older) is applied.
std::string apply(const std::vector<WordEdit>& edits, Op kept) {
  std::string text;
  for (const WordEdit& edit : edits) {
    if (edit.op == Op::Equal || edit.op == kept) {
      text += edit.text;
    }
  }
  return text;
}

bool wellFormed(const std::vector<WordEdit>& edits) {
  for (std::size_t i = 0; i < edits.size(); ++i) {
    if (edits[i].text.empty() || (i > 0 && edits[i].op == edits[i - 1].op)) {
      return false;
    }
  }
  return true;
}

struct Step {
  Kind kind;
  std::optional<std::size_t> older, newer;
};

std::vector<Step> stepsOf(const DocumentDiff& diff) {
  std::vector<Step> steps;
  for (const ParagraphChange& change : diff.changes) {
    steps.push_back({change.kind, change.older, change.newer});
  }
  return steps;
}

bool operator==(const Step& a, const Step& b) { return a.kind == b.kind && a.older == b.older && a.newer == b.newer; }

doctest::String toString(const std::vector<Step>& steps) {
  std::string text;
  for (const Step& step : steps) {
    text += std::to_string(static_cast<int>(step.kind)) + "(" + (step.older ? std::to_string(*step.older) : "-") + "," +
            (step.newer ? std::to_string(*step.newer) : "-") + ") ";
  }
  return text.c_str();
}

// Every paragraph of both versions appears once, both in order; unchanged pairs
// are equal, changed pairs' word edits give both texts; the counts add up.
void checkConsistent(const DocumentDiff& diff, const std::vector<Paragraph>& older,
                     const std::vector<Paragraph>& newer) {
  std::size_t olderNext = 0, newerNext = 0;
  DiffCounts counts;
  for (const ParagraphChange& change : diff.changes) {
    const bool hasOlder = change.kind != Kind::Added;
    const bool hasNewer = change.kind != Kind::Removed;
    REQUIRE(change.older.has_value() == hasOlder);
    REQUIRE(change.newer.has_value() == hasNewer);
    if (hasOlder) {
      REQUIRE(*change.older == olderNext++);
    }
    if (hasNewer) {
      REQUIRE(*change.newer == newerNext++);
    }
    switch (change.kind) {
      case Kind::Unchanged:
        ++counts.unchanged;
        REQUIRE(older[*change.older].text == newer[*change.newer].text);
        break;
      case Kind::Changed:
        ++counts.changed;
        REQUIRE(older[*change.older].text != newer[*change.newer].text);
        REQUIRE(apply(change.words, Op::Delete) == older[*change.older].text);
        REQUIRE(apply(change.words, Op::Insert) == newer[*change.newer].text);
        break;
      case Kind::Added:
        ++counts.added;
        break;
      case Kind::Removed:
        ++counts.removed;
        break;
    }
    if (change.kind != Kind::Changed) {
      REQUIRE(change.words.empty());
    }
  }
  CHECK(olderNext == older.size());
  CHECK(newerNext == newer.size());
  CHECK(counts.unchanged == diff.counts.unchanged);
  CHECK(counts.changed == diff.counts.changed);
  CHECK(counts.added == diff.counts.added);
  CHECK(counts.removed == diff.counts.removed);
}

// Twelve words no other paragraph uses: unrelated paragraphs share nothing.
std::string uniqueParagraph(const std::string& stem, std::size_t index) {
  std::string text;
  for (int word = 0; word < 12; ++word) {
    text += (word ? " " : "") + stem + std::to_string(index) + "x" + std::to_string(word);
  }
  return text + ".";
}
}  // namespace

TEST_CASE("word edits: one word replaced") {
  const auto edits = diffWords("Nghị quyết có hiệu lực từ ngày ký.", "Nghị quyết có hiệu lực từ ngày công bố.");
  REQUIRE(edits.size() == 4);
  CHECK(edits[0].op == Op::Equal);
  CHECK(edits[0].text == "Nghị quyết có hiệu lực từ ngày ");
  CHECK(edits[1].op == Op::Delete);
  CHECK(edits[1].text == "ký");
  CHECK(edits[2].op == Op::Insert);
  CHECK(edits[2].text == "công bố");
  CHECK(edits[3].op == Op::Equal);
  CHECK(edits[3].text == ".");
}

TEST_CASE("word edits: punctuation and white space are tokens too") {
  const auto edits = diffWords("Điều 1, 2 và 3", "Điều 1; 2 và 3!");
  CHECK(wellFormed(edits));
  CHECK(apply(edits, Op::Delete) == "Điều 1, 2 và 3");
  CHECK(apply(edits, Op::Insert) == "Điều 1; 2 và 3!");
  REQUIRE(edits.size() == 5);
  CHECK(edits[1].op == Op::Delete);
  CHECK(edits[1].text == ", ");
  CHECK(edits[2].text == "; ");
  CHECK(edits[4].op == Op::Insert);
  CHECK(edits[4].text == "!");
}

TEST_CASE("word edits: empty and identical texts") {
  CHECK(diffWords("", "").empty());
  const auto inserted = diffWords("", "Tán thành");
  REQUIRE(inserted.size() == 1);
  CHECK(inserted[0].op == Op::Insert);
  CHECK(inserted[0].text == "Tán thành");
  const auto deleted = diffWords("Tán thành", "");
  REQUIRE(deleted.size() == 1);
  CHECK(deleted[0].op == Op::Delete);
  const auto same = diffWords("Đại hội Đảng bộ", "Đại hội Đảng bộ");
  REQUIRE(same.size() == 1);
  CHECK(same[0].op == Op::Equal);
  CHECK(same[0].text == "Đại hội Đảng bộ");
}

TEST_CASE("word edits give back both texts exactly, for many random edits") {
  const std::vector<std::string> words{"Đại", "hội", "đại", "biểu", "toàn", "quốc", "Đảng", "bộ", "nghị", "quyết",
                                       "biểu", "quyết", "tán", "thành", "12", "Điều", "khoản", "ư", "ạ", "Ủy"};
  const std::vector<std::string> separators{" ", " ", " ", ", ", ". ", " — ", "; ", "\u00A0", " (", ") "};
  std::mt19937 random(20260514);
  auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> pieces;
    const std::size_t length = random() % 40;
    for (std::size_t i = 0; i < length; ++i) {
      pieces.push_back(pick(words));
      pieces.push_back(pick(separators));
    }
    std::vector<std::string> edited = pieces;
    const std::size_t editCount = random() % 6;
    for (std::size_t e = 0; e < editCount; ++e) {
      const std::size_t at = edited.empty() ? 0 : random() % edited.size();
      switch (random() % 3) {
        case 0:
          edited.insert(edited.begin() + static_cast<std::ptrdiff_t>(at), pick(words) + pick(separators));
          break;
        case 1:
          if (!edited.empty()) {
            edited.erase(edited.begin() + static_cast<std::ptrdiff_t>(at));
          }
          break;
        default:
          if (!edited.empty()) {
            edited[at] = pick(random() % 2 ? words : separators);
          }
      }
    }
    std::string older, newer;
    for (const std::string& piece : pieces) {
      older += piece;
    }
    for (const std::string& piece : edited) {
      newer += piece;
    }
    const auto edits = diffWords(older, newer);
    CAPTURE(older);
    CAPTURE(newer);
    REQUIRE(wellFormed(edits));
    REQUIRE(apply(edits, Op::Delete) == older);
    REQUIRE(apply(edits, Op::Insert) == newer);
  }
}

TEST_CASE("word edits of two unrelated long texts still give both texts") {
  std::string older, newer;
  for (int i = 0; i < 3'000; ++i) {
    older += "cu" + std::to_string(i) + " ";
    newer += "moi" + std::to_string(i) + ", ";
  }
  const auto edits = diffWords(older, newer);
  CHECK(apply(edits, Op::Delete) == older);
  CHECK(apply(edits, Op::Insert) == newer);
}

TEST_CASE("paragraphs: added at the top, one word changed, one removed, duplicates") {
  const auto older = paragraphs({
      "Đại hội đại biểu toàn quốc lần thứ XIV.",
      "Điều 1. Phạm vi",
      "Đại biểu biểu quyết bằng thẻ.",
      "Nghị quyết này có hiệu lực kể từ ngày ký ban hành.",
      "Biểu quyết xong thì công bố kết quả ngay tại hội trường.",
      "Đại biểu biểu quyết bằng thẻ.",
      "Bế mạc.",
  });
  const auto newer = paragraphs({
      "Lời mở đầu của Đoàn Chủ tịch.",
      "Đại hội đại biểu toàn quốc lần thứ XIV.",
      "Điều 1. Phạm vi",
      "Đại biểu biểu quyết bằng thẻ.",
      "Nghị quyết này có hiệu lực kể từ ngày duyệt ban hành.",
      "Đại biểu biểu quyết bằng thẻ.",
      "Bế mạc.",
  });
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(stepsOf(diff) == std::vector<Step>{
                             {Kind::Added, std::nullopt, 0},
                             {Kind::Unchanged, 0, 1},
                             {Kind::Unchanged, 1, 2},
                             {Kind::Unchanged, 2, 3},
                             {Kind::Changed, 3, 4},
                             {Kind::Removed, 4, std::nullopt},
                             {Kind::Unchanged, 5, 5},
                             {Kind::Unchanged, 6, 6},
                         });
  CHECK(diff.counts.unchanged == 5);
  CHECK(diff.counts.added == 1);
  CHECK(diff.counts.removed == 1);
  CHECK(diff.counts.changed == 1);
  const auto& words = diff.changes[4].words;
  REQUIRE(words.size() == 4);
  CHECK(words[1].op == Op::Delete);
  CHECK(words[1].text == "ký");
  CHECK(words[2].op == Op::Insert);
  CHECK(words[2].text == "duyệt");
  checkConsistent(diff, older, newer);
}

TEST_CASE("paragraphs: removed ones stand where they were, unrelated replacements are removed then added") {
  const auto older = paragraphs({"Khai mạc.", "Báo cáo tài chính năm 2025.", "Bế mạc."});
  const auto newer = paragraphs({"Khai mạc.", "Bầu Ban Chấp hành khóa mới.", "Bế mạc."});
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(stepsOf(diff) == std::vector<Step>{
                             {Kind::Unchanged, 0, 0},
                             {Kind::Removed, 1, std::nullopt},
                             {Kind::Added, std::nullopt, 1},
                             {Kind::Unchanged, 2, 2},
                         });
  const DocumentDiff removal = diffParagraphs(older, paragraphs({"Khai mạc.", "Bế mạc."}));
  CHECK(stepsOf(removal) == std::vector<Step>{
                                {Kind::Unchanged, 0, 0},
                                {Kind::Removed, 1, std::nullopt},
                                {Kind::Unchanged, 2, 1},
                            });
}

TEST_CASE("paragraphs: a changed paragraph is found past an added one") {
  const auto older = paragraphs({"Khai mạc.", "Thông qua chương trình làm việc của đại hội.", "Bế mạc."});
  const auto newer = paragraphs(
      {"Khai mạc.", "Chào cờ.", "Thông qua chương trình và quy chế làm việc của đại hội.", "Bế mạc."});
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(stepsOf(diff) == std::vector<Step>{
                             {Kind::Unchanged, 0, 0},
                             {Kind::Added, std::nullopt, 1},
                             {Kind::Changed, 1, 2},
                             {Kind::Unchanged, 2, 3},
                         });
  checkConsistent(diff, older, newer);
}

TEST_CASE("paragraphs: similarity is Dice's coefficient on folded words, paired from 0.5") {
  const auto half = diffParagraphs(paragraphs({"một hai ba bốn"}), paragraphs({"một hai năm sáu"}));
  CHECK(half.counts.changed == 1);  // 2·2 / (4 + 4) = 0.5
  const auto quarter = diffParagraphs(paragraphs({"một hai ba bốn"}), paragraphs({"một năm sáu bảy"}));
  CHECK(quarter.counts.changed == 0);  // 2·1 / 8
  CHECK(quarter.counts.removed == 1);
  CHECK(quarter.counts.added == 1);
  const auto diacritics = diffParagraphs(paragraphs({"Dai hoi Dang bo tinh"}), paragraphs({"Đại hội Đảng bộ tỉnh"}));
  CHECK(diacritics.counts.changed == 1);
  const auto noWords = diffParagraphs(paragraphs({"—"}), paragraphs({"…"}));
  CHECK(noWords.counts.changed == 0);
}

TEST_CASE("paragraphs: identical, empty and one-sided versions") {
  const auto some = paragraphs({"Một.", "Hai.", "Một."});
  const DocumentDiff same = diffParagraphs(some, some);
  CHECK(same.counts.unchanged == 3);
  CHECK(same.changes.size() == 3);
  CHECK(diffParagraphs({}, {}).changes.empty());
  const DocumentDiff added = diffParagraphs({}, some);
  CHECK(added.counts.added == 3);
  checkConsistent(added, {}, some);
  const DocumentDiff removed = diffParagraphs(some, {});
  CHECK(removed.counts.removed == 3);
  checkConsistent(removed, some, {});
}

TEST_CASE("paragraphs: random edits keep every paragraph once, in order") {
  std::mt19937 random(7);
  const std::vector<std::string> words{"đại", "hội", "biểu", "quyết", "nghị", "tán", "thành", "khóa", "XIV", "12"};
  auto randomParagraph = [&] {
    std::string text;
    for (std::size_t i = 0, count = 1 + random() % 8; i < count; ++i) {
      text += (i ? " " : "") + words[random() % words.size()];
    }
    return text;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> olderTexts;
    for (std::size_t i = 0, count = random() % 30; i < count; ++i) {
      olderTexts.push_back(randomParagraph());
    }
    std::vector<std::string> newerTexts = olderTexts;
    for (std::size_t e = 0, count = random() % 8; e < count; ++e) {
      const std::size_t at = newerTexts.empty() ? 0 : random() % newerTexts.size();
      const unsigned kind = random() % 3;
      if (kind == 0 || newerTexts.empty()) {
        newerTexts.insert(newerTexts.begin() + static_cast<std::ptrdiff_t>(at), randomParagraph());
      } else if (kind == 1) {
        newerTexts.erase(newerTexts.begin() + static_cast<std::ptrdiff_t>(at));
      } else {
        newerTexts[at] += " " + words[random() % words.size()];
      }
    }
    const auto older = paragraphs(olderTexts);
    const auto newer = paragraphs(newerTexts);
    checkConsistent(diffParagraphs(older, newer), older, newer);
  }
}

TEST_CASE("paragraphs: 4,000 paragraphs with 200 edits") {
  std::vector<std::string> olderTexts;
  for (std::size_t i = 0; i < 4'000; ++i) {
    olderTexts.push_back(uniqueParagraph("w", i));
  }
  // One edit every 20 paragraphs, in turn: insert a new one, remove one, change one word.
  std::vector<std::string> newerTexts;
  std::size_t inserted = 0, removedCount = 0, changedCount = 0;
  for (std::size_t i = 0; i < olderTexts.size(); ++i) {
    const std::size_t edit = i / 20;
    if (i % 20 != 10) {
      newerTexts.push_back(olderTexts[i]);
    } else if (edit % 3 == 0) {
      newerTexts.push_back(uniqueParagraph("new", i));
      newerTexts.push_back(olderTexts[i]);
      ++inserted;
    } else if (edit % 3 == 1) {
      ++removedCount;
    } else {
      newerTexts.push_back(olderTexts[i] + " sửa");
      ++changedCount;
    }
  }
  REQUIRE(inserted + removedCount + changedCount == 200);
  const auto older = paragraphs(olderTexts);
  const auto newer = paragraphs(newerTexts);
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(diff.counts.added == inserted);
  CHECK(diff.counts.removed == removedCount);
  CHECK(diff.counts.changed == changedCount);
  CHECK(diff.counts.unchanged == 4'000 - removedCount - changedCount);
  checkConsistent(diff, older, newer);
}

TEST_CASE("paragraphs: two unrelated long versions are all removed and all added, common ends kept") {
  std::vector<std::string> olderTexts{"Khai mạc."}, newerTexts{"Khai mạc."};
  for (std::size_t i = 0; i < 3'000; ++i) {
    olderTexts.push_back(uniqueParagraph("old", i));
    newerTexts.push_back(uniqueParagraph("new", i));
  }
  olderTexts.push_back("Bế mạc.");
  newerTexts.push_back("Bế mạc.");
  const auto older = paragraphs(olderTexts);
  const auto newer = paragraphs(newerTexts);
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(diff.counts.unchanged == 2);
  CHECK(diff.counts.removed == 3'000);
  CHECK(diff.counts.added == 3'000);
  CHECK(diff.counts.changed == 0);
  checkConsistent(diff, older, newer);
}

TEST_CASE("paragraphs: past the edit limit, an identical paragraph found by pairing is unchanged") {
  std::vector<std::string> olderTexts, newerTexts{"Bầu Ban Chấp hành khóa mới."};
  for (std::size_t i = 0; i < 3'000; ++i) {
    olderTexts.push_back(uniqueParagraph("old", i));
    newerTexts.push_back(uniqueParagraph("new", i));
  }
  olderTexts.insert(olderTexts.begin() + 1'500, "Bầu Ban Chấp hành khóa mới.");
  const auto older = paragraphs(olderTexts);
  const auto newer = paragraphs(newerTexts);
  const DocumentDiff diff = diffParagraphs(older, newer);
  CHECK(diff.counts.unchanged == 1);
  CHECK(diff.counts.changed == 0);
  CHECK(diff.counts.removed == 3'000);
  CHECK(diff.counts.added == 3'000);
  CHECK(diff.changes[1'500].kind == Kind::Unchanged);
  checkConsistent(diff, older, newer);
}
