// TensorFlow Lite's fixed-point rescaling (gemmlowp, double rounding); see fixed_point.h.
#include "engine/reference/fixed_point.h"

#include <algorithm>
#include <bit>
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

namespace {

// gemmlowp's saturating, rounding multiplication by 2^exponent (exponent > 0).
int32_t SaturatingShiftLeft(int32_t x, int exponent) {
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

int32_t WrappingAdd32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t WrappingSub32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// 1 / (1 + a) for a in [0, 1) as Q0.31, a as Q0.31 (gemmlowp).
int32_t OneOverOnePlusX(int32_t a) {
  // (a + 1) / 2 with 1 as INT32_MAX in Q0.31, rounded half away from zero.
  const int64_t sum = static_cast<int64_t>(a) + std::numeric_limits<int32_t>::max();
  const int32_t half_denominator = static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
  constexpr int32_t k48Over17 = 1515870810;      // Q2.29
  constexpr int32_t kNeg32Over17 = -1010580540;  // Q2.29
  constexpr int32_t kOne = 1 << 29;              // 1.0 in Q2.29
  int32_t x =
      WrappingAdd32(k48Over17, SaturatingRoundingDoublingHighMul(half_denominator, kNeg32Over17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = SaturatingRoundingDoublingHighMul(half_denominator, x);
    const int32_t one_minus = WrappingSub32(kOne, half_denominator_times_x);
    // x * one_minus is Q4.27; back to Q2.29 with a saturating shift by 2.
    x = WrappingAdd32(x, SaturatingShiftLeft(SaturatingRoundingDoublingHighMul(x, one_minus), 2));
  }
  // x / 2 as Q1.30 (same raw value), then to Q0.31 with a saturating shift by 1.
  return SaturatingShiftLeft(x, 1);
}

}  // namespace

int32_t Reciprocal(int32_t x, int* bits_over_unit) {
  const int leading_zeros = std::countl_zero(static_cast<uint32_t>(x));
  *bits_over_unit = 31 - leading_zeros;
  const int32_t shifted_minus_one =
      static_cast<int32_t>((static_cast<uint32_t>(x) << leading_zeros) - (uint32_t{1} << 31));
  return OneOverOnePlusX(shifted_minus_one);
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
