// Flags shared by several commands, declared one way for all of them.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace coralpi::cli {

struct EngineFlags {
  std::string model;
  int threads = 1;
  bool reference = false;  // run every operator on the reference kernels (slow; for checks)
};

// --model (required or not), --threads, --reference-kernels.
void AddEngineFlags(CLI::App& app, EngineFlags& flags, bool model_required);
void AddJsonFlag(CLI::App& app, bool& json);

}  // namespace coralpi::cli
