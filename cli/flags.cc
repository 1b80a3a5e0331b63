#include "flags.h"

namespace coralpi::cli {

void AddEngineFlags(CLI::App& app, EngineFlags& flags, bool model_required) {
  auto* model = app.add_option("-m,--model", flags.model, "Model file (.tflite)");
  if (model_required) model->required();
  app.add_option("-t,--threads", flags.threads, "CPU threads for the engine")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_flag("--reference-kernels", flags.reference,
               "Run every operator on the reference kernels instead of XNNPACK (slow)");
}

void AddJsonFlag(CLI::App& app, bool& json) {
  app.add_flag("--json", json, "Print the result as JSON");
}

}  // namespace coralpi::cli
