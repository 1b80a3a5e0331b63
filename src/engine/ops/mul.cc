// MUL: float32, uint8, int8, int32, int64; same shapes or numpy broadcasting up to 4-D. XNNPACK
// runs float32, and uint8/int8 when the product-to-output scale ratio is inside its limits
// (its multiply node); the rest runs on the reference kernel.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  const Activation act = std::get<AddOptions>(op.options).activation;
  return CheckBinaryElementwise(
      op, g,
      {DataType::kFloat32, DataType::kUInt8, DataType::kInt8, DataType::kInt32, DataType::kInt64},
      &act);
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  return reference::Mul(std::get<AddOptions>(op.options), in[0], in[1], out[0]);
}

std::string XnnRejection(const OperatorInfo& op, const Subgraph& g) {
  return XnnBinaryRejection(op, g, reference::XnnpackTakesMul,
                            "product/output ratio in [2^-16, 2^8)");
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnBinary(b, op, xnnpack::BinaryOp::kMultiply);
}

}  // namespace

const OpKernel kMul = {static_cast<int32_t>(OpCode::kMul),
                       Check,
                       Run,
                       XnnTakes<XnnRejection>,
                       XnnDefine,
                       XnnRejection};

}  // namespace coralpi::ops
