// The internal dynamic-quantization nodes of hybrid_rewrite.h: float32 in, float32 out of the
// same shape, quantized per image or per last-dimension row and written back dequantized.
#include "engine/hybrid_rewrite.h"
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/hybrid.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, 1));
  const TensorInfo& in = Input(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(in, {DataType::kFloat32}, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectType(Output(op, g, 0), {DataType::kFloat32}, "output"));
  if (in.shape.empty() || in.num_elements() <= 0) {
    return Error{"input " + ShapeToString(in.shape) + " has no rows"};
  }
  return ExpectShape(Output(op, g, 0), in.shape, "output");
}

Status RunPerImage(const OperatorInfo&, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  const int64_t images = in[0].shape.empty() ? 1 : in[0].dim(0);
  return reference::DynamicFakeQuantize(in[0], out[0],
                                        images > 0 ? in[0].num_elements() / images : 0);
}

Status RunPerRow(const OperatorInfo&, std::span<const TensorView> in,
                 std::span<const TensorView> out) {
  return reference::DynamicFakeQuantize(in[0], out[0], in[0].shape.empty() ? 0 : in[0].shape.back());
}

std::string XnnRejection(const OperatorInfo&, const Subgraph&) {
  return "the input of a dynamic-range node, quantized on the host (this XNNPACK has no "
         "dynamic quantization)";
}

}  // namespace

const OpKernel kDynamicQuantizePerImage = {
    static_cast<int32_t>(OpCode::kCustom), Check, RunPerImage, nullptr, nullptr, XnnRejection};
const OpKernel kDynamicQuantizePerRow = {
    static_cast<int32_t>(OpCode::kCustom), Check, RunPerRow, nullptr, nullptr, XnnRejection};

}  // namespace coralpi::ops
