#pragma once
#include <string>

#include "net/session_registry.hpp"
#include "protocol/hall.hpp"
#include "store/writer.hpp"

namespace daihoi::app {

// The Prometheus text exposition of the server's counters.
std::string metricsText(const protocol::Hall& hall, const net::SessionRegistry& registry,
                        const store::WriterStats& writer);

}  // namespace daihoi::app
