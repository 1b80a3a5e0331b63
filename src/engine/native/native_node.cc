// Which operators the own kernels take, on which CPUs; see native_node.h.
#include "engine/native/native_node.h"

#include "engine/native/cpu_isa.h"
#include "engine/native/native_ops.h"

namespace coralpi::native {

bool Supports(const OperatorInfo& op, const Subgraph& g) {
  if (ActiveIsa() < CpuIsa::kAvx512Vnni) return false;
  switch (static_cast<OpCode>(op.code)) {
    case OpCode::kConv2D:
    case OpCode::kFullyConnected:
      return ConvSupports(op, g);
    case OpCode::kDepthwiseConv2D:
      return DepthwiseSupports(op, g);
    case OpCode::kResizeBilinear:
      return ResizeBilinearSupports(op, g);
    case OpCode::kArgMax:
      return ArgMaxSupports(op, g);
    case OpCode::kPad:
      return PadSupports(op, g);
    case OpCode::kTranspose:
      return TransposeSupports(op, g);
    case OpCode::kConcatenation:
      return ConcatSupports(op, g);
    case OpCode::kStridedSlice:
    case OpCode::kSlice:
      return SliceSupports(op, g);
    case OpCode::kSoftmax:
      return SoftmaxSupports(op, g);
    default:
      return false;
  }
}

std::string RunnerName() {
  return ActiveIsa() >= CpuIsa::kAvx512Vnni ? CpuIsaName(CpuIsa::kAvx512Vnni) : "none";
}

Result<std::unique_ptr<NativeNode>> Create(const OperatorInfo& op, const Subgraph& g,
                                           std::span<const TensorView> inputs,
                                           std::span<const TensorView> outputs) {
  switch (static_cast<OpCode>(op.code)) {
    case OpCode::kConv2D:
    case OpCode::kFullyConnected:
      return CreateConvNode(op, g, inputs, outputs);
    case OpCode::kDepthwiseConv2D:
      return CreateDepthwiseNode(op, g, inputs, outputs);
    case OpCode::kResizeBilinear:
    case OpCode::kArgMax:
      return CreateSpatialNode(op, g, inputs, outputs);
    case OpCode::kPad:
    case OpCode::kTranspose:
    case OpCode::kConcatenation:
    case OpCode::kStridedSlice:
    case OpCode::kSlice:
      return CreateMovementNode(op, g, inputs, outputs);
    case OpCode::kSoftmax:
      return CreateSoftmaxNode(op, g, inputs, outputs);
    default:
      return Error{op.name() + " has no own kernel"};
  }
}

}  // namespace coralpi::native
