// The `tflite` backend: TensorFlow Lite's own C library on the CPU, loaded at run time, so the
// project's engine can be compared with TensorFlow Lite on the same machine. With the XNNPACK
// delegate when the library exports it (TensorFlow Lite's C API applies none by itself).
#pragma once

#include <memory>
#include <string>

#include "backend/backend.h"

namespace coralpi {

struct TfLiteBackendOptions {
  int threads = 1;
  std::string tflite_lib;  // --tflite-lib; "" for CORALPI_TFLITE_LIB or the default path
  bool use_xnnpack = true;
};

Result<std::unique_ptr<Backend>> CreateTfLiteBackend(const ModelSource& model,
                                                     const TfLiteBackendOptions& options);

}  // namespace coralpi
