// The `edgetpu` backend: a TensorFlow Lite interpreter with the Edge TPU delegate of
// libedgetpu on the chosen device, so the compiled segment runs on the TPU and the model's
// CPU operators before and after it run on TensorFlow Lite's kernels. Both libraries are
// loaded at run time. When the TPU cannot be used the error lists every missing piece, the
// first one first (the device on the bus, its driver, /dev node, permission, libedgetpu,
// TensorFlow Lite, the runtime's view of the device, the delegate), and points to `doctor`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/edgetpu_host.h"
#include "backend/runtime_loader.h"

namespace coralpi {

struct EdgeTpuBackendOptions {
  std::string device;  // "", pci, usb, :N, pci:N, usb:N
  std::string edgetpu_lib;
  std::string tflite_lib;
  int threads = 1;                          // for the CPU operators
  std::string root = "/";                   // where sysfs and /dev are read, for the diagnosis
  std::optional<ProcessIdentity> identity;  // default: this process
};

Result<std::unique_ptr<Backend>> CreateEdgeTpuBackend(const ModelSource& model,
                                                      const EdgeTpuBackendOptions& options);

// What the loaded runtime enumerates (edgetpu_list_devices).
struct RuntimeEdgeTpu {
  EdgeTpuDeviceSpec::Bus bus = EdgeTpuDeviceSpec::Bus::kPci;
  std::string path;  // "/dev/apex_0", "/sys/bus/usb/devices/2-1"
};
std::vector<RuntimeEdgeTpu> ListRuntimeEdgeTpus(const EdgeTpuLibrary& lib);
const char* BusName(EdgeTpuDeviceSpec::Bus bus);  // "pci", "usb", "any"

// The number of edgetpu-custom-op nodes in the model's main subgraph.
int CountEdgeTpuCustomOps(const Model& model);

}  // namespace coralpi
