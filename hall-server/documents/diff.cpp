#include "documents/diff.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "documents/vietnamese.hpp"

namespace daihoi::documents {
namespace {

// Beyond this many inserted plus deleted paragraphs (words), two versions are
// "rewritten": only their common start and end are matched. The bound keeps the
// worst case (two unrelated documents) at O((N + M) · limit) time, linear memory.
constexpr std::size_t kMaxParagraphEdits = 2'000;
constexpr std::size_t kMaxWordEdits = 2'000;
// A removed paragraph looks this far among the added ones for its new version.
constexpr std::size_t kPairingLookahead = 16;

// Each element replaced by a number, equal numbers for equal texts (found by
// hash, then compared), so that the diff compares integers.
struct Interned {
  std::vector<std::uint32_t> older, newer;
};

Interned intern(const std::vector<std::string_view>& older, const std::vector<std::string_view>& newer) {
  std::unordered_map<std::string_view, std::uint32_t> numbers;
  numbers.reserve(older.size() + newer.size());
  auto numbersOf = [&](const std::vector<std::string_view>& texts) {
    std::vector<std::uint32_t> result;
    result.reserve(texts.size());
    for (const std::string_view text : texts) {
      result.push_back(numbers.try_emplace(text, static_cast<std::uint32_t>(numbers.size())).first->second);
    }
    return result;
  };
  Interned interned;
  interned.older = numbersOf(older);
  interned.newer = numbersOf(newer);
  return interned;
}

struct Match {
  std::size_t older, newer;
};

// Myers' O(ND) difference algorithm in linear space: find the middle of an
// optimal edit path by searching from both ends at once, then solve both halves
// (Myers 1986, section 4b; the bisection follows Neil Fraser's diff-match-patch).
class Myers {
 public:
  Myers(const std::vector<std::uint32_t>& older, const std::vector<std::uint32_t>& newer) : a_(older), b_(newer) {}

  // A longest common subsequence when at most `maxEdits` insertions and
  // deletions separate the sequences; otherwise just their common start and end.
  std::vector<Match> commonSubsequence(std::size_t maxEdits) {
    matches_.clear();
    compare({0, a_.size(), 0, b_.size()}, maxEdits);
    return std::move(matches_);
  }

 private:
  struct Range {
    std::size_t aBegin, aEnd, bBegin, bEnd;
  };
  struct Point {
    std::size_t a, b;
  };

  void compare(Range range, std::size_t maxEdits) {
    while (range.aBegin < range.aEnd && range.bBegin < range.bEnd && a_[range.aBegin] == b_[range.bBegin]) {
      matches_.push_back({range.aBegin++, range.bBegin++});
    }
    std::size_t commonEnd = 0;
    while (range.aBegin < range.aEnd && range.bBegin < range.bEnd && a_[range.aEnd - 1] == b_[range.bEnd - 1]) {
      --range.aEnd;
      --range.bEnd;
      ++commonEnd;
    }
    if (range.aBegin < range.aEnd && range.bBegin < range.bEnd) {
      if (const std::optional<Point> middle = bisect(range, maxEdits)) {
        // Each half needs fewer edits than the whole: no limit below the top.
        constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
        compare({range.aBegin, middle->a, range.bBegin, middle->b}, kNoLimit);
        compare({middle->a, range.aEnd, middle->b, range.bEnd}, kNoLimit);
      }
    }
    for (std::size_t i = 0; i < commonEnd; ++i) {
      matches_.push_back({range.aEnd + i, range.bEnd + i});
    }
  }

  // A point on an optimal path through `range` (which starts and ends with a
  // difference), or nothing when the path needs more than `maxEdits` edits.
  std::optional<Point> bisect(const Range& range, std::size_t maxEdits) const {
    using Index = std::ptrdiff_t;
    const Index n = static_cast<Index>(range.aEnd - range.aBegin);
    const Index m = static_cast<Index>(range.bEnd - range.bBegin);
    auto aAt = [&](Index x) { return a_[range.aBegin + static_cast<std::size_t>(x)]; };
    auto bAt = [&](Index y) { return b_[range.bBegin + static_cast<std::size_t>(y)]; };

    const Index maxD = (n + m + 1) / 2;
    // Each search makes about half the edits: stop when they would exceed maxEdits.
    const Index dLimit = static_cast<Index>(std::min(maxEdits / 2 + 1, static_cast<std::size_t>(maxD)));
    const Index offset = maxD;
    const Index length = 2 * maxD + 2;
    // Furthest x reached on each diagonal k = x − y, from the start and (in
    // reversed coordinates) from the end; −1 where not reached yet.
    std::vector<Index> forward(length, -1), backward(length, -1);
    forward[offset + 1] = 0;
    backward[offset + 1] = 0;
    const Index delta = n - m;
    const bool forwardMeets = delta % 2 != 0;  // which search can close the gap first
    // Diagonals that ran off the grid are skipped from then on.
    Index forwardStart = 0, forwardEnd = 0, backwardStart = 0, backwardEnd = 0;
    for (Index d = 0; d < dLimit; ++d) {
      for (Index k = -d + forwardStart; k <= d - forwardEnd; k += 2) {
        const Index kOffset = offset + k;
        Index x = (k == -d || (k != d && forward[kOffset - 1] < forward[kOffset + 1])) ? forward[kOffset + 1]
                                                                                      : forward[kOffset - 1] + 1;
        Index y = x - k;
        while (x < n && y < m && aAt(x) == bAt(y)) {
          ++x;
          ++y;
        }
        forward[kOffset] = x;
        if (x > n) {
          forwardEnd += 2;
        } else if (y > m) {
          forwardStart += 2;
        } else if (forwardMeets) {
          const Index otherOffset = offset + delta - k;
          if (otherOffset >= 0 && otherOffset < length && backward[otherOffset] != -1 &&
              x >= n - backward[otherOffset]) {
            return Point{range.aBegin + static_cast<std::size_t>(x), range.bBegin + static_cast<std::size_t>(y)};
          }
        }
      }
      for (Index k = -d + backwardStart; k <= d - backwardEnd; k += 2) {
        const Index kOffset = offset + k;
        Index x = (k == -d || (k != d && backward[kOffset - 1] < backward[kOffset + 1])) ? backward[kOffset + 1]
                                                                                        : backward[kOffset - 1] + 1;
        Index y = x - k;
        while (x < n && y < m && aAt(n - x - 1) == bAt(m - y - 1)) {
          ++x;
          ++y;
        }
        backward[kOffset] = x;
        if (x > n) {
          backwardEnd += 2;
        } else if (y > m) {
          backwardStart += 2;
        } else if (!forwardMeets) {
          const Index otherOffset = offset + delta - k;
          if (otherOffset >= 0 && otherOffset < length && forward[otherOffset] != -1) {
            const Index forwardX = forward[otherOffset];
            const Index forwardY = offset + forwardX - otherOffset;
            if (forwardX >= n - x) {
              return Point{range.aBegin + static_cast<std::size_t>(forwardX),
                           range.bBegin + static_cast<std::size_t>(forwardY)};
            }
          }
        }
      }
    }
    return std::nullopt;
  }

  const std::vector<std::uint32_t>& a_;
  const std::vector<std::uint32_t>& b_;
  std::vector<Match> matches_;
};

std::vector<Match> commonSubsequence(const std::vector<std::string_view>& older,
                                     const std::vector<std::string_view>& newer, std::size_t maxEdits) {
  const Interned interned = intern(older, newer);
  return Myers(interned.older, interned.newer).commonSubsequence(maxEdits);
}

// ---------------------------------------------------------------------------
// Words

// The text cut into alternating runs of word characters and of the rest
// (spaces, punctuation, invalid bytes), so that the pieces concatenate back to it.
std::vector<std::string_view> wordPieces(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  bool startInWord = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const Utf8Char decoded = decodeUtf8At(text, pos);
    const bool inWord = decoded.length > 0 && isWordCharacter(decoded.codePoint);
    if (pos > start && inWord != startInWord) {
      pieces.push_back(text.substr(start, pos - start));
      start = pos;
    }
    if (pos == start) {
      startInWord = inWord;
    }
    pos += std::max<std::size_t>(decoded.length, 1);
  }
  if (start < text.size()) {
    pieces.push_back(text.substr(start));
  }
  return pieces;
}

void appendEdit(std::vector<WordEdit>& edits, WordEdit::Op op, std::string_view text) {
  if (!edits.empty() && edits.back().op == op) {
    edits.back().text += text;
  } else {
    edits.push_back({op, std::string(text)});
  }
}

// Word multisets, each word folded (so that a corrected diacritic still counts
// as the same word) and hashed, sorted for a linear-time intersection.
using WordBag = std::vector<std::size_t>;

WordBag wordBag(std::string_view text) {
  WordBag bag;
  for (const Token& token : tokenize(text)) {
    bag.push_back(std::hash<std::string>{}(token.folded));
  }
  std::sort(bag.begin(), bag.end());
  return bag;
}

// Dice's coefficient on word multisets: 2·|common| / (|a| + |b|), 0 to 1. A
// multiset rather than an LCS: cheap, and a paragraph whose sentences were
// reordered is still the same paragraph.
double similarity(const WordBag& a, const WordBag& b) {
  if (a.empty() || b.empty()) {
    return 0.0;
  }
  std::size_t common = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// ---------------------------------------------------------------------------
// Paragraphs

class DiffBuilder {
 public:
  DiffBuilder(const std::vector<Paragraph>& older, const std::vector<Paragraph>& newer)
      : older_(older), newer_(newer) {}

  void unchanged(const Match& match) {
    add({ParagraphChangeKind::Unchanged, match.older, match.newer, {}});
    ++diff_.counts.unchanged;
  }

  // The paragraphs between two unchanged ones: older [olderBegin, olderEnd) were
  // removed, newer [newerBegin, newerEnd) added. Each removed paragraph, in
  // order, is paired with the first similar one among the next added ones; a
  // pair is one changed paragraph, added ones skipped on the way stay added.
  void between(std::size_t olderBegin, std::size_t olderEnd, std::size_t newerBegin, std::size_t newerEnd) {
    std::vector<WordBag> addedBags;
    for (std::size_t n = newerBegin; n < newerEnd && olderBegin < olderEnd; ++n) {
      addedBags.push_back(wordBag(newer_[n].text));
    }
    std::size_t nextAdded = newerBegin;
    for (std::size_t o = olderBegin; o < olderEnd; ++o) {
      const std::size_t lookaheadEnd = std::min(newerEnd, nextAdded + kPairingLookahead);
      const std::optional<std::size_t> partner =
          firstSimilar(older_[o].text, addedBags, nextAdded - newerBegin, lookaheadEnd - newerBegin);
      if (!partner) {
        removed(o);
        continue;
      }
      for (; nextAdded < newerBegin + *partner; ++nextAdded) {
        added(nextAdded);
      }
      changed(o, nextAdded++);
    }
    for (; nextAdded < newerEnd; ++nextAdded) {
      added(nextAdded);
    }
  }

  DocumentDiff finish() { return std::move(diff_); }

 private:
  // The index in `bags` of the first bag in [begin, end) similar enough to `text`.
  static std::optional<std::size_t> firstSimilar(std::string_view text, const std::vector<WordBag>& bags,
                                                 std::size_t begin, std::size_t end) {
    if (begin == end) {
      return std::nullopt;
    }
    const WordBag bag = wordBag(text);
    for (std::size_t i = begin; i < end; ++i) {
      if (similarity(bag, bags[i]) >= kChangedParagraphSimilarity) {
        return i;
      }
    }
    return std::nullopt;
  }

  void add(ParagraphChange change) { diff_.changes.push_back(std::move(change)); }

  void removed(std::size_t older) {
    add({ParagraphChangeKind::Removed, older, std::nullopt, {}});
    ++diff_.counts.removed;
  }

  void added(std::size_t newer) {
    add({ParagraphChangeKind::Added, std::nullopt, newer, {}});
    ++diff_.counts.added;
  }

  void changed(std::size_t older, std::size_t newer) {
    if (older_[older].text == newer_[newer].text) {
      unchanged({older, newer});  // only past the edit limit, where matches are not searched for
      return;
    }
    add({ParagraphChangeKind::Changed, older, newer, diffWords(older_[older].text, newer_[newer].text)});
    ++diff_.counts.changed;
  }

  const std::vector<Paragraph>& older_;
  const std::vector<Paragraph>& newer_;
  DocumentDiff diff_;
};

std::vector<std::string_view> textsOf(const std::vector<Paragraph>& paragraphs) {
  std::vector<std::string_view> texts;
  texts.reserve(paragraphs.size());
  for (const Paragraph& paragraph : paragraphs) {
    texts.push_back(paragraph.text);
  }
  return texts;
}

}  // namespace

DocumentDiff diffParagraphs(const std::vector<Paragraph>& older, const std::vector<Paragraph>& newer) {
  DiffBuilder builder(older, newer);
  std::size_t olderNext = 0, newerNext = 0;
  for (const Match& match : commonSubsequence(textsOf(older), textsOf(newer), kMaxParagraphEdits)) {
    builder.between(olderNext, match.older, newerNext, match.newer);
    builder.unchanged(match);
    olderNext = match.older + 1;
    newerNext = match.newer + 1;
  }
  builder.between(olderNext, older.size(), newerNext, newer.size());
  return builder.finish();
}

std::vector<WordEdit> diffWords(std::string_view older, std::string_view newer) {
  const std::vector<std::string_view> olderPieces = wordPieces(older);
  const std::vector<std::string_view> newerPieces = wordPieces(newer);
  std::vector<WordEdit> edits;
  std::size_t olderNext = 0, newerNext = 0;
  auto editsUpTo = [&](std::size_t olderEnd, std::size_t newerEnd) {
    for (; olderNext < olderEnd; ++olderNext) {
      appendEdit(edits, WordEdit::Op::Delete, olderPieces[olderNext]);
    }
    for (; newerNext < newerEnd; ++newerNext) {
      appendEdit(edits, WordEdit::Op::Insert, newerPieces[newerNext]);
    }
  };
  for (const Match& match : commonSubsequence(olderPieces, newerPieces, kMaxWordEdits)) {
    editsUpTo(match.older, match.newer);
    appendEdit(edits, WordEdit::Op::Equal, olderPieces[match.older]);
    olderNext = match.older + 1;
    newerNext = match.newer + 1;
  }
  editsUpTo(olderPieces.size(), newerPieces.size());
  return edits;
}

}  // namespace daihoi::documents
