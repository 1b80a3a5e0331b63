// dlopen/dlsym for the optional runtimes; see runtime_loader.h.
#include "backend/runtime_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "host/edgetpu_runtime.h"

namespace coralpi {
namespace {

// Resolves symbols one by one and remembers the ones that are missing.
class SymbolTable {
 public:
  explicit SymbolTable(void* handle) : handle_(handle) {}

  template <typename Fn>
  void Required(Fn& fn, const char* name) {
    fn = reinterpret_cast<Fn>(::dlsym(handle_, name));
    if (!fn) missing_.push_back(name);
  }
  template <typename Fn>
  bool Optional(Fn& fn, const char* name) {
    fn = reinterpret_cast<Fn>(::dlsym(handle_, name));
    return fn != nullptr;
  }
  std::string Missing() const {
    std::string s;
    for (const std::string& m : missing_) s += (s.empty() ? "" : ", ") + m;
    return s;
  }
  bool complete() const { return missing_.empty(); }

 private:
  void* handle_;
  std::vector<std::string> missing_;
};

// "libfoo.so (--tflite-lib)" etc.
std::string Where(const LibraryChoice& c) { return c.path + " (" + c.source + ")"; }

Result<void*> Open(const LibraryChoice& choice, const std::string& what, const std::string& hint) {
  ::dlerror();
  void* handle = ::dlopen(choice.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle) return handle;
  const char* detail = ::dlerror();
  std::string reason = detail ? detail : "unknown dlopen error";
  // "<path>: cannot open shared object file": the file itself; a library it needs (libusb for
  // libedgetpu) is named instead when that one is missing.
  bool not_found = reason.rfind(choice.path + ":", 0) == 0 &&
                   (reason.find("No such file") != std::string::npos ||
                    reason.find("cannot open shared object file") != std::string::npos);
  return MakeError(not_found ? ErrorKind::kNotFound : ErrorKind::kBadFile, Where(choice),
                   (not_found ? "not found" : "cannot be loaded (" + reason + ")") + ": " + what +
                       " is needed; " + hint);
}

std::mutex g_mutex;
std::map<std::string, std::unique_ptr<TfLiteLibrary>>& TfLiteCache() {
  static auto* cache = new std::map<std::string, std::unique_ptr<TfLiteLibrary>>;
  return *cache;
}
std::map<std::string, std::unique_ptr<EdgeTpuLibrary>>& EdgeTpuCache() {
  static auto* cache = new std::map<std::string, std::unique_ptr<EdgeTpuLibrary>>;
  return *cache;
}

}  // namespace

LibraryChoice ChooseLibrary(const std::string& flag, const std::string& flag_name,
                            const char* env_var, const char* default_name) {
  if (!flag.empty()) return {flag, flag_name};
  const char* env = std::getenv(env_var);
  if (env && *env) return {env, env_var};
  return {default_name, "the default library path"};
}

Result<const TfLiteLibrary*> LoadTfLiteLibrary(const std::string& flag) {
  LibraryChoice choice = ChooseLibrary(flag, "--tflite-lib", kTfLiteLibEnv, kTfLiteLibName);
  std::lock_guard<std::mutex> lock(g_mutex);
  auto& cache = TfLiteCache();
  if (auto it = cache.find(choice.path); it != cache.end()) return it->second.get();
  CORALPI_ASSIGN_OR_RETURN(
      void* handle,
      Open(choice, "for --backend tflite or tflite-edgetpu, TensorFlow Lite's C library",
           "build it from TensorFlow's tensorflow/lite/c (CMake target tensorflowlite_c) and "
           "give its path with --tflite-lib or " +
               std::string(kTfLiteLibEnv)));
  auto lib = std::make_unique<TfLiteLibrary>();
  lib->path = choice.path;
  capi::TfLiteApi& a = lib->api;
  SymbolTable t(handle);
  t.Required(a.TfLiteVersion, "TfLiteVersion");
  t.Required(a.TfLiteModelCreate, "TfLiteModelCreate");
  t.Required(a.TfLiteModelDelete, "TfLiteModelDelete");
  t.Required(a.TfLiteInterpreterOptionsCreate, "TfLiteInterpreterOptionsCreate");
  t.Required(a.TfLiteInterpreterOptionsDelete, "TfLiteInterpreterOptionsDelete");
  t.Required(a.TfLiteInterpreterOptionsSetNumThreads, "TfLiteInterpreterOptionsSetNumThreads");
  t.Required(a.TfLiteInterpreterOptionsAddDelegate, "TfLiteInterpreterOptionsAddDelegate");
  t.Required(a.TfLiteInterpreterOptionsSetErrorReporter,
             "TfLiteInterpreterOptionsSetErrorReporter");
  t.Required(a.TfLiteInterpreterCreate, "TfLiteInterpreterCreate");
  t.Required(a.TfLiteInterpreterDelete, "TfLiteInterpreterDelete");
  t.Required(a.TfLiteInterpreterGetInputTensorCount, "TfLiteInterpreterGetInputTensorCount");
  t.Required(a.TfLiteInterpreterGetInputTensor, "TfLiteInterpreterGetInputTensor");
  t.Required(a.TfLiteInterpreterAllocateTensors, "TfLiteInterpreterAllocateTensors");
  t.Required(a.TfLiteInterpreterInvoke, "TfLiteInterpreterInvoke");
  t.Required(a.TfLiteInterpreterGetOutputTensorCount, "TfLiteInterpreterGetOutputTensorCount");
  t.Required(a.TfLiteInterpreterGetOutputTensor, "TfLiteInterpreterGetOutputTensor");
  t.Required(a.TfLiteTensorType, "TfLiteTensorType");
  t.Required(a.TfLiteTensorNumDims, "TfLiteTensorNumDims");
  t.Required(a.TfLiteTensorDim, "TfLiteTensorDim");
  t.Required(a.TfLiteTensorByteSize, "TfLiteTensorByteSize");
  t.Required(a.TfLiteTensorData, "TfLiteTensorData");
  t.Required(a.TfLiteTensorName, "TfLiteTensorName");
  t.Required(a.TfLiteTensorQuantizationParams, "TfLiteTensorQuantizationParams");
  if (!t.complete()) {
    // The handle stays open: closing a library that may have run constructors is riskier
    // than a small leak on an error path.
    return MakeError(ErrorKind::kBadFile, Where(choice),
                     "missing symbol(s) " + t.Missing() +
                         ": not TensorFlow Lite's C library, or one too old "
                         "(coralpi needs the C API of TensorFlow 2.x)");
  }
  lib->has_xnnpack = t.Optional(a.TfLiteXNNPackDelegateCreate, "TfLiteXNNPackDelegateCreate") &&
                     t.Optional(a.TfLiteXNNPackDelegateDelete, "TfLiteXNNPackDelegateDelete");
  if (!lib->has_xnnpack) {
    a.TfLiteXNNPackDelegateCreate = nullptr;
    a.TfLiteXNNPackDelegateDelete = nullptr;
  }
  lib->xnnpack_threads =
      lib->has_xnnpack &&
      t.Optional(a.TfLiteXNNPackDelegateOptionsDefault, "TfLiteXNNPackDelegateOptionsDefault") &&
      t.Optional(a.TfLiteXNNPackDelegateGetOptions, "TfLiteXNNPackDelegateGetOptions");
  t.Optional(a.TfLiteXNNPackDelegateGetThreadPool, "TfLiteXNNPackDelegateGetThreadPool");
  const char* version = a.TfLiteVersion();
  lib->version = version ? version : "";
  const TfLiteLibrary* out = lib.get();
  cache[choice.path] = std::move(lib);
  return out;
}

Result<const EdgeTpuLibrary*> LoadEdgeTpuLibrary(const std::string& flag) {
  LibraryChoice choice = ChooseLibrary(flag, "--edgetpu-lib", kEdgeTpuLibEnv, kEdgeTpuLibName);
  std::lock_guard<std::mutex> lock(g_mutex);
  auto& cache = EdgeTpuCache();
  if (auto it = cache.find(choice.path); it != cache.end()) return it->second.get();
  // Without a usable libedgetpu there is no Edge TPU to run on: a device error (like a missing
  // TPU, it sends a caller to the CPU), not a missing or bad file.
  Result<void*> opened =
      Open(choice, "the Edge TPU runtime",
           "install libedgetpu1-std (or -max) from Coral's apt repository or a rebuild of it, "
           "or give its path with --edgetpu-lib or " +
               std::string(kEdgeTpuLibEnv));
  if (!opened.ok()) return WithKind(ErrorKind::kDevice, opened.error());
  void* handle = *opened;
  auto lib = std::make_unique<EdgeTpuLibrary>();
  lib->path = choice.path;
  capi::EdgeTpuApi& a = lib->api;
  SymbolTable t(handle);
  t.Required(a.edgetpu_list_devices, "edgetpu_list_devices");
  t.Required(a.edgetpu_free_devices, "edgetpu_free_devices");
  t.Required(a.edgetpu_create_delegate, "edgetpu_create_delegate");
  t.Required(a.edgetpu_free_delegate, "edgetpu_free_delegate");
  t.Required(a.edgetpu_verbosity, "edgetpu_verbosity");
  t.Required(a.edgetpu_version, "edgetpu_version");
  if (!t.complete()) {
    return MakeError(ErrorKind::kDevice, Where(choice),
                     "missing symbol(s) " + t.Missing() +
                         ": not the Edge TPU runtime (libedgetpu.so.1), or a "
                         "build without its C API (edgetpu_c.h)");
  }
  t.Optional(a.RegisterCustomOp, capi::kRegisterCustomOpSymbol);
  const char* version = a.edgetpu_version();
  lib->version = version ? version : "";
  lib->runtime_version = board::ParseRuntimeVersion(lib->version);
  const EdgeTpuLibrary* out = lib.get();
  cache[choice.path] = std::move(lib);
  return out;
}

}  // namespace coralpi
