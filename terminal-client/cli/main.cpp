#include "cli/commands.hpp"

int main(int argc, char** argv) { return daihoi::cli::runCli(argc, argv); }
