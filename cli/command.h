// The CLI's command table: each command lives in its own cmd_<name>.cc and provides one
// function that declares its flags on a CLI11 subcommand and returns what to run.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "core/result.h"

namespace coralpi::cli {

// Exit codes shared by every command; an error's kind picks one (ExitCodeFor).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;        // internal or unclassified error
inline constexpr int kExitUsage = 2;        // bad flag, argument or option value
inline constexpr int kExitProblems = 3;     // doctor/setup: checks found problems
inline constexpr int kExitFile = 4;         // a file is missing or unusable (corrupt, truncated)
inline constexpr int kExitUnsupported = 5;  // valid input this build cannot run (an operator)
inline constexpr int kExitDevice = 6;       // the Edge TPU or its runtime is absent or failing

// The exit code for an error of `kind`.
int ExitCodeFor(ErrorKind kind);

// What a command does once its flags are parsed; returns the process exit code.
using RunFn = std::function<int()>;

struct CommandSpec {
  const char* name;
  const char* summary;
  RunFn (*add)(CLI::App& sub);
};

// Prints "coralpi: error: <message>" to stderr and returns ExitCodeFor(error.kind).
int ReportError(const Error& error);

// Declared by each command file.
RunFn AddClassifyCommand(CLI::App& sub);
RunFn AddInspectCommand(CLI::App& sub);
RunFn AddBenchCommand(CLI::App& sub);
RunFn AddDoctorCommand(CLI::App& sub);
RunFn AddSetupCommand(CLI::App& sub);
RunFn AddDevicesCommand(CLI::App& sub);
RunFn AddCompareCommand(CLI::App& sub);
RunFn AddDetectCommand(CLI::App& sub);
RunFn AddSegmentCommand(CLI::App& sub);
RunFn AddPoseCommand(CLI::App& sub);
RunFn AddWatchCommand(CLI::App& sub);
RunFn AddServeCommand(CLI::App& sub);

}  // namespace coralpi::cli
