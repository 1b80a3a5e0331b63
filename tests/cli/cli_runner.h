// Runs the built coralpi binary and captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace coralpi::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `args` are passed through the shell, each single-quoted.
CliResult RunCoralpi(const std::vector<std::string>& args);

}  // namespace coralpi::testing
