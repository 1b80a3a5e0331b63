#include "engine/ops/op_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <tuple>

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

xnnpack::Window XnnWindow(Padding padding, const Shape& input, int32_t kernel_h, int32_t kernel_w,
                          int32_t stride_h, int32_t stride_w, int32_t dilation_h,
                          int32_t dilation_w) {
  xnnpack::Window w;
  std::tie(w.top, w.bottom) = AxisPadding(padding, input[1], kernel_h, stride_h, dilation_h);
  std::tie(w.left, w.right) = AxisPadding(padding, input[2], kernel_w, stride_w, dilation_w);
  w.height = static_cast<uint32_t>(kernel_h);
  w.width = static_cast<uint32_t>(kernel_w);
  w.stride_h = static_cast<uint32_t>(stride_h);
  w.stride_w = static_cast<uint32_t>(stride_w);
  w.dilation_h = static_cast<uint32_t>(dilation_h);
  w.dilation_w = static_cast<uint32_t>(dilation_w);
  return w;
}

bool IsHybrid(DataType input, DataType weights) {
  return input == DataType::kFloat32 && weights == DataType::kInt8;
}

std::string HybridXnnRejection(const OperatorInfo& op, const Subgraph& g) {
  if (!IsHybrid(Input(op, g, 0).type, Input(op, g, 1).type)) return "";
  return "dynamic-range int8 weights on a float32 input: this XNNPACK has no dynamically "
         "quantized kernels";
}

namespace {

// The weights of a hybrid node: int8 with scales (per tensor or along `channel_axis`, as the
// model loader checked their count) and zero points 0.
Status CheckHybridWeights(const TensorInfo& w, int channel_axis) {
  if (w.quant.empty()) {
    return Error{"weights are int8 on a float32 input (dynamic-range quantization) but have no "
                 "quantization scales"};
  }
  if (w.quant.per_channel() && w.quant.axis != channel_axis) {
    return Error{"weights are quantized along dimension " + std::to_string(w.quant.axis) +
                 ", expected " + std::to_string(channel_axis)};
  }
  for (size_t c = 0; c < w.quant.scale.size(); ++c) {
    const float s = w.quant.scale[c];
    if (!(s > 0.0f) || !std::isfinite(s)) {
      return Error{"weights scale " + std::to_string(s) + " (channel " + std::to_string(c) +
                   ") is not positive and finite"};
    }
  }
  for (size_t c = 0; c < w.quant.zero_point.size(); ++c) {
    if (w.quant.zero_point[c] != 0) {
      return Error{"weights zero point " + std::to_string(w.quant.zero_point[c]) + " (channel " +
                   std::to_string(c) + "): dynamic-range weights must be symmetric"};
    }
  }
  return OkStatus();
}

}  // namespace

Status CheckWeightedOp(const OperatorInfo& op, const Subgraph& g, size_t weight_rank,
                       int channel_axis) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 3, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& w = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  if (IsHybrid(in.type, w.type)) {
    CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
    CORALPI_RETURN_IF_ERROR(ExpectRank(w, weight_rank, "weights"));
    CORALPI_RETURN_IF_ERROR(ExpectConstant(w, "weights"));
    CORALPI_RETURN_IF_ERROR(CheckHybridWeights(w, channel_axis));
    if (HasInput(op, 2)) {
      const TensorInfo& bias = Input(op, g, 2);
      CORALPI_RETURN_IF_ERROR(ExpectType(bias, {DataType::kFloat32}, "bias"));
      CORALPI_RETURN_IF_ERROR(ExpectConstant(bias, "bias"));
      CORALPI_RETURN_IF_ERROR(
          ExpectShape(bias, {w.shape[static_cast<size_t>(channel_axis)]}, "bias"));
    }
    return OkStatus();
  }
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

Result<Shape> BroadcastShape(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  if (rank > 4) return Error{"broadcasting is supported up to 4 dimensions"};
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return Error{"input shapes " + ShapeToString(a) + " and " + ShapeToString(b) +
                   " do not broadcast"};
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Status CheckBinaryElementwise(const OperatorInfo& op, const Subgraph& g,
                              std::initializer_list<DataType> types, const Activation* activation) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& a = Input(op, g, 0);
  const TensorInfo& b = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(a, types, "input 0"));
  CORALPI_RETURN_IF_ERROR(ExpectType(b, {a.type}, "input 1"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {a.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(a, "input 0"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(b, "input 1"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  if (activation && *activation != Activation::kNone && *activation != Activation::kRelu &&
      *activation != Activation::kRelu6 && *activation != Activation::kReluN1To1) {
    return Error{std::string("fused activation ") + ActivationName(*activation) +
                 " is not supported"};
  }
  CORALPI_ASSIGN_OR_RETURN(Shape shape, BroadcastShape(a.shape, b.shape));
  return ExpectShape(out, shape, "output");
}

Status CheckUnary(const OperatorInfo& op, const Subgraph& g,
                  std::initializer_list<DataType> types) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(in, types, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  return ExpectShape(out, in.shape, "output");
}

Status DefineXnnBinary(xnnpack::SubgraphBuilder& b, const OperatorInfo& op, xnnpack::BinaryOp kind) {
  CORALPI_ASSIGN_OR_RETURN(uint32_t x, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t y, b.Value(op.inputs[1]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.Binary(kind, std::get<AddOptions>(op.options).activation, x, y, output);
}

Status DefineXnnUnary(xnnpack::SubgraphBuilder& b, const OperatorInfo& op, xnnpack::UnaryOp kind) {
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.Unary(kind, input, output);
}

std::string XnnBinaryRejection(const OperatorInfo& op, const Subgraph& g,
                               bool (*takes)(float, float, float, reference::ActivationRange),
                               const char* limits) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.type == DataType::kFloat32) return "";
  if (out.type != DataType::kUInt8 && out.type != DataType::kInt8) {
    return std::string("XNNPACK has no ") + DataTypeName(out.type) + " arithmetic";
  }
  const float sa = Input(op, g, 0).quant.scale[0], sb = Input(op, g, 1).quant.scale[0];
  const float so = out.quant.scale[0];
  const reference::ActivationRange range =
      reference::QuantizedActivationRange(std::get<AddOptions>(op.options).activation, out.type, so,
                                          static_cast<int32_t>(out.quant.zero_point[0]));
  if (takes(sa, sb, so, range)) return "";
  if (range.lo >= range.hi) return "the fused activation leaves a single output value";
  char scales[96];
  std::snprintf(scales, sizeof scales, "scales %g and %g to %g", sa, sb, so);
  return std::string(scales) + " outside XNNPACK's limits (" + limits + ")";
}

}  // namespace coralpi::ops

// ---- Helpers of the data-movement and index operators ----
namespace coralpi::ops {

TensorView ConstantView(const TensorInfo& t) {
  return TensorView{t.type, t.shape, &t.quant, const_cast<uint8_t*>(t.data.data())};
}

bool AllConstant(const OperatorInfo& op, const Subgraph& g, std::initializer_list<size_t> inputs) {
  for (size_t i : inputs) {
    if (!HasInput(op, i) || !Input(op, g, i).is_constant()) return false;
  }
  return true;
}

Status ExpectMovable(const TensorInfo& t, const char* role) {
  CORALPI_RETURN_IF_ERROR(
      ExpectType(t,
                 {DataType::kFloat32, DataType::kUInt8, DataType::kInt8, DataType::kInt16,
                  DataType::kInt32, DataType::kInt64, DataType::kBool},
                 role));
  if (t.shape.size() > 6) {
    return Error{std::string(role) + " has shape " + ShapeToString(t.shape) +
                 ", supported up to 6 dimensions"};
  }
  return IsQuantized(t.type) ? ExpectQuantization(t, role) : OkStatus();
}

Status ExpectIndexType(const TensorInfo& t, const char* role) {
  return ExpectType(t, {DataType::kInt32, DataType::kInt64}, role);
}

Status ExpectSameKind(const TensorInfo& t, const TensorInfo& like, const char* role) {
  CORALPI_RETURN_IF_ERROR(ExpectType(t, {like.type}, role));
  if (IsQuantized(t.type) &&
      (t.quant.scale != like.quant.scale || t.quant.zero_point != like.quant.zero_point)) {
    auto describe = [](const TensorInfo& x) {
      if (x.quant.empty() || x.quant.zero_point.empty()) return std::string("(none)");
      std::ostringstream s;
      s << "scale " << x.quant.scale[0] << " zero point " << x.quant.zero_point[0];
      return s.str();
    };
    return Error{std::string(role) + " is quantized as " + describe(t) + ", expected " +
                 describe(like)};
  }
  return OkStatus();
}

Status ExpectSameQuantization(const TensorInfo& in, const TensorInfo& out,
                              const std::string& what) {
  if (IsQuantized(in.type) &&
      (in.quant.scale != out.quant.scale || in.quant.zero_point != out.quant.zero_point)) {
    return Error{"a quantized " + what + " needs equal input and output quantization"};
  }
  return OkStatus();
}

Error FromKernel(const Error& e) { return Error{e.what(), e.kind}; }

Status ExpectComputedShape(const TensorInfo& out, const Result<Shape>& shape, const char* role) {
  if (!shape.ok()) return FromKernel(shape.error());
  return ExpectShape(out, *shape, role);
}

}  // namespace coralpi::ops
