// The `tflite` backend; see tflite_backend.h.
#include "backend/tflite_backend.h"

#include "backend/runtime_loader.h"
#include "backend/tflite_interpreter.h"

namespace coralpi {
namespace {

// What the XNNPACK delegate reports it got: its num_threads and whether it made a thread pool.
std::string DescribeXnnpack(const TfLiteLibrary& lib, capi::TfLiteDelegate* d) {
  const capi::TfLiteApi& a = lib.api;
  if (!lib.xnnpack_threads) {
    return "XNNPACK delegate (its default options, no thread pool: this library does not let "
           "coralpi set its threads)";
  }
  const int32_t* num_threads = a.TfLiteXNNPackDelegateGetOptions(d);
  int n = num_threads ? *num_threads : 0;
  std::string pool;
  if (a.TfLiteXNNPackDelegateGetThreadPool) {
    pool = a.TfLiteXNNPackDelegateGetThreadPool(d) ? ", with a thread pool" : ", no thread pool";
  }
  return "XNNPACK delegate (num_threads " + std::to_string(n) + pool + ")";
}

// The XNNPACK delegate on `threads` threads when the library lets coralpi set them (see
// capi::XnnpackOptionsStorage), else on its default options; null when the library fails.
DelegateHandle CreateXnnpackDelegate(const TfLiteLibrary& lib, int threads) {
  const capi::TfLiteApi& a = lib.api;
  if (!lib.xnnpack_threads) {
    return DelegateHandle(a.TfLiteXNNPackDelegateCreate(nullptr), a.TfLiteXNNPackDelegateDelete);
  }
  capi::XnnpackOptionsStorage options = a.TfLiteXNNPackDelegateOptionsDefault();
  // As TensorFlow Lite's own interpreter does: no thread pool for a single thread.
  options.num_threads = threads > 1 ? threads : 0;
  return DelegateHandle(a.TfLiteXNNPackDelegateCreate(&options), a.TfLiteXNNPackDelegateDelete);
}

}  // namespace

Result<std::unique_ptr<Backend>> CreateTfLiteBackend(const ModelSource& model,
                                                     const TfLiteBackendOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(const TfLiteLibrary* lib, LoadTfLiteLibrary(options.tflite_lib));
  const std::string base = "TensorFlow Lite " + lib->version + " (" + lib->path + "), " +
                           std::to_string(options.threads) + " thread" +
                           (options.threads == 1 ? "" : "s") + " for its own kernels";
  std::string xnnpack_failure;
  if (options.use_xnnpack && lib->has_xnnpack) {
    InterpreterSpec spec{lib, model, options.threads, {}, "tflite", ""};
    spec.delegates.push_back(CreateXnnpackDelegate(*lib, options.threads));
    if (capi::TfLiteDelegate* d = spec.delegates.back().get()) {
      spec.details = base + "; " + DescribeXnnpack(*lib, d) + " on the operators it takes";
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
