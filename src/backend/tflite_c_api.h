// coralpi's own declarations of the C functions it calls in TensorFlow Lite's C library
// (libtensorflowlite_c.so, tensorflow/lite/core/c/c_api.h) and in the Edge TPU runtime
// (libedgetpu.so.1, tflite/public/edgetpu_c.h), written from their documented signatures.
//
// Neither library is linked and neither header is included: both are optional at run time,
// found with dlopen and resolved symbol by symbol (runtime_loader.h). The structs below are
// opaque to coralpi except where the C API passes them by value (TfLiteQuantizationParams)
// or the caller fills them (edgetpu_device, edgetpu_option). Enum values are fixed by the
// libraries' ABI.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

namespace coralpi::abi {
struct TfLiteRegistration;  // tflite_abi.h
}

namespace coralpi::capi {

// Opaque handles.
struct TfLiteModel;
struct TfLiteInterpreterOptions;
struct TfLiteInterpreter;
struct TfLiteTensor;
struct TfLiteDelegate;

// TfLiteStatus (c_api_types.h).
enum TfLiteStatus : int {
  kTfLiteOk = 0,
  kTfLiteError = 1,
  kTfLiteDelegateError = 2,
  kTfLiteApplicationError = 3,
};

// TfLiteType (c_api_types.h). Not the .tflite schema's TensorType numbering.
enum TfLiteType : int {
  kTfLiteNoType = 0,
  kTfLiteFloat32 = 1,
  kTfLiteInt32 = 2,
  kTfLiteUInt8 = 3,
  kTfLiteInt64 = 4,
  kTfLiteString = 5,
  kTfLiteBool = 6,
  kTfLiteInt16 = 7,
  kTfLiteComplex64 = 8,
  kTfLiteInt8 = 9,
  kTfLiteFloat16 = 10,
  kTfLiteFloat64 = 11,
};

// real = scale * (q - zero_point); scale 0 means not quantized.
struct TfLiteQuantizationParams {
  float scale;
  int32_t zero_point;
};

using TfLiteErrorReporterFn = void (*)(void* user_data, const char* format, va_list args);

// Room for TfLiteXNNPackDelegateOptions (xnnpack_delegate.h) of any TensorFlow version. The
// struct grows from version to version (8 bytes in 2.5, 56 in 2.19), so coralpi never declares
// it: it takes the library's defaults from TfLiteXNNPackDelegateOptionsDefault into this
// storage, sets num_threads (the first field in every version) and hands the storage to
// TfLiteXNNPackDelegateCreate. A struct over 16 bytes is returned by value through memory the
// caller provides (x86-64 and AArch64 ABIs alike), as this one is, so the call matches the
// library's only when its own struct is over 16 bytes too: coralpi makes it only when the
// library also exports TfLiteXNNPackDelegateGetOptions, which came long after the struct grew
// past 16 bytes (2.19: 56 bytes).
struct alignas(16) XnnpackOptionsStorage {
  int32_t num_threads;
  unsigned char rest[508];
};

// The TensorFlow Lite C API functions coralpi uses. `xnnpack_*` are optional.
struct TfLiteApi {
  const char* (*TfLiteVersion)();
  TfLiteModel* (*TfLiteModelCreate)(const void* data, size_t size);
  void (*TfLiteModelDelete)(TfLiteModel* model);
  TfLiteInterpreterOptions* (*TfLiteInterpreterOptionsCreate)();
  void (*TfLiteInterpreterOptionsDelete)(TfLiteInterpreterOptions* options);
  void (*TfLiteInterpreterOptionsSetNumThreads)(TfLiteInterpreterOptions* options,
                                                int32_t num_threads);
  void (*TfLiteInterpreterOptionsAddDelegate)(TfLiteInterpreterOptions* options,
                                              TfLiteDelegate* delegate);
  void (*TfLiteInterpreterOptionsSetErrorReporter)(TfLiteInterpreterOptions* options,
                                                   TfLiteErrorReporterFn reporter, void* user_data);
  TfLiteInterpreter* (*TfLiteInterpreterCreate)(const TfLiteModel* model,
                                                const TfLiteInterpreterOptions* options);
  void (*TfLiteInterpreterDelete)(TfLiteInterpreter* interpreter);
  int32_t (*TfLiteInterpreterGetInputTensorCount)(const TfLiteInterpreter* interpreter);
  TfLiteTensor* (*TfLiteInterpreterGetInputTensor)(const TfLiteInterpreter* interpreter,
                                                   int32_t index);
  TfLiteStatus (*TfLiteInterpreterAllocateTensors)(TfLiteInterpreter* interpreter);
  TfLiteStatus (*TfLiteInterpreterInvoke)(TfLiteInterpreter* interpreter);
  int32_t (*TfLiteInterpreterGetOutputTensorCount)(const TfLiteInterpreter* interpreter);
  const TfLiteTensor* (*TfLiteInterpreterGetOutputTensor)(const TfLiteInterpreter* interpreter,
                                                          int32_t index);
  TfLiteType (*TfLiteTensorType)(const TfLiteTensor* tensor);
  int32_t (*TfLiteTensorNumDims)(const TfLiteTensor* tensor);
  int32_t (*TfLiteTensorDim)(const TfLiteTensor* tensor, int32_t dim_index);
  size_t (*TfLiteTensorByteSize)(const TfLiteTensor* tensor);
  void* (*TfLiteTensorData)(const TfLiteTensor* tensor);
  const char* (*TfLiteTensorName)(const TfLiteTensor* tensor);
  TfLiteQuantizationParams (*TfLiteTensorQuantizationParams)(const TfLiteTensor* tensor);

  // XNNPACK delegate (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h). `options` is
  // nullptr (the header: "use the default options", which run XNNPACK without a thread pool)
  // or an XnnpackOptionsStorage filled by TfLiteXNNPackDelegateOptionsDefault.
  TfLiteDelegate* (*TfLiteXNNPackDelegateCreate)(const void* options);
  void (*TfLiteXNNPackDelegateDelete)(TfLiteDelegate* delegate);
  // Optional, all three: the defaults, the options a delegate holds (num_threads comes first)
  // and its thread pool (null without one).
  XnnpackOptionsStorage (*TfLiteXNNPackDelegateOptionsDefault)();
  const int32_t* (*TfLiteXNNPackDelegateGetOptions)(TfLiteDelegate* delegate);
  void* (*TfLiteXNNPackDelegateGetThreadPool)(TfLiteDelegate* delegate);
};

// edgetpu_c.h.
enum edgetpu_device_type : int { EDGETPU_APEX_PCI = 0, EDGETPU_APEX_USB = 1 };
struct edgetpu_device {
  edgetpu_device_type type;
  const char* path;
};
struct edgetpu_option {
  const char* name;
  const char* value;
};

struct EdgeTpuApi {
  edgetpu_device* (*edgetpu_list_devices)(size_t* num_devices);
  void (*edgetpu_free_devices)(edgetpu_device* dev);
  TfLiteDelegate* (*edgetpu_create_delegate)(edgetpu_device_type type, const char* name,
                                             const edgetpu_option* options, size_t num_options);
  void (*edgetpu_free_delegate)(TfLiteDelegate* delegate);
  void (*edgetpu_verbosity)(int verbosity);
  const char* (*edgetpu_version)();
  // edgetpu::RegisterCustomOp() (C++ linkage, no arguments): the edgetpu-custom-op's kernel.
  // Optional when loading: only the direct Edge TPU path needs it.
  const abi::TfLiteRegistration* (*RegisterCustomOp)();
};

// The mangled name of edgetpu::RegisterCustomOp().
inline constexpr const char* kRegisterCustomOpSymbol = "_ZN7edgetpu16RegisterCustomOpEv";

}  // namespace coralpi::capi
