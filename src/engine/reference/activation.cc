// Fused-activation bounds and TFLite's SAME/VALID output sizes and paddings.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {

void FloatActivationRange(Activation act, float* lo, float* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (act) {
    case Activation::kRelu:
      *lo = 0.0f, *hi = kInf;
      break;
    case Activation::kReluN1To1:
      *lo = -1.0f, *hi = 1.0f;
      break;
    case Activation::kRelu6:
      *lo = 0.0f, *hi = 6.0f;
      break;
    default:
      *lo = -kInf, *hi = kInf;
      break;
  }
}

ActivationRange QuantizedActivationRange(Activation act, DataType type, float scale,
                                         int32_t zero_point) {
  const ActivationRange t = internal::TypeRange(type);
  const float tmin = static_cast<float>(t.lo);
  const float tmax = static_cast<float>(t.hi);
  float lo, hi;
  FloatActivationRange(act, &lo, &hi);
  auto q = [&](float b) {
    return static_cast<int32_t>(std::lrintf(
        std::fminf(std::fmaxf(b / scale + static_cast<float>(zero_point), tmin), tmax)));
  };
  return {q(lo), q(hi)};
}

PaddedSize ComputePadding(Padding padding, int32_t in, int32_t filter, int32_t stride,
                          int32_t dilation) {
  if (in < 0 || filter <= 0 || stride <= 0 || dilation <= 0) return {0, 0};
  const int64_t effective = (static_cast<int64_t>(filter) - 1) * dilation + 1;
  if (effective > std::numeric_limits<int32_t>::max()) return {0, 0};
  if (padding == Padding::kSame) {
    const int64_t out = (static_cast<int64_t>(in) + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((out - 1) * stride + effective - in, 0);
    return {static_cast<int32_t>(out), static_cast<int32_t>(total / 2)};
  }
  const int64_t span = static_cast<int64_t>(in) - effective + 1;
  if (span <= 0) return {0, 0};
  return {static_cast<int32_t>((span + stride - 1) / stride), 0};
}

}  // namespace coralpi::reference
