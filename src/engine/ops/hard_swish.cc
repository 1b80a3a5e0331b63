// HARD_SWISH: float32 on XNNPACK's hardswish; uint8 and int8 on the reference kernel
// (TensorFlow Lite's fixed-point rule), since this XNNPACK has no quantized hardswish.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(
      CheckUnary(op, g, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  if (in.type != DataType::kFloat32 &&
      !reference::HardSwishScalesSupported(in.quant.scale[0], out.quant.scale[0])) {
    return Error{"input scale " + std::to_string(in.quant.scale[0]) + " and output scale " +
                 std::to_string(out.quant.scale[0]) +
                 ": TensorFlow Lite's quantized HARD_SWISH needs input/output below 128"};
  }
  return OkStatus();
}

Status Run(const OperatorInfo&, std::span<const TensorView> in, std::span<const TensorView> out) {
  return reference::HardSwish(in[0], out[0]);
}

std::string XnnRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.type != DataType::kFloat32) return "this XNNPACK's hardswish takes only float32";
  if (out.num_elements() == 0) return "an empty tensor";
  return "";
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnUnary(b, op, xnnpack::UnaryOp::kHardSwish);
}

}  // namespace

const OpKernel kHardSwish = {static_cast<int32_t>(OpCode::kHardSwish),
                             Check,
                             Run,
                             XnnTakes<XnnRejection>,
                             XnnDefine,
                             XnnRejection};

}  // namespace coralpi::ops
