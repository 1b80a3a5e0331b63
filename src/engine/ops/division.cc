// DIV (float32 on XNNPACK's divide; int32, uint8, int8 on the reference kernel) and FLOOR_DIV
// (float32, int32, int16, int8 as plain integers; reference kernel: this XNNPACK has no floor
// division). Same shapes or numpy broadcasting up to 4-D.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckDiv(const OperatorInfo& op, const Subgraph& g) {
  const Activation act = std::get<AddOptions>(op.options).activation;
  return CheckBinaryElementwise(
      op, g, {DataType::kFloat32, DataType::kInt32, DataType::kUInt8, DataType::kInt8}, &act);
}

Status RunDiv(const OperatorInfo& op, std::span<const TensorView> in,
              std::span<const TensorView> out) {
  return reference::Div(std::get<AddOptions>(op.options), in[0], in[1], out[0]);
}

std::string DivRejection(const OperatorInfo& op, const Subgraph& g) {
  if (Output(op, g, 0).type == DataType::kFloat32) return "";
  return "XNNPACK divides only float32";
}

Status DivDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnBinary(b, op, xnnpack::BinaryOp::kDivide);
}

// FLOOR_DIV's int8 and int16 are plain integers: no quantization to check.
Status CheckFloorDiv(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& a = Input(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(
      a, {DataType::kFloat32, DataType::kInt32, DataType::kInt16, DataType::kInt8}, "input 0"));
  CORALPI_RETURN_IF_ERROR(ExpectType(Input(op, g, 1), {a.type}, "input 1"));
  CORALPI_RETURN_IF_ERROR(ExpectType(Output(op, g, 0), {a.type}, "output"));
  CORALPI_ASSIGN_OR_RETURN(Shape shape, BroadcastShape(a.shape, Input(op, g, 1).shape));
  return ExpectShape(Output(op, g, 0), shape, "output");
}

Status RunFloorDiv(const OperatorInfo&, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  return reference::FloorDiv(in[0], in[1], out[0]);
}

std::string FloorDivRejection(const OperatorInfo&, const Subgraph&) {
  return "this XNNPACK has no floor division";
}

}  // namespace

const OpKernel kDiv = {static_cast<int32_t>(OpCode::kDiv),
                       CheckDiv,
                       RunDiv,
                       XnnTakes<DivRejection>,
                       DivDefine,
                       DivRejection};
const OpKernel kFloorDiv = {static_cast<int32_t>(OpCode::kFloorDiv),
                            CheckFloorDiv,
                            RunFloorDiv,
                            nullptr,
                            nullptr,
                            FloorDivRejection};

}  // namespace coralpi::ops
