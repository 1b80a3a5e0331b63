// TensorFlow Lite's fixed-point rescaling (fixed_point.h), on values worked out by hand.
#include "engine/reference/fixed_point.h"

#include <gtest/gtest.h>

#include <limits>

namespace coralpi::reference::internal {
namespace {

void ExpectMultiplier(double real, int32_t multiplier, int shift) {
  const FixedMultiplier m = QuantizeMultiplier(real);
  EXPECT_EQ(m.multiplier, multiplier) << real;
  EXPECT_EQ(m.shift, shift) << real;
}

TEST(FixedPoint, QuantizeMultiplier) {
  ExpectMultiplier(0.5, 1 << 30, 0);        // 0.5 * 2^0, Q31 0.5 = 2^30
  ExpectMultiplier(1.0, 1 << 30, 1);        // 0.5 * 2^1
  ExpectMultiplier(0.75, 3 << 29, 0);       // Q31 0.75 = 3 * 2^29
  ExpectMultiplier(0x1p-32, 1 << 30, -31);  // 0.5 * 2^-31, the smallest kept
  ExpectMultiplier(0x1p-33, 0, 0);          // shift -32: flushed to zero
  ExpectMultiplier(0.0, 0, 0);
  // frexp gives 1 - 2^-40, which rounds to 2^31 in Q31: halved, shift bumped.
  ExpectMultiplier(1.0 - 0x1p-40, 1 << 30, 1);
  // 2/3 = 0.666... * 2^0: round(2^31 * 2/3 = 1431655765.33) = 1431655765.
  ExpectMultiplier(2.0 / 3.0, 1431655765, 0);
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMulRoundsHalfUp) {
  // a * b / 2^31 with b = 2^30: a / 2.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(1, 1 << 30), 1);    // 0.5 -> 1
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-1, 1 << 30), 0);   // -0.5 -> 0
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(-3, 1 << 30), -1);  // -1.5 -> -1
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(5, 3 << 29), 4);    // 3.75 -> 4
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(kMin, kMin), std::numeric_limits<int32_t>::max());
}

TEST(FixedPoint, RoundingDivideByPOTRoundsHalfAwayFromZero) {
  EXPECT_EQ(RoundingDivideByPOT(5, 1), 3);    // 2.5
  EXPECT_EQ(RoundingDivideByPOT(-5, 1), -3);  // -2.5
  EXPECT_EQ(RoundingDivideByPOT(-4, 1), -2);
  EXPECT_EQ(RoundingDivideByPOT(7, 2), 2);    // 1.75
  EXPECT_EQ(RoundingDivideByPOT(-6, 2), -2);  // -1.5
  EXPECT_EQ(RoundingDivideByPOT(-5, 2), -1);  // -1.25
  EXPECT_EQ(RoundingDivideByPOT(9, 0), 9);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierRoundsTwice) {
  // x * 1.0 = x exactly: (2^30, shift 1) doubles x, then halves it.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-77, QuantizeMultiplier(1.0)), -77);
  // x * 0.25 = (2^30, -1): round-half-up(x / 2), then round-half-away(/ 2).
  // -3: -1.5 -> -1, then -0.5 -> -1 (the exact -0.75 also gives -1).
  // -2: -1, then -0.5 -> -1. 5: 2.5 -> 3, then 1.5 -> 2 (exact 1.25 -> 1: the double rounding).
  const FixedMultiplier quarter = QuantizeMultiplier(0.25);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-3, quarter), -1);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-2, quarter), -1);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(5, quarter), 2);
  // Left shifts: x * 6 = (0.75 * 2^31, shift 3): 8x * 0.75.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-7, QuantizeMultiplier(6.0)), -42);
}

TEST(FixedPoint, Int16Forms) {
  // a * b / 2^15: 4096 / 2 and -4096 / 2, exact.
  EXPECT_EQ(SaturatingRoundingDoublingHighMul16(4096, 16384), 2048);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul16(-4096, 16384), -2048);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul16(3, 16384), 2);    // 1.5 -> 2
  EXPECT_EQ(SaturatingRoundingDoublingHighMul16(-3, 16384), -1);  // -1.5 -> -1
  EXPECT_EQ(SaturatingRoundingDoublingHighMul16(-32768, -32768), 32767);
  EXPECT_EQ(RoundingDivideByPOT16(6143, 6), 96);   // 95.98
  EXPECT_EQ(RoundingDivideByPOT16(-682, 6), -11);  // -10.66
  EXPECT_EQ(RoundingDivideByPOT16(-32, 6), -1);    // -0.5 -> away from zero
}

void ExpectRange(ActivationRange r, int32_t lo, int32_t hi) {
  EXPECT_EQ(r.lo, lo);
  EXPECT_EQ(r.hi, hi);
}

TEST(FixedPoint, TfliteActivationRangeRoundsHalfAwayFromZero) {
  // RELU_N1_TO_1 at scale 0.4: -1 / 0.4 = -2.5 -> -3, 1 / 0.4 = 2.5 -> 3. XNNPACK's bounds
  // (ties to even) are [-2, 2].
  ExpectRange(TfliteActivationRange(Activation::kReluN1To1, DataType::kInt8, 0.4f, 0), -3, 3);
  ExpectRange(QuantizedActivationRange(Activation::kReluN1To1, DataType::kInt8, 0.4f, 0), -2, 2);
  // RELU6, uint8 scale 0.5 zp 10: [10, 22]; RELU at zp 250 and NONE keep the type's ends.
  ExpectRange(TfliteActivationRange(Activation::kRelu6, DataType::kUInt8, 0.5f, 10), 10, 22);
  ExpectRange(TfliteActivationRange(Activation::kRelu, DataType::kUInt8, 0.5f, 250), 250, 255);
  ExpectRange(TfliteActivationRange(Activation::kNone, DataType::kInt8, 0.5f, 3), -128, 127);
  // A bound far outside the type saturates: 6 / 0.001 + 0 = 6000 -> 255.
  ExpectRange(TfliteActivationRange(Activation::kRelu6, DataType::kUInt8, 0.001f, 0), 0, 255);
}

}  // namespace
}  // namespace coralpi::reference::internal
