#include "app/face_workers.hpp"

#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "faceid/pipeline.hpp"
#include "faceid/quality.hpp"

namespace daihoi::app {

namespace {

protocol::FaceMeasurement measurementOf(Result<faceid::FaceAnalysis> analysed) {
  protocol::FaceMeasurement out;
  if (!analysed) {
    out.errorCode = analysed.error().code;
    out.errorMessage = analysed.error().message;
    return out;
  }
  faceid::FaceAnalysis& a = analysed.value();
  out.width = a.width;
  out.height = a.height;
  out.faces = static_cast<int>(a.faces.size());
  out.observation.hasFace = a.hasFace();
  out.observation.passed = a.passed();
  out.observation.box = a.box;
  out.observation.ear = a.ear;
  out.observation.pose = a.pose;
  if (a.passed()) out.observation.descriptor = a.descriptor;
  for (faceid::QualityIssue issue : a.issues) out.issues.emplace_back(faceid::issueCode(issue));
  if (!a.issues.empty()) out.prompt = std::string(faceid::issueMessage(a.issues.front()));
  out.chipJpeg = std::move(a.chipJpeg);
  out.micros = a.times.total;
  return out;
}

}  // namespace

FaceWorkers::FaceWorkers(FaceWorkerOptions options, boost::asio::io_context& ioc,
                         std::function<void(const std::string& problem)> loaded)
    : ioc_(ioc) {
  if (!options.enabled) {
    loading_ = false;
    problem_ = "face work was turned off (--no-face)";
    if (loaded) boost::asio::post(ioc_, [loaded, problem = problem_] { loaded(problem); });
    return;
  }
  // One BLAS thread per worker: the workers are the parallelism (set before
  // OpenBLAS starts its pool, i.e. before the first descriptor, and before any
  // other thread of ours could read the environment).
  ::setenv("OPENBLAS_NUM_THREADS", "1", 0);
  faceid::setOpenCvThreads(1);
  loader_ = std::thread([this, options = std::move(options), loaded = std::move(loaded)]() mutable {
    load(std::move(options), std::move(loaded));
  });
}

void FaceWorkers::load(FaceWorkerOptions options, std::function<void(const std::string&)> loaded) {
  std::string problem;
  std::vector<std::unique_ptr<faceid::FacePipeline>> pipelines;
  if (auto wrong = faceid::modelProblem(options.models)) {
    problem = *wrong;
  } else {
    try {
      auto landmarker = faceid::Landmarker::load(options.models.landmarks);
      for (unsigned i = 0; i < std::max(1u, options.threads); ++i) {
        pipelines.push_back(std::make_unique<faceid::FacePipeline>(
            landmarker, faceid::DescriptorNet::load(options.models.descriptors)));
      }
    } catch (const std::exception& e) {
      problem = std::string("the face models could not be loaded: ") + e.what();
    }
  }
  {
    std::lock_guard lock(mutex_);
    loading_ = false;
    problem_ = problem;
    if (problem_.empty() && !stopping_) {
      for (auto& owned : pipelines) {
        threads_.emplace_back([this, pipeline = std::shared_ptr<faceid::FacePipeline>(std::move(owned))] {
          work(*pipeline);
        });
      }
    }
  }
  wake_.notify_all();
  if (loaded) boost::asio::post(ioc_, [loaded = std::move(loaded), problem] { loaded(problem); });
}

void FaceWorkers::work(faceid::FacePipeline& pipeline) {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !live_.empty() || !enrollment_.empty(); });
      if (stopping_) return;
      auto& queue = live_.empty() ? enrollment_ : live_;
      task = std::move(queue.front());
      queue.pop_front();
    }
    faceid::PipelineOptions options = task.job == protocol::FaceJob::LiveFrame ? faceid::PipelineOptions::liveFrame()
                                                                              : faceid::PipelineOptions::enrollment();
    options.keepChip = true;
    protocol::FaceMeasurement measured = measurementOf(pipeline.analyze(task.image, options));
    boost::asio::post(ioc_, [done = std::move(task.done), measured = std::move(measured)]() mutable {
      done(std::move(measured));
    });
  }
}

FaceWorkers::~FaceWorkers() { stop(); }

std::optional<protocol::FaceUnavailable> FaceWorkers::unavailable() const {
  std::lock_guard lock(mutex_);
  if (loading_) return protocol::FaceUnavailable{"its face models are still loading after the start", 2000};
  if (!problem_.empty()) return protocol::FaceUnavailable{problem_};
  return std::nullopt;
}

std::string FaceWorkers::waitUntilLoaded() const {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return !loading_; });
  return problem_;
}

std::string FaceWorkers::state() const {
  std::lock_guard lock(mutex_);
  return loading_ ? "loading" : problem_.empty() ? "ready" : "off";
}

void FaceWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    live_.clear();
    enrollment_.clear();
  }
  wake_.notify_all();
  // Loading cannot be interrupted; it ends within seconds and starts no worker once stopping.
  if (loader_.joinable()) loader_.join();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void FaceWorkers::analyze(std::string image, protocol::FaceJob job,
                          std::function<void(protocol::FaceMeasurement)> done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || loading_ || !problem_.empty()) return;  // the hall asked unavailable() first
    auto& queue = job == protocol::FaceJob::LiveFrame ? live_ : enrollment_;
    queue.push_back(Task{std::move(image), job, std::move(done)});
  }
  wake_.notify_one();
}

std::size_t FaceWorkers::queued() const {
  std::lock_guard lock(mutex_);
  return live_.size() + enrollment_.size();
}

}  // namespace daihoi::app
