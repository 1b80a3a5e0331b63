// GATHER and GATHER_ND: slices of `params` picked by an index tensor. This XNNPACK has no
// gather node, so they run on the reference kernels. Constant indices are range-checked here;
// indices the graph computes (MoveNet's ARG_MAX -> ... -> PACK -> GATHER_ND) are checked by
// the kernel on every run, before anything is read.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckGatherInputs(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  CORALPI_RETURN_IF_ERROR(ExpectMovable(Input(op, g, 0), "params"));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, 1), "indices"));
  return ExpectSameKind(Output(op, g, 0), Input(op, g, 0), "output");
}

Status CheckGather(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckGatherInputs(op, g));
  const auto& opt = std::get<GatherOptions>(op.options);
  const TensorInfo& params = Input(op, g, 0);
  const TensorInfo& indices = Input(op, g, 1);
  CORALPI_RETURN_IF_ERROR(ExpectComputedShape(
      Output(op, g, 0), reference::GatherShape(opt, params.shape, indices.shape), "output"));
  if (!indices.is_constant()) return OkStatus();
  Status s = reference::CheckGatherIndices(opt, params.shape, ConstantView(indices));
  return s.ok() ? s : FromKernel(s.error());
}

Status RunGather(const OperatorInfo& op, std::span<const TensorView> in,
                 std::span<const TensorView> out) {
  return reference::Gather(std::get<GatherOptions>(op.options), in[0], in[1], out[0]);
}

Status CheckGatherNd(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(CheckGatherInputs(op, g));
  const TensorInfo& params = Input(op, g, 0);
  const TensorInfo& indices = Input(op, g, 1);
  CORALPI_RETURN_IF_ERROR(ExpectComputedShape(
      Output(op, g, 0), reference::GatherNdShape(params.shape, indices.shape), "output"));
  if (!indices.is_constant()) return OkStatus();
  Status s = reference::CheckGatherNdIndices(params.shape, ConstantView(indices));
  return s.ok() ? s : FromKernel(s.error());
}

Status RunGatherNd(const OperatorInfo&, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  return reference::GatherNd(in[0], in[1], out[0]);
}

}  // namespace

const OpKernel kGather = {static_cast<int32_t>(OpCode::kGather), CheckGather, RunGather, nullptr,
                          nullptr};
const OpKernel kGatherNd = {static_cast<int32_t>(OpCode::kGatherNd), CheckGatherNd, RunGatherNd,
                            nullptr, nullptr};

}  // namespace coralpi::ops
