// ADD (float32, uint8, int8) and SUB (also int32, int64): same shapes or numpy broadcasting up
// to 4-D. XNNPACK runs them (its add and subtract nodes) when the input/output scale
// ratios are inside its limits; the rest runs on the reference kernels.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckAdd(const OperatorInfo& op, const Subgraph& g) {
  const Activation act = std::get<AddOptions>(op.options).activation;
  return CheckBinaryElementwise(op, g, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8},
                                &act);
}

Status CheckSub(const OperatorInfo& op, const Subgraph& g) {
  const Activation act = std::get<AddOptions>(op.options).activation;
  return CheckBinaryElementwise(
      op, g,
      {DataType::kFloat32, DataType::kUInt8, DataType::kInt8, DataType::kInt32, DataType::kInt64},
      &act);
}

Status RunAdd(const OperatorInfo& op, std::span<const TensorView> in,
              std::span<const TensorView> out) {
  return reference::Add(std::get<AddOptions>(op.options), in[0], in[1], out[0]);
}

Status RunSub(const OperatorInfo& op, std::span<const TensorView> in,
              std::span<const TensorView> out) {
  return reference::Sub(std::get<AddOptions>(op.options), in[0], in[1], out[0]);
}

std::string XnnRejection(const OperatorInfo& op, const Subgraph& g) {
  return XnnBinaryRejection(op, g, reference::XnnpackTakesAddSub,
                            "input/output ratios in [2^-10, 2^8)");
}

Status AddDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnBinary(b, op, xnnpack::BinaryOp::kAdd);
}

Status SubDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnBinary(b, op, xnnpack::BinaryOp::kSubtract);
}

}  // namespace

const OpKernel kAdd = {static_cast<int32_t>(OpCode::kAdd),
                       CheckAdd,
                       RunAdd,
                       XnnTakes<XnnRejection>,
                       AddDefine,
                       XnnRejection};
const OpKernel kSub = {static_cast<int32_t>(OpCode::kSub),
                       CheckSub,
                       RunSub,
                       XnnTakes<XnnRejection>,
                       SubDefine,
                       XnnRejection};

}  // namespace coralpi::ops
