#pragma once
// What the kiosk counts while it runs, and the summary it prints at the end: frames captured,
// sent and dropped, replies by status, the delegates checked in, round-trip and analysis times.
// Pure data, no OpenCV, no network, not thread-safe (the kiosk loop owns it).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daihoi.pb.h"

namespace daihoi::kiosk {

// The nearest-rank percentile (p in [0, 100]) of `values`: the smallest value with at least
// p % of the values at or below it. nullopt for no values. p = 50 is the median (the lower one
// for an even count).
std::optional<double> percentile(std::vector<double> values, double p);

struct CheckedInDelegate {
  std::string code;
  std::string name;
  std::string seat;
  std::string delegation;
  float distance = 0;
  bool alreadyPresent = false;  // welcomed back: nothing counted twice
  std::uint64_t firstFrameId = 0;
  std::uint32_t replies = 0;    // CHECKED_IN replies naming this delegate (the hall repeats the answer)
  bool checkedOut = false;      // an exit kiosk
};

struct Summary {
  std::uint64_t captured = 0;       // frames taken from the source
  std::uint64_t sent = 0;           // FaceFrame requests sent
  std::uint64_t dropped = 0;        // replaced while waiting for a free slot (or left when stopping)
  std::uint64_t late = 0;           // video/folder frames skipped because the kiosk fell behind real time
  std::uint64_t replies = 0;        // FaceFrameReply received (DROPPED ones included)
  std::uint64_t serverDropped = 0;  // FACE_STATUS_DROPPED: replaced by a newer frame at the hall
  std::uint64_t rateLimited = 0;    // refused by the hall's rate limit, not analysed (ERROR_RATE_LIMITED)
  std::uint64_t errors = 0;         // requests that failed otherwise (time-out, connection, server error)
  std::uint64_t resets = 0;         // FaceReset sent
  std::map<std::string, std::uint64_t> byStatus;       // "checked_in" → replies
  std::map<std::string, std::uint64_t> errorsByCode;   // "ERROR_TIMEOUT" → requests
  std::vector<CheckedInDelegate> checkedIn;            // in order of first check-in (or check-out)
  // Round trip (send → reply) of analysed frames, i.e. replies other than DROPPED.
  std::uint64_t roundTripSamples = 0;
  std::optional<double> roundTripMedianMs;
  std::optional<double> roundTripP95Ms;
  std::optional<double> roundTripMaxMs;
  // FaceFrameReply.analysis_ms of analysed frames.
  std::optional<double> analysisMedianMs;
  std::optional<double> analysisP95Ms;
  double elapsedSeconds = 0;
};

class KioskStats {
 public:
  void captured() { ++summary_.captured; }
  void sent() { ++summary_.sent; }
  void dropped(std::uint64_t frames = 1) { summary_.dropped += frames; }
  void late() { ++summary_.late; }
  void reset() { ++summary_.resets; }
  void rateLimited() { ++summary_.rateLimited; }
  // A FaceFrameReply and its round trip in milliseconds.
  void reply(const daihoi::v1::FaceFrameReply& reply, double roundTripMs);
  // A failed FaceFrame request, by ClientError::codeName().
  void error(const std::string& code);
  void elapsed(double seconds) { summary_.elapsedSeconds = seconds; }

  Summary summary() const;

 private:
  Summary summary_;
  std::vector<double> roundTrips_;
  std::vector<double> analysis_;
};

// "checked_in" for FACE_STATUS_CHECKED_IN.
std::string statusName(daihoi::v1::FaceStatus status);

// Several lines for people (UTF-8), and one JSON object {"summary":{...}} for --json.
std::string summaryText(const Summary& summary);
std::string summaryJson(const Summary& summary);

// A number for JSON and text: up to `decimals` digits after the point, no trailing zeros.
std::string formatNumber(double value, int decimals = 1);

}  // namespace daihoi::kiosk
