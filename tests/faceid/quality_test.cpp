#include <doctest/doctest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

#include "faceid/quality.hpp"

using namespace daihoi::faceid;

namespace {

QualityMeasures good() {
  QualityMeasures m;
  m.faces = 1;
  m.usableFaces = 1;
  m.box = Box{200, 100, 180, 180};
  m.frameWidth = 640;
  m.frameHeight = 480;
  m.exposure = Exposure{130, 0.0f, 0.0f};
  m.sharpness = 300;
  return m;
}

cv::Mat texture(int size) {
  std::mt19937 rng(3);
  cv::Mat m(size, size, CV_8UC1);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) m.at<uchar>(y, x) = static_cast<uchar>(64 + rng() % 128);
  return m;
}

}  // namespace

TEST_CASE("quality gates: each failure named") {
  const QualityOptions o;
  CHECK(assessQuality(good(), o, false).empty());
  CHECK(assessQuality(good(), o, true).empty());

  QualityMeasures m = good();
  m.faces = 0;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::NoFace});

  m = good();
  m.faces = 3;
  m.usableFaces = 2;
  CHECK(assessQuality(m, o, false).empty());  // live: the largest face is taken
  CHECK(assessQuality(m, o, true) == std::vector{QualityIssue::SeveralFaces});
  m.usableFaces = 1;  // the others are small faces in the background
  CHECK(assessQuality(m, o, true).empty());

  m = good();
  m.box.width = 99;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::TooSmall});
  m.box.width = 100;
  CHECK(assessQuality(m, o, false).empty());

  m = good();
  m.box.x = -40;  // 40 of 180 columns outside
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::CutByEdge});
  m = good();
  m.landmarksOutside = 3;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::CutByEdge});

  m = good();
  m.pose.yaw = -31;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::PoseTooFar});
  m.pose.yaw = 29;
  m.pose.pitch = 26;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::PoseTooFar});

  m = good();
  m.exposure.mean = 40;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::TooDark});
  m.exposure = Exposure{120, 0.4f, 0};
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::TooDark});
  m.exposure = Exposure{230, 0, 0.1f};
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::TooBright});
  m.exposure = Exposure{180, 0, 0.5f};
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::TooBright});

  m = good();
  m.sharpness = 10;
  CHECK(assessQuality(m, o, false) == std::vector{QualityIssue::Blurry});

  // Several at once, in the order a person should fix them.
  m = good();
  m.box.width = 60;
  m.sharpness = 5;
  m.pose.yaw = 45;
  CHECK(assessQuality(m, o, false) ==
        std::vector{QualityIssue::TooSmall, QualityIssue::PoseTooFar, QualityIssue::Blurry});

  // Configurable.
  QualityOptions lenient;
  lenient.minFaceSize = 50;
  lenient.maxYaw = 60;
  lenient.minSharpness = 1;
  CHECK(assessQuality(m, lenient, false).empty());

  for (auto issue : {QualityIssue::NoFace, QualityIssue::SeveralFaces, QualityIssue::TooSmall,
                     QualityIssue::CutByEdge, QualityIssue::PoseTooFar, QualityIssue::TooDark,
                     QualityIssue::TooBright, QualityIssue::Blurry}) {
    CHECK(!issueCode(issue).empty());
    CHECK(issueMessage(issue).find(" / ") != std::string_view::npos);  // Vietnamese / English
  }
  CHECK(issueCode(QualityIssue::TooSmall) == "too_small");
  CHECK(issueMessage(QualityIssue::TooSmall) == "Xin lại gần hơn / Please step closer");
}

TEST_CASE("sharpness: variance of the Laplacian falls with blur") {
  const cv::Mat sharp = texture(100);
  cv::Mat soft, softer;
  cv::GaussianBlur(sharp, soft, cv::Size(0, 0), 1.5);
  cv::GaussianBlur(sharp, softer, cv::Size(0, 0), 3);
  const float s0 = measureSharpness(sharp), s1 = measureSharpness(soft), s2 = measureSharpness(softer);
  CHECK(s0 > 1000);
  CHECK(s1 < s0 / 10);
  CHECK(s2 < s1);
  CHECK(s2 < QualityOptions{}.minSharpness);
  CHECK(measureSharpness(cv::Mat(50, 50, CV_8UC1, cv::Scalar(128))) == 0.0f);
  CHECK(measureSharpness(cv::Mat()) == 0.0f);
}

TEST_CASE("exposure: mean and clipping") {
  cv::Mat m(10, 10, CV_8UC1, cv::Scalar(100));
  m.rowRange(0, 3).setTo(0);
  m.rowRange(8, 10).setTo(255);
  const Exposure e = measureExposure(m);
  CHECK(e.mean == doctest::Approx((50 * 100 + 20 * 255) / 100.0));
  CHECK(e.dark == doctest::Approx(0.3));
  CHECK(e.bright == doctest::Approx(0.2));
  CHECK(measureExposure(cv::Mat()).mean == 0.0f);
}

TEST_CASE("face box and landmarks against the frame") {
  CHECK(insideFraction(Box{0, 0, 100, 100}, 640, 480) == 1.0f);
  CHECK(insideFraction(Box{-50, 0, 100, 100}, 640, 480) == doctest::Approx(0.5));
  CHECK(insideFraction(Box{600, 440, 80, 80}, 640, 480) == doctest::Approx(0.25));
  CHECK(insideFraction(Box{700, 0, 80, 80}, 640, 480) == 0.0f);
  CHECK(insideFraction(Box{}, 640, 480) == 0.0f);
  Landmarks l{};
  for (auto& p : l) p = {10, 10};
  CHECK(landmarksOutside(l, 640, 480) == 0);
  l[0] = {-1, 10};
  l[1] = {10, 480};
  l[2] = {640, 5};
  CHECK(landmarksOutside(l, 640, 480) == 3);
}
