// faceid_bench — the Face ID accuracy and speed benchmark on any folder laid out
// <identity>/<image>, through the product's own pipeline (FacePipeline with
// PipelineOptions::enrollment() for gallery photos and ::still() for probes) and
// decision rule (Gallery + decide() with MatchOptions).
//
// Per K (--gallery-k): the first K images (sorted by name) of each gallery
// identity are enrolled (their mean descriptor); a deterministic share of the
// identities (--impostor-share, chosen by a hash of the name) is held out as
// impostors; identities with fewer than K + 1 images are used only as impostors.
// Probes: every remaining image of the enrolled identities and every image of the
// impostors. Prints the counts at the configured operating point and at
// thresholds 0.40–0.60 (same margin). Then leave-one-out over the whole folder
// (each image against every identity's mean of its other images), median
// per-stage times, the 1:N search time over 5,000 and 50,000 random unit
// descriptors, and a final RESULT line.
//
// Exit status: 0 after a run, 1 when the models are missing or nothing could be
// measured, 2 on bad use.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "faceid/face_model.hpp"
#include "faceid/matcher.hpp"
#include "faceid/pipeline.hpp"
#include "faceid/quality.hpp"

namespace fs = std::filesystem;
using namespace daihoi::faceid;

namespace {

struct Args {
  fs::path dataset;
  std::vector<int> ks = {1, 3};
  double impostorShare = 0.2;
  MatchOptions match;
  int minFace = QualityOptions{}.minFaceSize;
  bool minFaceSet = false;
  int limitIdentities = 0;
  bool search = true;
};

void usage(std::ostream& out) {
  out << "usage: faceid_bench --dataset DIR [--gallery-k 1,3] [--impostor-share 0.2]\n"
         "                    [--threshold 0.45] [--margin 0.07] [--min-face PX]\n"
         "                    [--limit-identities N] [--no-search]\n"
         "  DIR is laid out <identity>/<image> (JPEG or PNG; other files are skipped).\n"
         "  --min-face PX  minimum face width of the quality gate (default: the product's, "
      << QualityOptions{}.minFaceSize << " px)\n";
}

[[noreturn]] void bad(const std::string& message) {
  std::cerr << "faceid_bench: " << message << "\n";
  usage(std::cerr);
  std::exit(2);
}

double number(const std::string& flag, const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(v)) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    bad(flag + ": '" + text + "' is not a number");
  }
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) bad(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--dataset") {
      a.dataset = next();
    } else if (flag == "--gallery-k") {
      a.ks.clear();
      std::stringstream list(next());
      std::string item;
      while (std::getline(list, item, ',')) {
        const double k = number(flag, item);
        if (k < 1 || k != std::floor(k)) bad("--gallery-k: '" + item + "' is not a positive whole number");
        a.ks.push_back(static_cast<int>(k));
      }
      if (a.ks.empty()) bad("--gallery-k: empty list");
    } else if (flag == "--impostor-share") {
      a.impostorShare = number(flag, next());
      if (a.impostorShare < 0 || a.impostorShare >= 1) bad("--impostor-share must be in [0, 1)");
    } else if (flag == "--threshold") {
      a.match.threshold = static_cast<float>(number(flag, next()));
    } else if (flag == "--margin") {
      a.match.margin = static_cast<float>(number(flag, next()));
    } else if (flag == "--min-face") {
      const double v = number(flag, next());
      if (v < 1 || v != std::floor(v)) bad("--min-face must be a positive whole number");
      a.minFace = static_cast<int>(v);
      a.minFaceSet = true;
    } else if (flag == "--limit-identities") {
      const double v = number(flag, next());
      if (v < 1 || v != std::floor(v)) bad("--limit-identities must be a positive whole number");
      a.limitIdentities = static_cast<int>(v);
    } else if (flag == "--no-search") {
      a.search = false;
    } else if (flag == "-h" || flag == "--help") {
      usage(std::cout);
      std::exit(0);
    } else {
      bad("unknown argument '" + flag + "'");
    }
  }
  if (a.dataset.empty()) bad("--dataset is required");
  std::sort(a.ks.begin(), a.ks.end());
  a.ks.erase(std::unique(a.ks.begin(), a.ks.end()), a.ks.end());
  return a;
}

bool isImage(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // splitmix64's finaliser: names that differ in one character land far apart.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Identity {
  std::string name;
  std::vector<fs::path> images;
  bool heldOut = false;  // chosen by --impostor-share
};

// One image analysed with one set of options.
struct Analysis {
  bool readable = false;      // decoded
  bool face = false;          // a face was detected
  bool passed = false;        // … and every quality gate passed
  std::string firstIssue;     // when not passed
  std::optional<Descriptor> descriptor;  // with describeRejected: whenever a face was found
  StageTimes times;
};

Analysis run(FacePipeline& pipeline, const fs::path& file, const PipelineOptions& options) {
  Analysis out;
  const std::string bytes = readFile(file);
  auto r = pipeline.analyze(bytes, options);
  if (!r.ok()) {
    out.firstIssue = r.error().code;
    return out;
  }
  out.readable = true;
  out.face = r->hasFace();
  out.passed = r->passed();
  if (!r->issues.empty()) out.firstIssue = std::string(issueCode(r->issues.front()));
  out.descriptor = r->descriptor;
  out.times = r->times;
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string percent(long part, long whole) {
  if (whole <= 0) return "-";
  return fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + " %";
}

// Counts of one K at one operating point.
struct Counts {
  long genuineProbes = 0, genuineNoFace = 0, genuineQuality = 0, genuineUnreadable = 0;
  long genuineFaces = 0, rank1 = 0;  // faces found (descriptor present), best match right
  long correct = 0, wrongIdentity = 0, genuineRejected = 0;
  long impostorProbes = 0, impostorNoFace = 0, impostorQuality = 0, impostorUnreadable = 0;
  long impostorAccepted = 0, impostorRejected = 0;
};

struct Probe {
  const Analysis* analysis;
  std::optional<DelegateId> truth;  // nothing: impostor
};

Counts evaluate(const Gallery& gallery, const std::vector<Probe>& probes, const MatchOptions& match) {
  Counts c;
  for (const Probe& p : probes) {
    const Analysis& a = *p.analysis;
    if (p.truth) {
      ++c.genuineProbes;
      if (!a.readable) ++c.genuineUnreadable;
      else if (!a.face) ++c.genuineNoFace;
      else if (!a.passed) ++c.genuineQuality;
      if (a.face && a.descriptor) {
        ++c.genuineFaces;
        const Match m = gallery.search(*a.descriptor);
        if (m.found && m.id == *p.truth) ++c.rank1;
      }
      if (!a.passed || !a.descriptor) continue;
      const Decision d = identify(gallery, *a.descriptor, match);
      if (!d.recognised()) ++c.genuineRejected;
      else if (d.match.id == *p.truth) ++c.correct;
      else ++c.wrongIdentity;
    } else {
      ++c.impostorProbes;
      if (!a.readable) ++c.impostorUnreadable;
      else if (!a.face) ++c.impostorNoFace;
      else if (!a.passed) ++c.impostorQuality;
      if (!a.passed || !a.descriptor) continue;
      const Decision d = identify(gallery, *a.descriptor, match);
      if (d.recognised()) ++c.impostorAccepted;
      else ++c.impostorRejected;
    }
  }
  return c;
}

// Leave-one-out (the usual rank-1 figure for ORL and Yale): every identity is
// enrolled with the mean descriptor of its images; each image with a face is
// probed against that gallery with its own identity's mean taken over its other
// images only. Rank-1 is over probes with a face (and, reported beside it, over
// all probes); the decision counts use the probes that pass the quality gates.
struct LeaveOneOut {
  long probes = 0, noFace = 0, alone = 0, withFace = 0, rank1 = 0;
  long passed = 0, correct = 0, wrongIdentity = 0, rejected = 0;
};

LeaveOneOut leaveOneOut(const std::vector<Identity>& identities, const std::map<std::string, Analysis>& still,
                        const MatchOptions& match) {
  LeaveOneOut out;
  std::vector<std::vector<std::pair<const Analysis*, Descriptor>>> faces(identities.size());
  std::vector<Descriptor> means(identities.size());  // of every image with a face
  Gallery gallery;
  for (std::size_t idx = 0; idx < identities.size(); ++idx) {
    std::vector<Descriptor> all;
    for (const auto& img : identities[idx].images) {
      const Analysis& a = still.at(img.string());
      if (a.face && a.descriptor) {
        faces[idx].emplace_back(&a, *a.descriptor);
        all.push_back(*a.descriptor);
      }
    }
    if (all.empty()) continue;
    means[idx] = meanDescriptor(all);
    gallery.upsert(static_cast<DelegateId>(idx + 1), means[idx]);
  }
  for (std::size_t idx = 0; idx < identities.size(); ++idx) {
    const Identity& id = identities[idx];
    if (id.images.size() < 2) continue;
    const auto delegate = static_cast<DelegateId>(idx + 1);
    out.probes += static_cast<long>(id.images.size());
    out.noFace += static_cast<long>(id.images.size() - faces[idx].size());
    for (std::size_t i = 0; i < faces[idx].size(); ++i) {
      if (faces[idx].size() < 2) {
        ++out.alone;
        continue;
      }
      std::vector<Descriptor> others;
      for (std::size_t j = 0; j < faces[idx].size(); ++j)
        if (j != i) others.push_back(faces[idx][j].second);
      gallery.upsert(delegate, meanDescriptor(others));
      const Descriptor& probe = faces[idx][i].second;
      ++out.withFace;
      if (const Match m = gallery.search(probe); m.found && m.id == delegate) ++out.rank1;
      if (faces[idx][i].first->passed) {
        ++out.passed;
        const Decision d = identify(gallery, probe, match);
        if (!d.recognised()) ++out.rejected;
        else if (d.match.id == delegate) ++out.correct;
        else ++out.wrongIdentity;
      }
    }
    if (!faces[idx].empty()) gallery.upsert(delegate, means[idx]);  // back to the mean of all
  }
  return out;
}

Descriptor randomUnit(std::mt19937& rng) {
  std::normal_distribution<float> normal(0.f, 1.f);
  Descriptor d;
  float norm = 0;
  for (auto& v : d) {
    v = normal(rng);
    norm += v * v;
  }
  norm = std::sqrt(norm);
  for (auto& v : d) v /= norm;
  return d;
}

// Median microseconds of one Gallery::search over n random unit descriptors.
double searchMicros(std::size_t n, int searches) {
  std::mt19937 rng(12345);
  Gallery gallery;
  gallery.reserve(n);
  for (std::size_t i = 0; i < n; ++i) gallery.upsert(static_cast<DelegateId>(i + 1), randomUnit(rng));
  std::vector<Descriptor> probes;
  for (int i = 0; i < searches; ++i) probes.push_back(randomUnit(rng));
  std::vector<double> times;
  float sink = 0;
  for (int round = 0; round < 2; ++round) {  // the first round warms the caches
    times.clear();
    for (const auto& p : probes) {
      const auto t0 = std::chrono::steady_clock::now();
      const Match m = gallery.search(p);
      const auto t1 = std::chrono::steady_clock::now();
      sink += m.distance;
      times.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  if (sink < 0) std::cout << "";  // keeps the searches from being optimised away
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  std::error_code ec;
  if (!fs::is_directory(args.dataset, ec)) bad("--dataset: '" + args.dataset.string() + "' is not a folder");

  // ---- the dataset
  std::vector<Identity> identities;
  long skippedFiles = 0, looseFiles = 0;
  {
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(args.dataset)) {
      if (e.is_directory()) dirs.push_back(e.path());
      else ++looseFiles;
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
      Identity id;
      id.name = dir.filename().string();
      for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file() && isImage(e.path())) id.images.push_back(e.path());
        else ++skippedFiles;
      }
      std::sort(id.images.begin(), id.images.end());
      if (!id.images.empty()) identities.push_back(std::move(id));
    }
  }
  const std::size_t foundIdentities = identities.size();
  if (args.limitIdentities > 0 && identities.size() > static_cast<std::size_t>(args.limitIdentities))
    identities.resize(static_cast<std::size_t>(args.limitIdentities));
  if (identities.empty()) {
    std::cerr << "faceid_bench: no <identity>/<image> JPEG or PNG files under " << args.dataset << "\n";
    return 1;
  }
  {
    // The held-out share: the identities whose name hashes lowest (stable under renaming others).
    std::vector<std::size_t> order(identities.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) {
      return fnv1a(identities[l].name) < fnv1a(identities[r].name);
    });
    const auto held = static_cast<std::size_t>(std::lround(args.impostorShare * static_cast<double>(identities.size())));
    for (std::size_t i = 0; i < std::min(held, identities.size() > 1 ? identities.size() - 1 : 0); ++i)
      identities[order[i]].heldOut = true;
  }
  long imageCount = 0;
  for (const auto& id : identities) imageCount += static_cast<long>(id.images.size());

  // ---- the models and the pipeline
  const ModelFiles files = ModelFiles::defaults();
  if (auto problem = modelProblem(files)) {
    std::cerr << "faceid_bench: " << *problem << "\n";
    return 1;
  }
  setOpenCvThreads(1);
  FacePipeline pipeline(Landmarker::load(files.landmarks), DescriptorNet::load(files.descriptors));

  PipelineOptions enrollOptions = PipelineOptions::enrollment();
  enrollOptions.quality.minFaceSize = args.minFace;
  PipelineOptions stillOptions = PipelineOptions::still();
  stillOptions.quality.minFaceSize = args.minFace;
  stillOptions.describeRejected = true;  // rank-1 over every face found; the decisions use passed probes only

  std::cout << "Face ID benchmark: " << args.dataset.string() << "\n"
            << "  identities " << identities.size();
  if (identities.size() != foundIdentities) std::cout << " (of " << foundIdentities << ", --limit-identities)";
  std::cout << ", images " << imageCount << ", skipped non-image files " << skippedFiles;
  if (looseFiles) std::cout << ", files beside the identity folders ignored " << looseFiles;
  std::cout << "\n  held out as impostors (--impostor-share " << args.impostorShare << "):";
  for (const auto& id : identities)
    if (id.heldOut) std::cout << " " << id.name;
  std::cout << "\n  minimum face size: " << args.minFace << " px"
            << (args.minFaceSet ? " (--min-face; the product's default is " + std::to_string(QualityOptions{}.minFaceSize) + " px)"
                                : std::string(" (the product's default)"))
            << "\n"
            << "  gallery photos: PipelineOptions::enrollment() (upsample " << enrollOptions.upsample << ", mirror, jitter "
            << enrollOptions.jitter << ", one usable face); probes: PipelineOptions::still() (upsample "
            << stillOptions.upsample << ", mirror)\n"
            << "  operating point: threshold " << fixed(args.match.threshold, 2) << ", margin "
            << fixed(args.match.margin, 2) << "\n"
            << std::flush;

  // ---- analyse every image once as a probe, and the first max K of each identity as gallery photos
  const int maxK = args.ks.back();
  std::map<std::string, Analysis> still, enroll;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& id : identities) {
    for (std::size_t i = 0; i < id.images.size(); ++i) {
      const std::string key = id.images[i].string();
      still[key] = run(pipeline, id.images[i], stillOptions);
      if (!id.heldOut && static_cast<int>(i) < maxK && id.images.size() > i + 1)
        enroll[key] = run(pipeline, id.images[i], enrollOptions);
    }
  }
  const double analyseSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long facesFound = 0, passedStill = 0, unreadable = 0;
  std::map<std::string, long> issues;
  for (const auto& [key, a] : still) {
    if (!a.readable) ++unreadable;
    if (a.face) ++facesFound;
    if (a.passed) ++passedStill;
    else issues[a.firstIssue.empty() ? "?" : a.firstIssue]++;
  }
  std::cout << "\nStill analysis of every image (" << fixed(analyseSeconds, 1) << " s for all analyses): faces found "
            << facesFound << " / " << imageCount << ", passed the quality gates " << passedStill;
  if (unreadable) std::cout << ", unreadable " << unreadable;
  if (!issues.empty()) {
    std::cout << "; first issue of the others:";
    for (const auto& [code, n] : issues) std::cout << " " << code << " " << n;
  }
  std::cout << "\n";
  {
    // Which images have no face (at most 20): a figure is easier to trust when its misses can be looked at.
    std::vector<std::string> noFace;
    for (const auto& [key, a] : still)
      if (a.readable && !a.face) noFace.push_back(fs::relative(key, args.dataset, ec).string());
    if (!noFace.empty()) {
      std::cout << "  no face found in:";
      for (std::size_t i = 0; i < std::min<std::size_t>(noFace.size(), 20); ++i) std::cout << " " << noFace[i];
      if (noFace.size() > 20) std::cout << " … (" << noFace.size() - 20 << " more)";
      std::cout << "\n";
    }
  }

  // ---- per-stage times (stills; the descriptor also for enrollment photos)
  auto stageMedian = [](const std::map<std::string, Analysis>& all, std::int64_t StageTimes::*field, bool needFace) {
    std::vector<double> v;
    for (const auto& [key, a] : all)
      if (a.readable && (!needFace || a.face) && a.times.*field > 0) v.push_back(static_cast<double>(a.times.*field) / 1000.0);
    return median(v);
  };
  const double tDecode = stageMedian(still, &StageTimes::decode, false);
  const double tDetect = stageMedian(still, &StageTimes::detect, false);
  const double tLandmarks = stageMedian(still, &StageTimes::landmarks, true);
  const double tChip = stageMedian(still, &StageTimes::chip, true);
  const double tDescribe = stageMedian(still, &StageTimes::describe, true);
  const double tTotal = stageMedian(still, &StageTimes::total, false);
  const double tEnrollDescribe = stageMedian(enroll, &StageTimes::describe, true);
  const double tEnrollTotal = stageMedian(enroll, &StageTimes::total, false);
  std::cout << "Median stage times, ms (stills: upsample " << stillOptions.upsample << ", chip + mirror): decode "
            << fixed(tDecode, 2) << ", detect " << fixed(tDetect, 2) << ", landmarks " << fixed(tLandmarks, 2)
            << ", chip " << fixed(tChip, 2) << ", descriptor " << fixed(tDescribe, 2) << ", total " << fixed(tTotal, 2)
            << "\n  enrollment photos (chip + mirror + " << enrollOptions.jitter << " jitters): descriptor "
            << fixed(tEnrollDescribe, 2) << ", total " << fixed(tEnrollTotal, 2) << "\n";

  // ---- per K
  std::ostringstream result;
  result << "RESULT dataset=" << args.dataset.filename().string() << " identities=" << identities.size()
         << " images=" << imageCount << " skipped_files=" << skippedFiles << " faces=" << facesFound
         << " min_face=" << args.minFace << " threshold=" << fixed(args.match.threshold, 2)
         << " margin=" << fixed(args.match.margin, 2);
  bool anyGallery = false;
  for (const int k : args.ks) {
    Gallery gallery;
    std::vector<Probe> probes;
    std::vector<std::string> tooFew, enrollFailed;
    long enrollPhotosRejected = 0;
    std::size_t enrolled = 0, impostorIds = 0;
    for (std::size_t idx = 0; idx < identities.size(); ++idx) {
      const Identity& id = identities[idx];
      const auto delegate = static_cast<DelegateId>(idx + 1);
      bool asGallery = !id.heldOut;
      if (asGallery && id.images.size() < static_cast<std::size_t>(k) + 1) {
        tooFew.push_back(id.name);
        asGallery = false;
      }
      if (asGallery) {
        std::vector<Descriptor> photos;
        for (int i = 0; i < k; ++i) {
          const Analysis& a = enroll.at(id.images[static_cast<std::size_t>(i)].string());
          if (a.passed && a.descriptor) photos.push_back(*a.descriptor);
          else ++enrollPhotosRejected;
        }
        if (photos.empty()) {
          enrollFailed.push_back(id.name);
          asGallery = false;
        } else {
          gallery.upsert(delegate, meanDescriptor(photos));
          ++enrolled;
          for (std::size_t i = static_cast<std::size_t>(k); i < id.images.size(); ++i)
            probes.push_back(Probe{&still.at(id.images[i].string()), delegate});
        }
      }
      if (!asGallery) {
        ++impostorIds;
        for (const auto& img : id.images) probes.push_back(Probe{&still.at(img.string()), std::nullopt});
      }
    }
    std::cout << "\n== K = " << k << ": " << enrolled << " identities enrolled (mean of the first " << k
              << " images), " << impostorIds << " used as impostors";
    if (!tooFew.empty()) {
      std::cout << "\n   fewer than " << k + 1 << " images, used only as impostors:";
      for (const auto& n : tooFew) std::cout << " " << n;
    }
    if (!enrollFailed.empty()) {
      std::cout << "\n   no usable enrollment photo, used as impostors:";
      for (const auto& n : enrollFailed) std::cout << " " << n;
    }
    if (enrollPhotosRejected) std::cout << "\n   enrollment photos refused by the pipeline: " << enrollPhotosRejected;
    std::cout << "\n";
    std::string kp = "k";
    kp += std::to_string(k);
    kp += '_';
    if (gallery.empty()) {
      std::cout << "   nothing enrolled: no figures for K = " << k << "\n";
      result << " " << kp << "enrolled=0";
      continue;
    }
    anyGallery = true;

    const Counts base = evaluate(gallery, probes, args.match);
    std::cout << "   genuine probes " << base.genuineProbes << " (no face " << base.genuineNoFace << ", quality gate "
              << base.genuineQuality << (base.genuineUnreadable ? ", unreadable " + std::to_string(base.genuineUnreadable) : "")
              << "); impostor probes " << base.impostorProbes << " (no face " << base.impostorNoFace << ", quality gate "
              << base.impostorQuality
              << (base.impostorUnreadable ? ", unreadable " + std::to_string(base.impostorUnreadable) : "") << ")\n"
              << "   rank-1: " << base.rank1 << " / " << base.genuineFaces << " genuine probes with a face = "
              << percent(base.rank1, base.genuineFaces) << "\n";

    std::vector<float> thresholds = {0.40f, 0.45f, 0.50f, 0.55f, 0.60f};
    if (std::none_of(thresholds.begin(), thresholds.end(), [&](float t) { return std::abs(t - args.match.threshold) < 1e-4f; })) {
      thresholds.push_back(args.match.threshold);
      std::sort(thresholds.begin(), thresholds.end());
    }
    std::cout << "   threshold margin | correct accepts     | WRONG-identity | rejected (unknown/ambiguous) | impostor FA     | "
                 "impostor rejected\n";
    for (const float t : thresholds) {
      MatchOptions m = args.match;
      m.threshold = t;
      const Counts c = evaluate(gallery, probes, m);
      const bool configured = std::abs(t - args.match.threshold) < 1e-4f;
      char line[400];
      std::snprintf(line, sizeof line, " %s %.2f    %.2f  | %4ld (%7s)      | %4ld           | %4ld                         | %4ld (%7s) | %4ld\n",
                    configured ? "*" : " ", static_cast<double>(t), static_cast<double>(m.margin), c.correct,
                    percent(c.correct, c.genuineProbes).c_str(), c.wrongIdentity, c.genuineRejected,
                    c.impostorAccepted, percent(c.impostorAccepted, c.impostorProbes).c_str(), c.impostorRejected);
      std::cout << "  " << line;
    }
    std::cout << "   (* the configured operating point; correct-accept % of all genuine probes, impostor FA % of all "
                 "impostor probes; no-face/quality failures are counted above, not as rejections)\n";
    const long failures = base.genuineNoFace + base.genuineQuality + base.genuineUnreadable + base.impostorNoFace +
                          base.impostorQuality + base.impostorUnreadable;
    result << " " << kp << "enrolled=" << enrolled << " " << kp << "genuine=" << base.genuineProbes << " " << kp
           << "impostor=" << base.impostorProbes << " " << kp << "rank1="
           << (base.genuineFaces ? fixed(100.0 * static_cast<double>(base.rank1) / static_cast<double>(base.genuineFaces), 2) : "na")
           << " " << kp << "correct=" << base.correct << " " << kp << "wrong=" << base.wrongIdentity << " " << kp
           << "impostor_fa=" << base.impostorAccepted << " " << kp << "rejected="
           << base.genuineRejected << " " << kp << "impostor_rejected=" << base.impostorRejected << " " << kp << "noface_quality=" << failures;
  }

  // ---- leave-one-out over the whole folder
  const LeaveOneOut loo = leaveOneOut(identities, still, args.match);
  std::cout << "\n== Leave-one-out: each image with a face against a gallery of every identity's mean descriptor "
               "of its other images with a face (stills, mirror; held-out identities included)\n"
            << "   probes " << loo.probes << " (images of identities with at least one other image; without a face "
            << loo.noFace << ", no other image of theirs with a face " << loo.alone << ")\n"
            << "   rank-1: " << loo.rank1 << " / " << loo.withFace << " probes with a face = " << percent(loo.rank1, loo.withFace)
            << "; counting the probes without a face as misses: " << percent(loo.rank1, loo.probes) << "\n"
            << "   at the operating point, over the " << loo.passed << " probes that pass the quality gates: correct "
            << loo.correct << ", WRONG identity " << loo.wrongIdentity << ", rejected " << loo.rejected << "\n";
  result << " loo_probes=" << loo.probes << " loo_faces=" << loo.withFace << " loo_rank1="
         << (loo.withFace ? fixed(100.0 * static_cast<double>(loo.rank1) / static_cast<double>(loo.withFace), 2) : "na")
         << " loo_rank1_all=" << (loo.probes ? fixed(100.0 * static_cast<double>(loo.rank1) / static_cast<double>(loo.probes), 2) : "na")
         << " loo_wrong=" << loo.wrongIdentity;

  // ---- 1:N search
  double s5k = 0, s50k = 0;
  if (args.search) {
    s5k = searchMicros(5'000, 2'000);
    s50k = searchMicros(50'000, 300);
    std::cout << "\n1:N search (Gallery::search, random unit descriptors, median of 2,000 / 300 searches): 5,000 "
              << fixed(s5k / 1000.0, 3) << " ms, 50,000 " << fixed(s50k / 1000.0, 3) << " ms\n";
  }

  result << " decode_ms=" << fixed(tDecode, 2) << " detect_ms=" << fixed(tDetect, 2) << " landmarks_ms="
         << fixed(tLandmarks, 2) << " chip_ms=" << fixed(tChip, 2) << " descriptor_ms=" << fixed(tDescribe, 2)
         << " enroll_descriptor_ms=" << fixed(tEnrollDescribe, 2);
  if (args.search) result << " search5k_ms=" << fixed(s5k / 1000.0, 3) << " search50k_ms=" << fixed(s50k / 1000.0, 3);
  std::cout << "\n" << result.str() << "\n";
  if (!anyGallery) {
    std::cerr << "faceid_bench: nothing could be enrolled for any K\n";
    return 1;
  }
  return 0;
}
