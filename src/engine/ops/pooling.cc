// AVERAGE_POOL_2D and MEAN.
//
// A global average (a MEAN over height and width, or an AVERAGE_POOL_2D whose window covers
// the whole input) runs as XNNPACK's global average pooling; its reference is
// reference::MeanHW, which rounds as XNNPACK does. Other average pools run on
// reference::AveragePool2D (TFLite's rounding); this XNNPACK has no quantized windowed pool.
#include <algorithm>
#include <cstring>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"
#include "engine/xnn_subgraph_builder.h"

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

Status CheckAveragePool(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(CheckPoolTensors(in, out));
  const auto& o = std::get<Pool2DOptions>(op.options);
  auto h = reference::ComputePadding(o.padding, in.shape[1], o.filter_h, o.stride_h, 1);
  auto w = reference::ComputePadding(o.padding, in.shape[2], o.filter_w, o.stride_w, 1);
  CORALPI_RETURN_IF_ERROR(ExpectShape(out, {in.shape[0], h.out, w.out, in.shape[3]}, "output"));
  if (!IsGlobalPool(op, g) && IsQuantized(in.type) &&
      (in.quant.scale != out.quant.scale || in.quant.zero_point != out.quant.zero_point)) {
    return Error{"a quantized average pool needs equal input and output quantization"};
  }
  if (IsGlobalPool(op, g) && o.activation != Activation::kNone) {
    return Error{"a fused activation on a global average pool is not supported"};
  }
  return OkStatus();
}

Status RunAveragePool(const OperatorInfo& op, std::span<const TensorView> in,
                      std::span<const TensorView> out) {
  if (in[0].shape[1] == std::get<Pool2DOptions>(op.options).filter_h &&
      in[0].shape[2] == std::get<Pool2DOptions>(op.options).filter_w && out[0].shape[1] == 1 &&
      out[0].shape[2] == 1) {
    return reference::MeanHW(in[0], out[0]);
  }
  return reference::AveragePool2D(std::get<Pool2DOptions>(op.options), in[0], out[0]);
}

Status XnnDefineGlobal(XnnSubgraphBuilder& b, const OperatorInfo& op) {
  const TensorInfo& in = b.tensor(op.inputs[0]);
  std::vector<size_t> out_dims = {static_cast<size_t>(in.shape[0]), 1, 1,
                                  static_cast<size_t>(in.shape[3])};
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0], &out_dims));
  float lo, hi;
  XnnActivationBounds(Activation::kNone, &lo, &hi);
  xnn_status s = xnn_define_global_average_pooling_2d(b.subgraph(), lo, hi, input, output, 0);
  if (s != xnn_status_success) return XnnError("xnn_define_global_average_pooling_2d", s);
  return OkStatus();
}

bool XnnSupportsAveragePool(const OperatorInfo& op, const Subgraph& g) {
  return IsGlobalPool(op, g);
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

bool XnnSupportsMean(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  if (in.type == DataType::kFloat32) return true;
  float s = in.quant.scale[0] / out.quant.scale[0];
  return s >= 0x1.0p-8f && s < 0x1.0p+8f;
}

}  // namespace

const OpKernel kAveragePool2D = {static_cast<int32_t>(OpCode::kAveragePool2D), CheckAveragePool,
                                 RunAveragePool, XnnSupportsAveragePool, XnnDefineGlobal};
const OpKernel kMean = {static_cast<int32_t>(OpCode::kMean), CheckMean, RunMean, XnnSupportsMean,
                        XnnDefineGlobal};

}  // namespace coralpi::ops
