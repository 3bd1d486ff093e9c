// The pipeline on real photos (../shared/faces): detection, the largest face,
// quality refusals with reasons, and recognition by the 1:N rule.
#include <doctest/doctest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "faceid/matcher.hpp"
#include "faceid_fixture.hpp"

using namespace daihoi::faceid;
using daihoi::faceid::test::pipeline;
using daihoi::faceid::test::readFile;
namespace fs = std::filesystem;

namespace {

bool has(const std::vector<QualityIssue>& issues, QualityIssue issue) {
  return std::find(issues.begin(), issues.end(), issue) != issues.end();
}

struct Photo {
  std::string person;
  std::string file;
  Descriptor descriptor;
};

// Every photo of people/ with its descriptor (mirror averaging; no upsampling: the
// faces are large, and upsampling would quadruple the sanitizer build's run time).
const std::vector<Photo>& peoplePhotos(const fs::path& faces) {
  static std::vector<Photo> photos = [&] {
    std::vector<Photo> out;
    std::vector<fs::path> files;
    for (const auto& person : fs::directory_iterator(faces / "people"))
      for (const auto& file : fs::directory_iterator(person.path())) files.push_back(file.path());
    std::sort(files.begin(), files.end());
    PipelineOptions o = PipelineOptions::still();
    o.upsample = 0;
    o.describeRejected = true;  // photos of known people that fail a gate still identify them
    for (const auto& file : files) {
      auto r = pipeline().analyze(readFile(file), o);
      REQUIRE_MESSAGE(r.ok(), file.string());
      REQUIRE_MESSAGE(r->descriptor.has_value(), "no face in " << file.string());
      out.push_back(Photo{file.parent_path().filename().string(), file.filename().string(), *r->descriptor});
    }
    return out;
  }();
  return photos;
}

// Gallery: one delegate per person (ids 1…), the mean of the chosen photos.
struct People {
  std::map<std::string, DelegateId> ids;
  std::map<DelegateId, std::string> names;
  Gallery gallery;
};
template <class Keep>
People buildGallery(const std::vector<Photo>& photos, Keep keep) {
  People p;
  std::map<std::string, std::vector<Descriptor>> byPerson;
  for (const auto& photo : photos)
    if (keep(photo)) byPerson[photo.person].push_back(photo.descriptor);
  DelegateId next = 1;
  for (const auto& [person, descriptors] : byPerson) {
    p.ids[person] = next;
    p.names[next] = person;
    p.gallery.upsert(next++, meanDescriptor(descriptors));
  }
  return p;
}

}  // namespace

TEST_CASE("no face, and bad bytes through the pipeline") {
  const cv::Mat blank(480, 640, CV_8UC3, cv::Scalar(120, 130, 140));
  auto r = pipeline().analyze(blank, PipelineOptions::liveFrame());
  REQUIRE(r.ok());
  CHECK(!r->hasFace());
  CHECK(!r->passed());
  CHECK(r->issues == std::vector{QualityIssue::NoFace});
  CHECK(!r->descriptor);
  CHECK(r->width == 640);
  CHECK(r->height == 480);

  CHECK(pipeline().analyze(std::string_view(), PipelineOptions::liveFrame()).error().code == "empty_image");
  CHECK(pipeline().analyze("hello", PipelineOptions::liveFrame()).error().code == "unsupported_image");
  CHECK(pipeline().analyze(cv::Mat(), PipelineOptions::liveFrame()).error().code == "empty_image");
  CHECK(pipeline().analyze(cv::Mat(5000, 5000, CV_8UC1, cv::Scalar(0)), PipelineOptions::liveFrame()).error().code ==
        "image_dimensions_too_large");
  // Tiny images are fine (no face).
  auto tiny = pipeline().analyze(cv::Mat(1, 1, CV_8UC3, cv::Scalar(0)), PipelineOptions::still());
  REQUIRE(tiny.ok());
  CHECK(!tiny->hasFace());
}

TEST_CASE("detection, landmarks and the measurements on the quality images") {
  DAIHOI_NEED_SHARED_FACES(faces);
  const PipelineOptions live = PipelineOptions::liveFrame();

  for (const char* name : {"obama-480p.jpg", "obama-720p.jpg", "obama-1080p.jpg", "obama_small.jpg"}) {
    CAPTURE(name);
    auto r = pipeline().analyze(readFile(faces / "quality" / name), PipelineOptions::still());
    REQUIRE(r.ok());
    REQUIRE(r->faces.size() == 1);
    CHECK(r->passed());
    CHECK(r->box.width >= 100);
    CHECK(std::fabs(r->pose.yaw) < 10);  // a frontal portrait
    CHECK(std::fabs(r->pose.pitch) < 10);
    CHECK(r->ear > 0.15f);  // eyes open
    CHECK(r->ear < 0.40f);
    // The landmarks lie in the face box, in full-frame coordinates.
    const Point nose = r->landmarks[30];
    CHECK(nose.x > r->box.x);
    CHECK(nose.x < r->box.right());
    CHECK(nose.y > r->box.y);
    CHECK(nose.y < r->box.bottom());
  }

  // Low resolution: the face is found but refused with the reason "step closer".
  auto low = pipeline().analyze(readFile(faces / "quality" / "obama-240p.jpg"), live);
  REQUIRE(low.ok());
  REQUIRE(low->hasFace());
  CHECK(low->box.width < 100);
  CHECK(!low->passed());
  CHECK(low->issues.front() == QualityIssue::TooSmall);
  CHECK(!low->descriptor);  // refused frames cost no descriptor

  // The same frame at 720p and 1080p, each scaled for detection and mapped back:
  // the box scales with the frame.
  auto hd = pipeline().analyze(readFile(faces / "quality" / "obama-1080p.jpg"), live);
  auto md = pipeline().analyze(readFile(faces / "quality" / "obama-720p.jpg"), live);
  REQUIRE(hd.ok());
  REQUIRE(md.ok());
  REQUIRE(hd->hasFace());
  REQUIRE(md->hasFace());
  CHECK(hd->box.width == doctest::Approx(md->box.width * 1.5).epsilon(0.08));
  CHECK(hd->box.x == doctest::Approx(md->box.x * 1.5).epsilon(0.08));
  CHECK(hd->box.y == doctest::Approx(md->box.y * 1.5).epsilon(0.15));

  // Partial faces: cut by the frame's edge.
  for (const char* name : {"obama_partial_face.jpg", "obama_partial_face2.jpg"}) {
    CAPTURE(name);
    auto r = pipeline().analyze(readFile(faces / "quality" / name), PipelineOptions::still());
    REQUIRE(r.ok());
    if (r->hasFace()) {
      CHECK(has(r->issues, QualityIssue::CutByEdge));
      CHECK(!r->descriptor);
    } else {
      CHECK(r->issues == std::vector{QualityIssue::NoFace});
    }
  }
}

TEST_CASE("a still cropped tightly to the face is found on a second look; live frames get none") {
  DAIHOI_NEED_SHARED_FACES(faces);
  // ORL's s37/4.png: a frontal face filling its 92×112 crop, so HOG's window has no room around it.
  const std::string tight = readFile(faces / "datasets" / "orl" / "s37" / "4.png");
  for (PipelineOptions options : {PipelineOptions::still(), PipelineOptions::enrollment()}) {
    auto r = pipeline().analyze(tight, options);
    REQUIRE(r.ok());
    REQUIRE(r->faces.size() == 1);
    // The box, mapped back to the photo, runs past its right edge.
    CHECK(r->box.right() > r->width);
    CHECK(r->box.width > 80);
    // The gates judge it: smaller than the product's 100 px (the organizer learns why) …
    CHECK(r->issues == std::vector{QualityIssue::TooSmall});
    // … and with a 40-px minimum (as the benchmark uses for ORL) it passes and gets a descriptor.
    options.quality.minFaceSize = 40;
    r = pipeline().analyze(tight, options);
    REQUIRE(r.ok());
    CHECK(r->passed());
    CHECK(r->descriptor.has_value());
  }
  // Live frames get no second look (it would cost the kiosk loop a detection per empty frame).
  auto live = pipeline().analyze(tight, PipelineOptions::liveFrame());
  REQUIRE(live.ok());
  CHECK(!live->hasFace());
  CHECK(live->issues == std::vector{QualityIssue::NoFace});
}

TEST_CASE("blur, darkness and glare are refused with their reasons") {
  DAIHOI_NEED_SHARED_FACES(faces);
  const auto frame = decodeImage(readFile(faces / "quality" / "obama-720p.jpg")).value();
  cv::Mat blurred, dark, bright;
  cv::GaussianBlur(frame, blurred, cv::Size(0, 0), 4);
  frame.convertTo(dark, -1, 0.25, 0);
  frame.convertTo(bright, -1, 1.0, 150);
  auto r = pipeline().analyze(blurred, PipelineOptions::liveFrame());
  REQUIRE(r.ok());
  if (r->hasFace()) CHECK(has(r->issues, QualityIssue::Blurry));
  r = pipeline().analyze(dark, PipelineOptions::liveFrame());
  REQUIRE(r.ok());
  if (r->hasFace()) CHECK(has(r->issues, QualityIssue::TooDark));
  r = pipeline().analyze(bright, PipelineOptions::liveFrame());
  REQUIRE(r.ok());
  if (r->hasFace()) CHECK(has(r->issues, QualityIssue::TooBright));
  r = pipeline().analyze(frame, PipelineOptions::liveFrame());
  REQUIRE(r.ok());
  CHECK(r->passed());
}

TEST_CASE("enrollment needs exactly one usable face; live frames take the largest") {
  DAIHOI_NEED_SHARED_FACES(faces);
  for (const char* name : {"obama_and_biden.jpg", "two_people.jpg"}) {
    CAPTURE(name);
    PipelineOptions enroll = PipelineOptions::enrollment();
    enroll.describe = false;
    auto r = pipeline().analyze(readFile(faces / "group" / name), enroll);
    REQUIRE(r.ok());
    CHECK(r->faces.size() >= 2);
    CHECK(has(r->issues, QualityIssue::SeveralFaces));

    auto live = pipeline().analyze(readFile(faces / "group" / name), PipelineOptions::still());
    REQUIRE(live.ok());
    REQUIRE(live->faces.size() >= 2);
    CHECK(live->box == live->faces.front());
    for (const auto& b : live->faces) CHECK(live->box.area() >= b.area());
  }
}

TEST_CASE("the largest face wins: a composed group photo") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const auto& photos = peoplePhotos(faces);
  const People people = buildGallery(photos, [](const Photo&) { return true; });
  const cv::Mat obama = decodeImage(readFile(faces / "quality" / "obama-720p.jpg")).value();  // face ≈ 174 px
  const cv::Mat biden = decodeImage(readFile(faces / "people" / "biden" / "biden2.jpg")).value();  // face ≈ 486 px

  // Side by side on one canvas, each scaled so that one face is clearly larger.
  auto compose = [&](double obamaScale, double bidenScale) {
    cv::Mat a, b;
    cv::resize(obama, a, cv::Size(), obamaScale, obamaScale, cv::INTER_AREA);
    cv::resize(biden, b, cv::Size(), bidenScale, bidenScale, cv::INTER_AREA);
    cv::Mat canvas(std::max(a.rows, b.rows), a.cols + b.cols, CV_8UC3, cv::Scalar(200, 200, 200));
    a.copyTo(canvas(cv::Rect(0, 0, a.cols, a.rows)));
    b.copyTo(canvas(cv::Rect(a.cols, 0, b.cols, b.rows)));
    return canvas;
  };
  struct Case {
    double obamaScale, bidenScale;
    const char* expected;
  };
  for (const Case& c : {Case{1.0, 0.25, "obama"}, Case{0.5, 0.5, "biden"}}) {
    CAPTURE(c.expected);
    auto r = pipeline().analyze(compose(c.obamaScale, c.bidenScale), PipelineOptions::still());
    REQUIRE(r.ok());
    REQUIRE(r->faces.size() == 2);
    CHECK(r->box == r->faces.front());
    CHECK(r->faces[0].area() > r->faces[1].area());
    REQUIRE(r->descriptor.has_value());
    const Decision d = identify(people.gallery, *r->descriptor, MatchOptions{});
    MESSAGE("composed group, largest face: " << people.names.at(d.match.id) << " at " << d.match.distance);
    CHECK(d.recognised());
    CHECK(people.names.at(d.match.id) == c.expected);
  }

  // The real group photos: the chosen face is one of the two known people in it.
  struct Group {
    const char* file;
    const char* a;
    const char* b;
    const char* largest;  // when one face is clearly larger; else either
  };
  // (two_people.jpg shows Obama and Biden too, side by side.)
  for (const Group& g : {Group{"obama_and_biden.jpg", "obama", "biden", nullptr},
                         Group{"kit_with_rose.jpg", "kit_harington", "rose_leslie", "kit_harington"},
                         Group{"two_people.jpg", "obama", "biden", nullptr}}) {
    CAPTURE(g.file);
    PipelineOptions o = PipelineOptions::still();
    o.describeRejected = true;  // the point here is whose face is chosen
    auto r = pipeline().analyze(readFile(faces / "group" / g.file), o);
    REQUIRE(r.ok());
    REQUIRE(r->descriptor.has_value());
    const Decision d = identify(people.gallery, *r->descriptor, MatchOptions{});
    MESSAGE(std::string(g.file) << ": largest face " << r->box.width << " px → " << outcomeCode(d.outcome) << " "
                   << people.names.at(d.match.id) << " at " << d.match.distance);
    CHECK(d.recognised());
    const std::string who = people.names.at(d.match.id);
    CHECK((who == g.a || who == g.b));
    if (g.largest) {
      CHECK(who == g.largest);
      CHECK(r->faces.at(0).area() > r->faces.at(1).area() * 5 / 4);
    }
  }
}

TEST_CASE("each known person is recognised from their other photos (leave-one-out)") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const auto& photos = peoplePhotos(faces);
  std::map<std::string, int> count;
  for (const auto& p : photos) ++count[p.person];
  CHECK(count.size() == 6);

  int probes = 0, recognised = 0;
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const Photo& probe = photos[i];
    if (count[probe.person] < 2) continue;  // nobody to leave the photo out from
    const People people = buildGallery(photos, [&](const Photo& p) { return &p != &photos[i]; });
    const Decision d = identify(people.gallery, probe.descriptor, MatchOptions{});
    MESSAGE(probe.person << "/" << probe.file << ": " << outcomeCode(d.outcome) << " "
                         << people.names.at(d.match.id) << " at " << d.match.distance << ", next "
                         << people.names.at(d.match.secondId) << " at " << d.match.secondDistance);
    ++probes;
    // Never somebody else.
    CHECK(!(d.recognised() && people.names.at(d.match.id) != probe.person));
    if (d.recognised() && people.names.at(d.match.id) == probe.person) ++recognised;
    // Always nearest to the right person.
    CHECK(people.names.at(d.match.id) == probe.person);
  }
  MESSAGE("leave-one-out: " << recognised << " of " << probes << " recognised at the operating point");
  CHECK(probes >= 14);
  CHECK(recognised >= probes - 1);  // at most one photo (a hard profile) may fall back to the desk
}

TEST_CASE("strangers are not recognised: each person against a gallery without them") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const auto& photos = peoplePhotos(faces);
  float closest = 10;
  for (const auto& probe : photos) {
    const People people = buildGallery(photos, [&](const Photo& p) { return p.person != probe.person; });
    const Decision d = identify(people.gallery, probe.descriptor, MatchOptions{});
    CAPTURE(probe.file);
    CHECK(!d.recognised());
    closest = std::min(closest, d.match.distance);
  }
  MESSAGE("strangers: the closest any of them came to an enrolled other person: " << closest);
}

TEST_CASE("strangers from the ORL and Yale sets are not recognised as any of the six") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const auto& photos = peoplePhotos(faces);
  const People everyone = buildGallery(photos, [](const Photo&) { return true; });
  std::vector<fs::path> strangers;
  for (int s = 1; s <= 15; ++s) {
    const std::string subject = (s < 10 ? "subject0" : "subject") + std::to_string(s);
    strangers.push_back(faces / "datasets" / "yale" / subject / (subject + ".normal.png"));
  }
  for (int s = 1; s <= 10; ++s) strangers.push_back(faces / "datasets" / "orl" / ("s" + std::to_string(s)) / "1.png");
  int described = 0;
  float closest = 10;
  for (const auto& file : strangers) {
    CAPTURE(file.string());
    // Yale faces (~125 px) are found as they are; ORL faces (~65 px) need upsampling
    // and are too small for the gate, so they are described anyway.
    PipelineOptions o = PipelineOptions::still();
    o.upsample = file.string().find("orl") != std::string::npos ? 1 : 0;
    o.describeRejected = true;
    auto r = pipeline().analyze(readFile(file), o);
    REQUIRE(r.ok());
    if (!r->descriptor) continue;
    ++described;
    const Decision d = identify(everyone.gallery, *r->descriptor, MatchOptions{});
    CHECK(!d.recognised());
    closest = std::min(closest, d.match.distance);
  }
  MESSAGE(described << " of " << strangers.size() << " ORL/Yale strangers described; the closest came to " << closest);
  CHECK(described >= 20);
}

TEST_CASE("eye aspect ratio on real photos: a wink closes one eye") {
  DAIHOI_NEED_SHARED_FACES(faces);
  int subjects = 0, lower = 0;
  for (int s = 1; s <= 15; ++s) {
    const std::string subject = (s < 10 ? "subject0" : "subject") + std::to_string(s);
    const fs::path dir = faces / "datasets" / "yale" / subject;
    PipelineOptions o = PipelineOptions::liveFrame();  // faces of ~125 px: no upsampling needed
    o.describe = false;
    auto normal = pipeline().analyze(readFile(dir / (subject + ".normal.png")), o);
    auto wink = pipeline().analyze(readFile(dir / (subject + ".wink.png")), o);
    REQUIRE(normal.ok());
    REQUIRE(wink.ok());
    if (!normal->hasFace() || !wink->hasFace()) continue;
    ++subjects;
    auto minEye = [](const FaceAnalysis& a) {
      return std::min(eyeAspectRatio(a.landmarks, Eye::ImageLeft), eyeAspectRatio(a.landmarks, Eye::ImageRight));
    };
    if (minEye(*wink) < 0.75f * normal->ear) ++lower;
  }
  MESSAGE("Yale: in " << lower << " of " << subjects << " subjects the winking eye's EAR is below 0.75× the open eyes'");
  CHECK(subjects >= 12);
  CHECK(lower >= subjects * 2 / 3);
}

TEST_CASE("low-resolution and partial stills of a known person") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const auto& photos = peoplePhotos(faces);
  const People people = buildGallery(photos, [](const Photo&) { return true; });
  for (const char* name : {"obama-480p.jpg", "obama-720p.jpg", "obama-1080p.jpg", "obama_small.jpg"}) {
    auto r = pipeline().analyze(readFile(faces / "quality" / name), PipelineOptions::liveFrame());
    REQUIRE(r.ok());
    REQUIRE(r->descriptor.has_value());
    const Decision d = identify(people.gallery, *r->descriptor, MatchOptions{});
    MESSAGE(std::string(name) << ": " << outcomeCode(d.outcome) << " " << people.names.at(d.match.id) << " at " << d.match.distance);
    CHECK(d.recognised());
    CHECK(people.names.at(d.match.id) == "obama");
  }
}

TEST_CASE("enrollment options: jitter and mirror averaging, a thumbnail of the chip") {
  DAIHOI_NEED_SHARED_FACES(faces);
  DAIHOI_NEED_DESCRIPTORS();
  const std::string bytes = readFile(faces / "people" / "obama" / "obama1.jpg");
  PipelineOptions plain;
  PipelineOptions enroll = PipelineOptions::enrollment();
  enroll.keepChip = true;
  auto a = pipeline().analyze(bytes, plain);
  auto b = pipeline().analyze(bytes, enroll);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->descriptor);
  REQUIRE(b->descriptor);
  CHECK(b->passed());
  // Averaging over the jittered chips moves the descriptor a little, not a lot.
  const float moved = distance(*a->descriptor, *b->descriptor);
  MESSAGE("plain vs enrollment (mirror + 10 jitters) descriptor of the same photo: " << moved
          << "; describe " << a->times.describe << " µs vs " << b->times.describe << " µs");
  CHECK(moved > 0.0f);
  CHECK(moved < 0.2f);
  // Jitter is seeded per photo: enrolling the same photo again gives the same descriptor.
  auto again = pipeline().analyze(bytes, enroll);
  REQUIRE(again.ok());
  REQUIRE(again->descriptor);
  CHECK(*again->descriptor == *b->descriptor);
  const auto chip = decodeImage(b->chipJpeg);
  REQUIRE(chip.ok());
  CHECK(chip->cols == 150);
  CHECK(chip->rows == 150);
}

TEST_CASE("per-stage times on a 640x480 frame") {
  DAIHOI_NEED_SHARED_FACES(faces);
  const cv::Mat hd = decodeImage(readFile(faces / "quality" / "obama-720p.jpg")).value();
  cv::Mat frame;
  cv::resize(hd(cv::Rect(160, 0, 960, 720)), frame, cv::Size(640, 480), 0, 0, cv::INTER_AREA);
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", frame, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
  const std::string bytes(jpeg.begin(), jpeg.end());
  std::vector<StageTimes> runs;
  for (int i = 0; i < 9; ++i) {
    auto r = pipeline().analyze(bytes, PipelineOptions::liveFrame());
    REQUIRE(r.ok());
    CHECK(r->passed());
    CHECK(r->descriptor.has_value() == daihoi::faceid::test::models().descriptors);
    runs.push_back(r->times);
  }
  // Median and best of the runs: the best is what the stage costs on an idle core.
  auto stat = [&](std::int64_t StageTimes::*field) {
    std::vector<std::int64_t> v;
    for (const auto& t : runs) v.push_back(t.*field);
    std::sort(v.begin(), v.end());
    return std::to_string(v[v.size() / 2]) + " (best " + std::to_string(v.front()) + ")";
  };
  MESSAGE("640x480 JPEG frame, live options, µs: decode " << stat(&StageTimes::decode) << ", detect "
          << stat(&StageTimes::detect) << ", landmarks " << stat(&StageTimes::landmarks) << ", chip "
          << stat(&StageTimes::chip) << ", quality " << stat(&StageTimes::quality) << ", describe "
          << stat(&StageTimes::describe) << ", total " << stat(&StageTimes::total));
}

TEST_CASE("two workers share one landmark model: same results as one after the other") {
  DAIHOI_NEED_SHARED_FACES(faces);
  const auto& models = daihoi::faceid::test::models();
  std::unique_ptr<DescriptorNet> net;
  if (models.descriptors) net = DescriptorNet::load(ModelFiles::defaults().descriptors);
  FacePipeline second(models.landmarker, std::move(net));
  const std::vector<fs::path> files = {faces / "quality" / "obama-720p.jpg", faces / "people" / "biden" / "biden2.jpg",
                                       faces / "people" / "rose_leslie" / "rose1.jpg", faces / "group" / "kit_with_rose.jpg"};
  std::vector<std::string> bytes;
  for (const auto& f : files) bytes.push_back(readFile(f));
  const PipelineOptions o = PipelineOptions::liveFrame();
  std::vector<FaceAnalysis> expected;
  for (const auto& b : bytes) expected.push_back(pipeline().analyze(b, o).value());

  std::vector<FaceAnalysis> a(bytes.size()), b(bytes.size());
  std::thread t1([&] {
    for (int round = 0; round < 2; ++round)
      for (std::size_t i = 0; i < bytes.size(); ++i) a[i] = pipeline().analyze(bytes[i], o).value();
  });
  std::thread t2([&] {
    for (int round = 0; round < 2; ++round)
      for (std::size_t i = 0; i < bytes.size(); ++i) b[i] = second.analyze(bytes[bytes.size() - 1 - i], o).value();
  });
  t1.join();
  t2.join();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    CAPTURE(files[i].string());
    const FaceAnalysis& other = b[bytes.size() - 1 - i];
    for (const FaceAnalysis* got : std::vector<const FaceAnalysis*>{&a[i], &other}) {
      CHECK(got->box == expected[i].box);
      CHECK(got->issues == expected[i].issues);
      for (std::size_t k = 0; k < kLandmarkCount; ++k) {
        CHECK(got->landmarks[k].x == expected[i].landmarks[k].x);
        CHECK(got->landmarks[k].y == expected[i].landmarks[k].y);
      }
      REQUIRE(got->descriptor.has_value() == expected[i].descriptor.has_value());
      if (got->descriptor) CHECK(distance(*got->descriptor, *expected[i].descriptor) < 1e-4f);
    }
  }
}
