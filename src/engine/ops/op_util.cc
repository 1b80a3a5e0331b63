#include "engine/ops/op_util.h"

#include <algorithm>

#include "engine/reference/reference.h"

namespace coralpi::ops {

const TensorInfo& Input(const OperatorInfo& op, const Subgraph& g, size_t i) {
  return g.tensors[static_cast<size_t>(op.inputs[i])];
}

const TensorInfo& Output(const OperatorInfo& op, const Subgraph& g, size_t i) {
  return g.tensors[static_cast<size_t>(op.outputs[i])];
}

bool HasInput(const OperatorInfo& op, size_t i) {
  return i < op.inputs.size() && op.inputs[i] >= 0;
}

Status ExpectArity(const OperatorInfo& op, size_t min_inputs, size_t max_inputs, size_t outputs) {
  if (op.inputs.size() < min_inputs || op.inputs.size() > max_inputs) {
    return Error{"has " + std::to_string(op.inputs.size()) + " inputs, expected " +
                 std::to_string(min_inputs) +
                 (max_inputs != min_inputs ? " to " + std::to_string(max_inputs) : "")};
  }
  for (size_t i = 0; i < min_inputs; ++i) {
    if (op.inputs[i] < 0) return Error{"required input " + std::to_string(i) + " is missing"};
  }
  if (op.outputs.size() != outputs) {
    return Error{"has " + std::to_string(op.outputs.size()) + " outputs, expected " +
                 std::to_string(outputs)};
  }
  return OkStatus();
}

Status ExpectType(const TensorInfo& t, std::initializer_list<DataType> types, const char* role) {
  for (DataType d : types) {
    if (t.type == d) return OkStatus();
  }
  std::string allowed;
  for (DataType d : types) allowed += std::string(allowed.empty() ? "" : " or ") + DataTypeName(d);
  return Error{std::string(role) + " is " + DataTypeName(t.type) + ", supported: " + allowed};
}

Status ExpectRank(const TensorInfo& t, size_t rank, const char* role) {
  if (t.shape.size() != rank) {
    return Error{std::string(role) + " has shape " + ShapeToString(t.shape) + ", expected rank " +
                 std::to_string(rank)};
  }
  return OkStatus();
}

Status ExpectConstant(const TensorInfo& t, const char* role) {
  if (!t.is_constant()) return Error{std::string(role) + " must be a constant tensor"};
  return OkStatus();
}

bool IsQuantized(DataType t) {
  return t == DataType::kUInt8 || t == DataType::kInt8 || t == DataType::kInt16;
}

Status ExpectQuantization(const TensorInfo& t, const char* role, bool per_channel_ok) {
  if (!IsQuantized(t.type) && t.type != DataType::kInt32) return OkStatus();
  if (t.quant.empty()) {
    if (t.type == DataType::kInt32) return OkStatus();
    return Error{std::string(role) + " is " + DataTypeName(t.type) +
                 " without quantization parameters"};
  }
  if (t.quant.per_channel() && !per_channel_ok) {
    return Error{std::string(role) + " has per-channel quantization, supported only per-tensor"};
  }
  int64_t lo = t.type == DataType::kUInt8 ? 0 : t.type == DataType::kInt8 ? -128 : INT32_MIN;
  int64_t hi = t.type == DataType::kUInt8 ? 255 : t.type == DataType::kInt8 ? 127 : INT32_MAX;
  for (int64_t zp : t.quant.zero_point) {
    if (zp < lo || zp > hi) {
      return Error{std::string(role) + " zero point " + std::to_string(zp) + " is outside " +
                   DataTypeName(t.type)};
    }
  }
  return OkStatus();
}

Status ExpectShape(const TensorInfo& t, const Shape& shape, const char* role) {
  if (t.shape != shape) {
    return Error{std::string(role) + " has shape " + ShapeToString(t.shape) + ", expected " +
                 ShapeToString(shape)};
  }
  return OkStatus();
}

namespace {

// Padding before and after along one axis.
std::pair<uint32_t, uint32_t> AxisPadding(Padding padding, int32_t in, int32_t k, int32_t stride,
                                          int32_t dilation) {
  if (padding == Padding::kValid) return {0, 0};
  reference::PaddedSize p = reference::ComputePadding(padding, in, k, stride, dilation);
  int64_t effective = (static_cast<int64_t>(k) - 1) * dilation + 1;
  int64_t total = std::max<int64_t>((static_cast<int64_t>(p.out) - 1) * stride + effective - in, 0);
  return {static_cast<uint32_t>(p.pad_before), static_cast<uint32_t>(total - p.pad_before)};
}

}  // namespace

XnnPadding ComputeXnnPadding(Padding padding, const Shape& input, int32_t kernel_h,
                             int32_t kernel_w, int32_t stride_h, int32_t stride_w,
                             int32_t dilation_h, int32_t dilation_w) {
  auto [top, bottom] = AxisPadding(padding, input[1], kernel_h, stride_h, dilation_h);
  auto [left, right] = AxisPadding(padding, input[2], kernel_w, stride_w, dilation_w);
  return {top, right, bottom, left};
}

Status CheckWeightedOp(const OperatorInfo& op, const Subgraph& g, size_t weight_rank,
                       int channel_axis) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 3, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& w = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(w, {in.type}, "weights"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectRank(w, weight_rank, "weights"));
  CORALPI_RETURN_IF_ERROR(ExpectConstant(w, "weights"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(w, "weights", in.type == DataType::kInt8));
  if (w.quant.per_channel() && w.quant.axis != channel_axis) {
    return Error{"weights are quantized along dimension " + std::to_string(w.quant.axis) +
                 ", expected " + std::to_string(channel_axis)};
  }
  if (HasInput(op, 2)) {
    const TensorInfo& bias = Input(op, g, 2);
    DataType bias_type = in.type == DataType::kFloat32 ? DataType::kFloat32 : DataType::kInt32;
    CORALPI_RETURN_IF_ERROR(ExpectType(bias, {bias_type}, "bias"));
    CORALPI_RETURN_IF_ERROR(ExpectConstant(bias, "bias"));
    CORALPI_RETURN_IF_ERROR(
        ExpectShape(bias, {w.shape[static_cast<size_t>(channel_axis)]}, "bias"));
  }
  return OkStatus();
}

bool XnnConvScaleOk(const TensorInfo& in, const TensorInfo& filter, const TensorInfo& out) {
  if (in.type == DataType::kFloat32) return true;
  for (float ws : filter.quant.scale) {
    float s = in.quant.scale[0] * ws / out.quant.scale[0];
    if (!(s >= 0x1.0p-32f && s < 256.0f)) return false;
  }
  return true;
}

Status ExpectSameQuantization(const TensorInfo& in, const TensorInfo& out,
                              const std::string& what) {
  if (IsQuantized(in.type) &&
      (in.quant.scale != out.quant.scale || in.quant.zero_point != out.quant.zero_point)) {
    return Error{"a quantized " + what + " needs equal input and output quantization"};
  }
  return OkStatus();
}

}  // namespace coralpi::ops
