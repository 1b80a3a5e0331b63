// STRIDED_SLICE, SLICE and TRANSPOSE: one input rearranged by index inputs (begin/end/strides,
// begin/size, a permutation). This XNNPACK has no slice or transpose node, so they run on the
// reference kernels. Constant index inputs are checked here, with the output shape they give;
// computed ones are checked when the node runs.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

// Input 0 is the data, inputs 1..n-1 are index tensors; the output has the data's kind.
Status CheckIndexedMove(const OperatorInfo& op, const Subgraph& g, size_t inputs,
                        std::initializer_list<const char*> index_roles) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, inputs, inputs, 1));
  CORALPI_RETURN_IF_ERROR(ExpectMovable(Input(op, g, 0), "input"));
  CORALPI_RETURN_IF_ERROR(ExpectSameKind(Output(op, g, 0), Input(op, g, 0), "output"));
  size_t i = 1;
  for (const char* role : index_roles)
    CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, i++), role));
  return OkStatus();
}

Status CheckStridedSlice(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckIndexedMove(op, g, 4, {"begin", "end", "strides"}));
  if (!AllConstant(op, g, {1, 2, 3})) return OkStatus();
  return ExpectComputedShape(
      Output(op, g, 0),
      reference::StridedSliceShape(std::get<StridedSliceOptions>(op.options), Input(op, g, 0).shape,
                                   ConstantView(Input(op, g, 1)), ConstantView(Input(op, g, 2)),
                                   ConstantView(Input(op, g, 3))),
      "output");
}

Status RunStridedSlice(const OperatorInfo& op, std::span<const TensorView> in,
                       std::span<const TensorView> out) {
  return reference::StridedSlice(std::get<StridedSliceOptions>(op.options), in[0], in[1], in[2],
                                 in[3], out[0]);
}

Status CheckSlice(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckIndexedMove(op, g, 3, {"begin", "size"}));
  if (!AllConstant(op, g, {1, 2})) return OkStatus();
  return ExpectComputedShape(
      Output(op, g, 0),
      reference::SliceShape(Input(op, g, 0).shape, ConstantView(Input(op, g, 1)),
                            ConstantView(Input(op, g, 2))),
      "output");
}

Status RunSlice(const OperatorInfo&, std::span<const TensorView> in,
                std::span<const TensorView> out) {
  return reference::Slice(in[0], in[1], in[2], out[0]);
}

Status CheckTranspose(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckIndexedMove(op, g, 2, {"perm"}));
  if (!AllConstant(op, g, {1})) return OkStatus();
  return ExpectComputedShape(
      Output(op, g, 0),
      reference::TransposeShape(Input(op, g, 0).shape, ConstantView(Input(op, g, 1))), "output");
}

Status RunTranspose(const OperatorInfo&, std::span<const TensorView> in,
                    std::span<const TensorView> out) {
  return reference::Transpose(in[0], in[1], out[0]);
}

}  // namespace

const OpKernel kStridedSlice = {static_cast<int32_t>(OpCode::kStridedSlice), CheckStridedSlice,
                                RunStridedSlice, nullptr, nullptr};
const OpKernel kSlice = {static_cast<int32_t>(OpCode::kSlice), CheckSlice, RunSlice, nullptr,
                         nullptr};
const OpKernel kTranspose = {static_cast<int32_t>(OpCode::kTranspose), CheckTranspose, RunTranspose,
                             nullptr, nullptr};

}  // namespace coralpi::ops
