#pragma once
// --speak: says the greeting with espeak-ng (`espeak-ng -v vi TEXT`). The program is started
// with fork/exec (never a shell, so no text is ever interpreted) and is not waited for: the
// capture loop never blocks on speech. One utterance at a time; what arrives meanwhile waits,
// and only the newest waiting text is kept (an old greeting is useless).
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daihoi::kiosk {

// The executable `name` in the ':'-separated `path` (or `name` itself when it contains a '/'),
// if it is there and executable.
std::optional<std::string> findProgram(std::string_view name, std::string_view path);

class Speaker {
 public:
  // `program` is a path to the executable; `arguments` go before the text (e.g. {"-v", "vi"}).
  Speaker(std::string program, std::vector<std::string> arguments);
  ~Speaker();  // waits up to 2 s for the utterance in progress, then stops it
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Starts speaking `text` now, or after the utterance in progress.
  void say(std::string text);
  // Reaps a finished utterance and starts the waiting one. Cheap; the kiosk loop calls it often.
  void poll();
  bool speaking() const { return child_ > 0; }
  // Utterances started so far; failures to start one (fork failed).
  unsigned started() const { return started_; }
  unsigned failures() const { return failures_; }
  // Waits (up to `timeoutMs`) until nothing is spoken or waiting. For tests and the end of the run.
  bool waitIdle(int timeoutMs);

 private:
  void start(const std::string& text);

  std::string program_;
  std::vector<std::string> arguments_;
  pid_t child_ = -1;
  std::optional<std::string> pending_;
  unsigned started_ = 0;
  unsigned failures_ = 0;
};

}  // namespace daihoi::kiosk
