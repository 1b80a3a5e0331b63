// The `edgetpu` backend; see edgetpu_backend.h.
#include "backend/edgetpu_backend.h"

#include "backend/tflite_interpreter.h"
#include "board/edgetpu_devices.h"

namespace coralpi {
namespace {

using Bus = EdgeTpuDeviceSpec::Bus;

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

// The runtime device the spec names, or nullopt.
std::optional<RuntimeEdgeTpu> Pick(const std::vector<RuntimeEdgeTpu>& devices,
                                   const EdgeTpuDeviceSpec& spec) {
  std::vector<RuntimeEdgeTpu> matching;
  for (const RuntimeEdgeTpu& d : devices) {
    if (spec.bus == Bus::kAny || spec.bus == d.bus) matching.push_back(d);
  }
  size_t index = spec.index < 0 ? 0 : static_cast<size_t>(spec.index);
  if (index >= matching.size()) return std::nullopt;
  return matching[index];
}

std::string Describe(const std::vector<RuntimeEdgeTpu>& devices) {
  std::vector<std::string> items;
  for (const RuntimeEdgeTpu& d : devices)
    items.push_back(std::string(BusName(d.bus)) + " " + d.path);
  return items.empty() ? "none" : Join(items, ", ");
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

int CountEdgeTpuCustomOps(const Model& model) {
  int n = 0;
  for (const OperatorInfo& op : model.main_graph().operators) {
    if (op.code == static_cast<int32_t>(OpCode::kCustom) && op.custom_code == "edgetpu-custom-op") {
      ++n;
    }
  }
  return n;
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

Result<std::unique_ptr<Backend>> CreateEdgeTpuBackend(const ModelSource& model,
                                                      const EdgeTpuBackendOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(EdgeTpuDeviceSpec spec, ParseEdgeTpuDeviceSpec(options.device));
  const std::string where = model.model->name();
  const int tpu_ops = CountEdgeTpuCustomOps(*model.model);
  if (tpu_ops == 0) {
    return MakeError(where,
                     "has no edgetpu-custom-op, so the Edge TPU would run none of it: compile it "
                     "with the Edge TPU compiler (edgetpu_compiler) to use the TPU, or run it "
                     "with --backend cpu");
  }
  // Each piece, in the order a user has to fix them.
  board::RootFs fs(options.root);
  EdgeTpuHostReport host = DiagnoseEdgeTpuHost(
      fs, board::ScanEdgeTpus(fs), spec, options.identity.value_or(ProcessIdentity::Current()));
  std::vector<std::string> missing = host.problems;
  Result<const EdgeTpuLibrary*> edgetpu = LoadEdgeTpuLibrary(options.edgetpu_lib);
  if (!edgetpu.ok()) missing.push_back("libedgetpu: " + edgetpu.error().message);
  Result<const TfLiteLibrary*> tflite = LoadTfLiteLibrary(options.tflite_lib);
  if (!tflite.ok()) missing.push_back("TensorFlow Lite: " + tflite.error().message);

  if (edgetpu.ok() && tflite.ok()) {
    const EdgeTpuLibrary& etpu = **edgetpu;
    std::vector<RuntimeEdgeTpu> devices = ListRuntimeEdgeTpus(etpu);
    std::optional<RuntimeEdgeTpu> device = Pick(devices, spec);
    if (!device) {
      missing.push_back("libedgetpu " + etpu.version + " finds no Edge TPU" +
                        (spec.text.empty() ? "" : " matching --device " + spec.text) +
                        " (it lists: " + Describe(devices) + ")");
    } else {
      capi::edgetpu_device_type type =
          device->bus == Bus::kUsb ? capi::EDGETPU_APEX_USB : capi::EDGETPU_APEX_PCI;
      DelegateHandle delegate(
          etpu.api.edgetpu_create_delegate(type, device->path.c_str(), nullptr, 0),
          etpu.api.edgetpu_free_delegate);
      const std::string device_name = std::string(BusName(device->bus)) + " " + device->path;
      if (!delegate.get()) {
        missing.push_back("libedgetpu refused to open the Edge TPU " + device_name +
                          " (edgetpu_create_delegate returned null): another process may hold "
                          "it, or its firmware or driver failed (see dmesg)");
      } else {
        const int cpu_ops = static_cast<int>(model.model->main_graph().operators.size()) - tpu_ops;
        InterpreterSpec is{*tflite, model, options.threads, {}, "edgetpu", ""};
        is.details = "Edge TPU " + device_name + " through libedgetpu " + etpu.version + " (" +
                     etpu.path + "): " + std::to_string(tpu_ops) + " edgetpu-custom-op node" +
                     (tpu_ops == 1 ? "" : "s") + " on the TPU, " + std::to_string(cpu_ops) +
                     " operator" + (cpu_ops == 1 ? "" : "s") + " on TensorFlow Lite " +
                     (*tflite)->version + " CPU kernels";
        is.delegates.push_back(std::move(delegate));
        auto backend = CreateInterpreterBackend(std::move(is));
        if (backend.ok()) return backend;
        missing.push_back("the Edge TPU delegate was refused: " + backend.error().message +
                          " (libedgetpu and libtensorflowlite_c must be built from the same "
                          "TensorFlow version)");
      }
    }
  }
  if (missing.empty()) missing.push_back("unknown reason");
  return MakeError(where, "cannot run on an Edge TPU:\n  - " + Join(missing, "\n  - ") +
                              "\n  Run `coralpi doctor` for a full check of the TPU setup.");
}

}  // namespace coralpi
