// Finding and opening an Edge TPU; see edgetpu_device.h.
#include "backend/edgetpu_device.h"

#include <map>
#include <mutex>

#include "backend/tflite_host_context.h"
#include "host/edgetpu_devices.h"
#include "host/edgetpu_runtime.h"

namespace coralpi {
namespace {

using Bus = EdgeTpuDeviceSpec::Bus;

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

// The devices this process has open, by library and device.
std::mutex g_open_mutex;
std::map<std::string, std::weak_ptr<EdgeTpuDevice>>& OpenDevices() {
  static auto* open = new std::map<std::string, std::weak_ptr<EdgeTpuDevice>>;
  return *open;
}

// Runs the delegate's Prepare on a context of coralpi's own with an empty plan: it hands over
// the device context and replaces nothing.
Result<abi::TfLiteExternalContext*> TakeDeviceContext(capi::TfLiteDelegate* delegate) {
  auto* d = reinterpret_cast<abi::TfLiteDelegate*>(delegate);
  if (!d->Prepare) return Error{"the delegate has no Prepare function"};
  TfLiteHostContext probe;
  abi::TfLiteStatus status = d->Prepare(probe.get(), d);
  std::string reported = probe.TakeErrors();
  if (status != abi::kTfLiteOk || !probe.edgetpu_context()) {
    return Error{"the delegate's Prepare " +
                 std::string(status != abi::kTfLiteOk ? "failed" : "set no device context") +
                 (reported.empty() ? "" : ": " + reported)};
  }
  return probe.edgetpu_context();
}

}  // namespace

const char* BusName(Bus bus) {
  switch (bus) {
    case Bus::kPci:
      return "pci";
    case Bus::kUsb:
      return "usb";
    case Bus::kAny:
      break;
  }
  return "any";
}

std::string DeviceName(const RuntimeEdgeTpu& d) {
  return std::string(BusName(d.bus)) + " " + d.path;
}

std::vector<RuntimeEdgeTpu> ListRuntimeEdgeTpus(const EdgeTpuLibrary& lib) {
  std::vector<RuntimeEdgeTpu> out;
  size_t n = 0;
  capi::edgetpu_device* devices = lib.api.edgetpu_list_devices(&n);
  if (!devices) return out;
  for (size_t i = 0; i < n && i < 64; ++i) {
    RuntimeEdgeTpu d;
    d.bus = devices[i].type == capi::EDGETPU_APEX_USB ? Bus::kUsb : Bus::kPci;
    d.path = devices[i].path ? devices[i].path : "";
    out.push_back(std::move(d));
  }
  lib.api.edgetpu_free_devices(devices);
  return out;
}

std::optional<RuntimeEdgeTpu> PickRuntimeEdgeTpu(const std::vector<RuntimeEdgeTpu>& devices,
                                                 const EdgeTpuDeviceSpec& spec) {
  std::vector<RuntimeEdgeTpu> matching;
  for (const RuntimeEdgeTpu& d : devices) {
    if (spec.bus == Bus::kAny || spec.bus == d.bus) matching.push_back(d);
  }
  size_t index = spec.index < 0 ? 0 : static_cast<size_t>(spec.index);
  if (index >= matching.size()) return std::nullopt;
  return matching[index];
}

std::string DescribeRuntimeEdgeTpus(const std::vector<RuntimeEdgeTpu>& devices) {
  std::vector<std::string> items;
  for (const RuntimeEdgeTpu& d : devices) items.push_back(DeviceName(d));
  return items.empty() ? "none" : Join(items, ", ");
}

Status CheckDirectEdgeTpuRuntime(const EdgeTpuLibrary& lib) {
  const std::string install =
      "install libedgetpu1-std or libedgetpu1-max 16.0 (Coral's apt repository) or a newer "
      "build of it (e.g. feranick's Debian packages)";
  if (lib.runtime_version < board::kMinDirectRuntimeVersion) {
    std::string found = lib.runtime_version == 0
                            ? "names no RuntimeVersion"
                            : "is RuntimeVersion " + std::to_string(lib.runtime_version);
    return MakeError(ErrorKind::kDevice, lib.path,
                     "libedgetpu \"" + lib.version + "\" " + found +
                         "; coralpi runs the Edge TPU with RuntimeVersion " +
                         std::to_string(board::kMinDirectRuntimeVersion) +
                         " or newer (libedgetpu 16.0, July 2021, and later): " + install);
  }
  if (!lib.api.RegisterCustomOp) {
    return MakeError(ErrorKind::kDevice, lib.path,
                     std::string("exports no edgetpu::RegisterCustomOp (") +
                         capi::kRegisterCustomOpSymbol +
                         "), which coralpi calls to run the Edge TPU: " + install);
  }
  return OkStatus();
}

EdgeTpuDevice::~EdgeTpuDevice() {
  if (delegate_) lib_->api.edgetpu_free_delegate(delegate_);
}

std::string EdgeTpuDevice::name() const { return DeviceName(id_); }

Result<std::shared_ptr<EdgeTpuDevice>> OpenEdgeTpuDevice(const EdgeTpuLibrary& lib,
                                                         const RuntimeEdgeTpu& device) {
  const std::string key = lib.path + "|" + BusName(device.bus) + "|" + device.path;
  std::lock_guard<std::mutex> lock(g_open_mutex);
  if (std::shared_ptr<EdgeTpuDevice> open = OpenDevices()[key].lock()) return open;
  const std::string name = DeviceName(device);
  capi::edgetpu_device_type type =
      device.bus == Bus::kUsb ? capi::EDGETPU_APEX_USB : capi::EDGETPU_APEX_PCI;
  capi::TfLiteDelegate* delegate =
      lib.api.edgetpu_create_delegate(type, device.path.c_str(), nullptr, 0);
  if (!delegate) {
    return Error{"libedgetpu refused to open the Edge TPU " + name +
                     " (edgetpu_create_delegate returned null): another process may hold it, or "
                     "its firmware or driver failed (see dmesg)",
                 ErrorKind::kDevice};
  }
  std::shared_ptr<EdgeTpuDevice> open(new EdgeTpuDevice());
  open->lib_ = &lib;
  open->id_ = device;
  open->delegate_ = delegate;
  auto context = TakeDeviceContext(delegate);
  if (!context.ok()) {
    return Error{"libedgetpu opened the Edge TPU " + name + " but " + context.error().message,
                 ErrorKind::kDevice};
  }
  open->context_ = *context;
  OpenDevices()[key] = open;
  return open;
}

EdgeTpuSetup SetUpEdgeTpu(const EdgeTpuSetupOptions& o) {
  EdgeTpuSetup setup;
  // Each piece, in the order a user has to fix them.
  board::RootFs fs(o.root);
  EdgeTpuHostReport host = DiagnoseEdgeTpuHost(fs, board::ScanEdgeTpus(fs), o.spec,
                                               o.identity.value_or(ProcessIdentity::Current()));
  setup.problems = host.problems;
  Result<const EdgeTpuLibrary*> lib = LoadEdgeTpuLibrary(o.edgetpu_lib);
  bool usable = lib.ok();
  if (!lib.ok()) {
    setup.problems.push_back("libedgetpu: " + lib.error().message);
  } else if (Status direct = o.direct ? CheckDirectEdgeTpuRuntime(**lib) : OkStatus();
             !direct.ok()) {
    setup.problems.push_back("libedgetpu: " + direct.error().message);
    usable = false;
  }
  setup.problems.insert(setup.problems.end(), o.other_problems.begin(), o.other_problems.end());
  if (lib.ok()) setup.lib = *lib;
  if (!usable || !o.other_problems.empty()) return setup;
  // The runtime has the last word: when it opens a device, what sysfs showed does not matter.
  std::vector<RuntimeEdgeTpu> devices = ListRuntimeEdgeTpus(*setup.lib);
  std::optional<RuntimeEdgeTpu> device = PickRuntimeEdgeTpu(devices, o.spec);
  if (!device) {
    setup.problems.push_back("libedgetpu " + setup.lib->version + " finds no Edge TPU" +
                             (o.spec.text.empty() ? "" : " matching --device " + o.spec.text) +
                             " (it lists: " + DescribeRuntimeEdgeTpus(devices) + ")");
    return setup;
  }
  auto open = OpenEdgeTpuDevice(*setup.lib, *device);
  if (!open.ok()) {
    setup.problems.push_back(open.error().message);
    return setup;
  }
  setup.device = *open;
  setup.problems.clear();
  return setup;
}

Error CannotRunOnEdgeTpu(const std::string& model, const std::vector<std::string>& problems) {
  std::vector<std::string> p =
      problems.empty() ? std::vector<std::string>{"unknown reason"} : problems;
  return Error{model + ": cannot run on an Edge TPU:\n  - " + Join(p, "\n  - ") +
                   "\n  Run `coralpi doctor` for a full check of the TPU setup.",
               ErrorKind::kDevice};
}

}  // namespace coralpi
