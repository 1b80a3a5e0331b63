// QUANTIZE (float -> uint8/int8, or uint8 <-> int8 requantization) and DEQUANTIZE
// (uint8/int8/int16 or float16 -> float). Both run on the reference kernels: this XNNPACK cannot
// convert between uint8 and int8, and they are a single pass over the tensor. A DEQUANTIZE of a
// float16 constant never runs: the engine folds it into a float32 constant when it loads the
// model (constant_folding.h).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckQuantize(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(in, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {DataType::kUInt8, DataType::kInt8}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  return ExpectShape(out, in.shape, "output");
}

Status RunQuantize(const OperatorInfo&, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  return reference::Quantize(in[0], out[0]);
}

Status CheckDequantize(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(
      in, {DataType::kUInt8, DataType::kInt8, DataType::kInt16, DataType::kFloat16}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {DataType::kFloat32}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(in, "input"));
  return ExpectShape(out, in.shape, "output");
}

Status RunDequantize(const OperatorInfo&, std::span<const TensorView> in,
                     std::span<const TensorView> out) {
  return reference::Dequantize(in[0], out[0]);
}

}  // namespace

const OpKernel kQuantize = {static_cast<int32_t>(OpCode::kQuantize), CheckQuantize, RunQuantize,
                            nullptr, nullptr};
const OpKernel kDequantize = {static_cast<int32_t>(OpCode::kDequantize), CheckDequantize,
                              RunDequantize, nullptr, nullptr};

}  // namespace coralpi::ops
