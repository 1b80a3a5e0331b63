// Loading TensorFlow Lite's C library and the Edge TPU runtime at run time.
//
// Which file: the path given on the command line (--tflite-lib / --edgetpu-lib), else the
// environment (CORALPI_TFLITE_LIB / CORALPI_EDGETPU_LIB), else the plain soname on the default
// library path (libtensorflowlite_c.so, libedgetpu.so.1). Every symbol coralpi uses is looked
// up when the library is loaded, so a wrong or too old library fails at once, with a message
// that names the file and every missing symbol, never later with a crash.
//
// Loaded libraries stay loaded for the life of the process (libedgetpu starts threads that
// must not lose their code), and loading the same file again returns the same object.
#pragma once

#include <string>

#include "backend/tflite_c_api.h"
#include "core/result.h"

namespace coralpi {

inline constexpr const char* kTfLiteLibName = "libtensorflowlite_c.so";
inline constexpr const char* kEdgeTpuLibName = "libedgetpu.so.1";
inline constexpr const char* kTfLiteLibEnv = "CORALPI_TFLITE_LIB";
inline constexpr const char* kEdgeTpuLibEnv = "CORALPI_EDGETPU_LIB";

// The file to load and where that choice came from ("--tflite-lib", "CORALPI_TFLITE_LIB" or
// "the default library path").
struct LibraryChoice {
  std::string path;
  std::string source;
};

// `flag` is the command-line value ("" when not given); `flag_name` names it in messages.
LibraryChoice ChooseLibrary(const std::string& flag, const std::string& flag_name,
                            const char* env_var, const char* default_name);

struct TfLiteLibrary {
  std::string path;     // as loaded
  std::string version;  // TfLiteVersion()
  bool has_xnnpack = false;
  // The XNNPACK delegate's thread count can be set (see capi::XnnpackOptionsStorage).
  bool xnnpack_threads = false;
  capi::TfLiteApi api{};
};

struct EdgeTpuLibrary {
  std::string path;
  std::string version;      // edgetpu_version()
  int runtime_version = 0;  // its "RuntimeVersion(N)" (board::ParseRuntimeVersion), or 0
  capi::EdgeTpuApi api{};
};


// `flag` as in ChooseLibrary. Errors read "<path> (<source>): <what>: <how to fix>".
Result<const TfLiteLibrary*> LoadTfLiteLibrary(const std::string& flag = "");
Result<const EdgeTpuLibrary*> LoadEdgeTpuLibrary(const std::string& flag = "");

}  // namespace coralpi
