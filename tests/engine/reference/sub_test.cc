// SUB reference kernel: XNNPACK's rule where XNNPACK takes the scales, TensorFlow Lite's where
// it does not, and plain int32 arithmetic; all on cases worked out by hand.
#include <gtest/gtest.h>

#include <limits>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceSub, Uint8XnnpackRuleRoundsHalfUp) {
  // a_s = 0.5, b_s = 0.25 against the output's 1: shift 21, a_m = 2^20, b_m = -2^19;
  // out = floor((2a - b + 2) / 4) + zp = round-half-up(a/2 - b/4) + 100.
  // Real: 2.5, 0, 1.5, -1, 100, -0.5 -> 3, 0, 2, -1, 100, 0.
  auto a = MakeQ<uint8_t>({6}, {6, 1, 3, 0, 200, 0}, 0.5f, 0);
  auto b = MakeQ<uint8_t>({6}, {2, 2, 0, 4, 0, 2}, 0.25f, 0);
  auto out = Output<uint8_t>({6}, 1.0f, 100);
  ASSERT_TRUE(Sub({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{103, 100, 102, 99, 200, 100}));
}

TEST(ReferenceSub, Int8TfliteRuleWhereXnnpackRejectsTheScales) {
  // a_s / out_s = 512 is above XNNPACK's 2^8, so TFLite's rule: twice = 2 * max(1, 2^-10) = 2;
  // x_a = (a * 2^20) * 0.5 = a * 2^19; x_b = (b * 2^20) * 2^-11 = b * 2^9 (both exact);
  // out = RDBPOT((x_a - x_b) / 2, 9) = round-half-away(512 a - b / 2).
  // b = 1, -1, 3, -3, 2, 0 with a = 0: -0.5, 0.5, -1.5, 1.5, -1, 0 -> -1, 1, -2, 2, -1, 0
  // (XNNPACK's round-half-up would give 0, 1, -1, 2). a = 1: 512 -> 127.
  ASSERT_FALSE(XnnpackTakesAddSub(1.0f, 0x1p-10f, 0x1p-9f, {-128, 127}));
  auto a = MakeQ<int8_t>({7}, {0, 0, 0, 0, 0, 0, 1}, 1.0f, 0);
  auto b = MakeQ<int8_t>({7}, {1, -1, 3, -3, 2, 0, 0}, 0x1p-10f, 0);
  auto out = Output<int8_t>({7}, 0x1p-9f, 0);
  ASSERT_TRUE(Sub({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{-1, 1, -2, 2, -1, 0, 127}));
}

TEST(ReferenceSub, TfliteRuleActivationBounds) {
  // The same scales with RELU and zero points 5: TFLite's bounds are [5 + round(0), 127].
  // d = a - 5 = 0, 0, 1, 0; real 512 d - b / 2 = -3.5, -1.5, 512, 2.5 -> -4, -2, 512, 3;
  // plus 5: 1, 3, 517, 8 -> clamped 5, 5, 127, 8.
  auto a = MakeQ<int8_t>({4}, {5, 5, 6, 5}, 1.0f, 5);
  auto b = MakeQ<int8_t>({4}, {7, 3, 0, -5}, 0x1p-10f, 0);
  auto out = Output<int8_t>({4}, 0x1p-9f, 5);
  AddOptions relu;
  relu.activation = Activation::kRelu;
  ASSERT_TRUE(Sub(relu, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{5, 5, 127, 8}));
}

TEST(ReferenceSub, Int32WrapsAndClamps) {
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  auto a = Make<int32_t>({3}, {5, -3, 100});
  auto b = Make<int32_t>({3}, {7, -3, kMin});
  auto out = Output<int32_t>({3});
  ASSERT_TRUE(Sub({}, a.view(), b.view(), out.view()).ok());
  // 100 - (-2^31) wraps to 100 - 2^31.
  EXPECT_EQ(out.data, (std::vector<int32_t>{-2, 0, 100 + kMin}));
  AddOptions relu6;
  relu6.activation = Activation::kRelu6;
  auto c = Make<int32_t>({3}, {5, 10, 2});
  auto d = Make<int32_t>({1}, {1});
  ASSERT_TRUE(Sub(relu6, c.view(), d.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{4, 6, 1}));
}

TEST(ReferenceSub, FloatBroadcastAndRelu) {
  // [2, 1] - [3] -> [2, 3], then RELU.
  auto a = Make<float>({2, 1}, {10, 1});
  auto b = Make<float>({3}, {1, 2, 3});
  auto out = Output<float>({2, 3});
  AddOptions relu;
  relu.activation = Activation::kRelu;
  ASSERT_TRUE(Sub(relu, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{9, 8, 7, 0, 0, 0}));
}

TEST(ReferenceSub, Errors) {
  auto a = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto b = Make<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto out = Output<float>({2, 3});
  Status s = Sub({}, a.view(), b.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("SUB"), std::string::npos) << Message(s);
  EXPECT_NE(Message(s).find("broadcast"), std::string::npos) << Message(s);
  auto i16 = Make<int16_t>({2}, {1, 2});
  auto i16out = Output<int16_t>({2});
  s = Sub({}, i16.view(), i16.view(), i16out.view());
  EXPECT_NE(Message(s).find("int16"), std::string::npos) << Message(s);
}

}  // namespace
}  // namespace coralpi::reference
