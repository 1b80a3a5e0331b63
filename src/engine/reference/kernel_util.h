// Helpers shared by the reference kernels: argument checks that turn bad shapes, types and
// quantization into errors, and the requantization steps that reference.h specifies. Internal
// to src/engine/reference; not part of the engine's interface.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "engine/reference/reference.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference::internal {

bool IsQuantized(DataType type);  // uint8 or int8
// The representable range of an integer type (uint8, int8, int16, int32).
ActivationRange TypeRange(DataType type);

// Each check returns MakeError(op, "<name>: ...") when the condition fails.
Status CheckActivation(const char* op, Activation act);
// Shape has no negative dimension, and data is present when there are elements.
Status CheckTensor(const char* op, const char* name, const TensorView& t);
Status CheckRank(const char* op, const char* name, const TensorView& t, size_t rank);
Status CheckType(const char* op, const char* name, const TensorView& t, DataType type);
// One positive finite scale and one zero point.
Status CheckPerTensorQuant(const char* op, const char* name, const TensorView& t);
// Scales (and zero points) either one for the tensor or one per channel along `axis`.
Status CheckChannelQuant(const char* op, const char* name, const TensorView& t, int32_t channels,
                         int32_t axis);

// Conv, depthwise and fully connected share one type scheme: input, filter and output of one
// type (float32, uint8 or int8), bias float32 or int32 with `channels` elements. For quantized
// types it also checks the quantization of each tensor (filter per-channel along `axis`).
Status CheckConvTypes(const char* op, const TensorView& input, const TensorView& filter,
                      const TensorView* bias, const TensorView& output, int32_t channels,
                      int32_t axis);

// Output size and leading padding of a 2-D window (conv, depthwise, pooling) over H and W.
struct Window2D {
  int32_t out_h = 0, out_w = 0;
  int32_t pad_top = 0, pad_left = 0;
};
// Errors on a non-positive filter, stride or dilation, or an empty output (VALID padding with a
// window larger than the input).
Result<Window2D> ComputeWindow2D(const char* op, Padding padding, int32_t in_h, int32_t in_w,
                                 int32_t filter_h, int32_t filter_w, int32_t stride_h,
                                 int32_t stride_w, int32_t dilation_h, int32_t dilation_w);
// Checks that `output` is [batch, out_h, out_w, channels].
Status CheckOutputNHWC(const char* op, const TensorView& output, int32_t batch,
                       const Window2D& window, int32_t channels);

// What a quantized conv-like kernel needs per output channel (see reference.h).
struct ChannelRequant {
  std::vector<float> scale;  // input_scale * filter_scale[c] / output_scale
  std::vector<int32_t> filter_zero_point;
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  ActivationRange range{0, 0};
};
ChannelRequant MakeChannelRequant(const TensorView& input, const TensorView& filter,
                                  const TensorView& output, int32_t channels, Activation act);

// acc * scale clamped to [range.lo - zp, range.hi - zp] in float, rounded to nearest even, + zp.
int32_t RequantizeFp32(int32_t acc, float scale, int32_t output_zero_point, ActivationRange range);

// MEAN: `sum` is the int32 sum of (x - input_zero_point) over `count` values. Requantized like a
// convolution with scale = input_scale / (output_scale * (float) count), the order XNNPACK's
// global average pooling uses. The one place to change if XNNPACK turns out to differ.
int32_t RequantizeMean(int32_t sum, float input_scale, float output_scale, int32_t count,
                       int32_t output_zero_point, ActivationRange range);

// round(real / scale) (half away from zero, in float) + zero_point, clamped to range (of an
// 8- or 16-bit type; NaN gives range.lo). Clamped before rounding, which gives the same result
// (rounding is monotonic and the bounds are integers) and keeps |v| small, so that rounding is
// exact as truncation plus a step away from zero at a fraction of one half: no libm call, and
// the loops over it vectorize.
inline int32_t QuantizeRounded(float real, float scale, int32_t zero_point, ActivationRange range) {
  const float lo = static_cast<float>(range.lo - zero_point);
  const float hi = static_cast<float>(range.hi - zero_point);
  float v = real / scale;
  v = v >= lo ? v : lo;  // NaN too; comparisons, where std::fmax is a libm call
  v = v <= hi ? v : hi;
  const int32_t t = static_cast<int32_t>(v);
  const float fraction = v - static_cast<float>(t);  // exact
  return t + static_cast<int32_t>(fraction >= 0.5f) - static_cast<int32_t>(fraction <= -0.5f) +
         zero_point;
}

// Element i of a uint8/int8/int16/int32 tensor as int32.
inline int32_t LoadInt(const TensorView& t, int64_t i) {
  switch (t.type) {
    case DataType::kUInt8:
      return t.as<const uint8_t>()[i];
    case DataType::kInt8:
      return t.as<const int8_t>()[i];
    case DataType::kInt16:
      return t.as<const int16_t>()[i];
    case DataType::kInt32:
      return t.as<const int32_t>()[i];
    default:
      return 0;
  }
}
// Stores v (already in the type's range) as element i of a uint8/int8/int16 tensor.
inline void StoreInt(const TensorView& t, int64_t i, int32_t v) {
  switch (t.type) {
    case DataType::kUInt8:
      t.as<uint8_t>()[i] = static_cast<uint8_t>(v);
      break;
    case DataType::kInt8:
      t.as<int8_t>()[i] = static_cast<int8_t>(v);
      break;
    case DataType::kInt16:
      t.as<int16_t>()[i] = static_cast<int16_t>(v);
      break;
    default:
      break;
  }
}

// The accumulator's starting value for output channel `oc`: the bias (float for float
// kernels, int32 for quantized ones), or 0 when the node has none.
template <typename T, typename Acc>
Acc InitialAccumulator(const TensorView* bias, int32_t oc) {
  if (bias == nullptr) return Acc{0};
  if constexpr (std::is_same_v<T, float>) {
    return bias->as<const float>()[oc];
  } else {
    return bias->as<const int32_t>()[oc];
  }
}

// Binary elementwise kernels: both inputs and the output valid, all of the output's type.
Status CheckBinaryTypes(const char* op, const TensorView& a, const TensorView& b,
                        const TensorView& output);
// Unary kernels: input and output valid, of one shape.
Status CheckSameShape(const char* op, const TensorView& input, const TensorView& output);
// Quantized kernels: input and output of one type (uint8 or int8), per-tensor quantization.
Status CheckQuantizedUnary(const char* op, const TensorView& input, const TensorView& output);
// Unary kernels on float32 or quantized uint8/int8: CheckSameShape, then both float32 or
// CheckQuantizedUnary.
Status CheckFloatOrQuantizedUnary(const char* op, const TensorView& input,
                                  const TensorView& output);

// out[i] = f(in[i]) over every element, both stored as T.
template <typename T, typename F>
void Map(const TensorView& input, const TensorView& output, F&& f) {
  const T* in = input.as<const T>();
  T* out = output.as<T>();
  const int64_t n = input.num_elements();  // once: NumElements is out of line
  for (int64_t i = 0; i < n; ++i) out[i] = f(in[i]);
}

// Calls f(T{}) with the C++ type of a float32, int32, int64, int16, uint8 or int8 tensor;
// false for other types.
template <typename F>
bool VisitNumericType(DataType type, F&& f) {
  switch (type) {
    case DataType::kFloat32:
      f(float{});
      return true;
    case DataType::kInt32:
      f(int32_t{});
      return true;
    case DataType::kInt64:
      f(int64_t{});
      return true;
    case DataType::kInt16:
      f(int16_t{});
      return true;
    case DataType::kUInt8:
      f(uint8_t{});
      return true;
    case DataType::kInt8:
      f(int8_t{});
      return true;
    default:
      return false;
  }
}
// A scale XNNPACK accepts: positive, finite and not subnormal.
bool IsNormalPositive(float scale);

// Bounds of a fused activation on plain integer outputs (int32, int64): RELU [0, max],
// RELU6 [0, 6], RELU_N1_TO_1 [-1, 1], NONE the type's range.
template <typename T>
void IntegerActivationRange(Activation act, T* lo, T* hi) {
  *lo = std::numeric_limits<T>::min();
  *hi = std::numeric_limits<T>::max();
  if (act == Activation::kRelu || act == Activation::kRelu6) *lo = 0;
  if (act == Activation::kRelu6) *hi = 6;
  if (act == Activation::kReluN1To1) *lo = -1, *hi = 1;
}

// Two's-complement wrap-around arithmetic (what TFLite's int32 kernels do in practice; defined
// here rather than undefined on overflow).
template <typename T>
T WrappingAdd(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
}
template <typename T>
T WrappingSub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
}
template <typename T>
T WrappingMul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
}
// Operators that move quantized values without requantizing (pooling, resizing): input and
// output each quantized per tensor, with one scale and zero point between them.
Status CheckSharedQuant(const char* op, const TensorView& input, const TensorView& output);

}  // namespace coralpi::reference::internal
