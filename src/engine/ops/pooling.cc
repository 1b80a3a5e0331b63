// AVERAGE_POOL_2D, MAX_POOL_2D and MEAN.
//
// A global average (a MEAN over height and width, or an AVERAGE_POOL_2D whose window covers the
// whole input) runs as XNNPACK's global average pooling; its reference is reference::MeanHW,
// which rounds as XNNPACK 2022 does. The exception is a quantized AVERAGE_POOL_2D that keeps its
// input's quantization (MobileNet's last pool): TensorFlow Lite runs it on its own kernel (the
// XNNPACK delegate leaves it there), which rounds an average ending in .5 away from zero, so
// coralpi runs reference::AveragePool2D, that kernel's rule. XNNPACK 2022 rounds such an average to even,
// XNNPACK 2024 now one way, now the other (the conformance test measured both): neither gives
// TensorFlow Lite's bytes. Other float average pools run on XNNPACK's windowed average pooling;
// other quantized ones on reference::AveragePool2D, since XNNPACK has no quantized windowed pool
// in its subgraph API. MAX_POOL_2D runs on XNNPACK's max pooling for every type, except a 1x1
// window (XNNPACK refuses it) and the windows this XNNPACK version refuses (xnnpack/version.h).
#include <algorithm>
#include <cstring>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"
#include "engine/xnnpack/version.h"

namespace coralpi::ops {
namespace {

bool IsGlobalPool(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  const auto& o = std::get<Pool2DOptions>(op.options);
  return o.filter_h == in.shape[1] && o.filter_w == in.shape[2] && out.shape[1] == 1 &&
         out.shape[2] == 1;
}

Status CheckPoolTensors(const TensorInfo& in, const TensorInfo& out) {
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectRank(in, 4, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  return ExpectQuantization(out, "output");
}

// The checks both windowed pools share: one input and output of one type, positive filter and
// stride, and the output shape TFLite's padding gives.
Status CheckPool(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(CheckPoolTensors(in, out));
  const auto& o = std::get<Pool2DOptions>(op.options);
  if (o.filter_h < 1 || o.filter_w < 1 || o.stride_h < 1 || o.stride_w < 1) {
    return Error{"filter " + std::to_string(o.filter_h) + "x" + std::to_string(o.filter_w) +
                 " and stride " + std::to_string(o.stride_h) + "x" + std::to_string(o.stride_w) +
                 " must be positive"};
  }
  auto h = reference::ComputePadding(o.padding, in.shape[1], o.filter_h, o.stride_h, 1);
  auto w = reference::ComputePadding(o.padding, in.shape[2], o.filter_w, o.stride_w, 1);
  return ExpectShape(out, {in.shape[0], h.out, w.out, in.shape[3]}, "output");
}

Status CheckAveragePool(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckPool(op, g));
  if (!IsGlobalPool(op, g)) {
    return ExpectSameQuantization(Input(op, g, 0), Output(op, g, 0), op.name());
  }
  if (std::get<Pool2DOptions>(op.options).activation != Activation::kNone) {
    return Error{"a fused activation on a global average pool is not supported"};
  }
  return OkStatus();
}

// A quantized global AVERAGE_POOL_2D whose input and output share one quantization: TensorFlow
// Lite's own kernel (the XNNPACK delegate leaves it there), not a requantizing mean.
bool IsTfLiteGlobalAverage(const TensorInfo& in, const TensorInfo& out) {
  return IsQuantized(in.type) && in.quant.scale == out.quant.scale &&
         in.quant.zero_point == out.quant.zero_point;
}

Status RunAveragePool(const OperatorInfo& op, std::span<const TensorView> in,
                      std::span<const TensorView> out) {
  const auto& o = std::get<Pool2DOptions>(op.options);
  const bool global = in[0].shape[1] == o.filter_h && in[0].shape[2] == o.filter_w &&
                      out[0].shape[1] == 1 && out[0].shape[2] == 1;
  const bool requantizes =
      in[0].type == DataType::kFloat32 || in[0].scale() != out[0].scale() ||
      in[0].zero_point() != out[0].zero_point();
  if (global && requantizes) return reference::MeanHW(in[0], out[0]);
  return reference::AveragePool2D(o, in[0], out[0]);
}

Status XnnDefineGlobal(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const TensorInfo& in = b.tensor(op.inputs[0]);
  std::vector<size_t> out_dims = {static_cast<size_t>(in.shape[0]), 1, 1,
                                  static_cast<size_t>(in.shape[3])};
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0], &out_dims));
  return b.GlobalAveragePool(input, output);
}

// XNNPACK's windowed pools refuse a 1x1 window ("meaningless").
bool IsSinglePixelWindow(const OperatorInfo& op) {
  const auto& o = std::get<Pool2DOptions>(op.options);
  return o.filter_h == 1 && o.filter_w == 1;
}
constexpr const char* kSinglePixelWindow = "XNNPACK refuses a 1x1 window";

std::string AveragePoolRejection(const OperatorInfo& op, const Subgraph& g) {
  if (IsGlobalPool(op, g)) {
    if (!IsTfLiteGlobalAverage(Input(op, g, 0), Output(op, g, 0))) return "";
    return "XNNPACK's global average pooling rounds an average ending in .5 otherwise than "
           "TensorFlow Lite's AVERAGE_POOL_2D (away from zero)";
  }
  if (Input(op, g, 0).type != DataType::kFloat32) {
    return "this XNNPACK's subgraph API has no quantized windowed average pooling (TFLite's "
           "rounding on the reference kernel)";
  }
  return IsSinglePixelWindow(op) ? kSinglePixelWindow : "";
}

// A windowed pool (`max` or average) with TFLite's explicit paddings.
Status XnnDefineWindowed(xnnpack::SubgraphBuilder& b, const OperatorInfo& op, bool max) {
  const auto& o = std::get<Pool2DOptions>(op.options);
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  const xnnpack::Window window = XnnWindow(o.padding, b.tensor(op.inputs[0]).shape, o.filter_h,
                                           o.filter_w, o.stride_h, o.stride_w, 1, 1);
  return max ? b.MaxPool(window, o.activation, input, output)
             : b.AveragePool(window, o.activation, input, output);
}

Status XnnDefineAveragePool(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  if (IsGlobalPool(op, b.graph())) return XnnDefineGlobal(b, op);
  return XnnDefineWindowed(b, op, false);
}

Status CheckMaxPool(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckPool(op, g));
  return ExpectSameQuantization(Input(op, g, 0), Output(op, g, 0), op.name());
}

Status RunMaxPool(const OperatorInfo& op, std::span<const TensorView> in,
                  std::span<const TensorView> out) {
  return reference::MaxPool2D(std::get<Pool2DOptions>(op.options), in[0], out[0]);
}

// XNNPACK also refuses a quantized activation range that holds a single value (RELU6 on an output
// whose zero point is the type's maximum, say); the reference kernel outputs that value.
std::string MaxPoolRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (IsQuantized(out.type)) {
    const reference::ActivationRange r = reference::QuantizedActivationRange(
        std::get<Pool2DOptions>(op.options).activation, out.type, out.quant.scale[0],
        static_cast<int32_t>(out.quant.zero_point[0]));
    if (r.lo >= r.hi) return "the fused activation leaves a single output value";
  }
  if (IsSinglePixelWindow(op)) return kSinglePixelWindow;
  const auto& o = std::get<Pool2DOptions>(op.options);
  return xnnpack::MaxPoolRefusal(XnnWindow(o.padding, Input(op, g, 0).shape, o.filter_h,
                                           o.filter_w, o.stride_h, o.stride_w, 1, 1));
}

Status XnnDefineMaxPool(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return XnnDefineWindowed(b, op, true);
}

// MEAN is supported over axes {1, 2} of a 4-D tensor (global average pooling).
Status CheckMean(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& axes = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(CheckPoolTensors(in, out));
  CORALPI_RETURN_IF_ERROR(ExpectType(axes, {DataType::kInt32}, "axes"));
  CORALPI_RETURN_IF_ERROR(ExpectConstant(axes, "axes"));
  std::vector<int32_t> list(axes.num_elements());
  std::memcpy(list.data(), axes.data.data(), list.size() * sizeof(int32_t));
  for (int32_t& a : list) a = a < 0 ? a + 4 : a;
  std::sort(list.begin(), list.end());
  if (list != std::vector<int32_t>{1, 2}) {
    return Error{"MEAN is supported over height and width (axes 1 and 2) only"};
  }
  if (out.num_elements() != static_cast<int64_t>(in.shape[0]) * in.shape[3]) {
    return Error{"output " + ShapeToString(out.shape) + " does not match a mean over axes 1 and 2"};
  }
  return OkStatus();
}

Status RunMean(const OperatorInfo&, std::span<const TensorView> in,
               std::span<const TensorView> out) {
  return reference::MeanHW(in[0], out[0]);
}

std::string MeanRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  if (in.type == DataType::kFloat32) return "";
  const float s = in.quant.scale[0] / out.quant.scale[0];
  if (s >= 0x1.0p-8f && s < 0x1.0p+8f) return "";
  return "input/output scale ratio " + std::to_string(s) + " is outside XNNPACK's [2^-8, 2^8)";
}

}  // namespace

const OpKernel kAveragePool2D = {static_cast<int32_t>(OpCode::kAveragePool2D),
                                 CheckAveragePool,
                                 RunAveragePool,
                                 XnnTakes<AveragePoolRejection>,
                                 XnnDefineAveragePool,
                                 AveragePoolRejection};
const OpKernel kMaxPool2D = {static_cast<int32_t>(OpCode::kMaxPool2D),
                             CheckMaxPool,
                             RunMaxPool,
                             XnnTakes<MaxPoolRejection>,
                             XnnDefineMaxPool,
                             MaxPoolRejection};
const OpKernel kMean = {static_cast<int32_t>(OpCode::kMean),
                        CheckMean,
                        RunMean,
                        XnnTakes<MeanRejection>,
                        XnnDefineGlobal,
                        MeanRejection};

}  // namespace coralpi::ops
