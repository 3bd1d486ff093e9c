#include "kiosk/statistics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/json_writer.hpp"

namespace daihoi::kiosk {

namespace v1 = daihoi::v1;

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) {
    return std::nullopt;
  }
  std::sort(values.begin(), values.end());
  p = std::clamp(p, 0.0, 100.0);
  // Nearest rank: ceil(p/100 × n), at least 1.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

std::string statusName(v1::FaceStatus status) {
  std::string name = v1::FaceStatus_Name(status);
  constexpr std::string_view kPrefix = "FACE_STATUS_";
  if (name.rfind(kPrefix, 0) == 0) {
    name.erase(0, kPrefix.size());
  }
  if (name.empty()) {
    name = "status_" + std::to_string(static_cast<int>(status));
  }
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

void KioskStats::reply(const v1::FaceFrameReply& reply, double roundTripMs) {
  ++summary_.replies;
  ++summary_.byStatus[statusName(reply.status())];
  if (reply.status() == v1::FACE_STATUS_DROPPED) {
    ++summary_.serverDropped;
    return;
  }
  roundTrips_.push_back(roundTripMs);
  analysis_.push_back(static_cast<double>(reply.analysis_ms()));
  const bool in = reply.status() == v1::FACE_STATUS_CHECKED_IN;
  const bool out = reply.status() == v1::FACE_STATUS_CHECKED_OUT;
  if ((in || out) && reply.has_delegate()) {
    const auto& delegate = reply.delegate();
    auto it = std::find_if(summary_.checkedIn.begin(), summary_.checkedIn.end(),
                           [&](const CheckedInDelegate& d) { return d.code == delegate.code() && d.checkedOut == out; });
    if (it == summary_.checkedIn.end()) {
      CheckedInDelegate entry;
      entry.code = delegate.code();
      entry.name = delegate.full_name();
      entry.seat = delegate.seat().label();
      entry.delegation = reply.delegation();
      entry.distance = reply.distance();
      entry.alreadyPresent = reply.already_present();
      entry.firstFrameId = reply.frame_id();
      entry.checkedOut = out;
      summary_.checkedIn.push_back(std::move(entry));
      it = std::prev(summary_.checkedIn.end());
    }
    ++it->replies;
  }
}

void KioskStats::error(const std::string& code) {
  ++summary_.errors;
  ++summary_.errorsByCode[code];
}

Summary KioskStats::summary() const {
  Summary out = summary_;
  out.roundTripSamples = roundTrips_.size();
  out.roundTripMedianMs = percentile(roundTrips_, 50);
  out.roundTripP95Ms = percentile(roundTrips_, 95);
  out.roundTripMaxMs = percentile(roundTrips_, 100);
  out.analysisMedianMs = percentile(analysis_, 50);
  out.analysisP95Ms = percentile(analysis_, 95);
  return out;
}

std::string formatNumber(double value, int decimals) {
  if (!std::isfinite(value)) {
    return "0";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 9), value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') {
      text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
      text.pop_back();
    }
  }
  if (text == "-0") {
    text = "0";
  }
  return text;
}

namespace {

std::string optionalMs(const std::optional<double>& value) {
  return value ? formatNumber(*value) + " ms" : std::string("–");
}

std::string jsonNumber(const std::optional<double>& value, int decimals = 1) {
  return value ? formatNumber(*value, decimals) : std::string("null");
}

}  // namespace

std::string summaryText(const Summary& s) {
  std::ostringstream out;
  out << "Tổng kết / Summary (" << formatNumber(s.elapsedSeconds) << " s)\n";
  out << "  frames: " << s.captured << " captured, " << s.sent << " sent, " << s.dropped
      << " dropped before sending";
  if (s.late > 0) {
    out << ", " << s.late << " skipped (behind real time)";
  }
  out << ", " << s.serverDropped << " dropped by the hall";
  if (s.rateLimited > 0) {
    out << ", " << s.rateLimited << " refused by the hall's rate limit";
  }
  out << "\n";
  out << "  replies: " << s.replies;
  if (!s.byStatus.empty()) {
    out << " (";
    bool first = true;
    for (const auto& [status, count] : s.byStatus) {
      out << (first ? "" : ", ") << status << " " << count;
      first = false;
    }
    out << ")";
  }
  out << "\n";
  if (s.errors > 0) {
    out << "  errors: " << s.errors << " (";
    bool first = true;
    for (const auto& [code, count] : s.errorsByCode) {
      out << (first ? "" : ", ") << code << " " << count;
      first = false;
    }
    out << ")\n";
  }
  if (s.resets > 0) {
    out << "  resets sent: " << s.resets << "\n";
  }
  out << "  round trip: median " << optionalMs(s.roundTripMedianMs) << ", p95 " << optionalMs(s.roundTripP95Ms)
      << ", max " << optionalMs(s.roundTripMaxMs) << " (" << s.roundTripSamples << " analysed frames); analysis "
      << "median " << optionalMs(s.analysisMedianMs) << ", p95 " << optionalMs(s.analysisP95Ms) << "\n";
  std::size_t in = 0;
  for (const auto& d : s.checkedIn) {
    in += d.checkedOut ? 0 : 1;
  }
  out << "  checked in / đã điểm danh: " << in;
  out << (s.checkedIn.empty() ? "\n" : ":\n");
  for (const auto& d : s.checkedIn) {
    out << "    " << d.code << "  " << d.name;
    if (!d.seat.empty()) {
      out << ", ghế/seat " << d.seat;
    }
    if (!d.delegation.empty()) {
      out << ", " << d.delegation;
    }
    out << "  (distance " << formatNumber(d.distance, 3);
    if (d.alreadyPresent) {
      out << ", already present";
    }
    if (d.checkedOut) {
      out << ", checked out";
    }
    out << ")\n";
  }
  return out.str();
}

std::string summaryJson(const Summary& s) {
  std::ostringstream out;
  out << "{\"summary\":{";
  out << "\"elapsed_s\":" << formatNumber(s.elapsedSeconds, 3);
  out << ",\"captured\":" << s.captured << ",\"sent\":" << s.sent << ",\"dropped\":" << s.dropped
      << ",\"late\":" << s.late << ",\"replies\":" << s.replies << ",\"server_dropped\":" << s.serverDropped
      << ",\"rate_limited\":" << s.rateLimited << ",\"errors\":" << s.errors << ",\"resets\":" << s.resets;
  out << ",\"by_status\":{";
  bool first = true;
  for (const auto& [status, count] : s.byStatus) {
    out << (first ? "" : ",") << cli::jsonQuoted(status) << ":" << count;
    first = false;
  }
  out << "},\"errors_by_code\":{";
  first = true;
  for (const auto& [code, count] : s.errorsByCode) {
    out << (first ? "" : ",") << cli::jsonQuoted(code) << ":" << count;
    first = false;
  }
  out << "},\"checked_in\":[";
  first = true;
  for (const auto& d : s.checkedIn) {
    out << (first ? "" : ",") << "{\"code\":" << cli::jsonQuoted(d.code) << ",\"name\":" << cli::jsonQuoted(d.name)
        << ",\"seat\":" << cli::jsonQuoted(d.seat) << ",\"delegation\":" << cli::jsonQuoted(d.delegation)
        << ",\"distance\":" << formatNumber(d.distance, 4) << ",\"already_present\":"
        << (d.alreadyPresent ? "true" : "false") << ",\"checked_out\":" << (d.checkedOut ? "true" : "false")
        << ",\"first_frame\":" << d.firstFrameId << ",\"replies\":" << d.replies << "}";
    first = false;
  }
  out << "],\"round_trip_ms\":{\"samples\":" << s.roundTripSamples << ",\"median\":" << jsonNumber(s.roundTripMedianMs)
      << ",\"p95\":" << jsonNumber(s.roundTripP95Ms) << ",\"max\":" << jsonNumber(s.roundTripMaxMs) << "}";
  out << ",\"analysis_ms\":{\"median\":" << jsonNumber(s.analysisMedianMs) << ",\"p95\":" << jsonNumber(s.analysisP95Ms)
      << "}";
  out << "}}";
  return out.str();
}

}  // namespace daihoi::kiosk
