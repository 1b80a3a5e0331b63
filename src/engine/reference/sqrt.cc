// SQRT (float32; int8 by TensorFlow Lite's dequantize-sqrt-truncate rule) and RSQRT (float32).
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

Status SqrtInt8(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "SQRT";
  CORALPI_RETURN_IF_ERROR(internal::CheckQuantizedUnary(kOp, input, output));
  const float in_scale = input.scale(), out_scale = output.scale();
  const int32_t in_zp = input.zero_point(), out_zp = output.zero_point();
  const int8_t* in = input.as<const int8_t>();
  const int64_t n = input.num_elements();
  if (std::any_of(in, in + n, [&](int8_t q) { return q < in_zp; })) {
    return MakeError(kOp, "negative input (below the zero point " + std::to_string(in_zp) + ")");
  }
  internal::Map<int8_t>(input, output, [&](int8_t q) {
    const float x = in_scale * static_cast<float>(q - in_zp);
    // Truncated toward zero, as TFLite's static_cast<int>; float-to-int is safe: |y| < 2^31.
    const float y = std::min(std::sqrt(x) / out_scale, 0x1.0p30f);
    return static_cast<int8_t>(std::clamp(static_cast<int32_t>(y) + out_zp, -128, 127));
  });
  return OkStatus();
}

template <typename F>
Status FloatUnary(const char* op, const TensorView& input, const TensorView& output, F f) {
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "input", input, DataType::kFloat32));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "output", output, DataType::kFloat32));
  internal::Map<float>(input, output, f);
  return OkStatus();
}

}  // namespace

Status Sqrt(const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckSameShape("SQRT", input, output));
  if (output.type == DataType::kInt8) return SqrtInt8(input, output);
  return FloatUnary("SQRT", input, output, [](float x) { return std::sqrt(x); });
}

Status Rsqrt(const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckSameShape("RSQRT", input, output));
  return FloatUnary("RSQRT", input, output, [](float x) { return 1.0f / std::sqrt(x); });
}

}  // namespace coralpi::reference
