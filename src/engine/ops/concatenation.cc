// CONCATENATION and PACK: join tensors along an existing or a new axis. This XNNPACK has no
// concatenate node, so both run on the reference kernels (a copy, or for 8-bit inputs quantized
// unlike the output, TensorFlow Lite's requantization).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

std::string InputRole(size_t i) { return "input " + std::to_string(i); }

// Every input present, movable, of the output's type; returns their shapes.
Result<std::vector<Shape>> CheckJoinedInputs(const OperatorInfo& op, const Subgraph& g,
                                             bool same_quantization) {
  if (op.inputs.empty()) return Error{"has no inputs"};
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, op.inputs.size(), op.inputs.size(), 1));
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectMovable(out, "output"));
  std::vector<Shape> shapes;
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const TensorInfo& in = Input(op, g, i);
    const std::string role = InputRole(i);
    CORALPI_RETURN_IF_ERROR(ExpectMovable(in, role.c_str()));
    if (same_quantization || !IsQuantized(in.type)) {
      CORALPI_RETURN_IF_ERROR(ExpectSameKind(in, out, role.c_str()));
    } else {
      CORALPI_RETURN_IF_ERROR(ExpectType(in, {out.type}, role.c_str()));
    }
    shapes.push_back(in.shape);
  }
  return shapes;
}

Status CheckConcatenation(const OperatorInfo& op, const Subgraph& g) {
  const auto& opt = std::get<ConcatenationOptions>(op.options);
  if (opt.activation != Activation::kNone) {
    return Error{std::string("fused activation ") + ActivationName(opt.activation) +
                 " is not supported (TensorFlow Lite allows none)"};
  }
  // 8-bit inputs may be quantized unlike the output (requantized); int16 may not.
  CORALPI_ASSIGN_OR_RETURN(std::vector<Shape> shapes, CheckJoinedInputs(op, g, false));
  if (Output(op, g, 0).type == DataType::kInt16) {
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      CORALPI_RETURN_IF_ERROR(ExpectSameKind(Input(op, g, i), Output(op, g, 0), "int16 input"));
    }
  }
  return ExpectComputedShape(Output(op, g, 0), reference::ConcatenationShape(opt, shapes),
                             "output");
}

Status RunConcatenation(const OperatorInfo& op, std::span<const TensorView> in,
                        std::span<const TensorView> out) {
  return reference::Concatenation(std::get<ConcatenationOptions>(op.options), in, out[0]);
}

Status CheckPack(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<Shape> shapes, CheckJoinedInputs(op, g, true));
  return ExpectComputedShape(
      Output(op, g, 0), reference::PackShape(std::get<PackOptions>(op.options), shapes), "output");
}

Status RunPack(const OperatorInfo& op, std::span<const TensorView> in,
               std::span<const TensorView> out) {
  return reference::Pack(std::get<PackOptions>(op.options), in, out[0]);
}

}  // namespace

const OpKernel kConcatenation = {static_cast<int32_t>(OpCode::kConcatenation), CheckConcatenation,
                                 RunConcatenation, nullptr, nullptr};
const OpKernel kPack = {static_cast<int32_t>(OpCode::kPack), CheckPack, RunPack, nullptr, nullptr};

}  // namespace coralpi::ops
