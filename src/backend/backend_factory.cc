// Backend choice; see backend_factory.h.
#include "backend/backend_factory.h"

#include <sys/stat.h>

#include <algorithm>

#include "backend/edgetpu_backend.h"
#include "backend/runtime_loader.h"
#include "backend/tflite_backend.h"
#include "host/edgetpu_devices.h"

namespace coralpi {
namespace {

struct KindEntry {
  BackendKind kind;
  const char* name;
};
// The backends, in the order help texts list them.
constexpr KindEntry kKinds[] = {
    {BackendKind::kAuto, "auto"},
    {BackendKind::kCpu, "cpu"},
    {BackendKind::kTfLite, "tflite"},
    {BackendKind::kEdgeTpu, "edgetpu"},
    {BackendKind::kTfLiteEdgeTpu, "tflite-edgetpu"},
};

Result<BackendChoice> Cpu(const ModelSource& model, const BackendRequest& r, std::string reason) {
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<Backend> b,
                           CreateCpuBackend(model.model, {r.threads, r.reference_kernels}));
  return BackendChoice{std::move(b), std::move(reason), {}};
}

Result<BackendChoice> TfLite(const ModelSource& model, const BackendRequest& r,
                             std::string reason) {
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<Backend> b,
                           CreateTfLiteBackend(model, {r.threads, r.tflite_lib, true}));
  return BackendChoice{std::move(b), std::move(reason), {}};
}

Result<BackendChoice> EdgeTpu(const ModelSource& model, const BackendRequest& r, std::string reason,
                              bool through_tflite = false) {
  EdgeTpuBackendOptions o;
  o.device = r.device;
  o.edgetpu_lib = r.edgetpu_lib;
  o.tflite_lib = r.tflite_lib;
  o.threads = r.threads;
  o.root = r.root;
  o.identity = r.identity;
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<Backend> b, through_tflite
                                                           ? CreateTfLiteEdgeTpuBackend(model, o)
                                                           : CreateEdgeTpuBackend(model, o));
  return BackendChoice{std::move(b), std::move(reason), {}};
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool NamedEdgeTpuModel(const std::string& path) { return path.ends_with("_edgetpu.tflite"); }

Result<BackendChoice> Auto(const ModelSource& model, const BackendRequest& r) {
  const int tpu_ops = CountEdgeTpuCustomOps(*model.model);
  if (tpu_ops > 0) {
    auto tpu =
        EdgeTpu(model, r,
                "auto: the model holds " + std::to_string(tpu_ops) + " edgetpu-custom-op node" +
                    (tpu_ops == 1 ? "" : "s") + " and an Edge TPU and its runtime are usable");
    if (tpu.ok()) return tpu;
    std::string message = tpu.error().message +
                          "\n  This model is compiled for the Edge TPU; the CPU engine cannot run "
                          "its edgetpu-custom-op.";
    std::string plain = PlainModelBeside(model.model->name());
    if (!plain.empty()) message += " Its CPU version is " + plain + ": use --model " + plain + ".";
    return Error{message, tpu.error().kind};
  }
  auto cpu = Cpu(model, r, "auto: the model has no edgetpu-custom-op, so the CPU engine runs it");
  if (!cpu.ok()) {
    auto tfl = TfLite(model, r,
                      "auto: the CPU engine cannot run this model (" + cpu.error().message +
                          "), TensorFlow Lite can");
    if (!tfl.ok()) return cpu.error();
    cpu = std::move(tfl);
  }
  board::RootFs fs(r.root);
  board::EdgeTpuDevices tpus = board::ScanEdgeTpus(fs);
  // A model already named as compiled gets CreateBackend's warning instead of this hint.
  if ((!tpus.pcie.empty() || !tpus.usb.empty()) && !NamedEdgeTpuModel(model.model->name())) {
    cpu->notes.push_back(
        "an Edge TPU is present, but this model has no edgetpu-custom-op: compile it with the "
        "Edge TPU compiler (edgetpu_compiler; it has no ARM build, so compile on an x86 machine "
        "or in Coral's Colab) to run it on the TPU");
  }
  return cpu;
}

Result<BackendChoice> Choose(const ModelSource& model, const BackendRequest& r) {
  switch (r.kind) {
    case BackendKind::kAuto:
      return Auto(model, r);
    case BackendKind::kCpu:
      return Cpu(model, r, "--backend cpu: the CPU engine");
    case BackendKind::kTfLite:
      return TfLite(model, r, "--backend tflite: TensorFlow Lite's C library on the CPU");
    case BackendKind::kEdgeTpu:
      return EdgeTpu(model, r, "--backend edgetpu: libedgetpu run by coralpi's engine");
    case BackendKind::kTfLiteEdgeTpu:
      return EdgeTpu(model, r,
                     "--backend tflite-edgetpu: TensorFlow Lite's C library with the Edge TPU "
                     "delegate",
                     /*through_tflite=*/true);
  }
  return Error{"unknown backend"};
}

}  // namespace

const char* BackendKindName(BackendKind kind) {
  for (const KindEntry& e : kKinds) {
    if (e.kind == kind) return e.name;
  }
  return "?";
}

Result<BackendKind> ParseBackendKind(const std::string& name) {
  for (const KindEntry& e : kKinds) {
    if (name == e.name) return e.kind;
  }
  return MakeError(ErrorKind::kBadArgument, "--backend " + name,
                   "unknown backend: expected auto, cpu, edgetpu, tflite or tflite-edgetpu");
}

bool RunsEdgeTpuModels(BackendKind kind) {
  return kind == BackendKind::kEdgeTpu || kind == BackendKind::kTfLiteEdgeTpu;
}

Result<std::vector<BackendKind>> ParseBackendList(const std::string& list) {
  std::vector<BackendKind> out;
  size_t start = 0;
  while (true) {
    size_t comma = list.find(',', start);
    std::string item =
        list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) {
      return MakeError(ErrorKind::kBadArgument, "--backend " + list,
                       "empty backend name in the list");
    }
    CORALPI_ASSIGN_OR_RETURN(BackendKind kind, ParseBackendKind(item));
    if (std::find(out.begin(), out.end(), kind) != out.end()) {
      return MakeError(ErrorKind::kBadArgument, "--backend " + list,
                       std::string(item) + " is listed twice");
    }
    out.push_back(kind);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string PlainModelBeside(const std::string& path) {
  const std::string suffix = "_edgetpu.tflite";
  if (path.size() <= suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  std::string plain = path.substr(0, path.size() - suffix.size()) + ".tflite";
  return FileExists(plain) ? plain : "";
}

std::string EdgeTpuModelBeside(const std::string& path) {
  const std::string suffix = ".tflite";
  if (path.size() <= suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0 ||
      path.ends_with("_edgetpu.tflite")) {
    return "";
  }
  std::string compiled = path.substr(0, path.size() - suffix.size()) + "_edgetpu.tflite";
  return FileExists(compiled) ? compiled : "";
}

Result<BackendChoice> CreateBackend(const ModelSource& model, const BackendRequest& r) {
  Result<BackendChoice> choice = Choose(model, r);
  // What the Edge TPU compiler writes when it maps nothing keeps the compiled name but holds no
  // edgetpu-custom-op: say so rather than let the name suggest a TPU at work.
  if (choice.ok() && NamedEdgeTpuModel(model.model->name()) &&
      CountEdgeTpuCustomOps(*model.model) == 0) {
    choice->notes.insert(choice->notes.begin(),
                         model.model->name() +
                             " is named as compiled for the Edge TPU but holds no "
                             "edgetpu-custom-op: nothing of it will run on the TPU");
  }
  return choice;
}

}  // namespace coralpi
