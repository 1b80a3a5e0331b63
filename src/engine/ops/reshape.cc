// RESHAPE, SQUEEZE and EXPAND_DIMS: the same bytes under another shape. XNNPACK runs them as
// static_reshape (to the output's declared shape); the reference is a copy. RESHAPE's new shape
// (its shape input, or the options, with one -1) and EXPAND_DIMS's axis must give the declared
// output shape: checked here when they are constants, by the reference kernel when the graph
// computes them (which is also why those run on the reference kernel).
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  if (op.inputs.empty() || op.inputs[0] < 0 || op.outputs.size() != 1) {
    return Error{"needs a data input and one output"};
  }
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {in.type}, "output"));
  if (ElementSize(in.type) == 0)
    return Error{std::string("cannot reshape ") + DataTypeName(in.type)};
  if (in.num_elements() != out.num_elements()) {
    return Error{"input " + ShapeToString(in.shape) + " and output " + ShapeToString(out.shape) +
                 " hold different numbers of elements"};
  }
  if (IsQuantized(in.type) &&
      (in.quant.scale != out.quant.scale || in.quant.zero_point != out.quant.zero_point)) {
    return Error{"input and output quantization differ"};
  }
  return OkStatus();
}

Status Run(const OperatorInfo&, std::span<const TensorView> in, std::span<const TensorView> out) {
  return reference::Copy(in[0], out[0]);
}

// Input 1 (RESHAPE's shape, EXPAND_DIMS's axis) is absent or constant.
bool ShapeIsStatic(const OperatorInfo& op, const Subgraph& g) {
  return !HasInput(op, 1) || AllConstant(op, g, {1});
}

bool XnnSupports(const OperatorInfo& op, const Subgraph& g) {
  DataType t = Input(op, g, 0).type;
  return (t == DataType::kFloat32 || t == DataType::kUInt8 || t == DataType::kInt8) &&
         !Input(op, g, 0).quant.per_channel() && Output(op, g, 0).shape.size() <= 6 &&
         ShapeIsStatic(op, g);
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const TensorInfo& out = b.tensor(op.outputs[0]);
  std::vector<size_t> dims(out.shape.begin(), out.shape.end());
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.Reshape(dims, input, output);
}

Status CheckReshape(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(Check(op, g));
  if (op.inputs.size() > 2) return Error{"has more than 2 inputs"};
  if (!ShapeIsStatic(op, g)) return ExpectIndexType(Input(op, g, 1), "shape");
  const TensorView shape = HasInput(op, 1) ? ConstantView(Input(op, g, 1)) : TensorView{};
  return ExpectComputedShape(
      Output(op, g, 0),
      reference::ReshapeShape(std::get<ReshapeOptions>(op.options), Input(op, g, 0).shape,
                              HasInput(op, 1) ? &shape : nullptr),
      "output");
}

Status RunReshape(const OperatorInfo& op, std::span<const TensorView> in,
                  std::span<const TensorView> out) {
  return reference::Reshape(std::get<ReshapeOptions>(op.options), in[0], OptionalView(in, 1),
                            out[0]);
}

Status CheckExpandDims(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  CORALPI_RETURN_IF_ERROR(Check(op, g));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, 1), "axis"));
  if (!ShapeIsStatic(op, g)) return OkStatus();
  return ExpectComputedShape(
      Output(op, g, 0),
      reference::ExpandDimsShape(Input(op, g, 0).shape, ConstantView(Input(op, g, 1))), "output");
}

Status RunExpandDims(const OperatorInfo&, std::span<const TensorView> in,
                     std::span<const TensorView> out) {
  return reference::ExpandDims(in[0], in[1], out[0]);
}

}  // namespace

const OpKernel kReshape = {static_cast<int32_t>(OpCode::kReshape), CheckReshape, RunReshape,
                           XnnSupports, XnnDefine};
const OpKernel kSqueeze = {static_cast<int32_t>(OpCode::kSqueeze), Check, Run, XnnSupports,
                           XnnDefine};
const OpKernel kExpandDims = {static_cast<int32_t>(OpCode::kExpandDims), CheckExpandDims,
                              RunExpandDims, XnnSupports, XnnDefine};

}  // namespace coralpi::ops
