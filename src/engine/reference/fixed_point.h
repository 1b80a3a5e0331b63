// TensorFlow Lite's integer rescaling: gemmlowp's fixed-point multipliers, in the double-rounding
// form TFLite builds by default (TFLITE_SINGLE_ROUNDING off). The reference kernels use it where
// they follow TFLite's own kernels, i.e. where Debian's XNNPACK cannot run a quantized case
// (reference.h says which). Internal to src/engine/reference.
#pragma once

#include <cstdint>

#include "engine/reference/reference.h"
#include "model/types.h"

namespace coralpi::reference::internal {

// real = multiplier * 2^(shift - 31), multiplier a Q31 value in [2^30, 2^31) (or 0).
struct FixedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// TFLite's QuantizeMultiplier: frexp, then round(q * 2^31) half away from zero (a result of 2^31
// halves and bumps the shift); 0 for 0 and for multipliers below about 2^-31.
FixedMultiplier QuantizeMultiplier(double real);

// round(a * b / 2^31) with ties upward (0.5 -> 1, -0.5 -> 0, -1.5 -> -1: gemmlowp's nudge of
// +-2^30 before a truncating division), saturating the one overflow (INT32_MIN squared).
int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b);
// x / 2^exponent rounded to nearest, ties away from zero (exponent in [0, 31]).
int32_t RoundingDivideByPOT(int32_t x, int exponent);
// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), multiplier),
//                     max(-shift, 0)): TFLite's MultiplyByQuantizedMultiplier.
int32_t MultiplyByQuantizedMultiplier(int32_t x, FixedMultiplier m);

// 1 / x for a positive x as TFLite's GetReciprocal(x, 31, &shift) computes it: x normalised to
// [1, 2) by its leading zeros, then gemmlowp's one_over_one_plus_x_for_x_in_0_1 (three
// Newton-Raphson steps in Q2.29 from 48/17 - 32/17 * d/2); returns the Q0.31 reciprocal of the
// normalised x, and *bits_over_unit = 31 - (leading zeros of x).
int32_t Reciprocal(int32_t x, int* bits_over_unit);

// The int16 forms gemmlowp uses in TFLite's quantized HARD_SWISH.
int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b);
int16_t RoundingDivideByPOT16(int16_t x, int exponent);

// TFLite's CalculateActivationRangeQuantized: each bound b becomes
// zero_point + (int) roundf(b / scale) (ties away from zero), intersected with the type's range.
ActivationRange TfliteActivationRange(Activation act, DataType type, float scale,
                                      int32_t zero_point);

}  // namespace coralpi::reference::internal
