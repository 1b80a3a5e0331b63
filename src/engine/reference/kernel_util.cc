// Argument checks and requantization steps shared by the reference kernels; see kernel_util.h.
#include "engine/reference/kernel_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace coralpi::reference::internal {
namespace {

Error Fail(const char* op, const char* name, const std::string& what) {
  return MakeError(op, std::string(name) + ": " + what);
}

bool ZeroPointInRange(DataType type, int64_t zp) {
  const ActivationRange r = TypeRange(type);
  return zp >= r.lo && zp <= r.hi;
}

}  // namespace

bool IsQuantized(DataType type) { return type == DataType::kUInt8 || type == DataType::kInt8; }

ActivationRange TypeRange(DataType type) {
  switch (type) {
    case DataType::kUInt8:
      return {0, 255};
    case DataType::kInt8:
      return {-128, 127};
    case DataType::kInt16:
      return {-32768, 32767};
    default:
      return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
  }
}

Status CheckActivation(const char* op, Activation act) {
  switch (act) {
    case Activation::kNone:
    case Activation::kRelu:
    case Activation::kReluN1To1:
    case Activation::kRelu6:
      return OkStatus();
    default:
      return MakeError(op, std::string("unsupported fused activation ") + ActivationName(act));
  }
}

Status CheckTensor(const char* op, const char* name, const TensorView& t) {
  const int64_t n = t.num_elements();
  if (n < 0) return Fail(op, name, "invalid shape " + ShapeToString(t.shape));
  if (n > 0 && t.data == nullptr) return Fail(op, name, "no data");
  return OkStatus();
}

Status CheckRank(const char* op, const char* name, const TensorView& t, size_t rank) {
  if (t.shape.size() != rank) {
    return Fail(op, name, "expected " + std::to_string(rank) + "-D, got " + ShapeToString(t.shape));
  }
  return OkStatus();
}

Status CheckType(const char* op, const char* name, const TensorView& t, DataType type) {
  if (t.type != type) {
    return Fail(op, name,
                std::string("expected ") + DataTypeName(type) + ", got " + DataTypeName(t.type));
  }
  return OkStatus();
}

Status CheckPerTensorQuant(const char* op, const char* name, const TensorView& t) {
  if (t.quant == nullptr || t.quant->empty() || t.quant->zero_point.empty()) {
    return Fail(op, name, std::string("quantization missing for ") + DataTypeName(t.type));
  }
  if (t.quant->scale.size() != 1 || t.quant->zero_point.size() != 1) {
    return Fail(op, name,
                "expected per-tensor quantization, got " + std::to_string(t.quant->scale.size()) +
                    " scales and " + std::to_string(t.quant->zero_point.size()) + " zero points");
  }
  const float s = t.quant->scale[0];
  if (!(s > 0.0f) || !std::isfinite(s)) {
    return Fail(op, name, "scale " + std::to_string(s) + " is not positive and finite");
  }
  if (!ZeroPointInRange(t.type, t.quant->zero_point[0])) {
    return Fail(op, name,
                "zero point " + std::to_string(t.quant->zero_point[0]) + " outside " +
                    DataTypeName(t.type));
  }
  return OkStatus();
}

Status CheckChannelQuant(const char* op, const char* name, const TensorView& t, int32_t channels,
                         int32_t axis) {
  if (t.quant == nullptr || t.quant->empty() || t.quant->zero_point.empty()) {
    return Fail(op, name, std::string("quantization missing for ") + DataTypeName(t.type));
  }
  const size_t ns = t.quant->scale.size();
  const size_t nz = t.quant->zero_point.size();
  const size_t nc = static_cast<size_t>(channels);
  if ((ns != 1 && ns != nc) || (nz != 1 && nz != nc)) {
    return Fail(op, name,
                std::to_string(ns) + " scales and " + std::to_string(nz) + " zero points for " +
                    std::to_string(channels) + " channels");
  }
  if ((ns > 1 || nz > 1) && t.quant->axis != axis) {
    return Fail(op, name,
                "per-channel quantization along axis " + std::to_string(t.quant->axis) +
                    ", expected axis " + std::to_string(axis));
  }
  for (float s : t.quant->scale) {
    if (!(s >= 0.0f) || !std::isfinite(s)) {
      return Fail(op, name, "scale " + std::to_string(s) + " is negative or not finite");
    }
  }
  for (int64_t zp : t.quant->zero_point) {
    if (!ZeroPointInRange(t.type, zp)) {
      return Fail(op, name,
                  "zero point " + std::to_string(zp) + " outside " + DataTypeName(t.type));
    }
  }
  return OkStatus();
}

Status CheckConvTypes(const char* op, const TensorView& input, const TensorView& filter,
                      const TensorView* bias, const TensorView& output, int32_t channels,
                      int32_t axis) {
  const DataType type = input.type;
  if (type != DataType::kFloat32 && !IsQuantized(type)) {
    return Fail(op, "input", std::string("unsupported type ") + DataTypeName(type));
  }
  CORALPI_RETURN_IF_ERROR(CheckType(op, "filter", filter, type));
  CORALPI_RETURN_IF_ERROR(CheckType(op, "output", output, type));
  if (bias != nullptr) {
    CORALPI_RETURN_IF_ERROR(CheckTensor(op, "bias", *bias));
    CORALPI_RETURN_IF_ERROR(
        CheckType(op, "bias", *bias, IsQuantized(type) ? DataType::kInt32 : DataType::kFloat32));
    if (bias->num_elements() != channels) {
      return Fail(op, "bias",
                  "has " + std::to_string(bias->num_elements()) + " elements, expected " +
                      std::to_string(channels));
    }
  }
  if (IsQuantized(type)) {
    CORALPI_RETURN_IF_ERROR(CheckPerTensorQuant(op, "input", input));
    CORALPI_RETURN_IF_ERROR(CheckChannelQuant(op, "filter", filter, channels, axis));
    CORALPI_RETURN_IF_ERROR(CheckPerTensorQuant(op, "output", output));
  }
  return OkStatus();
}

Result<Window2D> ComputeWindow2D(const char* op, Padding padding, int32_t in_h, int32_t in_w,
                                 int32_t filter_h, int32_t filter_w, int32_t stride_h,
                                 int32_t stride_w, int32_t dilation_h, int32_t dilation_w) {
  if (filter_h <= 0 || filter_w <= 0) {
    return MakeError(op, "filter size " + std::to_string(filter_h) + "x" +
                             std::to_string(filter_w) + " is not positive");
  }
  if (stride_h <= 0 || stride_w <= 0 || dilation_h <= 0 || dilation_w <= 0) {
    return MakeError(op, "strides (" + std::to_string(stride_h) + ", " + std::to_string(stride_w) +
                             ") and dilations (" + std::to_string(dilation_h) + ", " +
                             std::to_string(dilation_w) + ") must be positive");
  }
  // Far beyond any real model; keeps the kernels' int32 index arithmetic from overflowing.
  constexpr int64_t kMaxExtent = int64_t{1} << 24;
  if ((static_cast<int64_t>(filter_h) - 1) * dilation_h + 1 > kMaxExtent ||
      (static_cast<int64_t>(filter_w) - 1) * dilation_w + 1 > kMaxExtent || stride_h > kMaxExtent ||
      stride_w > kMaxExtent) {
    return MakeError(op, "filter extent or stride larger than 2^24");
  }
  if (padding != Padding::kSame && padding != Padding::kValid) {
    return MakeError(op, "unknown padding " + std::to_string(static_cast<int>(padding)));
  }
  const PaddedSize h = ComputePadding(padding, in_h, filter_h, stride_h, dilation_h);
  const PaddedSize w = ComputePadding(padding, in_w, filter_w, stride_w, dilation_w);
  if (h.out <= 0 || w.out <= 0) {
    return MakeError(op, "empty output: input " + std::to_string(in_h) + "x" +
                             std::to_string(in_w) + ", filter " + std::to_string(filter_h) + "x" +
                             std::to_string(filter_w));
  }
  return Window2D{h.out, w.out, h.pad_before, w.pad_before};
}

Status CheckOutputNHWC(const char* op, const TensorView& output, int32_t batch,
                       const Window2D& window, int32_t channels) {
  const Shape expected{batch, window.out_h, window.out_w, channels};
  if (output.shape != expected) {
    return Fail(op, "output",
                "shape " + ShapeToString(output.shape) + ", expected " + ShapeToString(expected));
  }
  return OkStatus();
}

ChannelRequant MakeChannelRequant(const TensorView& input, const TensorView& filter,
                                  const TensorView& output, int32_t channels, Activation act) {
  ChannelRequant r;
  r.input_zero_point = input.zero_point();
  r.output_zero_point = output.zero_point();
  r.range = QuantizedActivationRange(act, output.type, output.scale(), r.output_zero_point);
  r.scale.resize(static_cast<size_t>(channels));
  r.filter_zero_point.resize(static_cast<size_t>(channels));
  for (size_t c = 0; c < r.scale.size(); ++c) {
    r.scale[c] = input.scale() * filter.scale(c) / output.scale();
    r.filter_zero_point[c] = filter.zero_point(c);
  }
  return r;
}

int32_t RequantizeFp32(int32_t acc, float scale, int32_t output_zero_point, ActivationRange range) {
  float f = static_cast<float>(acc) * scale;
  f = std::max(f, static_cast<float>(range.lo - output_zero_point));
  f = std::min(f, static_cast<float>(range.hi - output_zero_point));
  return static_cast<int32_t>(std::nearbyint(f)) + output_zero_point;
}

int32_t RequantizeMean(int32_t sum, float input_scale, float output_scale, int32_t count,
                       int32_t output_zero_point, ActivationRange range) {
  const float scale = input_scale / (output_scale * static_cast<float>(count));
  return RequantizeFp32(sum, scale, output_zero_point, range);
}

Status CheckBinaryTypes(const char* op, const TensorView& a, const TensorView& b,
                        const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, "input 0", a));
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, "input 1", b));
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, "output", output));
  CORALPI_RETURN_IF_ERROR(CheckType(op, "input 0", a, output.type));
  return CheckType(op, "input 1", b, output.type);
}

Status CheckSameShape(const char* op, const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, "input", input));
  CORALPI_RETURN_IF_ERROR(CheckTensor(op, "output", output));
  if (input.shape != output.shape) {
    return MakeError(op, "input " + ShapeToString(input.shape) + " and output " +
                             ShapeToString(output.shape) + " differ");
  }
  return OkStatus();
}

Status CheckSharedQuant(const char* op, const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckPerTensorQuant(op, "input", input));
  CORALPI_RETURN_IF_ERROR(CheckPerTensorQuant(op, "output", output));
  if (input.scale() != output.scale() || input.zero_point() != output.zero_point()) {
    return MakeError(op, "quantized input and output must share scale and zero point");
  }
  return OkStatus();
}

Status CheckQuantizedUnary(const char* op, const TensorView& input, const TensorView& output) {
  if (!IsQuantized(output.type)) {
    return Fail(op, "output", std::string("unsupported type ") + DataTypeName(output.type));
  }
  CORALPI_RETURN_IF_ERROR(CheckType(op, "input", input, output.type));
  CORALPI_RETURN_IF_ERROR(CheckPerTensorQuant(op, "input", input));
  return CheckPerTensorQuant(op, "output", output);
}

Status CheckFloatOrQuantizedUnary(const char* op, const TensorView& input,
                                  const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(CheckSameShape(op, input, output));
  if (output.type == DataType::kFloat32) return CheckType(op, "input", input, DataType::kFloat32);
  return CheckQuantizedUnary(op, input, output);
}

bool IsNormalPositive(float scale) { return scale > 0.0f && std::isnormal(scale); }

}  // namespace coralpi::reference::internal
