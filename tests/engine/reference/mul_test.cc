// MUL reference kernel: XNNPACK's fp32 requantization where XNNPACK takes the scales, TensorFlow
// Lite's fixed point where it does not, int32 and float; on cases worked out by hand.
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

TEST(ReferenceMul, Uint8XnnpackRuleRoundsHalfToEven) {
  // s = 0.5 * 0.25 / 0.25 = 0.5. a - 10 = 1, 3, 5, -1, 3, 245; b - 20 = 1, 1, 1, 1, -1, 235.
  // acc * 0.5 = 0.5, 1.5, 2.5, -0.5, -1.5, 28787.5 -> 0, 2, 2, 0, -2 (ties to even), 255 - 50.
  ASSERT_TRUE(XnnpackTakesMul(0.5f, 0.25f, 0.25f, {0, 255}));
  auto a = MakeQ<uint8_t>({6}, {11, 13, 15, 9, 13, 255}, 0.5f, 10);
  auto b = MakeQ<uint8_t>({6}, {21, 21, 21, 21, 19, 255}, 0.25f, 20);
  auto out = Output<uint8_t>({6}, 0.25f, 50);
  ASSERT_TRUE(Mul({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{50, 52, 52, 50, 48, 255}));
  // RELU: the lower bound is the zero point.
  AddOptions relu;
  relu.activation = Activation::kRelu;
  ASSERT_TRUE(Mul(relu, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{50, 52, 52, 50, 50, 255}));
}

TEST(ReferenceMul, Uint8TfliteRuleBelowXnnpackRange) {
  // s = 2^-8 * 2^-8 / 1.25 = 0.8f * 2^-16, below XNNPACK's 2^-16. TFLite: QM(s) =
  // (0.8f * 2^31 = 13421773 * 2^7 = 1717986944, -16); out = RDBPOT(SRDHM(acc, m), 16):
  //   255 * 255 = 65025: 52020 (65025 * 0.8), then 52020 / 65536 = 0.79 -> 1;
  //   205 * 200 = 41000: 32800, 32800 / 65536 = 0.5005 -> 1;
  //   204 * 200 = 40800: 32640 / 65536 = 0.498 -> 0.
  ASSERT_FALSE(XnnpackTakesMul(0x1p-8f, 0x1p-8f, 1.25f, {0, 255}));
  auto a = MakeQ<uint8_t>({3}, {255, 205, 204}, 0x1p-8f, 0);
  auto b = MakeQ<uint8_t>({3}, {255, 200, 200}, 0x1p-8f, 0);
  auto out = Output<uint8_t>({3}, 1.25f, 0);
  ASSERT_TRUE(Mul({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{1, 1, 0}));
}

TEST(ReferenceMul, Int8TfliteRuleAboveXnnpackRange) {
  // s = 1 * 1 * 300 = 300 >= 2^8: any nonzero product saturates, a zero one gives the zero
  // point; RELU's bound (TFLite's: 5 + round(0)) cuts the negative one.
  auto a = MakeQ<int8_t>({4}, {0, 1, -1, 2}, 1.0f, 0);
  auto b = MakeQ<int8_t>({4}, {3, 1, 1, 0}, 1.0f, 0);
  auto out = Output<int8_t>({4}, 1.0f / 300, 5);
  AddOptions relu;
  relu.activation = Activation::kRelu;
  ASSERT_TRUE(Mul(relu, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{5, 127, 5, 5}));
}

TEST(ReferenceMul, Int32BroadcastWrapAndRelu6) {
  // [2, 1] * [2] -> [2, 2]; 65536 * 65536 wraps to 0.
  auto a = Make<int32_t>({2, 1}, {3, 65536});
  auto b = Make<int32_t>({2}, {-2, 65536});
  auto out = Output<int32_t>({2, 2});
  ASSERT_TRUE(Mul({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{-6, 196608, -131072, 0}));
  AddOptions relu6;
  relu6.activation = Activation::kRelu6;
  ASSERT_TRUE(Mul(relu6, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{0, 6, 0, 0}));
}

TEST(ReferenceMul, FloatScalarOperand) {
  auto a = Make<float>({}, {0.5f});
  auto b = Make<float>({2, 2}, {1, -2, 4, 8});
  auto out = Output<float>({2, 2});
  ASSERT_TRUE(Mul({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0.5f, -1, 2, 4}));
}

TEST(ReferenceMul, Errors) {
  auto q = MakeQ<uint8_t>({2}, {1, 2}, 0.5f, 0);
  auto f = Make<float>({2}, {1, 2});
  auto out = Output<uint8_t>({2}, 0.5f, 0);
  Status s = Mul({}, q.view(), f.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("MUL"), std::string::npos) << Message(s);
  auto unquantized = Make<uint8_t>({2}, {1, 2});
  EXPECT_FALSE(Mul({}, q.view(), unquantized.view(), out.view()).ok());
  AddOptions tanh;
  tanh.activation = Activation::kTanh;
  EXPECT_FALSE(Mul(tanh, q.view(), q.view(), out.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
