// SOFTMAX over the last axis: each row is dequantized to float, softmax(beta * x) is computed
// in float (max subtracted first), and the result is quantized with round half away from zero.
// Input and output types are each float32, uint8 or int8.
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "SOFTMAX";

Status CheckSide(const char* name, const TensorView& t) {
  if (t.type == DataType::kFloat32) return OkStatus();
  if (!internal::IsQuantized(t.type)) {
    return MakeError(kOp, std::string(name) + ": unsupported type " + DataTypeName(t.type));
  }
  return internal::CheckPerTensorQuant(kOp, name, t);
}

}  // namespace

Status Softmax(const SoftmaxOptions& opt, const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  if (input.shape.empty() || input.shape != output.shape) {
    return MakeError(kOp, "input " + ShapeToString(input.shape) + " and output " +
                              ShapeToString(output.shape) + " must be equal and not scalars");
  }
  CORALPI_RETURN_IF_ERROR(CheckSide("input", input));
  CORALPI_RETURN_IF_ERROR(CheckSide("output", output));
  if (!std::isfinite(opt.beta)) return MakeError(kOp, "beta is not finite");
  const int64_t depth = input.shape.back();
  if (depth == 0 || input.num_elements() == 0) return OkStatus();
  const int64_t rows = input.num_elements() / depth;

  const bool float_in = input.type == DataType::kFloat32;
  const bool float_out = output.type == DataType::kFloat32;
  const float in_scale = float_in ? 1.0f : input.scale();
  const int32_t in_zp = float_in ? 0 : input.zero_point();
  const float out_scale = float_out ? 1.0f : output.scale();
  const int32_t out_zp = float_out ? 0 : output.zero_point();
  const ActivationRange range = internal::TypeRange(output.type);

  std::vector<float> row(static_cast<size_t>(depth));
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t base = r * depth;
    for (int64_t i = 0; i < depth; ++i) {
      row[i] = float_in ? input.as<const float>()[base + i]
                        : static_cast<float>(internal::LoadInt(input, base + i) - in_zp) * in_scale;
    }
    const float max = *std::max_element(row.begin(), row.end());
    float sum = 0.0f;
    for (float& v : row) {
      v = std::exp(opt.beta * (v - max));
      sum += v;
    }
    for (int64_t i = 0; i < depth; ++i) {
      const float p = row[i] / sum;
      if (float_out) {
        output.as<float>()[base + i] = p;
      } else {
        internal::StoreInt(output, base + i,
                           internal::QuantizeRounded(p, out_scale, out_zp, range));
      }
    }
  }
  return OkStatus();
}

}  // namespace coralpi::reference
