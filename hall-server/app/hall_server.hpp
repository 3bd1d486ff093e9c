#pragma once
// Composition of the hall server: the store's writer thread, the hall on the
// network thread, the argon2 worker pool, the network front, signals.
#include <memory>
#include <string>

#include "app/face_workers.hpp"
#include "net/server.hpp"
#include "protocol/hall.hpp"

namespace daihoi::app {

struct ServeOptions {
  std::string databasePath;
  net::NetOptions net;
  protocol::HallOptions hall;
  std::string portFile;  // the bound port is written here (tests use port 0)
  unsigned authThreads = 1;
  FaceWorkerOptions face;
};

// Runs until SIGTERM or SIGINT, then shuts down gracefully. Returns the exit code.
int serve(const ServeOptions& options);

}  // namespace daihoi::app
