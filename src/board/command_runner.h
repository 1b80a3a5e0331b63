// Commands setup runs on the machine (dkms build / dkms install) go through one interface, so
// tests record them with a fake and only the running system ("/") ever executes them.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi::board {

struct CommandResult {
  int exit_code = 0;
  std::string output;  // stdout and stderr, interleaved
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs argv[0] (looked up in PATH) with the arguments; an error only when it cannot be started.
  virtual Result<CommandResult> Run(const std::vector<std::string>& argv) = 0;
};

// Runs commands on this machine, and only when `root` is "/": for any other root it refuses
// (a tree under --root is another machine's; its dkms would build for this one's kernel).
class SystemCommandRunner : public CommandRunner {
 public:
  explicit SystemCommandRunner(std::string root) : root_(std::move(root)) {}
  Result<CommandResult> Run(const std::vector<std::string>& argv) override;

 private:
  std::string root_;
};

// "dkms build -m gasket -v 1.0 -k 6.12.47+rpt-rpi-v8" (arguments with blanks quoted).
std::string CommandLine(const std::vector<std::string>& argv);

}  // namespace coralpi::board
