#pragma once
// The face workers: a few threads, each with its own face pipeline (HOG
// detector and descriptor network are not thread-safe; the landmark model is
// shared). Live kiosk frames are taken before waiting enrollment photos.
// Results come back on the network io_context.
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faceid/face_model.hpp"
#include "faceid/pipeline.hpp"
#include "protocol/face_engine.hpp"

namespace daihoi::app {

struct FaceWorkerOptions {
  bool enabled = true;
  faceid::ModelFiles models = faceid::ModelFiles::defaults();
  unsigned threads = 2;  // one per core, each with one BLAS thread (OPENBLAS_NUM_THREADS=1)
};

class FaceWorkers final : public protocol::FaceEngine {
 public:
  // Checks and loads the models on a thread of its own: the hall serves
  // everything else from the first second after a (re)start, face requests
  // are answered "still loading" with a retry time until then. When a model
  // is missing or wrong, face work stays off and problem() says why.
  // `loaded` runs on `ioc` once loading ended (empty: ready, else the problem).
  FaceWorkers(FaceWorkerOptions options, boost::asio::io_context& ioc,
              std::function<void(const std::string& problem)> loaded = {});
  ~FaceWorkers() override;
  FaceWorkers(const FaceWorkers&) = delete;
  FaceWorkers& operator=(const FaceWorkers&) = delete;

  std::optional<protocol::FaceUnavailable> unavailable() const override;
  void analyze(std::string image, protocol::FaceJob job, std::function<void(protocol::FaceMeasurement)> done) override;
  // Blocks until loading ended; returns the problem (empty: ready). For offline use.
  std::string waitUntilLoaded() const;
  // "ready", "loading" or "off" (for /healthz).
  std::string state() const;
  // Stops taking jobs and joins the threads; waiting jobs are dropped.
  void stop();
  std::size_t queued() const;

 private:
  struct Task {
    std::string image;
    protocol::FaceJob job;
    std::function<void(protocol::FaceMeasurement)> done;
  };

  void load(FaceWorkerOptions options, std::function<void(const std::string&)> loaded);
  void work(faceid::FacePipeline& pipeline);

  boost::asio::io_context& ioc_;
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  bool loading_ = true;
  std::string problem_;
  std::deque<Task> live_;
  std::deque<Task> enrollment_;
  bool stopping_ = false;
  std::thread loader_;
  std::vector<std::thread> threads_;
};

}  // namespace daihoi::app
