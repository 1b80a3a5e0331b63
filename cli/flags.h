// Flags shared by several commands, declared one way for all of them.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "backend/backend_factory.h"

namespace coralpi::cli {

struct EngineFlags {
  std::string model;
  int threads = 1;         // AddEngineFlags sets the default: the number of online CPUs
  bool reference = false;  // run every operator on the reference kernels (slow; for checks)
};

// The number of online CPUs (at least 1): the default of --threads.
int OnlineCpuCount();

// --model (required or not), --threads (default: the online CPUs), --reference-kernels.
void AddEngineFlags(CLI::App& app, EngineFlags& flags, bool model_required);
void AddJsonFlag(CLI::App& app, bool& json);

// Which backend runs the model, and where its optional runtimes live.
struct BackendFlags {
  std::string backend = "auto";  // one name, or a comma list where the command allows it
  std::string device;            // Edge TPU: "", pci, usb, :N, pci:N, usb:N
  std::string edgetpu_lib;       // libedgetpu.so.1 path
  std::string tflite_lib;        // libtensorflowlite_c.so path
};

// --backend, --device, --edgetpu-lib, --tflite-lib. `list` lets --backend take "cpu,tflite".
void AddBackendFlags(CLI::App& app, BackendFlags& flags, bool list = false,
                     const std::string& default_backend = "auto");

// The request for one backend kind, from the shared flags.
BackendRequest MakeBackendRequest(BackendKind kind, const EngineFlags& engine,
                                  const BackendFlags& flags);

}  // namespace coralpi::cli
