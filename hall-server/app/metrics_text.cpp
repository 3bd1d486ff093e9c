#include "app/metrics_text.hpp"

#include <sstream>

namespace daihoi::app {
namespace {

class Exposition {
 public:
  void metric(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  template <class T>
  void sample(const char* name, T value, const std::string& labels = {}) {
    out_ << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << value << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string metricsText(const protocol::Hall& hall, const net::SessionRegistry& registry,
                        const store::WriterStats& writer) {
  Exposition e;
  const auto& m = hall.metrics();
  const auto& c = registry.counters();

  e.metric("daihoi_connections", "gauge", "Open WebSocket sessions.");
  e.sample("daihoi_connections", registry.size());
  e.metric("daihoi_signed_in_sessions", "gauge", "Sessions signed in and receiving events.");
  e.sample("daihoi_signed_in_sessions", hall.subscriberCount());
  e.metric("daihoi_connections_accepted_total", "counter", "TCP connections accepted.");
  e.sample("daihoi_connections_accepted_total", c.accepted);
  e.metric("daihoi_accept_failures_total", "counter",
           "Failed accepts (out of file descriptors or memory, or the peer left first).");
  e.sample("daihoi_accept_failures_total", c.acceptFailures);
  e.metric("daihoi_websocket_upgrades_total", "counter", "WebSocket upgrades completed.");
  e.sample("daihoi_websocket_upgrades_total", c.upgrades);
  e.metric("daihoi_rejected_origins_total", "counter", "Upgrades refused for their browser origin.");
  e.sample("daihoi_rejected_origins_total", c.rejectedOrigins);
  e.metric("daihoi_websocket_protocol_errors_total", "counter", "Connections closed for broken WebSocket framing.");
  e.sample("daihoi_websocket_protocol_errors_total", c.protocolErrors);
  e.metric("daihoi_slow_consumers_dropped_total", "counter", "Sessions dropped because their send queue overflowed.");
  e.sample("daihoi_slow_consumers_dropped_total", c.slowConsumersDropped);
  e.metric("daihoi_tls_handshake_failures_total", "counter", "Failed TLS handshakes.");
  e.sample("daihoi_tls_handshake_failures_total", c.tlsHandshakeFailures);

  e.metric("daihoi_requests_total", "counter", "Requests received, by type.");
  for (const auto& [type, count] : m.requestsByType) e.sample("daihoi_requests_total", count, "type=\"" + type + "\"");
  e.metric("daihoi_errors_total", "counter", "Error responses, by code.");
  for (const auto& [code, count] : m.errorsByCode) e.sample("daihoi_errors_total", count, "code=\"" + code + "\"");
  e.metric("daihoi_malformed_messages_total", "counter", "Messages refused as malformed, text or too large.");
  e.sample("daihoi_malformed_messages_total", m.malformedFrames);
  e.metric("daihoi_sign_ins_total", "counter", "Sign-in attempts by result.");
  e.sample("daihoi_sign_ins_total", m.signInsOk, "result=\"ok\"");
  e.sample("daihoi_sign_ins_total", m.signInsFailed, "result=\"failed\"");

  e.metric("daihoi_event_seq", "gauge", "Sequence number of the last durable event.");
  e.sample("daihoi_event_seq", hall.committedSeq());
  e.metric("daihoi_events_broadcast_total", "counter", "Events broadcast after their commit.");
  e.sample("daihoi_events_broadcast_total", m.eventsBroadcast);
  e.metric("daihoi_event_deliveries_total", "counter", "Event frames queued to sessions.");
  e.sample("daihoi_event_deliveries_total", m.deliveries);
  e.metric("daihoi_votes_accepted_total", "counter", "Votes made durable and acknowledged.");
  e.sample("daihoi_votes_accepted_total", m.votesAccepted);
  e.metric("daihoi_live_updates_total", "counter", "Coalesced ballot-progress pushes.");
  e.sample("daihoi_live_updates_total", m.liveUpdates);
  const auto depth = registry.queueDepth();
  e.metric("daihoi_send_queue_frames", "gauge", "Frames waiting in session send queues.");
  e.sample("daihoi_send_queue_frames", depth.total, "stat=\"total\"");
  e.sample("daihoi_send_queue_frames", depth.max, "stat=\"max\"");

  e.metric("daihoi_commits_in_flight", "gauge", "Commits submitted to the store and not yet durable.");
  e.sample("daihoi_commits_in_flight", m.commitsInFlight);
  e.metric("daihoi_store_queue_depth", "gauge", "Commits waiting for the writer thread.");
  e.sample("daihoi_store_queue_depth", writer.queueDepth);
  e.metric("daihoi_store_commit_groups_total", "counter", "SQLite transactions committed by the writer.");
  e.sample("daihoi_store_commit_groups_total", writer.groupsCommitted);
  e.metric("daihoi_store_commits_total", "counter", "Request commits made durable.");
  e.sample("daihoi_store_commits_total", writer.commitsCommitted);
  e.metric("daihoi_store_commit_seconds", "summary", "Duration of group commits (fsync included).");
  e.sample("daihoi_store_commit_seconds_sum", static_cast<double>(writer.totalCommitMicros) / 1e6);
  e.sample("daihoi_store_commit_seconds_count", writer.groupsCommitted);
  e.metric("daihoi_store_commit_seconds_max", "gauge", "Longest group commit.");
  e.sample("daihoi_store_commit_seconds_max", static_cast<double>(writer.maxCommitMicros) / 1e6);
  e.metric("daihoi_store_group_size_max", "gauge", "Largest commit group.");
  e.sample("daihoi_store_group_size_max", writer.maxGroupSize);
  return e.str();
}

}  // namespace daihoi::app
