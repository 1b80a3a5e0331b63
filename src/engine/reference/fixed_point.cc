// TensorFlow Lite's fixed-point rescaling (gemmlowp, double rounding); see fixed_point.h.
#include "engine/reference/fixed_point.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/reference/kernel_util.h"

namespace coralpi::reference::internal {

FixedMultiplier QuantizeMultiplier(double real) {
  if (real == 0.0 || !std::isfinite(real)) return {};
  int shift = 0;
  const double q = std::frexp(real, &shift);
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) return {};
  return {static_cast<int32_t>(q_fixed), shift};
}

int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : 1 - (int64_t{1} << 30);
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));  // truncating division
}

int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t MultiplyByQuantizedMultiplier(int32_t x, FixedMultiplier m) {
  const int left = std::max(m.shift, 0);
  const int right = std::max(-m.shift, 0);
  // TFLite's int32 x * 2^left, wrapping rather than undefined on overflow.
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(shifted, m.multiplier), right);
}

int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  constexpr int16_t kMin = std::numeric_limits<int16_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : 1 - (1 << 14);
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

int16_t RoundingDivideByPOT16(int16_t x, int exponent) {
  // gemmlowp's scalar form: every intermediate is an int16 (the mask wraps for exponents >= 16).
  const int16_t mask = static_cast<int16_t>((int64_t{1} << exponent) - 1);
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((x >> std::min(exponent, 31)) + (remainder > threshold ? 1 : 0));
}

ActivationRange TfliteActivationRange(Activation act, DataType type, float scale,
                                      int32_t zero_point) {
  const ActivationRange t = TypeRange(type);
  float lo = 0, hi = 0;
  FloatActivationRange(act, &lo, &hi);
  auto q = [&](float bound, int32_t type_limit) {
    if (std::isinf(bound)) return type_limit;
    const float r = std::round(bound / scale);
    const float v =
        std::clamp(r, static_cast<float>(t.lo - zero_point), static_cast<float>(t.hi - zero_point));
    return zero_point + static_cast<int32_t>(v);
  };
  return {q(lo, t.lo), q(hi, t.hi)};
}

}  // namespace coralpi::reference::internal
