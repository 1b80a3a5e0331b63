// MAXIMUM and MINIMUM: float32 (XNNPACK's maximum2 / minimum2), and uint8, int8, int16, int32,
// int64 on the reference kernel (this XNNPACK compares only float32). Quantized inputs and
// output must share one quantization, as TensorFlow Lite's converter makes them.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(
      CheckBinaryElementwise(op, g,
                             {DataType::kFloat32, DataType::kUInt8, DataType::kInt8,
                              DataType::kInt16, DataType::kInt32, DataType::kInt64}));
  const TensorInfo& out = Output(op, g, 0);
  if (!IsQuantized(out.type) || out.type == DataType::kInt16) return OkStatus();
  for (size_t i = 0; i < 2; ++i) {
    const Quantization& q = Input(op, g, i).quant;
    if (q.scale != out.quant.scale || q.zero_point != out.quant.zero_point) {
      return Error{"input " + std::to_string(i) +
                   " and the output have different quantization; they must share one"};
    }
  }
  return OkStatus();
}

Status RunMaximum(const OperatorInfo&, std::span<const TensorView> in,
                  std::span<const TensorView> out) {
  return reference::Maximum(in[0], in[1], out[0]);
}

Status RunMinimum(const OperatorInfo&, std::span<const TensorView> in,
                  std::span<const TensorView> out) {
  return reference::Minimum(in[0], in[1], out[0]);
}

std::string XnnRejection(const OperatorInfo& op, const Subgraph& g) {
  if (Output(op, g, 0).type == DataType::kFloat32) return "";
  return "this XNNPACK compares only float32";
}

template <bool kMaximum>
Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  CORALPI_ASSIGN_OR_RETURN(uint32_t x, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t y, b.Value(op.inputs[1]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.Binary(kMaximum ? xnnpack::BinaryOp::kMaximum : xnnpack::BinaryOp::kMinimum,
                  Activation::kNone, x, y, output);
}

}  // namespace

const OpKernel kMaximum = {static_cast<int32_t>(OpCode::kMaximum),
                           Check,
                           RunMaximum,
                           XnnTakes<XnnRejection>,
                           XnnDefine<true>,
                           XnnRejection};
const OpKernel kMinimum = {static_cast<int32_t>(OpCode::kMinimum),
                           Check,
                           RunMinimum,
                           XnnTakes<XnnRejection>,
                           XnnDefine<false>,
                           XnnRejection};

}  // namespace coralpi::ops
