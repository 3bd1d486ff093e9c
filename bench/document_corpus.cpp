#include "document_corpus.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "documents/vietnamese.hpp"

#ifndef DAIHOI_BENCH_CORPUS_DIR
#define DAIHOI_BENCH_CORPUS_DIR "bench/corpus"
#endif

namespace daihoi::bench {

std::string defaultCorpusDirectory() { return DAIHOI_BENCH_CORPUS_DIR; }

// ------------------------------------------------------------ the corpus files

namespace {

// The lines of a corpus file without comments, blank lines and trailing spaces.
std::vector<std::string> corpusLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the corpus file " + path);
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (documents::firstInvalidUtf8(line)) {
      throw std::runtime_error(path + ":" + std::to_string(number) + ": not valid UTF-8");
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

Corpus loadCorpus(const std::string& directory) {
  Corpus corpus;
  corpus.sentences = corpusLines(directory + "/cau.txt");
  std::map<std::string, std::vector<std::string>*> sections{
      {"[phan]", &corpus.partTitles},       {"[chuong]", &corpus.chapterTitles},
      {"[muc]", &corpus.sectionTitles},     {"[dieu]", &corpus.articleTitles},
      {"[tai_lieu]", &corpus.documentTitles}};
  std::vector<std::string>* current = nullptr;
  const std::string titles = directory + "/tieu_de.txt";
  for (const std::string& line : corpusLines(titles)) {
    if (line.front() == '[') {
      auto found = sections.find(line);
      if (found == sections.end()) throw std::runtime_error(titles + ": unknown section " + line);
      current = found->second;
    } else if (current == nullptr) {
      throw std::runtime_error(titles + ": a title before the first [section]");
    } else {
      current->push_back(line);
    }
  }
  if (corpus.sentences.size() < 10) throw std::runtime_error(directory + "/cau.txt has fewer than 10 sentences");
  for (const auto& [name, titlesOfKind] : sections) {
    if (titlesOfKind->empty()) throw std::runtime_error(titles + ": section " + name + " is empty");
  }
  return corpus;
}

// ------------------------------------------------------------ the generator

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t Rng::below(std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
}

bool Rng::chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

std::size_t GeneratedDocument::bodyParagraphs() const {
  std::size_t count = 0;
  for (const auto& paragraph : paragraphs) count += paragraph.headingLevel == 0 ? 1 : 0;
  return count;
}

namespace {

// "nhất", "hai", …, "mười", "mười một", …, "hai mươi mốt", …: "Phần thứ …".
std::string ordinal(unsigned n) {
  static const char* const kUnits[] = {"", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};
  if (n == 1) return "nhất";
  if (n == 4) return "tư";
  if (n < 10) return kUnits[n];
  if (n == 10) return "mười";
  const unsigned tens = (n / 10) % 10, units = n % 10;
  std::string text = tens == 1 ? "mười" : std::string(kUnits[tens]) + " mươi";
  if (units == 0) return text;
  if (units == 5) return text + " lăm";
  if (units == 1 && tens > 1) return text + " mốt";
  if (units == 4 && tens > 1) return text + " tư";
  return text + " " + kUnits[units];
}

std::string roman(unsigned n) {
  static const std::pair<unsigned, const char*> kDigits[] = {{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}};
  std::string text;
  for (const auto& [value, digits] : kDigits) {
    for (; n >= value; n -= value) text += digits;
  }
  return text;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// 2–6 sentences (or `low`–`high`) as one paragraph.
std::string bodyParagraph(const Corpus& corpus, Rng& rng, unsigned low = 2, unsigned high = 6) {
  std::string text;
  const std::uint64_t sentences = rng.between(low, high);
  for (std::uint64_t i = 0; i < sentences; ++i) {
    if (!text.empty()) text += ' ';
    text += rng.pick(corpus.sentences);
  }
  return text;
}

// Chapters are numbered I… within each part (the parser knows I–XXXIX), articles
// 1… through the document (up to 999, then again from 1).
class DocumentWriter {
 public:
  DocumentWriter(const Corpus& corpus, Rng& rng) : corpus_(corpus), rng_(rng) {}

  void paragraph(const std::string& text) {
    if (!text_.empty()) text_ += "\n\n";
    text_ += text;
    ++count_;
  }

  std::string write(std::size_t minParagraphs, const std::string& title) {
    paragraph(title);
    unsigned article = 0;
    for (unsigned part = 1; count_ < minParagraphs; ++part) {
      paragraph("Phần thứ " + ordinal(part) + "\n" + rng_.pick(corpus_.partTitles));
      const auto chapters = rng_.between(2, 4);
      for (unsigned chapter = 1; chapter <= chapters && count_ < minParagraphs; ++chapter) {
        paragraph("Chương " + roman(chapter) + "\n" + rng_.pick(corpus_.chapterTitles));
        const auto sections = rng_.between(2, 4);
        for (unsigned section = 1; section <= sections && count_ < minParagraphs; ++section) {
          paragraph("Mục " + std::to_string(section) + ". " + rng_.pick(corpus_.sectionTitles));
          const auto articles = rng_.between(2, 5);
          for (unsigned a = 0; a < articles && count_ < minParagraphs; ++a) {
            article = article % 999 + 1;
            paragraph("Điều " + std::to_string(article) + ". " + rng_.pick(corpus_.articleTitles));
            const auto bodies = rng_.between(1, 4);
            for (unsigned b = 0; b < bodies; ++b) paragraph(bodyParagraph(corpus_, rng_));
          }
        }
      }
    }
    return std::move(text_) + "\n";
  }

 private:
  const Corpus& corpus_;
  Rng& rng_;
  std::string text_;
  std::size_t count_ = 0;
};

std::vector<std::string> splitWords(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) words.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return words;
}

std::string joinWords(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

// One to two small word-level edits, as a drafting committee makes them.
std::string editParagraph(const Corpus& corpus, Rng& rng, const std::string& text) {
  std::vector<std::string> words = splitWords(text);
  const auto edits = rng.between(1, 2);
  for (std::uint64_t e = 0; e < edits; ++e) {
    const std::vector<std::string> source = splitWords(rng.pick(corpus.sentences));
    switch (rng.below(4)) {
      case 0: {  // replace 1–3 words with words of another sentence
        const std::size_t n = std::min<std::size_t>({rng.between(1, 3), words.size(), source.size()});
        const std::size_t at = rng.below(words.size() - n + 1), from = rng.below(source.size() - n + 1);
        for (std::size_t i = 0; i < n; ++i) words[at + i] = source[from + i];
        break;
      }
      case 1: {  // insert 2–5 words
        const std::size_t n = std::min<std::size_t>(rng.between(2, 5), source.size());
        const std::size_t at = rng.below(words.size() + 1), from = rng.below(source.size() - n + 1);
        words.insert(words.begin() + static_cast<std::ptrdiff_t>(at), source.begin() + static_cast<std::ptrdiff_t>(from),
                     source.begin() + static_cast<std::ptrdiff_t>(from + n));
        break;
      }
      case 2: {  // delete 1–3 words
        if (words.size() < 8) break;
        const std::size_t n = rng.between(1, 3);
        const std::size_t at = rng.below(words.size() - n + 1);
        words.erase(words.begin() + static_cast<std::ptrdiff_t>(at), words.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      default:  // one more sentence at the end
        words.insert(words.end(), source.begin(), source.end());
        break;
    }
  }
  return joinWords(words);
}

}  // namespace

std::string generateDocumentText(const Corpus& corpus, Rng& rng, std::size_t minParagraphs, std::uint32_t number,
                                 std::string* title) {
  const std::string name = replaceAll(rng.pick(corpus.documentTitles), "{so}", std::to_string(number));
  if (title != nullptr) *title = name;
  return DocumentWriter(corpus, rng).write(minParagraphs, name);
}

GeneratedDocument generateDocument(const Corpus& corpus, Rng& rng, std::size_t minParagraphs, std::uint32_t number) {
  GeneratedDocument document;
  document.number = number;
  document.text = generateDocumentText(corpus, rng, minParagraphs, number, &document.title);
  document.paragraphs = documents::splitParagraphs(document.text, documents::TextFormat::PlainText);
  return document;
}

std::vector<GeneratedDocument> generateDocuments(const Corpus& corpus, std::uint64_t seed, std::size_t count,
                                                 std::size_t minParagraphs) {
  Rng rng(seed);
  std::vector<GeneratedDocument> documents;
  documents.reserve(count);
  for (std::size_t i = 1; i <= count; ++i) {
    documents.push_back(generateDocument(corpus, rng, minParagraphs, static_cast<std::uint32_t>(i)));
  }
  return documents;
}

Revision reviseDocument(const Corpus& corpus, Rng& rng, const std::vector<documents::Paragraph>& older,
                        const RevisionOptions& options) {
  Revision revision;
  const auto add = [&revision](const std::string& text) {
    if (!revision.text.empty()) revision.text += "\n\n";
    revision.text += text;
  };
  for (const documents::Paragraph& paragraph : older) {
    if (paragraph.headingLevel != 0 || paragraph.number == 1) {  // headings and the title stay
      add(paragraph.text);
      continue;
    }
    if (rng.chance(options.removeShare)) {
      ++revision.removed;
    } else if (rng.chance(options.editShare)) {
      add(editParagraph(corpus, rng, paragraph.text));
      ++revision.edited;
    } else {
      add(paragraph.text);
    }
    if (rng.chance(options.addShare)) {
      add(bodyParagraph(corpus, rng, 2, 4));
      ++revision.added;
    }
  }
  revision.text += "\n";
  return revision;
}

std::vector<Query> makeQueries(const std::vector<GeneratedDocument>& documents, Rng& rng, std::size_t count) {
  std::vector<Query> queries;
  queries.reserve(count);
  while (queries.size() < count) {
    const GeneratedDocument& document = rng.pick(documents);
    const documents::Paragraph& paragraph = rng.pick(document.paragraphs);
    if (paragraph.headingLevel != 0) continue;
    const std::vector<documents::Token> tokens = documents::tokenize(paragraph.text);
    if (tokens.empty()) continue;
    const std::size_t words = std::min<std::size_t>(rng.between(1, 3), tokens.size());
    const std::size_t start = rng.below(tokens.size() - words + 1);
    Query query;
    query.words = words;
    query.document = document.number;
    for (std::size_t i = start; i < start + words; ++i) {
      if (!query.text.empty()) query.text += ' ';
      query.text += tokens[i].folded;
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace daihoi::bench
