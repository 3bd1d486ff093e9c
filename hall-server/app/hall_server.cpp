#include "app/hall_server.hpp"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fstream>
#include <iostream>

#include "app/archive_reader.hpp"
#include "app/document_files.hpp"
#include "app/document_worker.hpp"
#include "app/metrics_text.hpp"
#include "app/runtime.hpp"
#include "store/store.hpp"
#include "store/writer.hpp"

namespace daihoi::app {
namespace {

// Every terminal, kiosk and download holds a descriptor, and a congress's
// terminals fetch a new draft at once: the usual soft limit of 1,024 is too
// low. The soft limit goes up to the hard one, what the administrator allows.
// Returns the limit in effect.
std::uint64_t raiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
  }
  return limit.rlim_cur;
}

}  // namespace

int serve(const ServeOptions& options) {
  const std::uint64_t openFiles = raiseOpenFileLimit();
  SystemClock clock;
  auto store = store::Store::open(options.databasePath);
  protocol::HallSeed seed = loadSeed(*store, clock, options.hall.recentEventCapacity);
  const std::uint64_t headSeq = seed.headSeq;
  store->scrubAfterRestart();
  // Document files no committed version names (a crash between writing a file
  // and committing its version) and unfinished uploads go.
  const std::vector<std::string> documentFiles = store->loadDocumentFiles();
  // Face check-in thumbnails whose retention ended while the server was down.
  store->commit({store::Commit{{}, {domain::ThumbnailsExpired{clock.nowMs()}}, nullptr}});
  store::Writer writer(std::move(store));

  // One network thread owns every session and the hall: no locks on the hot
  // path. Disk writes and argon2 run on their own threads.
  asio::io_context ioc(1);
  WriterJournal journal(writer, ioc);
  PoolWork authWork(options.authThreads, ioc);
  AsioTimers timers(ioc);
  protocol::Hall hall(options.hall, clock, std::move(seed), journal, authWork, timers,
                      [](std::string_view payload) { return net::encodeSharedFrame(net::Opcode::Binary, payload); });
  // Face work off the network thread; its models load while the hall already
  // serves, and without them the rest still runs.
  FaceWorkers faceWorkers(options.face, ioc, [&](const std::string& problem) {
    if (problem.empty()) {
      std::cout << "face ID: " << options.face.threads << " workers, " << hall.faceDesk().gallery().size()
                << " delegates enrolled" << std::endl;
    } else {
      std::cout << "face ID is OFF: " << problem << std::endl;
    }
  });
  hall.attachFaceEngine(&faceWorkers);
  ArchiveReader archive(options.databasePath, ioc);
  hall.attachArchive(&archive);
  DocumentWorker documentWorker(options.databasePath, ioc);
  documentWorker.files().sweep(documentFiles);
  hall.attachDocumentWork(&documentWorker);
  DocumentFiles documentDownloads(hall, documentWorker.files());

  std::unique_ptr<net::NetServer> server;
  auto routes = [&](const net::HttpRequest& request) -> net::HttpReply {
    const std::string_view target = request.target();
    if (target == "/healthz") {
      return {200, "application/json",
              "{\"status\":\"ok\",\"seq\":" + std::to_string(hall.committedSeq()) +
                  ",\"sessions\":" + std::to_string(server->registry().size()) + ",\"face\":\"" +
                  faceWorkers.state() + "\"}\n"};
    }
    if (target.starts_with(kDocumentsPath)) return documentDownloads.reply(request);
    if (target == "/metrics") {
      return {200, "text/plain; version=0.0.4; charset=utf-8", metricsText(hall, server->registry(), writer.stats())};
    }
    return {};
  };
  server = std::make_unique<net::NetServer>(ioc, hall, options.net, routes);
  const std::uint16_t port = server->start();
  const char* scheme = server->tls() ? "wss" : "ws";
  std::cout << "Daihoi hall server: " << hall.committed().congress().name << "\n"
            << "listening on " << scheme << "://" << options.net.address << ":" << port << "/ws"
            << " (events so far: " << headSeq << "; open files up to " << openFiles << ")" << std::endl;
  if (!options.portFile.empty()) {
    std::ofstream(options.portFile) << port << "\n";
  }

  // SIGTERM: stop accepting, close every session with 1001 going away; run()
  // returns once the last session has closed (the sweeper enforces the
  // close time-out), so no session outlives the hall.
  asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    std::cout << "signal " << signal << ": closing sessions (going away) and draining the store" << std::endl;
    timers.stop();  // no deadline closes a ballot while the server drains
    server->shutdown();
  });
  ioc.run();
  faceWorkers.stop();
  archive.stop();
  documentWorker.stop();
  // Everything acknowledged is already durable; stop() commits what was still
  // queued, and the last completions run on the io_context without sessions.
  writer.stop();
  ioc.restart();
  ioc.poll();
  std::cout << "stopped cleanly at event " << hall.pendingSeq() << std::endl;
  return 0;
}

}  // namespace daihoi::app
