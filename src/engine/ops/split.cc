// SPLIT, SPLIT_V and UNPACK: one tensor cut into several along an axis. This XNNPACK has no
// split node, so they run on the reference kernels. The axis and sizes are usually constants,
// checked here; computed ones are checked when the node runs.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

// Each output of the data input's kind; when `shapes` is known, of those shapes.
Status CheckParts(const OperatorInfo& op, const Subgraph& g, const TensorInfo& in,
                  const Result<std::vector<Shape>>* shapes) {
  if (shapes && !shapes->ok()) return FromKernel(shapes->error());
  if (shapes && (*shapes)->size() != op.outputs.size()) {
    return Error{"has " + std::to_string(op.outputs.size()) + " outputs, the split makes " +
                 std::to_string((*shapes)->size())};
  }
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    const std::string role = "output " + std::to_string(i);
    CORALPI_RETURN_IF_ERROR(ExpectSameKind(Output(op, g, i), in, role.c_str()));
    if (shapes) CORALPI_RETURN_IF_ERROR(ExpectShape(Output(op, g, i), (**shapes)[i], role.c_str()));
  }
  return OkStatus();
}

Status CheckSplit(const OperatorInfo& op, const Subgraph& g) {
  const auto& opt = std::get<SplitOptions>(op.options);
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, static_cast<size_t>(std::max(opt.num_splits, 1))));
  const TensorInfo& axis = Input(op, g, 0);
  const TensorInfo& in = Input(op, g, 1);
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(axis, "axis"));
  CORALPI_RETURN_IF_ERROR(ExpectMovable(in, "input"));
  if (!axis.is_constant()) return CheckParts(op, g, in, nullptr);
  auto shapes = reference::SplitShapes(opt, in.shape, ConstantView(axis));
  return CheckParts(op, g, in, &shapes);
}

Status RunSplit(const OperatorInfo& op, std::span<const TensorView> in,
                std::span<const TensorView> out) {
  return reference::Split(std::get<SplitOptions>(op.options), in[0], in[1], out);
}

Status CheckSplitV(const OperatorInfo& op, const Subgraph& g) {
  const auto& opt = std::get<SplitOptions>(op.options);
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 3, 3, static_cast<size_t>(std::max(opt.num_splits, 1))));
  const TensorInfo& in = Input(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectMovable(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, 1), "size_splits"));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, 2), "axis"));
  if (!AllConstant(op, g, {1, 2})) return CheckParts(op, g, in, nullptr);
  auto shapes = reference::SplitVShapes(opt, in.shape, ConstantView(Input(op, g, 1)),
                                        ConstantView(Input(op, g, 2)));
  return CheckParts(op, g, in, &shapes);
}

Status RunSplitV(const OperatorInfo& op, std::span<const TensorView> in,
                 std::span<const TensorView> out) {
  return reference::SplitV(std::get<SplitOptions>(op.options), in[0], in[1], in[2], out);
}

Status CheckUnpack(const OperatorInfo& op, const Subgraph& g) {
  const auto& opt = std::get<PackOptions>(op.options);
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 1, 1, static_cast<size_t>(std::max(opt.count, 1))));
  const TensorInfo& in = Input(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectMovable(in, "input"));
  auto shapes = reference::UnpackShapes(opt, in.shape);
  return CheckParts(op, g, in, &shapes);
}

Status RunUnpack(const OperatorInfo& op, std::span<const TensorView> in,
                 std::span<const TensorView> out) {
  return reference::Unpack(std::get<PackOptions>(op.options), in[0], out);
}

}  // namespace

const OpKernel kSplit = {static_cast<int32_t>(OpCode::kSplit), CheckSplit, RunSplit, nullptr,
                         nullptr};
const OpKernel kSplitV = {static_cast<int32_t>(OpCode::kSplitV), CheckSplitV, RunSplitV, nullptr,
                          nullptr};
const OpKernel kUnpack = {static_cast<int32_t>(OpCode::kUnpack), CheckUnpack, RunUnpack, nullptr,
                          nullptr};

}  // namespace coralpi::ops
