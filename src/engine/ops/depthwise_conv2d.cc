// DEPTHWISE_CONV_2D: float32, uint8, int8 with per-channel int8 weights (quantized along
// dimension 3). XNNPACK runs it as a depthwise convolution node. Dynamic-range nodes (float32
// input, int8 weights: reference/hybrid.h) run on the reference kernel.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/hybrid.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckWeightedOp(op, g, 4, 3));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& filter = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectRank(in, 4, "input"));
  if (filter.shape[0] != 1 || in.shape[3] == 0 || filter.shape[3] % in.shape[3] != 0) {
    return Error{"filter shape " + ShapeToString(filter.shape) + " does not fit input channels " +
                 std::to_string(in.shape[3])};
  }
  const auto& o = std::get<DepthwiseConv2DOptions>(op.options);
  auto h =
      reference::ComputePadding(o.padding, in.shape[1], filter.shape[1], o.stride_h, o.dilation_h);
  auto w =
      reference::ComputePadding(o.padding, in.shape[2], filter.shape[2], o.stride_w, o.dilation_w);
  return ExpectShape(out, {in.shape[0], h.out, w.out, filter.shape[3]}, "output");
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  if (IsHybrid(in[0].type, in[1].type)) {
    return reference::HybridDepthwiseConv2D(std::get<DepthwiseConv2DOptions>(op.options), in[0],
                                            in[1], OptionalView(in, 2), out[0]);
  }
  return reference::DepthwiseConv2D(std::get<DepthwiseConv2DOptions>(op.options), in[0], in[1],
                                    OptionalView(in, 2), out[0]);
}

bool XnnSupports(const OperatorInfo& op, const Subgraph& g) {
  if (IsHybrid(Input(op, g, 0).type, Input(op, g, 1).type)) return false;
  return XnnConvScaleOk(Input(op, g, 0), Input(op, g, 1), Output(op, g, 0));
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const auto& o = std::get<DepthwiseConv2DOptions>(op.options);
  const TensorInfo& in = b.tensor(op.inputs[0]);
  const TensorInfo& filter = b.tensor(op.inputs[1]);
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t weights, b.Value(op.inputs[1]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t bias,
                           b.OptionalValue(op.inputs.size() > 2 ? op.inputs[2] : -1));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  const xnnpack::Window window =
      XnnWindow(o.padding, in.shape, filter.shape[1], filter.shape[2], o.stride_h, o.stride_w,
                o.dilation_h, o.dilation_w);
  const uint32_t multiplier = static_cast<uint32_t>(filter.shape[3] / in.shape[3]);
  return b.DepthwiseConvolution(window, multiplier, static_cast<size_t>(in.shape[3]),
                                o.activation, input, weights, bias, output);
}

}  // namespace

const OpKernel kDepthwiseConv2D = {static_cast<int32_t>(OpCode::kDepthwiseConv2D), Check, Run,
                                   XnnSupports, XnnDefine, HybridXnnRejection};

}  // namespace coralpi::ops
