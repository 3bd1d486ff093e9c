#include "kiosk/presentation.hpp"

#include <sstream>

#include "cli/json_writer.hpp"
#include "kiosk/statistics.hpp"

namespace daihoi::kiosk {

namespace v1 = daihoi::v1;

bool isFinalStatus(v1::FaceStatus status) {
  switch (status) {
    case v1::FACE_STATUS_CHECKED_IN:
    case v1::FACE_STATUS_CHECKED_OUT:
    case v1::FACE_STATUS_UNKNOWN:
    case v1::FACE_STATUS_AMBIGUOUS:
    case v1::FACE_STATUS_NOT_LIVE:
    case v1::FACE_STATUS_MISMATCH:
      return true;
    default:
      return false;
  }
}

bool namesDelegate(const v1::FaceFrameReply& reply) {
  return reply.has_delegate() && !reply.delegate().code().empty();
}

bool hasFace(const v1::FaceFrameReply& reply) { return reply.has_box() && reply.box().width() > 0; }

std::string greeting(const v1::FaceFrameReply& reply) {
  const std::string name = reply.delegate().full_name().empty() ? reply.delegate().code() : reply.delegate().full_name();
  if (reply.status() == v1::FACE_STATUS_CHECKED_OUT) {
    return "Tạm biệt / Goodbye, " + name;
  }
  std::string text = "Xin chào / Welcome, " + name;
  std::string where;
  if (!reply.delegate().seat().label().empty()) {
    where = "ghế/seat " + reply.delegate().seat().label();
  }
  if (!reply.delegation().empty()) {
    where += (where.empty() ? "" : ", ") + std::string("đoàn/delegation ") + reply.delegation();
  }
  if (!where.empty()) {
    text += " — " + where;
  }
  return text;
}

std::string spokenGreeting(const v1::FaceFrameReply& reply) {
  const std::string name = reply.delegate().full_name().empty() ? reply.delegate().code() : reply.delegate().full_name();
  if (reply.status() == v1::FACE_STATUS_CHECKED_OUT) {
    return "Tạm biệt " + name + ".";
  }
  std::string text = "Xin chào " + name + ".";
  if (!reply.delegate().seat().label().empty()) {
    text += " Ghế " + reply.delegate().seat().label() + ".";
  }
  return text;
}

std::string statusLineText(const StatusReport& report) {
  const auto& r = report.reply;
  std::ostringstream out;
  out << "+" << formatNumber(report.elapsedSeconds, 1) << "s frame " << r.frame_id() << " " << statusName(r.status());
  if (!r.prompt().empty()) {
    out << ": " << r.prompt();
  }
  std::vector<std::string> details;
  if (namesDelegate(r)) {
    std::string who = r.delegate().code();
    if (!r.delegate().full_name().empty()) {
      who += " " + r.delegate().full_name();
    }
    if (!r.delegate().seat().label().empty()) {
      who += ", ghế/seat " + r.delegate().seat().label();
    }
    if (!r.delegation().empty()) {
      who += ", " + r.delegation();
    }
    if (r.already_present()) {
      who += ", already present";
    }
    details.push_back(who);
  }
  if (r.distance() > 0) {
    details.push_back("distance " + formatNumber(r.distance(), 3));
  }
  if (r.issues_size() > 0) {
    std::string issues = "issues";
    for (const auto& issue : r.issues()) {
      issues += " " + issue;
    }
    details.push_back(issues);
  }
  details.push_back("frames " + std::to_string(r.frames()));
  details.push_back("analysis " + std::to_string(r.analysis_ms()) + " ms");
  details.push_back("round trip " + formatNumber(report.roundTripMs, 0) + " ms");
  out << " [";
  for (std::size_t i = 0; i < details.size(); ++i) {
    out << (i == 0 ? "" : "; ") << details[i];
  }
  out << "]\n";
  // The hall's prompt usually greets by name already; otherwise the greeting follows.
  const std::string& name = r.delegate().full_name().empty() ? r.delegate().code() : r.delegate().full_name();
  if ((r.status() == v1::FACE_STATUS_CHECKED_IN || r.status() == v1::FACE_STATUS_CHECKED_OUT) && namesDelegate(r) &&
      r.prompt().find(name) == std::string::npos) {
    out << "    " << greeting(r) << "\n";
  }
  return out.str();
}

std::string statusLineJson(const StatusReport& report) {
  const auto& r = report.reply;
  std::ostringstream out;
  out << "{\"t_s\":" << formatNumber(report.elapsedSeconds, 3) << ",\"frame\":" << r.frame_id()
      << ",\"status\":" << cli::jsonQuoted(statusName(r.status())) << ",\"prompt\":" << cli::jsonQuoted(r.prompt());
  if (namesDelegate(r)) {
    out << ",\"code\":" << cli::jsonQuoted(r.delegate().code()) << ",\"name\":" << cli::jsonQuoted(r.delegate().full_name())
        << ",\"seat\":" << cli::jsonQuoted(r.delegate().seat().label())
        << ",\"delegation\":" << cli::jsonQuoted(r.delegation());
  } else {
    out << ",\"code\":null,\"name\":null,\"seat\":null,\"delegation\":null";
  }
  out << ",\"distance\":" << formatNumber(r.distance(), 4) << ",\"margin\":" << formatNumber(r.margin(), 4)
      << ",\"frames\":" << r.frames() << ",\"analysis_ms\":" << r.analysis_ms()
      << ",\"round_trip_ms\":" << formatNumber(report.roundTripMs, 1)
      << ",\"already_present\":" << (r.already_present() ? "true" : "false") << ",\"seq\":" << r.seq();
  out << ",\"issues\":[";
  for (int i = 0; i < r.issues_size(); ++i) {
    out << (i == 0 ? "" : ",") << cli::jsonQuoted(r.issues(i));
  }
  out << "]";
  if (hasFace(r)) {
    out << ",\"box\":{\"x\":" << r.box().x() << ",\"y\":" << r.box().y() << ",\"width\":" << r.box().width()
        << ",\"height\":" << r.box().height() << ",\"frame_width\":" << r.frame_width()
        << ",\"frame_height\":" << r.frame_height() << "}";
  }
  if ((r.status() == v1::FACE_STATUS_CHECKED_IN || r.status() == v1::FACE_STATUS_CHECKED_OUT) && namesDelegate(r)) {
    out << ",\"greeting\":" << cli::jsonQuoted(greeting(r));
  }
  out << "}";
  return out.str();
}

bool StatusTracker::update(const v1::FaceFrameReply& reply) {
  if (reply.status() == v1::FACE_STATUS_DROPPED) {
    return false;
  }
  if (current_ && reply.frame_id() <= lastFrameId_) {
    return false;  // an older frame answered late: what is shown is newer
  }
  lastFrameId_ = reply.frame_id();
  bool changed = !current_ || current_->status() != reply.status() ||
                 current_->delegate().code() != reply.delegate().code();
  if (!changed && reply.status() == v1::FACE_STATUS_ADJUST) {
    changed = current_->issues_size() != reply.issues_size();
    for (int i = 0; !changed && i < reply.issues_size(); ++i) {
      changed = current_->issues(i) != reply.issues(i);
    }
  }
  current_ = reply;
  return changed;
}

}  // namespace daihoi::kiosk
