#pragma once
// The study assistant's ranking: a delegate's question in plain words becomes
// search terms, the terms an FTS5 expression that fetches candidate paragraphs
// by bm25, and the candidates are re-ranked by bm25, coverage of the terms,
// their proximity and their order (phrases). Words are matched the way the
// search index tokenizes them (tokenize(), foldVietnamese()). Plain C++: no
// SQL, no outside service.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daihoi::documents {

// At most this many terms come out of a question.
inline constexpr std::size_t kMaxQuestionTerms = 12;

// The question's words worth searching, folded (lower case, no diacritics,
// đ → d), in question order, duplicates removed, at most kMaxQuestionTerms.
// Function words and question words are dropped ("là", "của", "và", "các",
// "những", "có", "không", "gì", "nào", "thế", "mấy", "what", "how", …).
// Vietnamese stop words are recognised with their diacritics when the question
// has diacritics: "có", "đang", "thể" … go, "cơ", "Đảng", "thế" … stay
// ("Cơ quan nào có thẩm quyền?" → co, quan, tham, quyen). A question typed
// without diacritics drops only the folded stop words no common content word
// folds to: "la", "va", "cua", "khong", "nao" … go, "co" (có/cơ), "dang"
// (đang/Đảng), "the", "trong" (trong/trọng), "may" (mấy/máy) … stay. English
// "the", "to", "in", "an", "so", "do" … (Vietnamese syllables when folded: thể,
// tổ, an ninh, số …) go only in a question with English function words
// ("what", "how", "is", "of", …, which always go).
std::vector<std::string> questionTerms(std::string_view question);

// The FTS5 expression for the candidates: every term quoted, joined by OR
// (`"dai" OR "hoi"`); a double quote inside a term is doubled. Empty when
// there is no term.
std::string candidateMatch(const std::vector<std::string>& terms);

struct RankedPassage {
  std::size_t index = 0;  // into the candidates given to rankPassages()
  double score = 0;       // 0 … 1, higher is better
  // Byte ranges [begin, end) in the text as given, one per matching word.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> highlights;
};

// Re-ranks candidate paragraphs (their text as written, with diacritics) given
// the question's terms (as questionTerms() returns them; they are folded
// again, so "Đảng" works too) and each candidate's FTS5 bm25 (lower = better;
// `bm25` may be empty: then it plays no part). The score (0 … 1) is
//   0.40 · bm25 relative to the best candidate's (bm25 / min bm25)
// + 0.25 · coverage: the share of the terms found in any candidate that this one has
// + 0.15 · proximity: for k ≥ 2 terms present whose smallest window spans L
//          words, (k − 1)/(L − 1) · (k − 1)/(n − 1), n = terms found in any candidate
// + 0.20 · phrase: the share of the question's consecutive term pairs (those
//          found in the candidates) that this one has in that order, adjacent
//          (1) or with one word between (½, "Đại hội của Đảng"); none reversed.
// A word matches a term when its folded form equals it, words split as
// tokenize() splits them (the index's tokenizer).
// Returns the best `limit` candidates that contain a term at all, best first
// (ties: the earlier candidate). Throws std::invalid_argument when `bm25` is
// neither empty nor as long as `texts`.
std::vector<RankedPassage> rankPassages(const std::vector<std::string>& terms,
                                        const std::vector<std::string_view>& texts, const std::vector<double>& bm25,
                                        std::size_t limit);

}  // namespace daihoi::documents
