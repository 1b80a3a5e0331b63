// FULLY_CONNECTED: float32, uint8, int8 (per-tensor or per-channel int8 weights). XNNPACK runs
// float32, uint8 and per-tensor int8; this XNNPACK rejects per-channel weights here, so those
// run on the reference kernel, and so do dynamic-range nodes (float32 input, int8 weights:
// reference/hybrid.h).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/hybrid.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckWeightedOp(op, g, 2, 0));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& w = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  if (w.shape[1] <= 0 || in.num_elements() % w.shape[1] != 0) {
    return Error{"input " + ShapeToString(in.shape) + " does not divide into rows of " +
                 std::to_string(w.shape[1])};
  }
  int64_t batch = in.num_elements() / w.shape[1];
  if (out.num_elements() != batch * w.shape[0]) {
    return Error{"output " + ShapeToString(out.shape) + " does not hold " + std::to_string(batch) +
                 " rows of " + std::to_string(w.shape[0])};
  }
  return OkStatus();
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  if (IsHybrid(in[0].type, in[1].type)) {
    return reference::HybridFullyConnected(std::get<FullyConnectedOptions>(op.options), in[0],
                                           in[1], OptionalView(in, 2), out[0]);
  }
  return reference::FullyConnected(std::get<FullyConnectedOptions>(op.options), in[0], in[1],
                                   OptionalView(in, 2), out[0]);
}

bool XnnSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& w = Input(op, g, 1);
  if (IsHybrid(Input(op, g, 0).type, w.type)) return false;
  return !w.quant.per_channel() && XnnConvScaleOk(Input(op, g, 0), w, Output(op, g, 0));
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const auto& o = std::get<FullyConnectedOptions>(op.options);
  const TensorInfo& w = b.tensor(op.inputs[1]);
  const TensorInfo& out = b.tensor(op.outputs[0]);
  // Seen by XNNPACK as [batch, in] -> [batch, out] whatever the model's ranks.
  std::vector<size_t> out_dims = {static_cast<size_t>(out.num_elements() / w.shape[0]),
                                  static_cast<size_t>(w.shape[0])};
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t weights, b.Value(op.inputs[1]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t bias,
                           b.OptionalValue(op.inputs.size() > 2 ? op.inputs[2] : -1));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output,
                           b.Value(op.outputs[0], o.keep_num_dims ? nullptr : &out_dims));
  return b.FullyConnected(o.activation, !o.keep_num_dims, input, weights, bias, output);
}

}  // namespace

const OpKernel kFullyConnected = {static_cast<int32_t>(OpCode::kFullyConnected), Check, Run,
                                  XnnSupports, XnnDefine, HybridXnnRejection};

}  // namespace coralpi::ops
