// ADD reference kernel: the fixed-point multiplier/shift rule of reference.h on cases worked out
// by hand, and broadcasting.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceAdd, Uint8PowerOfTwoScalesRoundHalfUp) {
  // a_s = 0.5, b_s = 0.25: max 0.5 has exponent -1, shift = 21, a_m = 2^20, b_m = 2^19.
  // out = (a * 2^20 + b * 2^19 + 2^20) >> 21 = floor((2a + b + 2) / 4) = round-half-up(a/2 + b/4).
  auto a = MakeQ<uint8_t>({6}, {3, 1, 1, 0, 100, 255}, 0.5f, 0);
  auto b = MakeQ<uint8_t>({6}, {2, 0, 1, 1, 100, 255}, 0.25f, 0);
  // Real sums: 2, 0.5, 0.75, 0.25, 75, 191.25.
  auto out = Output<uint8_t>({6}, 1.0f, 0);
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{2, 1, 1, 0, 75, 191}));
}

TEST(ReferenceAdd, Uint8ZeroPointsAndNegativeHalf) {
  // a_s = 0.75 (exponent -1), b_s = 0.5: shift 21, a_m = 0.75 * 2^21 = 1572864, b_m = 2^20.
  // a - 10 = [2, -2, 4], b - 20 = [0, 0, -3]. Real: 1.5, -1.5, 1.5.
  // acc: 3145728 + 2^20 = 4194304 -> 2; -3145728 + 2^20 = -2097152 -> -1 (arithmetic shift
  // floors: -1.5 rounds up to -1); 6291456 - 3145728 + 2^20 = 4194304 -> 2. Plus zp 5.
  auto a = MakeQ<uint8_t>({3}, {12, 8, 14}, 0.75f, 10);
  auto b = MakeQ<uint8_t>({3}, {20, 20, 17}, 0.5f, 20);
  auto out = Output<uint8_t>({3}, 1.0f, 5);
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{7, 4, 7}));
}

TEST(ReferenceAdd, Uint8InexactMultiplier) {
  // a_s = b_s = 1 / 3 = 0.333333343f (exponent -2): shift 22,
  // a_m = b_m = lrintf(0.333333343 * 4194304 = 1398101.37) = 1398101, rounding 2^21.
  // a + b = 3:   4194303 + 2097152 = 6291455 < 2 * 2^22      -> 1
  // a + b = 150: 209715150 + 2097152 = 211812302, 50 * 2^22 = 209715200 -> 50
  // a + b = 200: 279620200 + 2097152 = 281717352, 67 * 2^22 = 281018368 -> 67
  auto a = MakeQ<uint8_t>({3}, {1, 100, 100}, 1.0f, 0);
  auto b = MakeQ<uint8_t>({3}, {2, 50, 100}, 1.0f, 0);
  auto out = Output<uint8_t>({3}, 3.0f, 0);
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{1, 50, 67}));
}

TEST(ReferenceAdd, Int8Relu6) {
  // Both 0.5 relative to the output: shift 21, multipliers 2^20;
  // out = floor(((a + 10) + (b - 10) + 1) / 2). RELU6 with scale 1, zp 0: [0, 6].
  // [4 + 3 -> 3.5 -> 4], [-20 + 0 -> -10 -> 0], [30 + 0 -> 15 -> 6].
  auto a = MakeQ<int8_t>({3}, {-6, -30, 20}, 0.5f, -10);
  auto b = MakeQ<int8_t>({3}, {13, 10, 10}, 0.5f, 10);
  auto out = Output<int8_t>({3}, 1.0f, 0);
  AddOptions relu6;
  relu6.activation = Activation::kRelu6;
  ASSERT_TRUE(Add(relu6, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{4, 0, 6}));
}

TEST(ReferenceAdd, FloatBroadcast2D) {
  auto a = Make<float>({2, 1}, {10, 20});
  auto b = Make<float>({3}, {1, 2, 3});
  auto out = Output<float>({2, 3});
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{11, 12, 13, 21, 22, 23}));
}

TEST(ReferenceAdd, FloatBroadcast4D) {
  // a [2, 1, 1, 2], b [3, 1] -> [1, 1, 3, 1]; out [2, 1, 3, 2] = a[i0, i3] + b[i2].
  auto a = Make<float>({2, 1, 1, 2}, {1, 2, 3, 4});
  auto b = Make<float>({3, 1}, {10, 20, 30});
  auto out = Output<float>({2, 1, 3, 2});
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34}));
}

TEST(ReferenceAdd, Uint8BroadcastScalarFirst) {
  // a is one value broadcast over b; same multipliers as the power-of-two case with the roles
  // swapped: a_s = 0.25, b_s = 0.5 -> round-half-up(a/4 + b/2).
  auto a = MakeQ<uint8_t>({1}, {2}, 0.25f, 0);
  auto b = MakeQ<uint8_t>({1, 2, 2, 1}, {0, 1, 2, 3}, 0.5f, 0);
  // 0.5 + [0, 0.5, 1, 1.5] = [0.5, 1, 1.5, 2] -> [1, 1, 2, 2].
  auto out = Output<uint8_t>({1, 2, 2, 1}, 1.0f, 0);
  ASSERT_TRUE(Add({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{1, 1, 2, 2}));
}

TEST(ReferenceAdd, Errors) {
  auto a = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto b = Make<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto out = Output<float>({2, 3});
  Status s = Add({}, a.view(), b.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("ADD"), std::string::npos) << Message(s);
  EXPECT_NE(Message(s).find("broadcast"), std::string::npos) << Message(s);
  // Output shape not the broadcast shape.
  auto c = Make<float>({3}, {1, 2, 3});
  auto wrong = Output<float>({3, 2});
  EXPECT_FALSE(Add({}, a.view(), c.view(), wrong.view()).ok());
  // Mixed types, missing quantization.
  auto q = MakeQ<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}, 1.0f, 0);
  EXPECT_FALSE(Add({}, a.view(), q.view(), out.view()).ok());
  auto qout = Output<uint8_t>({2, 3}, 1.0f, 0);
  auto unq = Make<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(Add({}, q.view(), unq.view(), qout.view()).ok());
  // A scale ratio too small for the 20-bit multiplier scheme (2^-20: shift 40).
  auto tiny = MakeQ<uint8_t>({2, 3}, {1, 2, 3, 4, 5, 6}, 0x1p-20f, 0);
  EXPECT_FALSE(Add({}, tiny.view(), tiny.view(), qout.view()).ok());
  // More than 4 dimensions.
  auto five = Make<float>({1, 1, 1, 1, 1}, {1});
  auto out5 = Output<float>({1, 1, 1, 1, 1});
  EXPECT_FALSE(Add({}, five.view(), five.view(), out5.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
