#include <doctest/doctest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "kiosk/display.hpp"

using namespace daihoi::kiosk;
namespace v1 = daihoi::v1;

namespace {

std::string jpegOf(const cv::Mat& image) {
  std::vector<unsigned char> bytes;
  cv::imencode(".jpg", image, bytes);
  return {bytes.begin(), bytes.end()};
}

v1::FaceFrameReply checkedIn() {
  v1::FaceFrameReply r;
  r.set_frame_id(12);
  r.set_status(v1::FACE_STATUS_CHECKED_IN);
  r.set_prompt("Xin chào / Welcome");
  r.mutable_delegate()->set_code("HN-001");
  r.mutable_delegate()->set_full_name("Nguyễn Văn Đức");
  r.mutable_delegate()->mutable_seat()->set_label("A-12");
  r.set_delegation("Đoàn Hà Nội");
  r.set_distance(0.38f);
  r.set_frame_width(640);
  r.set_frame_height(360);
  r.mutable_box()->set_x(100);
  r.mutable_box()->set_y(50);
  r.mutable_box()->set_width(200);
  r.mutable_box()->set_height(200);
  r.set_enrolled_photo(jpegOf(cv::Mat(150, 150, CV_8UC3, cv::Scalar(255, 0, 0))));  // blue
  return r;
}

bool near(const cv::Vec3b& pixel, const cv::Scalar& colour, int tolerance = 40) {
  for (int c = 0; c < 3; ++c) {
    if (std::abs(pixel[c] - static_cast<int>(colour[c])) > tolerance) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the model folds text to ASCII and decodes the enrolled photo") {
  const auto reply = checkedIn();
  const DisplayModel model = displayModel(&reply);
  CHECK(model.status == v1::FACE_STATUS_CHECKED_IN);
  REQUIRE(model.banner.size() == 1);
  CHECK(model.banner[0] == "Xin chao / Welcome, Nguyen Van Duc - ghe/seat A-12, doan/delegation Doan Ha Noi");
  REQUIRE(model.box);
  CHECK(*model.box == cv::Rect(100, 50, 200, 200));
  REQUIRE_FALSE(model.photo.empty());
  CHECK(model.photo.cols == 150);
  CHECK(std::find(model.panel.begin(), model.panel.end(), "Nguyen Van Duc") != model.panel.end());
  CHECK(std::find(model.panel.begin(), model.panel.end(), "Ghe/Seat A-12") != model.panel.end());
  for (const auto& line : model.panel) {
    for (char c : line) CHECK(static_cast<unsigned char>(c) < 0x80);
  }

  v1::FaceFrameReply prompt;
  prompt.set_status(v1::FACE_STATUS_ADJUST);
  prompt.set_prompt("Xin lại gần hơn / Please step closer");
  const DisplayModel adjust = displayModel(&prompt);
  REQUIRE(adjust.banner.size() == 2);  // one line per language
  CHECK(adjust.banner[0] == "Xin lai gan hon");
  CHECK(adjust.banner[1] == "Please step closer");
  CHECK_FALSE(adjust.box);
  CHECK(adjust.photo.empty());

  const DisplayModel waiting = displayModel(nullptr);
  CHECK(waiting.banner.size() == 2);

  auto broken = checkedIn();
  broken.set_enrolled_photo("not a jpeg");
  CHECK(displayModel(&broken).photo.empty());
}

TEST_CASE("the box is scaled from the analysed frame to the image shown") {
  DisplayModel model;
  model.box = cv::Rect(100, 50, 200, 100);
  model.frameWidth = 640;
  model.frameHeight = 360;
  CHECK(scaledBox(model, 640, 360) == cv::Rect(100, 50, 200, 100));
  CHECK(scaledBox(model, 320, 180) == cv::Rect(50, 25, 100, 50));
  CHECK(scaledBox(model, 1280, 720) == cv::Rect(200, 100, 400, 200));
  model.box = cv::Rect(600, 300, 100, 100);  // partly outside: clipped
  CHECK(scaledBox(model, 640, 360) == cv::Rect(600, 300, 40, 60));
  model.box = cv::Rect(700, 400, 10, 10);
  CHECK_FALSE(scaledBox(model, 640, 360));
  model.box.reset();
  CHECK_FALSE(scaledBox(model, 640, 360));
}

TEST_CASE("the view: live image with the box, the enrolled photo beside it, the banner below") {
  const cv::Mat live(360, 640, CV_8UC3, cv::Scalar(0, 0, 0));
  const auto reply = checkedIn();
  const cv::Mat view = renderView(live, displayModel(&reply));
  CHECK(view.cols == 640 + kPanelWidth);
  CHECK(view.rows >= 360 + kBannerHeight);
  const cv::Scalar green = statusColor(v1::FACE_STATUS_CHECKED_IN);
  // The box's left edge at x = 100, the live image elsewhere untouched.
  CHECK(near(view.at<cv::Vec3b>(150, 100), green));
  CHECK(near(view.at<cv::Vec3b>(150, 50), cv::Scalar(0, 0, 0), 5));
  // The enrolled photo (blue) in the side panel.
  CHECK(near(view.at<cv::Vec3b>(20 + 100, 640 + kPanelWidth / 2), cv::Scalar(255, 0, 0)));
  // The banner in the status colour at the bottom left corner.
  CHECK(near(view.at<cv::Vec3b>(view.rows - 2, 2), green, 5));
  // Some text was drawn in white on the banner.
  const cv::Mat banner = view(cv::Rect(0, view.rows - kBannerHeight, view.cols, kBannerHeight));
  cv::Mat white;
  cv::inRange(banner, cv::Scalar(230, 230, 230), cv::Scalar(255, 255, 255), white);
  CHECK(cv::countNonZero(white) > 100);

  v1::FaceFrameReply unknown;
  unknown.set_status(v1::FACE_STATUS_UNKNOWN);
  unknown.set_prompt("Xin mời đến bàn lễ tân / Please see the reception desk");
  const cv::Mat refused = renderView(cv::Mat(240, 320, CV_8UC3, cv::Scalar(0, 0, 0)), displayModel(&unknown));
  CHECK(refused.cols == 320 + kPanelWidth);
  CHECK(near(refused.at<cv::Vec3b>(refused.rows - 2, 2), statusColor(v1::FACE_STATUS_UNKNOWN), 5));
  CHECK(statusColor(v1::FACE_STATUS_UNKNOWN) != statusColor(v1::FACE_STATUS_CHECKED_IN));
}

TEST_CASE("long text wraps to the width") {
  const auto lines = wrapText("Xin chao / Welcome, Nguyen Thi Anh Tuyet - ghe/seat B-12, doan/delegation Doan Thanh pho Ho Chi Minh",
                              300, 0.6);
  CHECK(lines.size() >= 3);
  for (const auto& line : lines) {
    int baseline = 0;
    CHECK(cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, 0.6, 1, &baseline).width <= 300);
  }
  CHECK(wrapText("", 300, 0.6).empty());
  CHECK(wrapText("Supercalifragilisticexpialidocious", 10, 0.6).size() == 1);  // a long word stays whole
}
