// The `tflite` backend; see tflite_backend.h.
#include "backend/tflite_backend.h"

#include "backend/runtime_loader.h"
#include "backend/tflite_interpreter.h"

namespace coralpi {

Result<std::unique_ptr<Backend>> CreateTfLiteBackend(const ModelSource& model,
                                                     const TfLiteBackendOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(const TfLiteLibrary* lib, LoadTfLiteLibrary(options.tflite_lib));
  const std::string base = "TensorFlow Lite " + lib->version + " (" + lib->path + "), " +
                           std::to_string(options.threads) + " thread" +
                           (options.threads == 1 ? "" : "s") + " for its own kernels";
  std::string xnnpack_failure;
  if (options.use_xnnpack && lib->has_xnnpack) {
    InterpreterSpec spec{lib, model, options.threads, {}, "tflite", ""};
    // nullptr: the delegate's documented default options (see tflite_c_api.h).
    spec.delegates.emplace_back(lib->api.TfLiteXNNPackDelegateCreate(nullptr),
                                lib->api.TfLiteXNNPackDelegateDelete);
    if (spec.delegates.back().get()) {
      spec.details = base + "; XNNPACK delegate (its default options) on the operators it takes";
      auto backend = CreateInterpreterBackend(std::move(spec));
      if (backend.ok()) return backend;
      xnnpack_failure = backend.error().message;
    } else {
      xnnpack_failure = "TfLiteXNNPackDelegateCreate returned null";
    }
  }
  InterpreterSpec spec{lib, model, options.threads, {}, "tflite", ""};
  if (!options.use_xnnpack) {
    spec.details = base + "; built-in kernels only (XNNPACK not requested)";
  } else if (!lib->has_xnnpack) {
    spec.details = base +
                   "; built-in kernels only (the library exports no "
                   "TfLiteXNNPackDelegateCreate, so no XNNPACK: expect it to be slow)";
  } else {
    spec.details =
        base + "; built-in kernels only (the XNNPACK delegate failed: " + xnnpack_failure + ")";
  }
  return CreateInterpreterBackend(std::move(spec));
}

}  // namespace coralpi
