// The Edge TPU backends.
//
// `edgetpu` (the default for compiled models): coralpi's CPU engine runs the model's plan, and
// each edgetpu-custom-op node in it runs on the chosen Edge TPU through libedgetpu's own kernel,
// hosted by coralpi (edgetpu_custom_op.h). Only libedgetpu.so.1 (RuntimeVersion 14 or newer) is
// needed; no TensorFlow Lite library.
//
// `tflite-edgetpu`: TensorFlow Lite's C library with libedgetpu's delegate, for comparison; both
// libraries must be built from the same TensorFlow version.
//
// When the TPU cannot be used the error lists every missing piece, the first one first (the
// device on the bus, its driver, /dev node, permission, libedgetpu and its version, the
// runtime's view of the device, opening it), and points to `doctor`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backend/backend.h"
#include "backend/edgetpu_device.h"
#include "backend/edgetpu_host.h"

namespace coralpi {

struct EdgeTpuBackendOptions {
  std::string device;  // "", pci, usb, :N, pci:N, usb:N
  std::string edgetpu_lib;
  std::string tflite_lib;                   // tflite-edgetpu only
  int threads = 1;                          // for the CPU operators
  std::string root = "/";                   // where sysfs and /dev are read, for the diagnosis
  std::optional<ProcessIdentity> identity;  // default: this process
};

Result<std::unique_ptr<Backend>> CreateEdgeTpuBackend(const ModelSource& model,
                                                      const EdgeTpuBackendOptions& options);
Result<std::unique_ptr<Backend>> CreateTfLiteEdgeTpuBackend(const ModelSource& model,
                                                            const EdgeTpuBackendOptions& options);

// The number of edgetpu-custom-op nodes in the model's main subgraph.
int CountEdgeTpuCustomOps(const Model& model);

}  // namespace coralpi
