// CAST between float32, int32, int64, int16, uint8, int8 and bool, on the reference kernel:
// XNNPACK's convert quantizes and dequantizes, it has no plain value conversion.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const std::initializer_list<DataType> types = {
      DataType::kFloat32, DataType::kInt32, DataType::kInt64, DataType::kInt16,
      DataType::kUInt8,   DataType::kInt8,  DataType::kBool};
  const TensorInfo& in = Input(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(in, types, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(Output(op, g, 0), types, "output"));
  return ExpectShape(Output(op, g, 0), in.shape, "output");
}

Status Run(const OperatorInfo&, std::span<const TensorView> in, std::span<const TensorView> out) {
  return reference::Cast(in[0], out[0]);
}

std::string XnnRejection(const OperatorInfo&, const Subgraph&) {
  return "XNNPACK has no value conversion (its convert quantizes)";
}

}  // namespace

const OpKernel kCast = {
    static_cast<int32_t>(OpCode::kCast), Check, Run, nullptr, nullptr, XnnRejection};

}  // namespace coralpi::ops
