// Fused-activation bounds and TFLite's SAME/VALID output sizes, worked out by hand.
#include <gtest/gtest.h>

#include <limits>

#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

void ExpectRange(ActivationRange r, int32_t lo, int32_t hi) {
  EXPECT_EQ(r.lo, lo);
  EXPECT_EQ(r.hi, hi);
}

TEST(ReferenceActivation, NoneIsTheTypeRange) {
  ExpectRange(QuantizedActivationRange(Activation::kNone, DataType::kUInt8, 0.1f, 7), 0, 255);
  ExpectRange(QuantizedActivationRange(Activation::kNone, DataType::kInt8, 0.1f, -7), -128, 127);
}

TEST(ReferenceActivation, Relu6QuantizesBothBounds) {
  // 0 / 0.5 + 10 = 10; 6 / 0.5 + 10 = 22.
  ExpectRange(QuantizedActivationRange(Activation::kRelu6, DataType::kUInt8, 0.5f, 10), 10, 22);
  // int8, scale 0.25, zp -100: 0 -> -100, 6 / 0.25 - 100 = -76.
  ExpectRange(QuantizedActivationRange(Activation::kRelu6, DataType::kInt8, 0.25f, -100), -100,
              -76);
  // The upper bound saturates at the type: 6 * 64 + 0 = 384 -> 255.
  ExpectRange(QuantizedActivationRange(Activation::kRelu6, DataType::kUInt8, 0.015625f, 0), 0, 255);
}

TEST(ReferenceActivation, ReluAndReluN1To1) {
  ExpectRange(QuantizedActivationRange(Activation::kRelu, DataType::kInt8, 0.5f, -10), -10, 127);
  // -1 / 0.25 + 100 = 96, 1 / 0.25 + 100 = 104.
  ExpectRange(QuantizedActivationRange(Activation::kReluN1To1, DataType::kUInt8, 0.25f, 100), 96,
              104);
}

TEST(ReferenceActivation, BoundsRoundHalfToEven) {
  // RELU6, scale 4, zp 1: 6 / 4 + 1 = 2.5 -> 2 (even), not 3.
  ExpectRange(QuantizedActivationRange(Activation::kRelu6, DataType::kUInt8, 4.0f, 1), 1, 2);
  // RELU_N1_TO_1, scale 2, zp 0: -0.5 -> 0 and 0.5 -> 0.
  ExpectRange(QuantizedActivationRange(Activation::kReluN1To1, DataType::kInt8, 2.0f, 0), 0, 0);
}

TEST(ReferenceActivation, FloatRanges) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  float lo = 0, hi = 0;
  FloatActivationRange(Activation::kNone, &lo, &hi);
  EXPECT_EQ(lo, -kInf);
  EXPECT_EQ(hi, kInf);
  FloatActivationRange(Activation::kRelu, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, kInf);
  FloatActivationRange(Activation::kRelu6, &lo, &hi);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 6.0f);
  FloatActivationRange(Activation::kReluN1To1, &lo, &hi);
  EXPECT_EQ(lo, -1.0f);
  EXPECT_EQ(hi, 1.0f);
}

void ExpectPadding(PaddedSize p, int32_t out, int32_t pad_before) {
  EXPECT_EQ(p.out, out);
  EXPECT_EQ(p.pad_before, pad_before);
}

TEST(ReferencePadding, SameStride1) {
  // out = 5, total = 4 * 1 + 3 - 5 = 2, before = 1.
  ExpectPadding(ComputePadding(Padding::kSame, 5, 3, 1, 1), 5, 1);
  // A 7-wide filter on 1 pixel: total 6, before 3.
  ExpectPadding(ComputePadding(Padding::kSame, 1, 7, 1, 1), 1, 3);
  // Dilation 2 makes a 3-tap filter 5 wide: total 4, before 2.
  ExpectPadding(ComputePadding(Padding::kSame, 5, 3, 1, 2), 5, 2);
}

TEST(ReferencePadding, SameStride2) {
  // 224 -> 112; total = 111 * 2 + 3 - 224 = 1, before = 0 (the extra row goes after).
  ExpectPadding(ComputePadding(Padding::kSame, 224, 3, 2, 1), 112, 0);
  // 5 -> 3; total = 2 * 2 + 3 - 5 = 2, before = 1.
  ExpectPadding(ComputePadding(Padding::kSame, 5, 3, 2, 1), 3, 1);
  // 4 -> 2; total = 2 + 3 - 4 = 1, before = 0.
  ExpectPadding(ComputePadding(Padding::kSame, 4, 3, 2, 1), 2, 0);
  // 1x1 filter, stride 2 on 4: out 2, total = 2 + 1 - 4 < 0 -> 0.
  ExpectPadding(ComputePadding(Padding::kSame, 4, 1, 2, 1), 2, 0);
}

TEST(ReferencePadding, Valid) {
  ExpectPadding(ComputePadding(Padding::kValid, 5, 3, 1, 1), 3, 0);
  // ceil((5 - 2) / 2) = 2.
  ExpectPadding(ComputePadding(Padding::kValid, 5, 3, 2, 1), 2, 0);
  // ceil((224 - 2) / 2) = 111.
  ExpectPadding(ComputePadding(Padding::kValid, 224, 3, 2, 1), 111, 0);
  // Dilation 2: a 5-wide window fits once in 5.
  ExpectPadding(ComputePadding(Padding::kValid, 5, 3, 1, 2), 1, 0);
  // A global 7x7 window.
  ExpectPadding(ComputePadding(Padding::kValid, 7, 7, 1, 1), 1, 0);
  // The window does not fit: no output.
  ExpectPadding(ComputePadding(Padding::kValid, 2, 3, 1, 1), 0, 0);
}

TEST(ReferencePadding, BadParametersGiveNoOutput) {
  ExpectPadding(ComputePadding(Padding::kSame, 5, 3, 0, 1), 0, 0);
  ExpectPadding(ComputePadding(Padding::kValid, 5, 0, 1, 1), 0, 0);
  ExpectPadding(ComputePadding(Padding::kValid, 5, 3, 1, -1), 0, 0);
  // An extent beyond int32: (5 - 1) * 2^30 + 1.
  ExpectPadding(ComputePadding(Padding::kSame, 5, 5, 1, 1 << 30), 0, 0);
}

}  // namespace
}  // namespace coralpi::reference
