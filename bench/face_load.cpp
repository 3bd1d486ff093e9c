// face_load: the load client of the Face ID benchmark through a real hall
// server (bench/run_face_server.sh).
//
// One process, one network thread, against a running hall server (an
// `init-demo` database, its credentials file):
//
//   1. Enrollment. The organizer signs in; --photos photos from the --faces
//      folders (each laid out <identity>/<image>) are grouped 2–3 per delegate,
//      all photos of a delegate of one identity, and sent as EnrollFaces
//      requests to the demo delegates in roster order, --enroll-inflight
//      requests in flight on the one connection (2: one per face worker). Then
//      GetFaceEnrollment: enrolled delegates, look-alike pairs, the recommended
//      threshold. Delegates of the same identity are expected look-alikes.
//   2. Frames. Per K in --kiosks: K kiosk connections sign in with the demo
//      device tokens (kiosk-1, kiosk-2, …) and each sends 640×480 JPEG frames
//      of --video (decoded, scaled and cropped, JPEG-encoded once up front) one
//      at a time: the next as soon as the reply arrives (closed loop), but no
//      more than --max-fps a second (the server's per-kiosk limit). Per frame:
//      the client's round trip, the server's analysis_ms, the status.
//   3. The floor, in the same process after the frames: the same JPEG frames
//      through the product's pipeline (FacePipeline, PipelineOptions::
//      liveFrame() + keepChip, as a face worker runs it) on this one thread.
//
// Prints the figures and one `RESULT measurement=… key=value …` line per
// measurement; exit status 0 only when every request was answered without an
// error, 1 otherwise, 2 on bad use.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <unordered_map>

#include "faceid/face_model.hpp"
#include "faceid/pipeline.hpp"
#include "ws_client.hpp"

namespace daihoi::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const char* const kUsage = R"(face_load — load client of the Daihoi Face ID benchmark (bench/run_face_server.sh)

usage: face_load (--port P | --port-file FILE) --credentials FILE [options]

  --host ADDR              server address (127.0.0.1)
  --server-pid PID         read the server's CPU time and RSS from /proc
  --credentials FILE       credentials written by `hall-server init-demo`
  --organizer USER         the staff account that enrolls (organizer)
  --label TEXT             printed with the figures

 enrollment (skipped with --photos 0):
  --faces DIR              an <identity>/<image> folder (JPEG or PNG); repeat for more folders,
                           photos are taken in the order given, identities by name
  --photos N               photos to enroll (500), 2–3 per delegate, one identity per delegate
  --enroll-inflight K      EnrollFaces requests in flight (2: one per face worker)
  --min-photo-side PX      photos whose shorter side is below PX are scaled up to it (bicubic,
                           sent as PNG) before the benchmark; 0 sends every file as it is (0)
  --photo-report FILE      write every photo's outcome: code, identity, file, status, reused, message

 frames (skipped with --kiosks ""):
  --video FILE             the clip the kiosks' cameras see (decoded with OpenCV videoio)
  --video-skip N           leave out the first N frames of the clip (0)
  --video-frames N         use at most N frames of the clip after those (0: all)
  --kiosks LIST            kiosk counts, space separated ("1 2"); the devices kiosk-1 … of the credentials
  --frames N               frames per kiosk and K (0: every frame of the clip --loops times)
  --max-fps F              a kiosk sends at most F frames per second (20: the server's per-kiosk
                           limit, so that no frame is refused as rate-limited); 0: no limit
  --loops L                with --frames 0: passes over the clip per kiosk (2)
  --jpeg-quality Q         JPEG quality of the frames (85)
  --frame-timeout-ms T     wait at most T ms for one frame's reply (30000)
  --no-floor               skip the in-process floor
)";

struct Options {
  ServerTarget server;
  std::string credentialsPath;
  std::string organizer = "organizer";
  std::string label;
  std::vector<fs::path> faces;
  std::size_t photos = 500;
  std::size_t enrollInflight = 2;
  int minPhotoSide = 0;
  std::string photoReport;
  std::string video;
  std::size_t videoSkip = 0;
  std::size_t videoFrames = 0;
  std::vector<std::size_t> kiosks{1, 2};
  std::size_t frames = 0;
  std::size_t loops = 2;
  double maxFps = 20;
  int jpegQuality = 85;
  std::chrono::milliseconds frameTimeout{30'000};
  bool floor = true;
  // From the credentials file.
  std::string organizerPassword;
  std::vector<std::pair<std::string, std::string>> kioskTokens;  // name, token
  std::vector<std::string> delegateCodes;
};

void readCredentials(Options& options) {
  for (const auto& fields : readCredentialRows(options.credentialsPath)) {
    if (fields.size() >= 4 && fields[1] == "staff" && fields[2] == options.organizer) {
      options.organizerPassword = fields[3];
    }
    if (fields.size() >= 3 && fields[1] == "device" && fields[0].rfind("kiosk", 0) == 0) {
      options.kioskTokens.emplace_back(fields[0], fields[2]);
    }
    if (fields.size() >= 5 && fields[1] == "delegate") options.delegateCodes.push_back(fields[2]);
  }
  if (options.organizerPassword.empty()) {
    throw std::invalid_argument("no staff account '" + options.organizer + "' in " + options.credentialsPath);
  }
}

Options parseOptions(int argc, char** argv) {
  Options options;
  const OptionHandler handle = [&](const std::string& name, const std::string& value) {
    if (options.server.parse(name, value)) return true;
    if (name == "credentials") {
      options.credentialsPath = value;
    } else if (name == "organizer") {
      options.organizer = value;
    } else if (name == "label") {
      options.label = value;
    } else if (name == "faces") {
      options.faces.emplace_back(value);
    } else if (name == "photos") {
      options.photos = parseNumber(value, name);
    } else if (name == "enroll-inflight") {
      options.enrollInflight = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "min-photo-side") {
      options.minPhotoSide = static_cast<int>(std::min<std::uint64_t>(parseNumber(value, name), 4096));
    } else if (name == "photo-report") {
      options.photoReport = value;
    } else if (name == "video") {
      options.video = value;
    } else if (name == "video-skip") {
      options.videoSkip = parseNumber(value, name);
    } else if (name == "video-frames") {
      options.videoFrames = parseNumber(value, name);
    } else if (name == "kiosks") {
      options.kiosks.clear();
      std::istringstream words(value);
      for (std::string word; words >> word;) {
        const std::size_t k = parseNumber(word, name);
        if (k == 0) throw std::invalid_argument("--kiosks takes positive counts");
        options.kiosks.push_back(k);
      }
    } else if (name == "frames") {
      options.frames = parseNumber(value, name);
    } else if (name == "loops") {
      options.loops = std::max<std::uint64_t>(1, parseNumber(value, name));
    } else if (name == "max-fps") {
      options.maxFps = static_cast<double>(parseNumber(value, name));
    } else if (name == "jpeg-quality") {
      options.jpegQuality = static_cast<int>(std::clamp<std::uint64_t>(parseNumber(value, name), 1, 100));
    } else if (name == "frame-timeout-ms") {
      options.frameTimeout = std::chrono::milliseconds(parseNumber(value, name));
    } else if (name == "no-floor") {
      options.floor = false;
    } else {
      return false;
    }
    return true;
  };
  parseArguments(argc, argv, kUsage, {"no-floor"}, handle);
  options.server.resolvePort();
  if (options.credentialsPath.empty()) throw std::invalid_argument("--credentials is required");
  readCredentials(options);
  if (options.photos > 0 && options.faces.empty()) throw std::invalid_argument("--faces is required to enroll photos");
  if (!options.kiosks.empty() && options.video.empty()) throw std::invalid_argument("--video is required for the frames");
  const std::size_t mostKiosks = options.kiosks.empty() ? 0 : *std::max_element(options.kiosks.begin(), options.kiosks.end());
  if (mostKiosks > options.kioskTokens.size()) {
    throw std::invalid_argument(std::to_string(mostKiosks) + " kiosks need as many kiosk devices, but " +
                                options.credentialsPath + " has " + std::to_string(options.kioskTokens.size()) +
                                " (add one with `hall-server add-device --db FILE --role kiosk --name kiosk-N` and "
                                "append `kiosk-N<TAB>device<TAB>TOKEN` to the file)");
  }
  return options;
}

// ------------------------------------------------------------ the inputs

bool isImage(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Photo {
  std::string name;   // <folder>/<identity>/<file>
  std::string bytes;  // as sent
  bool scaled = false;
};

// One delegate's photos: all of one identity.
struct DelegatePhotos {
  std::string code;
  std::string identity;  // <folder>/<identity>
  std::vector<Photo> photos;
};

// Splits n photos of one identity into groups of 3 and 2 (a lone photo stays alone).
std::vector<std::size_t> groupSizes(std::size_t n) {
  std::vector<std::size_t> sizes;
  while (n > 0) {
    const std::size_t take = (n == 4 || n == 2) ? 2 : (n == 1 ? 1 : 3);
    sizes.push_back(take);
    n -= take;
  }
  return sizes;
}

// The shorter side brought up to minSide (bicubic), as PNG; the bytes unchanged otherwise.
bool scaleUp(std::string& bytes, int minSide) {
  if (minSide <= 0) return false;
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
  const cv::Mat image = cv::imdecode(encoded, cv::IMREAD_UNCHANGED);
  if (image.empty()) return false;  // the server reports it
  const int shorter = std::min(image.cols, image.rows);
  if (shorter >= minSide) return false;
  const double factor = static_cast<double>(minSide) / shorter;
  cv::Mat scaled;
  cv::resize(image, scaled, cv::Size(), factor, factor, cv::INTER_CUBIC);
  std::vector<unsigned char> png;
  if (!cv::imencode(".png", scaled, png)) throw std::runtime_error("cannot encode a scaled photo as PNG");
  bytes.assign(png.begin(), png.end());
  return true;
}

std::vector<DelegatePhotos> preparePhotos(const Options& options, std::size_t& scaledCount, std::size_t& bytesTotal) {
  std::vector<DelegatePhotos> delegates;
  std::size_t taken = 0;
  scaledCount = bytesTotal = 0;
  for (const fs::path& folder : options.faces) {
    if (taken == options.photos) break;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw std::invalid_argument("--faces " + folder.string() + " is not a folder");
    std::vector<fs::path> identities;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.is_directory()) identities.push_back(entry.path());
    }
    std::sort(identities.begin(), identities.end());
    for (const fs::path& identity : identities) {
      if (taken == options.photos) break;
      std::vector<fs::path> images;
      for (const auto& entry : fs::directory_iterator(identity)) {
        if (entry.is_regular_file() && isImage(entry.path())) images.push_back(entry.path());
      }
      std::sort(images.begin(), images.end());
      std::size_t next = 0;
      for (std::size_t size : groupSizes(images.size())) {
        if (taken == options.photos) break;
        size = std::min(size, options.photos - taken);
        DelegatePhotos group;
        group.identity = folder.filename().string() + "/" + identity.filename().string();
        for (std::size_t i = 0; i < size; ++i, ++next) {
          Photo photo;
          photo.name = group.identity + "/" + images[next].filename().string();
          photo.bytes = readFile(images[next]);
          photo.scaled = scaleUp(photo.bytes, options.minPhotoSide);
          scaledCount += photo.scaled ? 1 : 0;
          bytesTotal += photo.bytes.size();
          group.photos.push_back(std::move(photo));
        }
        taken += size;
        delegates.push_back(std::move(group));
      }
    }
  }
  if (taken < options.photos) {
    throw std::invalid_argument("the --faces folders hold only " + std::to_string(taken) + " photos, " +
                                std::to_string(options.photos) + " asked for");
  }
  if (delegates.size() > options.delegateCodes.size()) {
    throw std::invalid_argument(std::to_string(delegates.size()) + " delegates needed for " +
                                std::to_string(options.photos) + " photos, but the credentials list " +
                                std::to_string(options.delegateCodes.size()) + " (init-demo --delegates)");
  }
  for (std::size_t i = 0; i < delegates.size(); ++i) delegates[i].code = options.delegateCodes[i];
  return delegates;
}

struct VideoFrames {
  std::vector<std::string> jpegs;
  int sourceWidth = 0;
  int sourceHeight = 0;
  double fps = 0;
  std::size_t decoded = 0;
  double averageBytes = 0;
};

// The clip's frames scaled to cover 640×480 and cropped to its centre, JPEG at `quality`.
VideoFrames prepareFrames(const Options& options) {
  cv::VideoCapture capture(options.video);
  if (!capture.isOpened()) throw std::runtime_error("OpenCV cannot open the video " + options.video);
  VideoFrames out;
  out.fps = capture.get(cv::CAP_PROP_FPS);
  const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, options.jpegQuality};
  cv::Mat frame;
  std::size_t bytes = 0;
  while (capture.read(frame)) {
    if (frame.empty()) break;
    if (out.decoded++ < options.videoSkip) continue;
    out.sourceWidth = frame.cols;
    out.sourceHeight = frame.rows;
    const double scale = std::max(640.0 / frame.cols, 480.0 / frame.rows);
    cv::Mat resized;
    cv::resize(frame, resized,
               cv::Size(std::max(640, static_cast<int>(std::lround(frame.cols * scale))),
                        std::max(480, static_cast<int>(std::lround(frame.rows * scale)))),
               0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    const cv::Rect crop((resized.cols - 640) / 2, (resized.rows - 480) / 2, 640, 480);
    std::vector<unsigned char> jpeg;
    if (!cv::imencode(".jpg", resized(crop), jpeg, params)) throw std::runtime_error("cannot encode a frame as JPEG");
    bytes += jpeg.size();
    out.jpegs.emplace_back(jpeg.begin(), jpeg.end());
    if (options.videoFrames != 0 && out.jpegs.size() == options.videoFrames) break;
  }
  if (out.jpegs.empty()) throw std::runtime_error("no frame could be decoded from " + options.video);
  out.averageBytes = static_cast<double>(bytes) / static_cast<double>(out.jpegs.size());
  return out;
}

// ------------------------------------------------------------ figures

std::string fixed(double value, int digits) {
  if (!std::isfinite(value)) return "-";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string statusName(v1::FaceStatus status) {
  std::string name = v1::FaceStatus_Name(status);
  const std::string prefix = "FACE_STATUS_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name;
}

struct EnrollResult {
  bool ran = false;
  std::size_t delegates = 0;
  std::size_t photos = 0;
  std::size_t requests = 0;
  std::size_t requestErrors = 0;
  std::map<std::string, std::size_t> photoStatus;  // by EnrollPhotoReport.status
  std::size_t reused = 0;
  std::size_t delegatesWithOk = 0;
  std::vector<std::int64_t> requestLatencies;  // sorted
  std::vector<std::int64_t> perPhotoLatencies; // request latency / photos in it, sorted
  double wallSeconds = NAN;
  std::optional<double> serverCpuSeconds;
  // GetFaceEnrollment
  double getMs = NAN;
  std::size_t enrolled = 0;
  std::size_t notEnrolled = 0;
  std::size_t lookAlikes = 0;
  std::size_t lookAlikesSameIdentity = 0;
  std::size_t lookAlikesOtherIdentity = 0;
  std::size_t sameIdentityPairs = 0;  // pairs of enrolled delegates of one identity
  float recommendedThreshold = 0;
  float threshold = 0;
  float margin = 0;
  float lookAlikeLimit = 0;
  bool ok = false;
};

struct FramesResult {
  std::size_t kiosks = 0;
  std::size_t errors = 0;
  std::size_t rateLimited = 0;
  std::map<std::string, std::size_t> status;
  std::vector<std::int64_t> latencies;  // sorted, ns
  std::vector<std::int64_t> analysis;   // sorted, ns (from analysis_ms)
  std::vector<std::int64_t> overhead;   // round trip − analysis_ms, sorted, ns
  double seconds = NAN;
  std::optional<double> serverCpuSeconds;
  std::size_t events = 0;  // replies that recorded an event (a check-in, or an unresolved attempt)
  bool ok = false;
};

struct FloorResult {
  bool ran = false;
  std::string problem;
  std::size_t frames = 0;
  std::size_t faces = 0;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::vector<std::int64_t> latencies;  // sorted, ns
  double detectMedianMs = NAN;
  double describeMedianMs = NAN;
};

double medianOf(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// ------------------------------------------------------------ the benchmark

// The organizer's connection: requests by id, responses (with their receipt
// time) collected by its read loop, one write at a time.
struct Link {
  std::shared_ptr<WsStream> stream;
  std::unordered_map<std::uint64_t, std::pair<v1::Response, std::int64_t>> responses;
  std::uint64_t nextId = 1;
  bool writing = false;
  bool closed = false;
  bool closing = false;
};

class Benchmark {
 public:
  Benchmark(Options options, std::vector<DelegatePhotos> delegates, VideoFrames video)
      : options_(std::move(options)),
        delegates_(std::move(delegates)),
        video_(std::move(video)),
        connector_(ioc_, options_.server.host, options_.server.port),
        signal_(ioc_) {
    if (!options_.photoReport.empty()) {
      photoReport_ = std::make_unique<std::ofstream>(options_.photoReport);
      if (!*photoReport_) throw std::invalid_argument("cannot write " + options_.photoReport);
    }
  }

  int run() {
    fatal_ = runScript(ioc_, script());
    if (fatal_.empty() && options_.floor && !options_.kiosks.empty()) runFloor();
    return report();
  }

 private:
  // ---- the organizer's connection

  asio::awaitable<void> readLoop(Link& link) {
    v1::ServerMessage message;
    auto onFrame = [this, &link, &message](std::string_view bytes, std::int64_t at) {
      if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        errors_.note("the organizer's connection received an unparsable ServerMessage");
        return;
      }
      if (message.has_response()) {
        const std::uint64_t id = message.response().request_id();
        link.responses[id] = {std::move(*message.mutable_response()), at};
        signal_.notify();
      }
    };
    const boost::system::error_code ec = co_await readFrames(*link.stream, onFrame);
    link.closed = true;
    if (!link.closing) errors_.note("the organizer's connection was lost: " + ec.message());
    signal_.notify();
  }

  // Writes a request (after any write in progress); returns its id and the send time.
  asio::awaitable<std::pair<std::uint64_t, std::int64_t>> send(Link& link, v1::ClientMessage& request) {
    Link* writer = &link;
    const std::function<bool()> free = [writer] { return !writer->writing || writer->closed; };
    co_await signal_.waitUntil(free, Clock::now() + 60s);
    if (link.closed) throw std::runtime_error("the organizer's connection is closed");
    const std::uint64_t id = link.nextId++;
    request.set_request_id(id);
    const std::string bytes = request.SerializeAsString();
    link.writing = true;
    const std::int64_t sent = nowNs();
    boost::system::error_code ec;
    co_await link.stream->async_write(asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    link.writing = false;
    signal_.notify();
    if (ec) throw std::runtime_error("a request could not be written: " + ec.message());
    co_return std::pair{id, sent};
  }

  asio::awaitable<std::pair<v1::Response, std::int64_t>> awaitResponse(Link& link, std::uint64_t id,
                                                                       std::chrono::seconds timeout) {
    Link* waited = &link;
    const std::function<bool()> replied = [waited, id] { return waited->closed || waited->responses.count(id) != 0; };
    const bool arrived = co_await signal_.waitUntil(replied, Clock::now() + timeout);
    auto found = link.responses.find(id);
    if (!arrived || found == link.responses.end()) {
      throw std::runtime_error(link.closed ? "the organizer's connection closed while waiting for a reply"
                                            : "no reply within " + std::to_string(timeout.count()) + " s");
    }
    auto response = std::move(found->second);
    link.responses.erase(found);
    co_return response;
  }

  asio::awaitable<std::pair<v1::Response, std::int64_t>> request(Link& link, v1::ClientMessage message,
                                                                 std::chrono::seconds timeout, std::int64_t* sentAt) {
    const auto [id, sent] = co_await send(link, message);
    if (sentAt != nullptr) *sentAt = sent;
    auto response = co_await awaitResponse(link, id, timeout);
    co_return response;
  }

  // A connection that said Hello and signed in (staff password or device token).
  asio::awaitable<std::shared_ptr<WsStream>> openSignedIn(const v1::ClientMessage& signIn, const std::string& who) {
    auto stream = co_await connector_.open();
    beast::flat_buffer buffer;
    v1::ClientMessage hello = helloRequest("face_load");
    hello.set_request_id(1);
    const auto helloReply = co_await call(*stream, buffer, hello);
    if (!helloReply.has_hello()) throw std::runtime_error("Hello refused: " + describe(helloReply));
    v1::ClientMessage message = signIn;
    message.set_request_id(2);
    const auto reply = co_await call(*stream, buffer, message);
    if (!reply.has_sign_in()) throw std::runtime_error(who + "'s sign-in was refused: " + describe(reply));
    co_return stream;
  }

  // ---- enrollment

  asio::awaitable<void> enrollOne(std::size_t index) {
    const DelegatePhotos& delegate = delegates_[index];
    v1::ClientMessage message;
    auto& enroll = *message.mutable_enroll_faces();
    enroll.set_delegate_code(delegate.code);
    for (const Photo& photo : delegate.photos) {
      auto& out = *enroll.add_photos();
      out.set_name(photo.name);
      out.set_image(photo.bytes);
    }
    std::int64_t sent = 0;
    const auto [response, at] = co_await request(*organizer_, message, 600s, &sent);
    EnrollResult& r = enroll_;
    ++r.requests;
    firstEnrollSend_ = firstEnrollSend_ < 0 ? sent : std::min(firstEnrollSend_, sent);
    lastEnrollReply_ = std::max(lastEnrollReply_, at);
    r.requestLatencies.push_back(at - sent);
    r.perPhotoLatencies.push_back((at - sent) / static_cast<std::int64_t>(std::max<std::size_t>(1, delegate.photos.size())));
    if (!response.has_face_enrollment()) {
      ++r.requestErrors;
      errors_.note("EnrollFaces for " + delegate.code + " failed: " + describe(response));
      co_return;
    }
    const auto& reply = response.face_enrollment();
    bool any = false;
    for (const auto& report : reply.photos()) {
      if (photoReport_) {
        *photoReport_ << delegate.code << '\t' << delegate.identity << '\t' << report.name() << '\t' << report.status()
                      << '\t' << (report.reused() ? "reused" : "-") << '\t' << report.message() << '\n';
      }
      ++r.photoStatus[report.status()];
      r.reused += report.reused() ? 1 : 0;
      any = any || report.status() == "ok";
    }
    if (static_cast<std::size_t>(reply.photos_size()) != delegate.photos.size()) {
      errors_.note("an EnrollFaces reply reports " + std::to_string(reply.photos_size()) + " photos for " +
                   std::to_string(delegate.photos.size()) + " sent");
      ++r.requestErrors;
    }
    if (any) {
      ++r.delegatesWithOk;
      enrolledCodes_.insert(delegate.code);
    }
  }

  asio::awaitable<void> runEnrollment() {
    EnrollResult& r = enroll_;
    r.ran = true;
    r.delegates = delegates_.size();
    for (const auto& d : delegates_) r.photos += d.photos.size();
    std::cout << "== enrollment: " << r.photos << " photos for " << r.delegates << " delegates, "
              << options_.enrollInflight << " EnrollFaces requests in flight" << std::endl;
    const auto cpuBefore = readProcessCpu(options_.server.pid);
    std::vector<std::size_t> items(delegates_.size());
    for (std::size_t i = 0; i < items.size(); ++i) items[i] = i;
    const std::function<asio::awaitable<void>(std::size_t)> work = [this](std::size_t i) { return enrollOne(i); };
    const std::function<void(const std::exception&)> failed = [this](const std::exception& e) {
      ++enroll_.requestErrors;
      errors_.note(std::string("an EnrollFaces request failed: ") + e.what());
    };
    const InflightOutcome outcome =
        co_await runInflight(ioc_, signal_, std::move(items), options_.enrollInflight, work, failed, Clock::now() + 1800s);
    const auto cpuAfter = readProcessCpu(options_.server.pid);
    if (!outcome.finished) throw std::runtime_error("the enrollment did not finish within 30 minutes");
    if (cpuBefore && cpuAfter) r.serverCpuSeconds = (*cpuAfter - *cpuBefore).schedSeconds;
    if (lastEnrollReply_ > firstEnrollSend_ && firstEnrollSend_ >= 0) {
      r.wallSeconds = static_cast<double>(lastEnrollReply_ - firstEnrollSend_) / 1e9;
    }
    std::sort(r.requestLatencies.begin(), r.requestLatencies.end());
    std::sort(r.perPhotoLatencies.begin(), r.perPhotoLatencies.end());

    // GetFaceEnrollment: the whole roster's analysis.
    v1::ClientMessage get;
    get.mutable_get_face_enrollment();
    std::int64_t sent = 0;
    const auto [response, at] = co_await request(*organizer_, get, 120s, &sent);
    r.getMs = nsToMs(at - sent);
    if (!response.has_face_enrollment()) throw std::runtime_error("GetFaceEnrollment refused: " + describe(response));
    const auto& reply = response.face_enrollment();
    r.enrolled = static_cast<std::size_t>(reply.enrolled_size());
    r.notEnrolled = static_cast<std::size_t>(reply.not_enrolled_size());
    r.lookAlikes = static_cast<std::size_t>(reply.look_alikes_size());
    r.recommendedThreshold = reply.recommended_threshold();
    r.threshold = reply.threshold();
    r.margin = reply.margin();
    r.lookAlikeLimit = reply.look_alike_limit();
    // Look-alikes of one identity (expected: the same person enrolled for two delegates) or not.
    std::unordered_map<std::string, std::string> identityOf;
    for (const auto& d : delegates_) identityOf[d.code] = d.identity;
    std::unordered_map<std::uint32_t, std::string> codeOf;
    for (const auto& entry : reply.enrolled()) codeOf[entry.delegate_id()] = entry.delegate_code();
    for (const auto& pair : reply.look_alikes()) {
      const auto a = identityOf.find(codeOf[pair.delegate_id()]);
      const auto b = identityOf.find(codeOf[pair.other_id()]);
      if (a != identityOf.end() && b != identityOf.end() && a->second == b->second) {
        ++r.lookAlikesSameIdentity;
      } else {
        ++r.lookAlikesOtherIdentity;
      }
    }
    std::map<std::string, std::size_t> perIdentity;
    for (const auto& code : enrolledCodes_) ++perIdentity[identityOf[code]];
    for (const auto& [identity, n] : perIdentity) r.sameIdentityPairs += n * (n - 1) / 2;
    if (r.enrolled != r.delegatesWithOk) {
      errors_.note("GetFaceEnrollment lists " + std::to_string(r.enrolled) + " enrolled delegates, but " +
                   std::to_string(r.delegatesWithOk) + " had a photo accepted");
    }
    std::size_t answeredPhotos = 0;
    for (const auto& [status, n] : r.photoStatus) answeredPhotos += n;
    r.ok = r.requestErrors == 0 && r.requests == r.delegates && answeredPhotos == r.photos &&
           r.enrolled == r.delegatesWithOk;
    printEnrollment();
  }

  void printEnrollment() const {
    const EnrollResult& r = enroll_;
    const auto p = percentileMs;
    std::size_t ok = 0;
    std::ostringstream refused;
    for (const auto& [status, n] : r.photoStatus) {
      if (status == "ok") {
        ok += n;
      } else {
        refused << " " << status << " " << n;
      }
    }
    std::cout << "   " << r.requests << "/" << r.delegates << " EnrollFaces answered (" << r.requestErrors
              << " errors); photos ok " << ok << " (reused " << r.reused << "), refused " << r.photos - ok;
    if (!refused.str().empty()) std::cout << " (" << refused.str().substr(1) << ")";
    std::cout << "\n   wall time " << fixed(r.wallSeconds, 2) << " s (first send -> last reply): "
              << fixed(static_cast<double>(r.photos) / r.wallSeconds, 2) << " photos/s; per photo "
              << fixed(r.wallSeconds * 1000 / static_cast<double>(std::max<std::size_t>(1, r.photos)), 1)
              << " ms of wall time, "
              << fixed(r.wallSeconds * 1000 * static_cast<double>(options_.enrollInflight) /
                           static_cast<double>(std::max<std::size_t>(1, r.photos)),
                       1)
              << " ms of a worker's time (wall x " << options_.enrollInflight << " / photos)";
    if (r.serverCpuSeconds) {
      std::cout << ", " << fixed(*r.serverCpuSeconds * 1000 / static_cast<double>(std::max<std::size_t>(1, r.photos)), 1)
                << " ms of server CPU (schedstat, all threads)";
    }
    std::cout << "\n   EnrollFaces round trip: p50 " << fixed(p(r.requestLatencies, 0.5), 1) << " ms, p99 "
              << fixed(p(r.requestLatencies, 0.99), 1) << " ms, max " << fixed(maxMs(r.requestLatencies), 1)
              << " ms; per photo p50 " << fixed(p(r.perPhotoLatencies, 0.5), 1) << " ms\n";
    std::cout << "   GetFaceEnrollment: " << fixed(r.getMs, 1) << " ms; " << r.enrolled << " delegates enrolled, "
              << r.notEnrolled << " not enrolled; " << r.lookAlikes << " look-alike pairs (limit "
              << fixed(r.lookAlikeLimit, 2) << "): " << r.lookAlikesSameIdentity << " of one identity (of "
              << r.sameIdentityPairs << " same-identity pairs enrolled), " << r.lookAlikesOtherIdentity
              << " of two identities; recommended threshold " << fixed(r.recommendedThreshold, 3) << " (configured "
              << fixed(r.threshold, 2) << ", margin " << fixed(r.margin, 2) << ")\n"
              << std::flush;
  }

  // ---- frames

  struct Kiosk {
    std::string name;
    std::shared_ptr<WsStream> stream;
    std::size_t offset = 0;  // first clip frame
    bool finished = false;
  };

  asio::awaitable<void> kioskLoop(Kiosk& kiosk, FramesResult& r, std::size_t frames) {
    beast::flat_buffer buffer;
    v1::ServerMessage message;
    asio::steady_timer watchdog(ioc_);
    bool timedOut = false;
    std::int64_t lastSend = -1;
    try {
      for (std::size_t n = 0; n < frames; ++n) {
        const std::size_t index = (kiosk.offset + n) % frameMessages_.size();
        const std::uint64_t id = index + 1;  // one frame in flight per kiosk
        for (int attempt = 0;; ++attempt) {
          if (options_.maxFps > 0 && lastSend >= 0) {
            const std::int64_t due = lastSend + static_cast<std::int64_t>(1e9 / options_.maxFps);
            if (const std::int64_t now = nowNs(); due > now) {
              asio::steady_timer pace(ioc_, std::chrono::nanoseconds(due - now));
              co_await pace.async_wait(asio::use_awaitable);
            }
          }
          const std::int64_t sent = nowNs();
          lastSend = sent;
          firstFrameSend_ = firstFrameSend_ < 0 ? sent : std::min(firstFrameSend_, sent);
          // No reply within the time-out: the socket is closed and the read below fails.
          watchdog.expires_after(options_.frameTimeout);
          watchdog.async_wait([&timedOut, stream = kiosk.stream](boost::system::error_code ec) {
            if (ec) return;  // cancelled: the reply came (the frame may be gone by now)
            timedOut = true;
            boost::system::error_code ignored;
            beast::get_lowest_layer(*stream).socket().close(ignored);
          });
          co_await kiosk.stream->async_write(asio::buffer(frameMessages_[index]), asio::use_awaitable);
          std::int64_t at = 0;
          for (;;) {
            buffer.clear();
            co_await kiosk.stream->async_read(buffer, asio::use_awaitable);
            at = nowNs();
            const auto data = buffer.data();
            if (!message.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
              throw std::runtime_error("an unparsable ServerMessage");
            }
            if (message.has_response() && message.response().request_id() == id) break;
          }
          watchdog.cancel();
          lastFrameReply_ = std::max(lastFrameReply_, at);
          const v1::Response& response = message.response();
          if (response.has_error() && response.error().code() == v1::ERROR_RATE_LIMITED && attempt < 100) {
            ++r.rateLimited;
            asio::steady_timer pause(ioc_, std::chrono::milliseconds(std::max<std::uint32_t>(response.error().retry_after_ms(), 5)));
            co_await pause.async_wait(asio::use_awaitable);
            continue;
          }
          if (!response.has_face_frame()) {
            ++r.errors;
            errors_.note("a FaceFrame was refused: " + describe(response));
            break;
          }
          const auto& reply = response.face_frame();
          ++r.status[statusName(reply.status())];
          if (reply.seq() != 0) ++r.events;
          const std::int64_t analysis = static_cast<std::int64_t>(reply.analysis_ms()) * 1'000'000;
          r.latencies.push_back(at - sent);
          r.analysis.push_back(analysis);
          r.overhead.push_back(at - sent - analysis);
          break;
        }
      }
    } catch (const std::exception& e) {
      ++r.errors;
      errors_.note(kiosk.name + " failed: " +
                   (timedOut ? "no reply to a frame within " + std::to_string(options_.frameTimeout.count()) + " ms"
                             : std::string(e.what())));
    }
    kiosk.finished = true;
    signal_.notify();
  }

  asio::awaitable<FramesResult> runFrames(std::size_t k) {
    FramesResult r;
    r.kiosks = k;
    const std::size_t perKiosk = options_.frames != 0 ? options_.frames : frameMessages_.size() * options_.loops;
    std::vector<std::unique_ptr<Kiosk>> kiosks;
    for (std::size_t i = 0; i < k; ++i) {
      auto kiosk = std::make_unique<Kiosk>();
      kiosk->name = options_.kioskTokens[i].first;
      v1::ClientMessage signIn;
      signIn.mutable_sign_in()->set_device_token(options_.kioskTokens[i].second);
      kiosk->stream = co_await openSignedIn(signIn, kiosk->name);
      kiosk->offset = i * frameMessages_.size() / k;  // the kiosks see different parts of the clip
      kiosks.push_back(std::move(kiosk));
    }
    std::cout << "== frames: " << k << " kiosk" << (k == 1 ? "" : "s") << " (" << kiosks.front()->name
              << (k > 1 ? " … " + kiosks.back()->name : std::string()) << "), " << perKiosk
              << " frames each, closed loop";
    if (options_.maxFps > 0) std::cout << " at most " << fixed(options_.maxFps, 0) << " frames/s per kiosk";
    std::cout << std::endl;
    firstFrameSend_ = lastFrameReply_ = -1;
    const auto cpuBefore = readProcessCpu(options_.server.pid);
    for (auto& kiosk : kiosks) asio::co_spawn(ioc_, kioskLoop(*kiosk, r, perKiosk), asio::detached);
    const std::function<bool()> allDone = [&kiosks] {
      return std::all_of(kiosks.begin(), kiosks.end(), [](const auto& kiosk) { return kiosk->finished; });
    };
    const bool done = co_await signal_.waitUntil(allDone, Clock::now() + 3600s);
    const auto cpuAfter = readProcessCpu(options_.server.pid);
    if (!done) throw std::runtime_error("the kiosks did not finish within an hour");
    if (cpuBefore && cpuAfter) r.serverCpuSeconds = (*cpuAfter - *cpuBefore).schedSeconds;
    for (auto& kiosk : kiosks) {
      boost::system::error_code ignored;
      co_await kiosk->stream->async_close(websocket::close_code::normal,
                                          asio::redirect_error(asio::use_awaitable, ignored));
    }
    if (lastFrameReply_ > firstFrameSend_ && firstFrameSend_ >= 0) {
      r.seconds = static_cast<double>(lastFrameReply_ - firstFrameSend_) / 1e9;
    }
    std::sort(r.latencies.begin(), r.latencies.end());
    std::sort(r.analysis.begin(), r.analysis.end());
    std::sort(r.overhead.begin(), r.overhead.end());
    r.ok = r.errors == 0 && r.latencies.size() == perKiosk * k;
    co_return r;
  }

  void printFrames(const FramesResult& r) const {
    const auto p = percentileMs;
    std::cout << "   " << r.latencies.size() << " frames answered (" << r.errors << " errors, " << r.rateLimited
              << " rate-limited and resent) in " << fixed(r.seconds, 2) << " s: "
              << fixed(static_cast<double>(r.latencies.size()) / r.seconds, 2) << " frames/s in total\n"
              << "   frame -> reply (client round trip): p50 " << fixed(p(r.latencies, 0.5), 1) << " ms, p90 "
              << fixed(p(r.latencies, 0.9), 1) << " ms, p99 " << fixed(p(r.latencies, 0.99), 1) << " ms, max "
              << fixed(maxMs(r.latencies), 1) << " ms\n"
              << "   server analysis_ms: p50 " << fixed(p(r.analysis, 0.5), 0) << " ms, p99 "
              << fixed(p(r.analysis, 0.99), 0) << " ms; round trip - analysis_ms: p50 " << fixed(p(r.overhead, 0.5), 1)
              << " ms, p99 " << fixed(p(r.overhead, 0.99), 1) << " ms\n   statuses:";
    for (const auto& [status, n] : r.status) std::cout << " " << status << " " << n;
    std::cout << "; replies that recorded an event (check-in or unresolved attempt) " << r.events;
    if (r.serverCpuSeconds) {
      std::cout << "\n   server CPU " << fixed(*r.serverCpuSeconds, 2) << " s, "
                << fixed(*r.serverCpuSeconds * 1000 / static_cast<double>(std::max<std::size_t>(1, r.latencies.size())), 1)
                << " ms per frame";
    }
    std::cout << std::endl;
  }

  // ---- the script

  asio::awaitable<void> script() {
    v1::ClientMessage signIn = staffSignInRequest(options_.organizer, options_.organizerPassword);
    organizerLink_.stream = co_await openSignedIn(signIn, options_.organizer);
    organizer_ = &organizerLink_;
    asio::co_spawn(ioc_, readLoop(organizerLink_), asio::detached);

    // Is face work on? (a model missing turns it off, and every face request fails)
    v1::ClientMessage check;
    check.mutable_get_face_enrollment();
    const auto [checked, at] = co_await request(*organizer_, check, 120s, nullptr);
    if (!checked.has_face_enrollment()) throw std::runtime_error("GetFaceEnrollment refused: " + describe(checked));
    if (!checked.face_enrollment().face_available()) {
      throw std::runtime_error("face work is off on the server: " + checked.face_enrollment().face_problem() +
                               " (the models are produced by deploy/daihoi's face_models step into models/)");
    }
    if (checked.face_enrollment().enrolled_size() != 0) {
      errors_.note("the server has " + std::to_string(checked.face_enrollment().enrolled_size()) +
                   " delegates enrolled before the benchmark: use a fresh database");
    }

    if (!delegates_.empty()) co_await runEnrollment();

    for (const std::size_t k : options_.kiosks) {
      frames_.push_back(co_await runFrames(k));
      printFrames(frames_.back());
    }
    organizerLink_.closing = true;
    boost::system::error_code ignored;
    co_await organizerLink_.stream->async_close(websocket::close_code::normal,
                                                asio::redirect_error(asio::use_awaitable, ignored));
    rssEnd_ = readRssMb(options_.server.pid);
  }

  // ---- the floor: the same JPEG frames through the product's pipeline, this thread

  void runFloor() {
    FloorResult& f = floor_;
    f.ran = true;
    const faceid::ModelFiles files = faceid::ModelFiles::defaults();
    if (auto problem = faceid::modelProblem(files)) {
      f.problem = *problem + " (the models are produced by deploy/daihoi's face_models step into models/)";
      errors_.note("the floor cannot run: " + f.problem);
      return;
    }
    ::setenv("OPENBLAS_NUM_THREADS", "1", 0);  // as the face workers (before OpenBLAS starts its pool)
    faceid::setOpenCvThreads(1);
    faceid::FacePipeline pipeline(faceid::Landmarker::load(files.landmarks),
                                  faceid::DescriptorNet::load(files.descriptors));
    faceid::PipelineOptions options = faceid::PipelineOptions::liveFrame();
    options.keepChip = true;
    (void)pipeline.analyze(video_.jpegs.front(), options);  // warm-up, not timed
    std::vector<double> detect, describe;
    for (const std::string& jpeg : video_.jpegs) {
      const std::int64_t start = nowNs();
      auto analysed = pipeline.analyze(jpeg, options);
      const std::int64_t spent = nowNs() - start;
      f.latencies.push_back(spent);
      ++f.frames;
      if (!analysed) {
        ++f.failed;
        continue;
      }
      f.faces += analysed->hasFace() ? 1 : 0;
      f.passed += analysed->passed() ? 1 : 0;
      detect.push_back(static_cast<double>(analysed->times.detect) / 1000.0);
      if (analysed->times.describe > 0) describe.push_back(static_cast<double>(analysed->times.describe) / 1000.0);
    }
    std::sort(f.latencies.begin(), f.latencies.end());
    f.detectMedianMs = medianOf(detect);
    f.describeMedianMs = medianOf(describe);
    if (f.failed != 0) errors_.note("the floor's pipeline refused " + std::to_string(f.failed) + " frames");
  }

  // ---- the report

  int report() {
    const auto p = percentileMs;
    bool ok = fatal_.empty();
    if (enroll_.ran) {
      ok = ok && enroll_.ok;
      std::size_t okPhotos = enroll_.photoStatus.count("ok") ? enroll_.photoStatus.at("ok") : 0;
      std::cout << "RESULT measurement=enroll ok=" << (enroll_.ok ? 1 : 0) << " photos=" << enroll_.photos
                << " delegates=" << enroll_.delegates << " requests=" << enroll_.requests
                << " request_errors=" << enroll_.requestErrors << " inflight=" << options_.enrollInflight
                << " scaled=" << scaledPhotos_ << " photos_ok=" << okPhotos
                << " photos_refused=" << enroll_.photos - okPhotos;
      for (const auto& [status, n] : enroll_.photoStatus) {
        if (status != "ok") std::cout << " refused_" << status << "=" << n;
      }
      const double photos = static_cast<double>(std::max<std::size_t>(1, enroll_.photos));
      std::cout << " wall_s=" << metricText(enroll_.wallSeconds)
                << " photos_per_s=" << metricText(static_cast<double>(enroll_.photos) / enroll_.wallSeconds)
                << " worker_ms_per_photo="
                << metricText(enroll_.wallSeconds * 1000 * static_cast<double>(options_.enrollInflight) / photos)
                << " server_cpu_ms_per_photo="
                << metricText(enroll_.serverCpuSeconds ? std::optional<double>(*enroll_.serverCpuSeconds * 1000 / photos)
                                                       : std::nullopt)
                << " request_p50_ms=" << metricText(p(enroll_.requestLatencies, 0.5))
                << " request_p99_ms=" << metricText(p(enroll_.requestLatencies, 0.99))
                << " enrolled=" << enroll_.enrolled << " not_enrolled=" << enroll_.notEnrolled
                << " look_alikes=" << enroll_.lookAlikes << " look_alikes_same_identity=" << enroll_.lookAlikesSameIdentity
                << " look_alikes_other_identity=" << enroll_.lookAlikesOtherIdentity
                << " same_identity_pairs=" << enroll_.sameIdentityPairs
                << " recommended_threshold=" << metricText(enroll_.recommendedThreshold)
                << " get_enrollment_ms=" << metricText(enroll_.getMs) << "\n";
    }
    const double floorP50 = floor_.latencies.empty() ? NAN : p(floor_.latencies, 0.5);
    if (floor_.ran) {
      std::cout << "== floor: the same " << floor_.frames << " JPEG frames through FacePipeline (liveFrame() + keepChip) "
                << "on one thread in this process\n";
      if (!floor_.problem.empty()) {
        std::cout << "   not run: " << floor_.problem << "\n";
      } else {
        std::cout << "   per frame: p50 " << fixed(floorP50, 1) << " ms, p99 " << fixed(p(floor_.latencies, 0.99), 1)
                  << " ms, max " << fixed(maxMs(floor_.latencies), 1) << " ms; detect median "
                  << fixed(floor_.detectMedianMs, 1) << " ms, descriptor median " << fixed(floor_.describeMedianMs, 1)
                  << " ms; faces " << floor_.faces << ", passed the gates " << floor_.passed << "\n";
      }
    }
    for (const FramesResult& r : frames_) {
      ok = ok && r.ok;
      const double p50 = p(r.latencies, 0.5);
      if (floor_.ran && floor_.problem.empty()) {
        std::cout << "   " << r.kiosks << " kiosk" << (r.kiosks == 1 ? "" : "s") << ": server p50 / floor p50 = "
                  << fixed(p50 / floorP50, 2) << " (" << fixed(p50 - floorP50, 1)
                  << " ms added by the network, protobuf, queueing and the hall)\n";
      }
      std::cout << "RESULT measurement=frames kiosks=" << r.kiosks << " ok=" << (r.ok ? 1 : 0)
                << " frames=" << r.latencies.size() << " errors=" << r.errors << " rate_limited=" << r.rateLimited
                << " seconds=" << metricText(r.seconds)
                << " frames_per_s=" << metricText(static_cast<double>(r.latencies.size()) / r.seconds)
                << " p50_ms=" << metricText(p50) << " p90_ms=" << metricText(p(r.latencies, 0.9))
                << " p99_ms=" << metricText(p(r.latencies, 0.99)) << " max_ms=" << metricText(maxMs(r.latencies))
                << " analysis_p50_ms=" << metricText(p(r.analysis, 0.5))
                << " analysis_p99_ms=" << metricText(p(r.analysis, 0.99))
                << " overhead_p50_ms=" << metricText(p(r.overhead, 0.5))
                << " overhead_p99_ms=" << metricText(p(r.overhead, 0.99))
                << " server_cpu_ms_per_frame="
                << metricText(r.serverCpuSeconds ? std::optional<double>(*r.serverCpuSeconds * 1000 /
                                                                         static_cast<double>(std::max<std::size_t>(1, r.latencies.size())))
                                                 : std::nullopt)
                << " floor_p50_ms=" << metricText(floorP50) << " ratio_p50="
                << metricText(floor_.latencies.empty() ? NAN : p50 / floorP50) << " events=" << r.events;
      for (const auto& [status, n] : r.status) std::cout << " status_" << status << "=" << n;
      std::cout << "\n";
    }
    if (floor_.ran) {
      const bool floorOk = floor_.problem.empty() && floor_.failed == 0 && !floor_.latencies.empty();
      ok = ok && floorOk;
      std::cout << "RESULT measurement=floor ok=" << (floorOk ? 1 : 0) << " frames=" << floor_.frames
                << " p50_ms=" << metricText(floorP50) << " p99_ms=" << metricText(p(floor_.latencies, 0.99))
                << " max_ms=" << metricText(maxMs(floor_.latencies)) << " faces=" << floor_.faces
                << " passed=" << floor_.passed << " detect_ms=" << metricText(floor_.detectMedianMs)
                << " descriptor_ms=" << metricText(floor_.describeMedianMs) << "\n";
    }
    if (rssEnd_) std::cout << "server RSS at the end: " << fixed(*rssEnd_, 1) << " MB\n";
    errors_.print(std::cout, fatal_);
    std::cout << (ok ? "face_load: every request answered without an error" : "face_load: FAILED") << std::endl;
    return ok ? 0 : 1;
  }

 public:
  void setScaledPhotos(std::size_t n) { scaledPhotos_ = n; }
  // Every frame's FaceFrame request, serialised once (request id and frame id: the clip index + 1).
  void serialiseFrames() {
    for (std::size_t i = 0; i < video_.jpegs.size(); ++i) {
      v1::ClientMessage message;
      message.set_request_id(i + 1);
      message.mutable_face_frame()->set_frame_id(i + 1);
      message.mutable_face_frame()->set_image(video_.jpegs[i]);
      frameMessages_.push_back(message.SerializeAsString());
    }
  }

 private:
  Options options_;
  std::vector<DelegatePhotos> delegates_;
  VideoFrames video_;
  std::vector<std::string> frameMessages_;
  asio::io_context ioc_{1};
  WsConnector connector_;
  Signal signal_;
  Link organizerLink_;
  Link* organizer_ = nullptr;
  std::set<std::string> enrolledCodes_;
  std::unique_ptr<std::ofstream> photoReport_;
  std::int64_t firstEnrollSend_ = -1;
  std::int64_t lastEnrollReply_ = -1;
  std::int64_t firstFrameSend_ = -1;
  std::int64_t lastFrameReply_ = -1;
  std::size_t scaledPhotos_ = 0;
  EnrollResult enroll_;
  std::vector<FramesResult> frames_;
  FloorResult floor_;
  std::optional<double> rssEnd_;
  ErrorTally errors_{"face_load"};
  std::string fatal_;
};

}  // namespace
}  // namespace daihoi::bench

int main(int argc, char** argv) {
  using namespace daihoi::bench;
  return runMain("face_load", kUsage, [&] { return parseOptions(argc, argv); }, [](Options& options) {
    if (!options.label.empty()) std::cout << "face_load: " << options.label << std::endl;
    std::size_t scaled = 0, bytes = 0;
    std::vector<DelegatePhotos> delegates;
    if (options.photos > 0) {
      delegates = preparePhotos(options, scaled, bytes);
      std::set<std::string> identities;
      for (const auto& d : delegates) identities.insert(d.identity);
      std::cout << "photos: " << options.photos << " from " << identities.size() << " identities for "
                << delegates.size() << " delegates (" << delegates.front().code << " … " << delegates.back().code
                << "), " << fixed(static_cast<double>(bytes) / 1e6, 1) << " MB";
      if (options.minPhotoSide > 0) {
        std::cout << "; " << scaled << " scaled up to a shorter side of " << options.minPhotoSide << " px";
      }
      std::cout << std::endl;
    }
    VideoFrames video;
    if (!options.kiosks.empty()) {
      video = prepareFrames(options);
      std::cout << "frames: " << video.jpegs.size() << " of " << options.video;
      if (options.videoSkip > 0) std::cout << " from frame " << options.videoSkip;
      std::cout << " (" << video.sourceWidth << "x"
                << video.sourceHeight << ", " << fixed(video.fps, 1) << " fps) scaled and cropped to 640x480, JPEG q"
                << options.jpegQuality << ", " << fixed(video.averageBytes / 1000, 1) << " kB on average" << std::endl;
    }
    Benchmark benchmark(std::move(options), std::move(delegates), std::move(video));
    benchmark.setScaledPhotos(scaled);
    benchmark.serialiseFrames();
    return benchmark.run();
  });
}
