// Finding and opening an Edge TPU through libedgetpu's C functions alone.
//
// What the loaded runtime lists (edgetpu_list_devices), the version gate (the direct path needs
// RuntimeVersion 14: libedgetpu 16.0 or later), and the open device: edgetpu_create_delegate
// opens it, and its delegate's Prepare, run once on coralpi's own TfLiteContext, hands over the
// device context that the custom op asks for (SetExternalContext(kTfLiteEdgeTpuContext)).
// libedgetpu aborts when a device is released twice or while nodes still use it, so each device
// is opened once per process and shared: it is released when its last user lets go, and every
// user (a custom-op node, a TensorFlow Lite interpreter) holds it while it needs it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/edgetpu_host.h"
#include "backend/runtime_loader.h"
#include "backend/tflite_abi.h"

namespace coralpi {

// What the loaded runtime enumerates (edgetpu_list_devices).
struct RuntimeEdgeTpu {
  EdgeTpuDeviceSpec::Bus bus = EdgeTpuDeviceSpec::Bus::kPci;
  std::string path;  // "/dev/apex_0", "/sys/bus/usb/devices/2-1"
};
std::vector<RuntimeEdgeTpu> ListRuntimeEdgeTpus(const EdgeTpuLibrary& lib);
const char* BusName(EdgeTpuDeviceSpec::Bus bus);  // "pci", "usb", "any"
std::string DeviceName(const RuntimeEdgeTpu& d);  // "pci /dev/apex_0"
// The runtime device the spec names ("usb:1": the second USB one), or nullopt.
std::optional<RuntimeEdgeTpu> PickRuntimeEdgeTpu(const std::vector<RuntimeEdgeTpu>& devices,
                                                 const EdgeTpuDeviceSpec& spec);
// "pci /dev/apex_0, usb /sys/bus/usb/devices/2-1", or "none".
std::string DescribeRuntimeEdgeTpus(const std::vector<RuntimeEdgeTpu>& devices);

// Whether coralpi can run libedgetpu's custom op itself with this library: RuntimeVersion 14 or
// newer and edgetpu::RegisterCustomOp exported. The error names what was found and what to
// install.
Status CheckDirectEdgeTpuRuntime(const EdgeTpuLibrary& lib);

class EdgeTpuDevice {
 public:
  ~EdgeTpuDevice();  // edgetpu_free_delegate
  EdgeTpuDevice(const EdgeTpuDevice&) = delete;
  EdgeTpuDevice& operator=(const EdgeTpuDevice&) = delete;

  const EdgeTpuLibrary& lib() const { return *lib_; }
  const RuntimeEdgeTpu& id() const { return id_; }
  std::string name() const;  // "pci /dev/apex_0"
  // The delegate edgetpu_create_delegate returned (for a TensorFlow Lite interpreter).
  capi::TfLiteDelegate* delegate() const { return delegate_; }
  // The device context the custom op asks for with GetExternalContext(kTfLiteEdgeTpuContext).
  abi::TfLiteExternalContext* context() const { return context_; }

 private:
  friend Result<std::shared_ptr<EdgeTpuDevice>> OpenEdgeTpuDevice(const EdgeTpuLibrary&,
                                                                  const RuntimeEdgeTpu&);
  EdgeTpuDevice() = default;
  const EdgeTpuLibrary* lib_ = nullptr;
  RuntimeEdgeTpu id_;
  capi::TfLiteDelegate* delegate_ = nullptr;
  abi::TfLiteExternalContext* context_ = nullptr;
};

// Opens `device`, or returns it when this process has it open already.
Result<std::shared_ptr<EdgeTpuDevice>> OpenEdgeTpuDevice(const EdgeTpuLibrary& lib,
                                                         const RuntimeEdgeTpu& device);

// Everything between a device string and an open Edge TPU, for the backends: the host as sysfs
// and /dev show it, libedgetpu, the devices it lists, the chosen one opened.
struct EdgeTpuSetupOptions {
  EdgeTpuDeviceSpec spec;  // from --device
  std::string edgetpu_lib;
  bool direct = true;  // also require what the direct path needs (CheckDirectEdgeTpuRuntime)
  // Problems of other pieces the caller needs (e.g. TensorFlow Lite), listed after libedgetpu's;
  // when there are some, no device is opened.
  std::vector<std::string> other_problems;
  std::string root = "/";                   // where sysfs and /dev are read, for the diagnosis
  std::optional<ProcessIdentity> identity;  // default: this process
};
struct EdgeTpuSetup {
  const EdgeTpuLibrary* lib = nullptr;  // when it loaded
  std::shared_ptr<EdgeTpuDevice> device;
  // Empty when `device` is open; else every problem, in the order a user fixes them.
  std::vector<std::string> problems;
};
EdgeTpuSetup SetUpEdgeTpu(const EdgeTpuSetupOptions& options);

// "<model>: cannot run on an Edge TPU:\n  - <problem>\n  ...\n  Run `coralpi doctor` ...".
Error CannotRunOnEdgeTpu(const std::string& model, const std::vector<std::string>& problems);

}  // namespace coralpi
