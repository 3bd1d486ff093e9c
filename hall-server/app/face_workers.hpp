#pragma once
// The face workers: a few threads, each with its own face pipeline (HOG
// detector and descriptor network are not thread-safe; the landmark model is
// shared). Live kiosk frames are taken before waiting enrollment photos.
// Results come back on the network io_context.
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faceid/face_model.hpp"
#include "protocol/face_engine.hpp"

namespace daihoi::app {

struct FaceWorkerOptions {
  bool enabled = true;
  faceid::ModelFiles models = faceid::ModelFiles::defaults();
  unsigned threads = 2;  // one per core, each with one BLAS thread (OPENBLAS_NUM_THREADS=1)
};

class FaceWorkers final : public protocol::FaceEngine {
 public:
  // Loads the models; when one is missing or wrong, face work stays off and
  // problem() says why (the rest of the server works as before).
  FaceWorkers(FaceWorkerOptions options, boost::asio::io_context& ioc);
  ~FaceWorkers() override;
  FaceWorkers(const FaceWorkers&) = delete;
  FaceWorkers& operator=(const FaceWorkers&) = delete;

  std::string problem() const override { return problem_; }
  void analyze(std::string image, protocol::FaceJob job, std::function<void(protocol::FaceMeasurement)> done) override;
  // Stops taking jobs and joins the threads; waiting jobs are dropped.
  void stop();
  std::size_t queued() const;

 private:
  struct Task {
    std::string image;
    protocol::FaceJob job;
    std::function<void(protocol::FaceMeasurement)> done;
  };

  boost::asio::io_context& ioc_;
  std::string problem_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> live_;
  std::deque<Task> enrollment_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace daihoi::app
