// ADD: float32, uint8, int8, same shapes or numpy broadcasting up to 4-D. XNNPACK runs it
// (xnn_define_add2) when the input/output scale ratios are inside its limits.
#include <algorithm>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"
#include "engine/xnn_subgraph_builder.h"

namespace coralpi::ops {
namespace {

Result<Shape> BroadcastShape(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  if (rank > 4) return Error{"broadcasting is supported up to 4 dimensions"};
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      return Error{"input shapes " + ShapeToString(a) + " and " + ShapeToString(b) +
                   " do not broadcast"};
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Status Check(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(ExpectArity(op, 2, 2, 1));
  const TensorInfo& a = Input(op, g, 0);
  const TensorInfo& b = Input(op, g, 1);
  const TensorInfo& out = Output(op, g, 0);
  CORALPI_RETURN_IF_ERROR(
      ExpectType(a, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}, "input 0"));
  CORALPI_RETURN_IF_ERROR(ExpectType(b, {a.type}, "input 1"));
  CORALPI_RETURN_IF_ERROR(ExpectType(out, {a.type}, "output"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(a, "input 0"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(b, "input 1"));
  CORALPI_RETURN_IF_ERROR(ExpectQuantization(out, "output"));
  CORALPI_ASSIGN_OR_RETURN(Shape shape, BroadcastShape(a.shape, b.shape));
  return ExpectShape(out, shape, "output");
}

Status Run(const OperatorInfo& op, std::span<const TensorView> in,
           std::span<const TensorView> out) {
  return reference::Add(std::get<AddOptions>(op.options), in[0], in[1], out[0]);
}

bool XnnSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.type == DataType::kFloat32) return true;
  for (size_t i = 0; i < 2; ++i) {
    float r = Input(op, g, i).quant.scale[0] / out.quant.scale[0];
    if (!(r >= 0x1.0p-10f && r < 0x1.0p+8f)) return false;
  }
  return true;
}

Status XnnDefine(XnnSubgraphBuilder& b, const OperatorInfo& op) {
  const auto& o = std::get<AddOptions>(op.options);
  CORALPI_ASSIGN_OR_RETURN(uint32_t a, b.Value(op.inputs[0]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t c, b.Value(op.inputs[1]));
  CORALPI_ASSIGN_OR_RETURN(uint32_t output, b.Value(op.outputs[0]));
  float lo, hi;
  XnnActivationBounds(o.activation, &lo, &hi);
  xnn_status s = xnn_define_add2(b.subgraph(), lo, hi, a, c, output, 0);
  if (s != xnn_status_success) return XnnError("xnn_define_add2", s);
  return OkStatus();
}

}  // namespace

const OpKernel kAdd = {static_cast<int32_t>(OpCode::kAdd), Check, Run, XnnSupports, XnnDefine};

}  // namespace coralpi::ops
