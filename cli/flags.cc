#include "flags.h"

#include <unistd.h>

#include <algorithm>

namespace coralpi::cli {

int OnlineCpuCount() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<int>(std::clamp<long>(n, 1, 256));
}

void AddEngineFlags(CLI::App& app, EngineFlags& flags, bool model_required) {
  auto* model = app.add_option("-m,--model", flags.model, "Model file (.tflite)");
  if (model_required) model->required();
  flags.threads = OnlineCpuCount();
  app.add_option("-t,--threads", flags.threads, "CPU threads for the engine (default: online CPUs)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_flag("--reference-kernels", flags.reference,
               "Run every operator on the reference kernels instead of XNNPACK (slow)");
}

void AddJsonFlag(CLI::App& app, bool& json) {
  app.add_flag("--json", json, "Print the result as JSON");
}

void AddBackendFlags(CLI::App& app, BackendFlags& flags, bool list,
                     const std::string& default_backend) {
  flags.backend = default_backend;
  app.add_option(
         list ? "-b,--backend,--backends" : "-b,--backend", flags.backend,
         list ? "Backends to run, comma-separated: cpu, edgetpu, tflite, tflite-edgetpu, auto"
              : "auto (Edge TPU for compiled models when usable, else the CPU engine), "
                "cpu, edgetpu (libedgetpu run by coralpi's engine; no TensorFlow Lite), "
                "tflite (TensorFlow Lite's C library) or tflite-edgetpu (TensorFlow "
                "Lite with libedgetpu's delegate)")
      ->capture_default_str()
      ->check(CLI::Validator(
          [list](std::string& value) -> std::string {
            if (list) {
              auto kinds = ParseBackendList(value);
              return kinds.ok() ? "" : kinds.error().message;
            }
            auto kind = ParseBackendKind(value);
            return kind.ok() ? "" : kind.error().message;
          },
          list ? "LIST" : "NAME"));
  app.add_option("--device", flags.device,
                 "Edge TPU to use: pci, usb, pci:N, usb:N or :N (default: the first found)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            auto spec = ParseEdgeTpuDeviceSpec(value);
            return spec.ok() ? "" : spec.error().message;
          },
          "DEVICE"));
  app.add_option("--edgetpu-lib", flags.edgetpu_lib,
                 "libedgetpu.so.1 to load (default: $CORALPI_EDGETPU_LIB, else the library path)");
  app.add_option("--tflite-lib", flags.tflite_lib,
                 "libtensorflowlite_c.so to load (default: $CORALPI_TFLITE_LIB, else the "
                 "library path)");
}

BackendRequest MakeBackendRequest(BackendKind kind, const EngineFlags& engine,
                                  const BackendFlags& flags) {
  BackendRequest r;
  r.kind = kind;
  r.threads = engine.threads;
  r.reference_kernels = engine.reference;
  r.device = flags.device;
  r.edgetpu_lib = flags.edgetpu_lib;
  r.tflite_lib = flags.tflite_lib;
  return r;
}

}  // namespace coralpi::cli
