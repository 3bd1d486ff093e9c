#pragma once
// The `daihoi` program: parse, connect, sign in, run one command, print, exit code.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace daihoi::cli {

// `args` excludes the program name; `environmentUrl` is $DAIHOI_URL when set.
int runCli(const std::vector<std::string>& args, const std::optional<std::string>& environmentUrl, std::ostream& out,
           std::ostream& err);

// main(): reads the environment, installs Ctrl-C handling for `watch`, uses std::cout and std::cerr.
int runCli(int argc, char** argv);

}  // namespace daihoi::cli
