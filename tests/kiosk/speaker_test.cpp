#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "kiosk/speaker.hpp"

using namespace daihoi::kiosk;
namespace fs = std::filesystem;

namespace {

struct FakeSpeech {
  fs::path dir;
  std::string program;
  fs::path log;
  explicit FakeSpeech(double seconds = 0) {
    std::random_device random;
    dir = fs::temp_directory_path() / ("daihoi-kiosk-speech-" + std::to_string(random()));
    fs::create_directories(dir);
    log = dir / "said.txt";
    program = (dir / "fake-espeak").string();
    // Writes each argument on its own line, after an optional pause (a slow voice).
    std::ofstream(program) << "#!/bin/sh\nsleep " << seconds << "\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '"
                           << log.string() << "'\n";
    ::chmod(program.c_str(), 0755);
  }
  ~FakeSpeech() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string said() const {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

}  // namespace

TEST_CASE("findProgram looks through PATH") {
  FakeSpeech fake;
  CHECK(findProgram("fake-espeak", "/nonexistent:" + fake.dir.string()) == fake.program);
  CHECK_FALSE(findProgram("fake-espeak", "/nonexistent:/usr/bin"));
  CHECK(findProgram(fake.program, "") == fake.program);
  CHECK(findProgram("sh", "/bin:/usr/bin").has_value());
  CHECK_FALSE(findProgram("", "/bin"));
}

TEST_CASE("the text goes to the program as one argument, never through a shell") {
  FakeSpeech fake;
  {
    Speaker speaker(fake.program, {"-v", "vi"});
    speaker.say("Xin chào Nguyễn Văn An. Ghế A-1; $(touch pwned) `id` \"quoted\"");
    CHECK(speaker.waitIdle(5000));
    CHECK(speaker.started() == 1);
  }
  CHECK(fake.said() == "-v\nvi\nXin chào Nguyễn Văn An. Ghế A-1; $(touch pwned) `id` \"quoted\"\n");
  CHECK_FALSE(fs::exists(fake.dir / "pwned"));
  CHECK_FALSE(fs::exists("pwned"));
}

TEST_CASE("speaking never blocks, and only the newest waiting text is kept") {
  FakeSpeech fake(0.4);
  Speaker speaker(fake.program, {});
  const auto start = std::chrono::steady_clock::now();
  speaker.say("one");
  speaker.say("two");    // waits
  speaker.say("three");  // replaces "two"
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::milliseconds(200));
  CHECK(speaker.speaking());
  CHECK(speaker.waitIdle(5000));
  CHECK(speaker.started() == 2);
  CHECK(fake.said() == "one\nthree\n");
}
