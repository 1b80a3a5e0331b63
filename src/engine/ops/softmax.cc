// SOFTMAX over the last axis: float32, uint8, int8. This XNNPACK's subgraph API has no
// quantized softmax, so it always runs on the reference kernel (1001 logits cost microseconds).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  if (in.shape.empty()) return Error{"input must have at least one dimension"};
  return ExpectShape(out, in.shape, "output");
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  return reference::Softmax(std::get<SoftmaxOptions>(op.options), in[0], out[0]);
}

}  // namespace

const OpKernel kSoftmax = {static_cast<int32_t>(OpCode::kSoftmax), Check, Run, nullptr, nullptr};

}  // namespace coralpi::ops
