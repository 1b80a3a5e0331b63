// Choosing a backend: --backend auto|cpu|tflite|tflite-edgetpu|edgetpu, in one explicit table,
// with the reason for the choice and hints for the user.
//
//   cpu             coralpi's CPU engine
//   edgetpu         the CPU engine with the edgetpu-custom-op nodes on an Edge TPU, through
//                   libedgetpu alone (no TensorFlow Lite)
//   tflite          TensorFlow Lite's C library on the CPU (for comparison)
//   tflite-edgetpu  TensorFlow Lite's C library with libedgetpu's delegate (for comparison)
//
// auto: the Edge TPU (edgetpu) when the model holds an edgetpu-custom-op and a TPU and the
// runtime are usable; otherwise the CPU engine (and TensorFlow Lite when the CPU engine cannot
// run the model but the library is there). A compiled model with no usable TPU is an error that
// names the missing pieces (the CPU engine cannot run edgetpu-custom-op), with a pointer to the
// plain model when one lies next to it. A plain model on a machine with a TPU runs on the CPU
// with a hint to compile it. Whatever the backend, a model named `*_edgetpu.tflite` that holds
// no edgetpu-custom-op gets a note that nothing of it will run on the TPU.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/edgetpu_host.h"

namespace coralpi {

enum class BackendKind { kAuto, kCpu, kTfLite, kEdgeTpu, kTfLiteEdgeTpu };

// "auto", "cpu", "tflite", "edgetpu", "tflite-edgetpu"
const char* BackendKindName(BackendKind kind);
// Whether the backend runs edgetpu-custom-op (edgetpu, tflite-edgetpu).
bool RunsEdgeTpuModels(BackendKind kind);
Result<BackendKind> ParseBackendKind(const std::string& name);
// "cpu,tflite,edgetpu": at least one, no repeats.
Result<std::vector<BackendKind>> ParseBackendList(const std::string& list);

struct BackendRequest {
  BackendKind kind = BackendKind::kAuto;
  int threads = 1;
  bool reference_kernels = false;  // cpu only
  std::string device;              // edgetpu, tflite-edgetpu
  std::string edgetpu_lib;
  std::string tflite_lib;
  std::string root = "/";
  std::optional<ProcessIdentity> identity;
};

struct BackendChoice {
  std::unique_ptr<Backend> backend;
  std::string reason;              // why this backend, one line
  std::vector<std::string> notes;  // hints worth printing
};

Result<BackendChoice> CreateBackend(const ModelSource& model, const BackendRequest& request);

// "model_edgetpu.tflite" -> "model.tflite" when that file exists, else "".
std::string PlainModelBeside(const std::string& edgetpu_model_path);
// "model.tflite" -> "model_edgetpu.tflite" when that file exists, else "".
std::string EdgeTpuModelBeside(const std::string& plain_model_path);

}  // namespace coralpi
