// Two binaries, one command line. `coralpi` runs the commands that need the engine, the
// images and the board (classify, detect, bench, doctor, ...) and links only their libraries;
// `coralpi-live` is the whole CLI, linked with the video and service libraries too (GStreamer,
// libmosquitto, cpp-httplib with OpenSSL, yaml-cpp). Loading those costs a process about 6 MiB
// of memory and its start-up time, so `coralpi` hands `watch`, `serve` and `bench --source` to
// coralpi-live: it executes it with its own command line, in the same process.
#pragma once

#include <string>
#include <vector>

#include "command.h"

namespace coralpi::cli {

// Keeps the command line for RunInLiveBinary (main calls it first).
void RememberCommandLine(int argc, char** argv);

// Where coralpi-live is looked for, in order: next to this binary (the build tree), then in
// ../libexec/coralpi/ from it (an installed package).
std::vector<std::string> LiveBinaryCandidates();

// Executes coralpi-live with this process's command line; returns (an error exit code, with
// the reason on stderr) only when it cannot.
int RunInLiveBinary();

// A command of coralpi-live: takes any arguments (its help included) and hands them over.
RunFn AddForwardedCommand(CLI::App& sub);

}  // namespace coralpi::cli
