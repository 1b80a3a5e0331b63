// SQRT (float32 on XNNPACK's square root; int8 on the reference kernel, TensorFlow Lite's rule)
// and RSQRT (float32, reference kernel: this XNNPACK has no reciprocal square root).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckSqrt(const OperatorInfo& op, const Subgraph& g) {
  return CheckUnary(op, g, {DataType::kFloat32, DataType::kInt8});
}

Status RunSqrt(const OperatorInfo&, std::span<const TensorView> in,
               std::span<const TensorView> out) {
  return reference::Sqrt(in[0], out[0]);
}

std::string SqrtRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.type != DataType::kFloat32) return "XNNPACK's square root takes only float32";
  if (out.num_elements() == 0) return "an empty tensor";
  return "";
}

Status SqrtDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnUnary(b, op, xnnpack::UnaryOp::kSquareRoot);
}

Status CheckRsqrt(const OperatorInfo& op, const Subgraph& g) {
  return CheckUnary(op, g, {DataType::kFloat32});
}

Status RunRsqrt(const OperatorInfo&, std::span<const TensorView> in,
                std::span<const TensorView> out) {
  return reference::Rsqrt(in[0], out[0]);
}

std::string RsqrtRejection(const OperatorInfo&, const Subgraph&) {
  return "this XNNPACK has no reciprocal square root";
}

}  // namespace

const OpKernel kSqrt = {static_cast<int32_t>(OpCode::kSqrt),
                        CheckSqrt,
                        RunSqrt,
                        XnnTakes<SqrtRejection>,
                        SqrtDefine,
                        SqrtRejection};
const OpKernel kRsqrt = {
    static_cast<int32_t>(OpCode::kRsqrt), CheckRsqrt, RunRsqrt, nullptr, nullptr, RsqrtRejection};

}  // namespace coralpi::ops
