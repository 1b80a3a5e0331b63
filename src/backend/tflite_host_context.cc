// coralpi's TfLiteContext for libedgetpu; see tflite_host_context.h.
#include "backend/tflite_host_context.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "backend/edgetpu_executable.h"

namespace coralpi {
namespace {

// GetExecutionPlan's answer: no node for a delegate to take over.
abi::TfLiteIntArray* EmptyPlan() {
  static IntArrayPtr plan = NewIntArray({});
  return plan.get();
}

std::string Dims(const abi::TfLiteIntArray* a) {
  Shape s;
  for (int i = 0; a && i < a->size; ++i) s.push_back(a->data[i]);
  return ShapeToString(s);
}

// TfLiteType (c_api_types.h) and coralpi's DataType (the .tflite schema's numbering).
struct TypePair {
  abi::TfLiteType tflite;
  DataType data;
};
constexpr TypePair kTypes[] = {
    {abi::kTfLiteFloat32, DataType::kFloat32},     {abi::kTfLiteInt32, DataType::kInt32},
    {abi::kTfLiteUInt8, DataType::kUInt8},         {abi::kTfLiteInt64, DataType::kInt64},
    {abi::kTfLiteBool, DataType::kBool},           {abi::kTfLiteInt16, DataType::kInt16},
    {abi::kTfLiteComplex64, DataType::kComplex64}, {abi::kTfLiteInt8, DataType::kInt8},
    {abi::kTfLiteFloat16, DataType::kFloat16},     {abi::kTfLiteFloat64, DataType::kFloat64},
};

}  // namespace

IntArrayPtr NewIntArray(std::span<const int32_t> values) {
  auto* a = static_cast<abi::TfLiteIntArray*>(
      std::calloc(1, sizeof(abi::TfLiteIntArray) + values.size() * sizeof(int)));
  if (!a) std::abort();  // as TfLiteIntArrayCreate: nothing sensible to do
  a->size = static_cast<int>(values.size());
  for (size_t i = 0; i < values.size(); ++i) a->data[i] = values[i];
  return IntArrayPtr(a);
}

abi::TfLiteType ToTfLiteType(DataType type) {
  for (const TypePair& p : kTypes) {
    if (p.data == type) return p.tflite;
  }
  return abi::kTfLiteNoType;
}

Result<DataType> FromTfLiteType(int type) {
  for (const TypePair& p : kTypes) {
    if (p.tflite == type) return p.data;
  }
  return Error{"TfLiteType " + std::to_string(type) + " is not a type coralpi handles"};
}

TfLiteHostContext::TfLiteHostContext(size_t tensor_count)
    : tensors_(tensor_count), dims_(tensor_count), types_(tensor_count) {
  for (abi::TfLiteTensor& t : tensors_) {
    std::memset(&t, 0, sizeof t);
    t.buffer_handle = -1;
  }
  std::memset(&context_, 0, sizeof context_);
  context_.tensors_size = tensors_.size();
  context_.tensors = tensors_.empty() ? nullptr : tensors_.data();
  context_.impl_ = this;
  context_.GetExecutionPlan = &GetExecutionPlan;
  context_.ResizeTensor = &ResizeTensor;
  context_.ReportError = &ReportError;
  context_.recommended_num_threads = 1;
  context_.GetExternalContext = &GetExternalContext;
  context_.SetExternalContext = &SetExternalContext;
}

Status TfLiteHostContext::Bind(size_t index, const TensorView& view, const char* name) {
  if (index >= tensors_.size()) return Error{"tensor " + std::to_string(index) + " out of range"};
  const std::string what = "tensor " + std::to_string(index) + " (" + name + ")";
  abi::TfLiteType type = ToTfLiteType(view.type);
  if (!EdgeTpuTakes(view.type)) {
    return Error{what + " is " + DataTypeName(view.type) + ", which the Edge TPU does not take"};
  }
  if (view.quant && view.quant->per_channel()) {
    return Error{what + " is quantized per channel, which the Edge TPU does not take"};
  }
  int64_t elements = view.num_elements();
  if (elements < 0 || !view.data) return Error{what + " has no memory"};
  abi::TfLiteTensor& t = tensors_[index];
  dims_[index] = NewIntArray(view.shape);
  types_[index] = view.type;
  t.type = type;
  t.data = view.data;
  t.dims = dims_[index].get();
  t.params = {0.0f, 0};
  if (view.quant && !view.quant->empty()) {
    t.params = {view.quant->scale[0], static_cast<int32_t>(view.quant->zero_point[0])};
  }
  t.allocation_type = abi::kTfLiteCustom;
  t.bytes = static_cast<size_t>(elements) * ElementSize(view.type);
  t.name = name;
  t.buffer_handle = -1;
  return OkStatus();
}

std::string TfLiteHostContext::TakeErrors() {
  std::string e = std::move(errors_);
  errors_.clear();
  return e;
}

TfLiteHostContext& TfLiteHostContext::Of(abi::TfLiteContext* c) {
  return *static_cast<TfLiteHostContext*>(c->impl_);
}

abi::TfLiteStatus TfLiteHostContext::GetExecutionPlan(abi::TfLiteContext*,
                                                      abi::TfLiteIntArray** plan) {
  *plan = EmptyPlan();
  return abi::kTfLiteOk;
}

abi::TfLiteStatus TfLiteHostContext::ResizeTensor(abi::TfLiteContext* c, abi::TfLiteTensor* t,
                                                  abi::TfLiteIntArray* new_size) {
  return Of(c).Resize(t, IntArrayPtr(new_size));  // the callee owns the array
}

// A new shape is taken when it keeps the tensor's bytes: the CPU engine planned the memory of
// every tensor for the model's shapes and the operators after the node read it that way.
abi::TfLiteStatus TfLiteHostContext::Resize(abi::TfLiteTensor* t, IntArrayPtr new_size) {
  if (t < tensors_.data() || t >= tensors_.data() + tensors_.size() || !new_size) {
    AddError("ResizeTensor on a tensor coralpi does not know");
    return abi::kTfLiteError;
  }
  size_t index = static_cast<size_t>(t - tensors_.data());
  int64_t elements = 1;
  for (int i = 0; i < new_size->size && elements >= 0; ++i) {
    elements = new_size->data[i] < 0 ? -1 : elements * new_size->data[i];
    if (elements > (int64_t{1} << 40)) elements = -1;
  }
  if (elements < 0 || static_cast<size_t>(elements) * ElementSize(types_[index]) != t->bytes) {
    AddError("the Edge TPU asks to resize tensor " + std::to_string(index) + " (" +
             (t->name ? t->name : "") + ") from " + Dims(t->dims) + " to " + Dims(new_size.get()) +
             ", but coralpi keeps the model's tensor sizes (the CPU engine planned the other "
             "operators for them)");
    return abi::kTfLiteError;
  }
  dims_[index] = std::move(new_size);
  t->dims = dims_[index].get();
  return abi::kTfLiteOk;
}

void TfLiteHostContext::AddError(const std::string& message) {
  if (errors_.size() > 4096) return;
  errors_ += (errors_.empty() ? "" : "; ") + message;
}

void TfLiteHostContext::ReportError(abi::TfLiteContext* c, const char* format, ...) {
  char buf[1024];
  va_list args;
  va_start(args, format);
  int n = format ? std::vsnprintf(buf, sizeof buf, format, args) : -1;
  va_end(args);
  if (n >= 0) Of(c).AddError(buf);
}

abi::TfLiteExternalContext* TfLiteHostContext::GetExternalContext(abi::TfLiteContext* c, int type) {
  return type == abi::kTfLiteEdgeTpuContext ? Of(c).edgetpu_ : nullptr;
}

void TfLiteHostContext::SetExternalContext(abi::TfLiteContext* c, int type,
                                           abi::TfLiteExternalContext* v) {
  if (type == abi::kTfLiteEdgeTpuContext) Of(c).edgetpu_ = v;
}

}  // namespace coralpi
