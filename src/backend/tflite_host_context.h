// coralpi's own TfLiteContext (tflite_abi.h), the one thing libedgetpu's custom op and its
// delegate call back into: it collects what the library reports (ReportError), keeps the device
// context the delegate hands over (Set/GetExternalContext), shows an empty execution plan, and
// holds the tensors the custom-op nodes read and write, bound to memory the CPU engine owns.
// Nothing of TensorFlow Lite is loaded.
#pragma once

#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/tflite_abi.h"
#include "core/result.h"
#include "engine/tensor_view.h"

namespace coralpi {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
// A malloc'ed TfLiteIntArray, as the library's own TfLiteIntArrayCreate makes them.
using IntArrayPtr = std::unique_ptr<abi::TfLiteIntArray, FreeDeleter>;
IntArrayPtr NewIntArray(std::span<const int32_t> values);

// TfLiteType (the C API's numbering) to and from coralpi's DataType (the .tflite schema's).
abi::TfLiteType ToTfLiteType(DataType type);  // kTfLiteNoType when there is none
Result<DataType> FromTfLiteType(int type);    // an error for types coralpi does not handle

class TfLiteHostContext {
 public:
  // Room for `tensor_count` tensors (the model's), all unbound.
  explicit TfLiteHostContext(size_t tensor_count = 0);
  TfLiteHostContext(const TfLiteHostContext&) = delete;
  TfLiteHostContext& operator=(const TfLiteHostContext&) = delete;

  abi::TfLiteContext* get() { return &context_; }

  // The Edge TPU device context (kTfLiteEdgeTpuContext), null until set.
  abi::TfLiteExternalContext* edgetpu_context() const { return edgetpu_; }
  void set_edgetpu_context(abi::TfLiteExternalContext* c) { edgetpu_ = c; }

  // Points tensor `index` at a view: type, shape, the model's (per-tensor) quantization, exact
  // bytes, its memory, no buffer handle (-1). `name` must outlive the context.
  Status Bind(size_t index, const TensorView& view, const char* name);
  const abi::TfLiteTensor& tensor(size_t index) const { return tensors_[index]; }

  // What the library reported since the last call, "; "-joined ("" when nothing).
  std::string TakeErrors();

 private:
  static abi::TfLiteStatus GetExecutionPlan(abi::TfLiteContext* c, abi::TfLiteIntArray** plan);
  static abi::TfLiteStatus ResizeTensor(abi::TfLiteContext* c, abi::TfLiteTensor* t,
                                        abi::TfLiteIntArray* new_size);
  static void ReportError(abi::TfLiteContext* c, const char* format, ...);
  static abi::TfLiteExternalContext* GetExternalContext(abi::TfLiteContext* c, int type);
  static void SetExternalContext(abi::TfLiteContext* c, int type, abi::TfLiteExternalContext* v);
  static TfLiteHostContext& Of(abi::TfLiteContext* c);
  abi::TfLiteStatus Resize(abi::TfLiteTensor* t, IntArrayPtr new_size);
  void AddError(const std::string& message);

  abi::TfLiteContext context_{};
  std::vector<abi::TfLiteTensor> tensors_;
  std::vector<IntArrayPtr> dims_;  // by tensor index
  std::vector<DataType> types_;
  abi::TfLiteExternalContext* edgetpu_ = nullptr;
  std::string errors_;
};

}  // namespace coralpi
