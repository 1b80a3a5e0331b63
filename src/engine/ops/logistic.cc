// LOGISTIC (float32, uint8, int8 on XNNPACK's sigmoid when its output quantization is the
// standard 1/256 with zero point 0 or -128; otherwise the reference kernel) and TANH (float32,
// uint8, int8 on the reference kernel: this XNNPACK's subgraph API has no tanh).
#include <cmath>

#include "engine/ops/op_util.h"
#include "engine/ops/ops.h"
#include "engine/reference/reference.h"

namespace coralpi::ops {
namespace {

Status CheckLogistic(const OperatorInfo& op, const Subgraph& g) {
  CORALPI_RETURN_IF_ERROR(
      CheckUnary(op, g, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8}));
  const TensorInfo& out = Output(op, g, 0);
  if (out.type != DataType::kFloat32 && out.quant.scale[0] != 0x1.0p-8f) {
    return Error{"output scale " + std::to_string(out.quant.scale[0]) +
                 " is not 1/256 (TensorFlow Lite's requirement for a quantized LOGISTIC)"};
  }
  return OkStatus();
}

Status RunLogistic(const OperatorInfo&, std::span<const TensorView> in,
                   std::span<const TensorView> out) {
  return reference::Logistic(in[0], out[0]);
}

std::string LogisticRejection(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Output(op, g, 0);
  if (out.num_elements() == 0) return "an empty tensor";
  if (out.type == DataType::kFloat32) return "";
  const int32_t zp = static_cast<int32_t>(out.quant.zero_point[0]);
  if (reference::XnnpackTakesLogistic(out.type, out.quant.scale[0], zp)) return "";
  return "output zero point " + std::to_string(zp) +
         ": XNNPACK's sigmoid needs 0 (uint8) or -128 (int8)";
}

Status LogisticDefine(xnnpack::SubgraphBuilder& b, const OperatorInfo& op) {
  return DefineXnnUnary(b, op, xnnpack::UnaryOp::kSigmoid);
}

Status CheckTanh(const OperatorInfo& op, const Subgraph& g) {
  return CheckUnary(op, g, {DataType::kFloat32, DataType::kUInt8, DataType::kInt8});
}

Status RunTanh(const OperatorInfo&, std::span<const TensorView> in,
               std::span<const TensorView> out) {
  return reference::Tanh(in[0], out[0]);
}

std::string TanhRejection(const OperatorInfo&, const Subgraph&) {
  return "this XNNPACK's subgraph API has no tanh";
}

}  // namespace

const OpKernel kLogistic = {static_cast<int32_t>(OpCode::kLogistic),
                            CheckLogistic,
                            RunLogistic,
                            XnnTakes<LogisticRejection>,
                            LogisticDefine,
                            LogisticRejection};
const OpKernel kTanh = {
    static_cast<int32_t>(OpCode::kTanh), CheckTanh, RunTanh, nullptr, nullptr, TanhRejection};

}  // namespace coralpi::ops
