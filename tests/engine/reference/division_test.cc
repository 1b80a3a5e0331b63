// DIV and FLOOR_DIV reference kernels, on cases worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
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

TEST(ReferenceDiv, FloatWithRelu6) {
  auto a = Make<float>({3}, {1, -3, 2});
  auto b = Make<float>({3}, {4, 2, 0});
  auto out = Output<float>({3});
  ASSERT_TRUE(Div({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data[0], 0.25f);
  EXPECT_EQ(out.data[1], -1.5f);
  EXPECT_TRUE(std::isinf(out.data[2]));
  AddOptions relu6;
  relu6.activation = Activation::kRelu6;
  ASSERT_TRUE(Div(relu6, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0.25f, 0, 6}));
}

TEST(ReferenceDiv, FloatBroadcastLikeMoveNet) {
  // [1, 2, 2, 1] / [2, 2, 1] (MoveNet divides [1, 48, 48, 17] by [48, 48, 17]).
  auto a = Make<float>({1, 2, 2, 1}, {1, 2, 3, 4});
  auto b = Make<float>({2, 2, 1}, {2, 4, 8, 16});
  auto out = Output<float>({1, 2, 2, 1});
  ASSERT_TRUE(Div({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0.5f, 0.5f, 0.375f, 0.25f}));
}

TEST(ReferenceDiv, Int32TruncatesAndRejectsZero) {
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  auto a = Make<int32_t>({5}, {7, -7, 7, -7, kMin});
  auto b = Make<int32_t>({5}, {2, 2, -2, -2, -1});
  auto out = Output<int32_t>({5});
  ASSERT_TRUE(Div({}, a.view(), b.view(), out.view()).ok());
  // Toward zero; INT32_MIN / -1 wraps to INT32_MIN.
  EXPECT_EQ(out.data, (std::vector<int32_t>{3, -3, -3, 3, kMin}));
  auto zero = Make<int32_t>({5}, {1, 1, 0, 1, 1});
  Status s = Div({}, a.view(), zero.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("division by zero"), std::string::npos) << Message(s);
}

TEST(ReferenceDiv, Uint8FollowsTflite) {
  // Scales 1, 1 -> 1/64: QM(64) = (2^30, shift 7). n = a - 100, d = b - 100:
  // 3 / 2: Reciprocal(2) = 1.0 (saturated Q0.31) with k = 1; h = 29; q = SRDHM(3 * 2^29, ~1)
  //        = 1610612735; SRDHM(q, 2^30) = 805306368; / 2^(1 + 29 - 7) = 96 exactly.
  // 1 / 3 = 21.33 -> 21; -3 / 2 -> -96; 3 / -2 -> -96 (signs moved to n); 0 / 5 -> 0;
  // 100 / 1 = 6400 -> 255. Output zp 128.
  auto a = MakeQ<uint8_t>({6}, {103, 101, 97, 103, 100, 200}, 1.0f, 100);
  auto b = MakeQ<uint8_t>({6}, {102, 103, 102, 98, 105, 101}, 1.0f, 100);
  auto out = Output<uint8_t>({6}, 1.0f / 64, 128);
  ASSERT_TRUE(Div({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{224, 149, 32, 32, 128, 255}));
  // A divisor at its zero point is a division by zero.
  auto zero = MakeQ<uint8_t>({6}, {102, 103, 100, 98, 105, 101}, 1.0f, 100);
  Status s = Div({}, a.view(), zero.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("division by zero"), std::string::npos) << Message(s);
}

TEST(ReferenceDiv, Uint8QuotientsNearZero) {
  // Scales 1, 1 -> 1 (QM(1) = (2^30, shift 1)): -1 / 86 and 1 / 86 need a final shift of
  // 6 + 31 - 1 = 36 and 6 + 30 - 1 = 35 bits (past TFLite's defined range): 0, the zero point.
  // 86 / 86 = 1 stays on the ordinary path (shift 6 + 24 - 1 = 29).
  auto a = MakeQ<uint8_t>({3}, {99, 101, 186}, 1.0f, 100);
  auto b = MakeQ<uint8_t>({3}, {86, 86, 86}, 1.0f, 0);
  auto out = Output<uint8_t>({3}, 1.0f, 50);
  ASSERT_TRUE(Div({}, a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{50, 50, 51}));
}

TEST(ReferenceDiv, Int16IsAnError) {
  auto q = MakeQ<int16_t>({2}, {1, 2}, 0.5f, 0);
  auto out = Output<int16_t>({2}, 0.5f, 0);
  Status s = Div({}, q.view(), q.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("int16"), std::string::npos) << Message(s);
}

TEST(ReferenceFloorDiv, RoundsTowardMinusInfinity) {
  // MoveNet's case: an int32 index divided by a scalar 48.
  auto index = Make<int32_t>({1, 3}, {0, 100, 2303});
  auto width = Make<int32_t>({}, {48});
  auto out = Output<int32_t>({1, 3});
  ASSERT_TRUE(FloorDiv(index.view(), width.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{0, 2, 47}));
  auto a = Make<int32_t>({4}, {7, -7, 7, -7});
  auto b = Make<int32_t>({4}, {2, 2, -2, -2});
  auto out4 = Output<int32_t>({4});
  ASSERT_TRUE(FloorDiv(a.view(), b.view(), out4.view()).ok());
  EXPECT_EQ(out4.data, (std::vector<int32_t>{3, -4, -4, 3}));
}

TEST(ReferenceFloorDiv, FloatAndInt8) {
  auto a = Make<float>({3}, {7.5f, -7.5f, 1});
  auto b = Make<float>({3}, {2, 2, -0.5f});
  auto out = Output<float>({3});
  ASSERT_TRUE(FloorDiv(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{3, -4, -2}));
  // int8 is a plain integer here: -128 / -1 = 128 saturates to 127.
  auto c = Make<int8_t>({3}, {-128, -9, 9});
  auto d = Make<int8_t>({3}, {-1, 4, -4});
  auto out8 = Output<int8_t>({3});
  ASSERT_TRUE(FloorDiv(c.view(), d.view(), out8.view()).ok());
  EXPECT_EQ(out8.data, (std::vector<int8_t>{127, -3, -3}));
}

TEST(ReferenceFloorDiv, Errors) {
  auto a = Make<float>({2}, {1, 2});
  auto zero = Make<float>({2}, {1, -0.0f});
  auto out = Output<float>({2});
  Status s = FloorDiv(a.view(), zero.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("FLOOR_DIV"), std::string::npos) << Message(s);
  auto u8 = Make<uint8_t>({2}, {1, 2});
  auto u8out = Output<uint8_t>({2});
  EXPECT_FALSE(FloorDiv(u8.view(), u8.view(), u8out.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
