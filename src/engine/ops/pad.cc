// PAD and PADV2 (constant padding). XNNPACK runs them as static_constant_pad when the paddings
// (and PADV2's value) are constants and the type is float32, uint8 or int8; otherwise, or for
// paddings computed at run time, the reference kernel does.
#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status Check(const OperatorInfo& op, const Subgraph& g) {
  const bool v2 = op.code == static_cast<int32_t>(OpCode::kPadV2);
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, v2 ? 3 : 2, 1));
  const TensorInfo& in = Input(op, g, 0);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(ExpectMovable(in, "input"));
  CORALPI_RETURN_IF_ERROR(ExpectSameKind(out, in, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectIndexType(Input(op, g, 1), "paddings"));
  if (HasInput(op, 2)) {
    const TensorInfo& value = Input(op, g, 2);
    CORALPI_RETURN_IF_ERROR(ExpectSameKind(value, in, "constant value"));
    if (value.num_elements() != 1) {
      return Error{"constant value has shape " + ShapeToString(value.shape) +
                   ", expected one value"};
    }
  }
  if (!AllConstant(op, g, {1})) return OkStatus();
  return ExpectComputedShape(out, reference::PadShape(in.shape, ConstantView(Input(op, g, 1))),
                             "output");
}

Status Run(const OperatorInfo&, std::span<const TensorView> in, std::span<const TensorView> out) {
  return reference::Pad(in[0], in[1], OptionalView(in, 2), out[0]);
}

bool XnnSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = Input(op, g, 0);
  const bool typed =
      in.type == DataType::kFloat32 || in.type == DataType::kUInt8 || in.type == DataType::kInt8;
  return typed && !in.shape.empty() && in.shape.size() <= xnnpack::kMaxDims &&
         AllConstant(op, g, {1}) && (!HasInput(op, 2) || AllConstant(op, g, {2}));
}

// The pad value in real units, as XNNPACK takes it (it quantizes it with the output's
// parameters): PADV2's constant, else 0 (the zero point for quantized tensors).
float RealPadValue(const OperatorInfo& op, const Subgraph& g) {
  if (!HasInput(op, 2)) return 0.0f;
  const TensorInfo& value = Input(op, g, 2);
  const TensorView v = ConstantView(value);
  switch (value.type) {
    case DataType::kFloat32:
      return v.as<const float>()[0];
    case DataType::kUInt8:
      return static_cast<float>(v.as<const uint8_t>()[0] - v.zero_point()) * v.scale();
    default:
      return static_cast<float>(v.as<const int8_t>()[0] - v.zero_point()) * v.scale();
  }
}

Status XnnDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  const TensorView paddings = ConstantView(b.tensor(op.inputs[1]));
  const size_t rank = static_cast<size_t>(paddings.num_elements() / 2);
  std::vector<size_t> before(rank), after(rank);
  for (size_t d = 0; d < rank; ++d) {
    const bool wide = paddings.type == DataType::kInt64;
    before[d] = static_cast<size_t>(wide ? paddings.as<const int64_t>()[2 * d]
                                         : paddings.as<const int32_t>()[2 * d]);
    after[d] = static_cast<size_t>(wide ? paddings.as<const int64_t>()[2 * d + 1]
                                        : paddings.as<const int32_t>()[2 * d + 1]);
  }
  CORALPI_ASSIGN_OR_RETURN(uint32_t input, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  return b.ConstantPad(before, after, RealPadValue(op, b.graph()), input, output);
}

}  // namespace

const OpKernel kPad = {static_cast<int32_t>(OpCode::kPad), Check, Run, XnnSupports, XnnDefine};
const OpKernel kPadV2 = {static_cast<int32_t>(OpCode::kPadV2), Check, Run, XnnSupports, XnnDefine};

}  // namespace coralpi::ops
