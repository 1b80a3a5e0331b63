// ARG_MAX: float32, uint8, int8, int16, int32 or int64 input, int32 or int64 indices out.
// XNNPACK's argmax exists only as a pooling window, not along an axis, so the reference kernel
// runs it (DeepLab: 513x513 positions over 21 classes).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& axis = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  const auto& opt = std::get<ArgMaxOptions>(op.options);
  CORALPI_RETURN_IF_ERROR(ExpectType(in,
                                     {DataType::kFloat32, DataType::kUInt8, DataType::kInt8,
                                      DataType::kInt16, DataType::kInt32, DataType::kInt64},
                                     "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(axis, "axis"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {DataType::kInt32, DataType::kInt64}, "output"));
  if (out.type != opt.output_type) {
    return Error{std::string("output is ") + DataTypeName(out.type) + ", the options ask for " +
                 DataTypeName(opt.output_type)};
  }
  if (!axis.is_constant()) return OkStatus();
  return ExpectComputedShape(out, reference::ArgMaxShape(in.shape, ConstantView(axis)), "output");
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  return reference::ArgMax(std::get<ArgMaxOptions>(op.options), in[0], in[1], out[0]);
}

}  // namespace

const OpKernel kArgMax = {static_cast<int32_t>(OpCode::kArgMax), Check, Run, nullptr, nullptr};

}  // namespace coralpi::ops
