// RELU, RELU6 and RELU_N1_TO_1 as operators (float32, uint8, int8: XNNPACK's clamp when the
// input and output share a quantization, else the reference kernel rescales as TensorFlow Lite
// does) and LEAKY_RELU (float32 on XNNPACK; uint8 and int8 on the reference kernel, since this
// XNNPACK has only a float leaky_relu).
#include <cmath>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  return CheckUnary(op, g, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8});
}

template <Activation kAct>
Status RunRelu(const OperatorInfo&, std::span<const TensorView> in,
               std::span<const TensorView> out) {
  return reference::Relu(kAct, in[0], out[0]);
}

template <Activation kAct>
std::string ReluRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  if (out.num_elements() == 0) return "an empty tensor";
  if (out.type == DataType::kFloat32) return "";
  const reference::ActivationRange range = reference::QuantizedActivationRange(
      kAct, out.type, out.quant.scale[0], static_cast<int32_t>(out.quant.zero_point[0]));
  if (reference::XnnpackTakesClamp(in.quant, out.quant, range)) return "";
  return "input and output quantization differ (XNNPACK's clamp cannot rescale), or the bounds "
         "leave no range";
}

template <Activation kAct>
Status ReluDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.Clamp(kAct, input, output);
}

template <Activation kAct>
constexpr OpKernel ReluKernel(OpCode code) {
  return {static_cast<int32_t>(code),
          Check,
          RunRelu<kAct>,
          XnnTakes<ReluRejection<kAct>>,
          ReluDefine<kAct>,
          ReluRejection<kAct>};
}

Status RunLeakyRelu(const OperatorInfo& op, std::span<const TensorView> in,
                    std::span<const TensorView> out) {
  return reference::LeakyRelu(std::get<LeakyReluOptions>(op.options), in[0], out[0]);
}

std::string LeakyReluRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.type != DataType::kFloat32) return "this XNNPACK's leaky_relu takes only float32";
  if (out.num_elements() == 0) return "an empty tensor";
  if (!std::isfinite(std::get<LeakyReluOptions>(op.options).alpha)) return "alpha is not finite";
  return "";
}

Status LeakyReluDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  const float alpha = std::get<LeakyReluOptions>(op.options).alpha;
  return b.LeakyRelu(alpha, input, output);
}

}  // namespace

const OpKernel kRelu = ReluKernel<Activation::kRelu>(OpCode::kRelu);
const OpKernel kRelu6 = ReluKernel<Activation::kRelu6>(OpCode::kRelu6);
const OpKernel kReluN1To1 = ReluKernel<Activation::kReluN1To1>(OpCode::kReluN1To1);
const OpKernel kLeakyRelu = {static_cast<int32_t>(OpCode::kLeakyRelu),
                             Check,
                             RunLeakyRelu,
                             XnnTakes<LeakyReluRejection>,
                             LeakyReluDefine,
                             LeakyReluRejection};

}  // namespace coralpi::ops
