#include "documents/study.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <unordered_set>

#include "documents/vietnamese.hpp"

namespace daihoi::documents {
namespace {

using WordSet = std::unordered_set<std::string_view>;

// Vietnamese function and question words as written (lower case, NFC): what a
// question with diacritics loses. Syllables that are also common content
// words in congress documents stay out (chỉ: chỉ đạo, mới: đổi mới, qua: thông
// qua, theo: theo dõi, ra: đề ra, trên, ngoài, cần, việc, sự, con, bao …).
const WordSet& vietnameseStopWords() {
  static const WordSet words{
      "à",     "ạ",     "ai",    "ấy",    "bạn", "bởi", "biết", "bị",   "các", "cả",    "cái",   "chiếc", "cho",
      "chúng", "chưa",  "chẳng", "chứ",   "có",  "còn", "của",  "cũng", "dạ",  "do",    "dù",    "đã",    "đang",
      "đâu",   "đây",   "đấy",   "để",    "đến", "đều", "đó",   "được", "gì",  "hay",   "hãy",   "hả",    "hoặc",
      "hỏi",   "họ",    "khi",   "không", "kia", "là",  "lại",  "lắm",  "mà",  "mấy",   "mình",  "mọi",   "mỗi",
      "một",   "nào",   "này",   "nên",   "nếu", "nha", "nhau", "nhé",  "nhỉ", "nhiêu", "nhiều", "nhằm",  "như",
      "nhưng", "những", "nó",    "nói",   "nữa", "ơi",  "ở",    "phải", "quá", "rằng",  "rất",   "rồi",   "sao",
      "sẽ",    "ta",    "tại",   "tất",   "thì", "thế", "thưa", "tôi",  "tới", "trong", "từ",    "từng",  "tuy",
      "ư",     "và",    "vào",   "vâng",  "vậy", "vẫn", "vì",   "với",  "về",  "vừa",   "xin",
  };
  return words;
}

// The folded stop words that no common content word folds to: what a
// question typed without diacritics loses. Not: co (cơ quan), dang (Đảng),
// the (thể chế), trong (quan trọng), do (chế độ), ve (bảo vệ), tu (đầu tư),
// tai (tài chính), bi (bí thư), khi (khí hậu), nhu (nhu cầu), may (máy) …
const WordSet& foldedStopWords() {
  static const WordSet words{
      "ai",   "ay",    "cac", "chang", "chiec", "cho", "chua", "cua",  "deu",   "duoc",  "gi",  "hay",
      "hoac", "khong", "kia", "la",    "mot",   "nao", "nay",  "nhau", "nhieu", "nhung", "nua", "oi",
      "rang", "rat",   "roi", "sao",   "tat",   "tuy", "va",   "vao",  "voi",   "vua",   "xin",
  };
  return words;
}

// English function and question words that are no Vietnamese syllable when
// folded: always dropped, and their presence makes a question English.
const WordSet& englishStopWords() {
  static const WordSet words{
      "about",   "all",   "also",   "and",   "any",   "are",    "as",   "because", "been",  "being", "between",
      "by",      "could", "did",    "does",  "doing", "during", "for",  "from",    "had",   "has",   "have",
      "her",     "his",   "how",    "if",    "into",  "is",     "its",  "might",   "must",  "of",    "onto",
      "or",      "our",   "please", "shall", "she",   "should", "some", "such",    "tell",  "their", "there",
      "these",   "they",  "this",   "those", "us",    "was",    "we",   "were",    "what",  "when",  "where",
      "whether", "which", "who",    "whom",  "whose", "why",    "will", "with",    "would", "you",   "your",
  };
  return words;
}

// English function words that are also Vietnamese syllables once folded (the:
// thể, to: tổ, an: an ninh, so: số, that: thật, them: thêm, my: Mỹ …):
// dropped only from an English question.
const WordSet& englishAmbiguousStopWords() {
  static const WordSet words{
      "a",  "an", "at",  "be", "but", "can",  "do",   "he",  "i",    "in",   "it", "may", "me",
      "my", "no", "not", "on", "so",  "than", "that", "the", "them", "then", "to", "up",
  };
  return words;
}

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::size_t nonAsciiBytes(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
}

// The small letter of the Vietnamese capitals (Latin-1, Ă Đ Ĩ Ũ Ơ Ư and the
// toned vowels of U+1EA0–U+1EF9); anything else unchanged.
char32_t lowerVietnamese(char32_t c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A' + 'a';
  }
  if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) {
    return c + 0x20;
  }
  if (c == 0x0102 || c == 0x0110 || c == 0x0128 || c == 0x0168 || c == 0x01A0 || c == 0x01AF) {
    return c + 1;
  }
  if (c >= 0x1EA0 && c <= 0x1EF9 && c % 2 == 0) {
    return c + 1;
  }
  return c;
}

// `word` in lower case with its diacritics; nothing (empty) when it has
// combining marks (decomposed text), which the NFC stop list cannot match.
std::string lowerWithDiacritics(std::string_view word) {
  std::string lower;
  for (std::size_t pos = 0; pos < word.size();) {
    const Utf8Char decoded = decodeUtf8At(word, pos);
    if (decoded.length == 0 || (decoded.codePoint >= 0x0300 && decoded.codePoint <= 0x036F)) {
      return {};
    }
    appendUtf8(lower, lowerVietnamese(decoded.codePoint));
    pos += decoded.length;
  }
  return lower;
}

bool isStopWord(const Token& token, std::string_view word, bool withDiacritics, bool english) {
  const bool ascii = isAscii(word);
  if (ascii && englishStopWords().contains(token.folded)) {
    return true;
  }
  if (ascii && english && englishAmbiguousStopWords().contains(token.folded)) {
    return true;
  }
  if (withDiacritics) {
    const std::string lower = lowerWithDiacritics(word);
    if (!lower.empty()) {
      return vietnameseStopWords().contains(lower);
    }
  }
  return foldedStopWords().contains(token.folded);
}

// Ranking weights (they add up to 1).
constexpr double kBm25Weight = 0.40;
constexpr double kCoverageWeight = 0.25;
constexpr double kProximityWeight = 0.15;
constexpr double kPhraseWeight = 0.20;

struct Match {
  std::uint32_t word;  // the word's number in the text
  std::uint32_t term;  // index into the distinct terms
};

// What a candidate's text says about the terms.
struct Candidate {
  std::size_t index = 0;
  std::vector<Match> matches;  // in text order
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
  std::size_t termsPresent = 0;
  double score = 0;
};

// The length of the word character at `pos` (tokenize()'s rule); 0 for a
// separator, an invalid byte or the end.
std::size_t wordCharacterLength(std::string_view text, std::size_t pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) {
    return (byte >= '0' && byte <= '9') || ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z') ? 1 : 0;
  }
  const Utf8Char decoded = decodeUtf8At(text, pos);
  return decoded.length > 0 && isWordCharacter(decoded.codePoint) ? decoded.length : 0;
}

// Calls onWord(begin, end) for every word of `text`, the words tokenize()
// finds, without folding them (most words of a paragraph are no term).
template <typename OnWord>
void forEachWord(std::string_view text, OnWord&& onWord) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t length = wordCharacterLength(text, pos);
    if (length == 0) {
      pos += std::max<std::size_t>(decodeUtf8At(text, pos).length, 1);
      continue;
    }
    std::size_t end = pos + length;
    while (end < text.size() && (length = wordCharacterLength(text, end)) > 0) {
      end += length;
    }
    onWord(pos, end);
    pos = end;
  }
}

// The length in words of the smallest window of `matches` (in text order)
// holding all `present` distinct terms; `counts` is scratch space, one per term, all zero.
std::size_t smallestWindow(const std::vector<Match>& matches, std::size_t present, std::vector<std::uint32_t>& counts) {
  std::size_t best = SIZE_MAX;
  std::size_t covered = 0;
  std::size_t first = 0;
  for (const Match& last : matches) {
    if (counts[last.term]++ == 0) {
      ++covered;
    }
    while (covered == present) {
      best = std::min<std::size_t>(best, last.word - matches[first].word + 1);
      if (--counts[matches[first].term] == 0) {
        --covered;
      }
      ++first;
    }
  }
  for (std::size_t i = first; i < matches.size(); ++i) {
    counts[matches[i].term] = 0;  // leave the scratch space as found
  }
  return best;
}

}  // namespace

std::vector<std::string> questionTerms(std::string_view question) {
  const std::vector<Token> tokens = tokenize(question);
  bool withDiacritics = false;
  bool english = false;
  for (const Token& token : tokens) {
    const std::string_view word = question.substr(token.begin, token.end - token.begin);
    withDiacritics = withDiacritics || nonAsciiBytes(token.folded) < nonAsciiBytes(word);
    english = english || (isAscii(word) && englishStopWords().contains(token.folded));
  }
  std::vector<std::string> terms;
  for (const Token& token : tokens) {
    const std::string_view word = question.substr(token.begin, token.end - token.begin);
    if (isStopWord(token, word, withDiacritics, english) ||
        std::find(terms.begin(), terms.end(), token.folded) != terms.end()) {
      continue;
    }
    terms.push_back(token.folded);
    if (terms.size() == kMaxQuestionTerms) {
      break;
    }
  }
  return terms;
}

std::string candidateMatch(const std::vector<std::string>& terms) {
  std::string expression;
  for (const std::string& term : terms) {
    if (!expression.empty()) {
      expression += " OR ";
    }
    expression += '"';
    for (const char c : term) {
      expression += c;
      if (c == '"') {
        expression += '"';
      }
    }
    expression += '"';
  }
  return expression;
}

std::vector<RankedPassage> rankPassages(const std::vector<std::string>& terms,
                                        const std::vector<std::string_view>& texts, const std::vector<double>& bm25,
                                        std::size_t limit) {
  if (!bm25.empty() && bm25.size() != texts.size()) {
    throw std::invalid_argument("rankPassages: one bm25 per text, or none");
  }
  // The distinct folded terms, and the question's order over them.
  std::vector<std::string> distinct;
  std::vector<std::uint32_t> order;
  for (const std::string& term : terms) {
    std::string folded = foldVietnamese(term);
    if (folded.empty()) {
      continue;
    }
    const auto found = std::find(distinct.begin(), distinct.end(), folded);
    order.push_back(static_cast<std::uint32_t>(found - distinct.begin()));
    if (found == distinct.end()) {
      distinct.push_back(std::move(folded));
    }
  }
  if (distinct.empty() || texts.empty() || limit == 0) {
    return {};
  }
  // Folding is the costly part: only words that can be a term get folded.
  // Folding never makes a word longer, and a word's ASCII first character
  // folds to itself in lower case (a word starting with Đ, Ấ … may fold to
  // anything).
  std::size_t shortestTerm = SIZE_MAX;
  std::array<bool, 128> asciiFirst{};
  for (const std::string& term : distinct) {
    shortestTerm = std::min(shortestTerm, term.size());
    const auto first = static_cast<unsigned char>(term.front());
    if (first < 0x80) {
      asciiFirst[first] = true;
    }
  }

  // Every candidate's matching words.
  std::vector<Candidate> candidates;
  std::vector<bool> termFound(distinct.size(), false);
  std::vector<std::uint32_t> counts(distinct.size(), 0);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string_view text = texts[i];
    Candidate candidate;
    candidate.index = i;
    std::uint32_t word = 0;
    forEachWord(text, [&](std::size_t begin, std::size_t end) {
      const std::uint32_t number = word++;
      if (end - begin < shortestTerm) {
        return;
      }
      const auto first = static_cast<unsigned char>(text[begin]);
      if (first < 0x80 && !asciiFirst[first >= 'A' && first <= 'Z' ? first | 0x20 : first]) {
        return;
      }
      const std::string folded = foldVietnamese(text.substr(begin, end - begin));
      const auto found = std::find(distinct.begin(), distinct.end(), folded);
      if (found == distinct.end()) {
        return;
      }
      const auto term = static_cast<std::uint32_t>(found - distinct.begin());
      candidate.matches.push_back({number, term});
      candidate.highlights.emplace_back(static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end));
      if (counts[term]++ == 0) {
        ++candidate.termsPresent;
      }
    });
    for (const Match& match : candidate.matches) {
      termFound[match.term] = true;
      counts[match.term] = 0;
    }
    if (candidate.termsPresent > 0) {
      candidates.push_back(std::move(candidate));
    }
  }
  if (candidates.empty()) {
    return {};
  }

  // What the best candidate could have: the terms found anywhere, and the
  // question's consecutive pairs of them.
  const auto reachable = static_cast<std::size_t>(std::count(termFound.begin(), termFound.end(), true));
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t k = 0; k + 1 < order.size(); ++k) {
    const std::pair pair{order[k], order[k + 1]};
    if (pair.first != pair.second && termFound[pair.first] && termFound[pair.second] &&
        std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) {
      pairs.push_back(pair);
    }
  }

  double bestBm25 = 0;
  for (const double value : bm25) {
    bestBm25 = std::isfinite(value) ? std::min(bestBm25, value) : bestBm25;
  }
  std::vector<double> pairCredit(pairs.size());
  for (Candidate& candidate : candidates) {
    // (a) bm25 relative to the best (FTS5's bm25 is negative, lower is better).
    double relevance = 1;
    if (!bm25.empty() && bestBm25 < 0) {
      relevance = bm25[candidate.index] / bestBm25;
      relevance = std::isfinite(relevance) ? std::clamp(relevance, 0.0, 1.0) : 0.0;
    }
    // (b) coverage.
    const auto present = static_cast<double>(candidate.termsPresent);
    const double coverage = present / static_cast<double>(reachable);
    // (c) proximity: how tight the smallest window with every term present is,
    // scaled by how many of the question's terms it holds.
    double proximity = 0;
    if (candidate.termsPresent >= 2) {
      const std::size_t window = smallestWindow(candidate.matches, candidate.termsPresent, counts);
      proximity = (present - 1) / static_cast<double>(window - 1) * (present - 1) / static_cast<double>(reachable - 1);
    }
    // (d) phrases: the question's consecutive terms in the same order, adjacent
    // or with one word between.
    double phrase = 0;
    if (!pairs.empty()) {
      std::fill(pairCredit.begin(), pairCredit.end(), 0.0);
      const std::vector<Match>& matches = candidate.matches;
      for (std::size_t m = 0; m < matches.size(); ++m) {
        for (std::size_t next = m + 1; next < matches.size() && matches[next].word <= matches[m].word + 2; ++next) {
          const std::pair pair{matches[m].term, matches[next].term};
          const auto found = std::find(pairs.begin(), pairs.end(), pair);
          if (found != pairs.end()) {
            double& credit = pairCredit[static_cast<std::size_t>(found - pairs.begin())];
            credit = std::max(credit, matches[next].word == matches[m].word + 1 ? 1.0 : 0.5);
          }
        }
      }
      for (const double credit : pairCredit) {
        phrase += credit;
      }
      phrase /= static_cast<double>(pairs.size());
    }
    candidate.score =
        kBm25Weight * relevance + kCoverageWeight * coverage + kProximityWeight * proximity + kPhraseWeight * phrase;
  }

  const auto better = [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  };
  const std::size_t count = std::min(limit, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(count), candidates.end(),
                    better);
  std::vector<RankedPassage> ranked;
  ranked.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    ranked.push_back({candidates[i].index, candidates[i].score, std::move(candidates[i].highlights)});
  }
  return ranked;
}

}  // namespace daihoi::documents
