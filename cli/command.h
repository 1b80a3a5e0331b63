// The CLI's command table: each command lives in its own cmd_<name>.cc and provides one
// function that declares its flags on a CLI11 subcommand and returns what to run.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "core/result.h"

namespace coralpi::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitProblems = 3;  // doctor/setup: checks found problems

// What a command does once its flags are parsed; returns the process exit code.
using RunFn = std::function<int()>;

struct CommandSpec {
  const char* name;
  const char* summary;
  RunFn (*add)(CLI::App& sub);
};

// Prints "coralpi: error: <message>" to stderr and returns kExitError.
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

}  // namespace coralpi::cli
