// The Edge TPU backends; see edgetpu_backend.h.
#include "backend/edgetpu_backend.h"

#include "backend/edgetpu_custom_op.h"
#include "backend/tflite_interpreter.h"
#include "engine/cpu_engine.h"
#include "engine/native/native_node.h"

namespace coralpi {
namespace {

std::string Plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "N on own <ISA> kernels, " when the engine's own kernels (engine/native) run any node.
std::string OwnKernels(const CpuEngine& engine) {
  if (engine.native_node_count() == 0) return "";
  return std::to_string(engine.native_node_count()) + " on own " + native::RunnerName() +
         " kernels, ";
}

// The model's checks common to both routes, then the Edge TPU set up; errors name the model.
Result<EdgeTpuSetup> SetUp(const ModelSource& model, const EdgeTpuBackendOptions& o, bool direct,
                           std::vector<std::string> other_problems) {
  CORALPI_ASSIGN_OR_RETURN(EdgeTpuDeviceSpec spec, ParseEdgeTpuDeviceSpec(o.device));
  const std::string where = model.model->name();
  if (CountEdgeTpuCustomOps(*model.model) == 0) {
    return MakeError(ErrorKind::kUnsupported, where,
                     "has no edgetpu-custom-op, so the Edge TPU would run none of it: compile it "
                     "with the Edge TPU compiler (edgetpu_compiler) to use the TPU, or run it "
                     "with --backend cpu");
  }
  EdgeTpuSetupOptions so;
  so.spec = spec;
  so.edgetpu_lib = o.edgetpu_lib;
  so.direct = direct;
  so.other_problems = std::move(other_problems);
  so.root = o.root;
  so.identity = o.identity;
  EdgeTpuSetup setup = SetUpEdgeTpu(so);
  if (!setup.device) return CannotRunOnEdgeTpu(where, setup.problems);
  return setup;
}

}  // namespace

int CountEdgeTpuCustomOps(const Model& model) {
  int n = 0;
  for (const OperatorInfo& op : model.main_graph().operators) {
    if (op.code == static_cast<int32_t>(OpCode::kCustom) &&
        op.custom_code == kEdgeTpuCustomOpCode) {
      ++n;
    }
  }
  return n;
}

Result<std::unique_ptr<Backend>> CreateEdgeTpuBackend(const ModelSource& model,
                                                      const EdgeTpuBackendOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(EdgeTpuSetup setup, SetUp(model, options, /*direct=*/true, {}));
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<EdgeTpuCustomOps> ops,
                           EdgeTpuCustomOps::Create(*setup.lib, model.model, setup.device));
  CpuEngineOptions engine_options;
  engine_options.threads = options.threads;
  engine_options.external.push_back(ops->Nodes());
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<CpuEngine> engine,
                           CpuEngine::Create(model.model, engine_options));
  const EdgeTpuLibrary& lib = *setup.lib;
  std::string details =
      "Edge TPU " + setup.device->name() + " through libedgetpu " + lib.version + " (" + lib.path +
      "): " + Plural(engine->external_node_count(), "edgetpu-custom-op node") + " on the TPU, " +
      Plural(engine->native_node_count() + engine->xnnpack_node_count() +
                 engine->reference_node_count() + engine->table_node_count(),
             "operator") +
      " on the CPU engine (" + OwnKernels(*engine) + std::to_string(engine->xnnpack_node_count()) +
      " on XNNPACK, " + std::to_string(engine->reference_node_count()) + " on reference kernels" +
      engine->folded_summary() + "); no TensorFlow Lite";
  return WrapCpuEngine(std::move(engine), "edgetpu", std::move(details), ops);
}

Result<std::unique_ptr<Backend>> CreateTfLiteEdgeTpuBackend(const ModelSource& model,
                                                            const EdgeTpuBackendOptions& options) {
  Result<const TfLiteLibrary*> tflite = LoadTfLiteLibrary(options.tflite_lib);
  std::vector<std::string> other;
  if (!tflite.ok()) other.push_back("TensorFlow Lite: " + tflite.error().message);
  CORALPI_ASSIGN_OR_RETURN(EdgeTpuSetup setup,
                           SetUp(model, options, /*direct=*/false, std::move(other)));
  const int tpu_ops = CountEdgeTpuCustomOps(*model.model);
  const int cpu_ops = static_cast<int>(model.model->main_graph().operators.size()) - tpu_ops;
  InterpreterSpec is{*tflite, model, options.threads, {}, "tflite-edgetpu", ""};
  is.details = "Edge TPU " + setup.device->name() + " through libedgetpu " + setup.lib->version +
               " (" + setup.lib->path +
               ") as TensorFlow Lite's delegate: " + Plural(tpu_ops, "edgetpu-custom-op node") +
               " on the TPU, " + Plural(cpu_ops, "operator") + " on TensorFlow Lite " +
               (*tflite)->version + " CPU kernels";
  // The device owns the delegate; the interpreter only uses it, and holds the device.
  is.delegates.emplace_back(setup.device->delegate(), nullptr);
  is.keep_alive = setup.device;
  auto backend = CreateInterpreterBackend(std::move(is));
  if (backend.ok()) return backend;
  return CannotRunOnEdgeTpu(model.model->name(),
                            {"the Edge TPU delegate was refused: " + backend.error().message +
                             " (libedgetpu and libtensorflowlite_c must be built from the same "
                             "TensorFlow version; --backend edgetpu needs no TensorFlow Lite)"});
}

}  // namespace coralpi
